import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

@Suite struct SimilarityTests {
    static let old = "村级财务管理不规范，部分村存在白条入账、大额现金支付现象。"
    static let again = "部分村仍存在白条入账现象，大额现金支付问题依然突出，村级财务管理不规范。"
    static let unrelated = "理论学习中心组学习流于形式，第一议题制度落实不到位。"

    /// An old problem of the township closed through both reviews, and a new one saying the same thing.
    static func closedAndAgain(_ world: APIWorld) async throws -> (old: Problem, new: Problem) {
        let store = world.store
        let clerk = AuditActor(world.users[.clerk]!)
        let first = try await world.county.source(world.store, by: world.users[.inspector]!, round: 2)
        let old = try await store.createProblem(
            NewProblem(sourceID: first.id, text: old, categoryCode: "B4"), by: clerk)
        let task = try await store.createTask(
            problemID: old.id,
            TaskFields(
                measure: "清理白条", kind: .immediate, leaderID: nil, leadUnit: "财政所", assignee: "甲",
                deadline: TestStores.today),
            by: clerk)
        _ = try await store.completeTask(task.id, version: task.version, by: clerk)
        _ = try await store.requestClosure(problemID: old.id, statement: "已清理", by: clerk)
        _ = try await store.approveClosure(problemID: old.id, stage: .first, by: AuditActor(world.users[.secretary]!))
        _ = try await store.approveClosure(problemID: old.id, stage: .second, by: AuditActor(world.users[.inspector]!))
        _ = try await store.createProblem(
            NewProblem(sourceID: first.id, text: unrelated, categoryCode: "A1"), by: clerk)
        let audit = try await store.createSource(
            NewSource(
                kind: .audit, title: "审计", issuer: "县审计局", round: nil, unitID: world.county.township.id,
                feedbackDate: TestStores.today),
            by: clerk)
        let new = try await store.createProblem(
            NewProblem(sourceID: audit.id, text: again, categoryCode: "B4"), by: clerk)
        return (old, new)
    }

    @Test func aClosedProblemOfTheSameUnitIsSuggestedAsARecurrenceAndNotTheUnrelatedOne() async throws {
        try await APIWorld.with { world in
            let (old, new) = try await Self.closedAndAgain(world)
            let service = SimilarityService(store: world.store)
            let found = try await service.suggestions(for: new, scope: Scope(subtree: world.county.county.path))
            #expect(found.first?.match.id == old.id)
            #expect(found.first?.recurrence == true)
            #expect(found.first?.tier == .sameUnit)
            #expect(!found.contains { $0.match.text == Self.unrelated })
            let shared = found.first?.explanation.phrases.map(\.text).joined() ?? ""
            #expect(shared.contains("白条"))
            // The old problem does not see the newer one as "earlier".
            let back = try await service.suggestions(for: old, scope: Scope(subtree: world.county.county.path))
            #expect(!back.contains { $0.match.id == new.id })
        }
    }

    @Test func confirmingARecurrenceFilesItUnderD4AndMarksTheOldClosureRelapsed() async throws {
        try await APIWorld.with { world in
            let (old, new) = try await Self.closedAndAgain(world)
            let page = try await world.app.testing().sendRequest(
                .GET, "/problems/\(new.id)",
                headers: ["Cookie": "zg_session=\(try await world.token(.secretary))"])
            #expect(page.body.string.contains("疑似屡改屡犯"))
            #expect(page.body.string.contains("<mark>"))
            let session = try await world.store.createSession(userID: world.users[.clerk]!.id, kind: "t", lifetime: 600)
            let confirm = try await world.app.testing().sendRequest(
                .POST, "/problems/\(new.id)/similar/\(old.id)",
                headers: [
                    "Cookie": "zg_session=\(session.token)", "Content-Type": "application/x-www-form-urlencoded",
                ],
                body: ByteBuffer(string: "_csrf=\(session.csrfToken)&decision=confirm&score=0.5"))
            #expect(confirm.status == .seeOther)
            #expect(try await world.store.problem(new.id).categoryCode == "D4")
            #expect(try await world.store.problem(old.id).relapsedBy == new.id)
            let trail = try await world.store.problemTrail(new.id).map(\.action)
            #expect(trail.contains("similarity.confirm"))
            #expect(try await world.store.verifyAudit().isIntact)
        }
    }

    @Test func aSecondServerOnTheSameDatabaseCatchesUpWithTheFirstsWrites() async throws {
        try await APIWorld.with { world in
            let (old, _) = try await Self.closedAndAgain(world)
            let other = try Store(world.store.configuration, clock: world.store.clock, logger: world.store.logger)
            let serverA = SimilarityService(store: world.store)
            let serverB = SimilarityService(store: other)
            try await serverA.refresh()
            try await serverB.refresh()
            let countBefore = await serverB.count
            // Server A takes a write; server B has never seen it and finds it on its next search.
            let source = try await world.county.source(world.store, by: world.users[.inspector]!, round: 4)
            let fresh = try await world.store.createProblem(
                NewProblem(sourceID: source.id, text: "扶贫项目资产后续管护责任不落实，部分设施闲置损毁。", categoryCode: "A2"),
                by: AuditActor(world.users[.clerk]!))
            let found = try await serverB.search(
                "扶贫项目资产管护责任不落实，设施闲置", unitID: world.county.township.id, scope: .everything)
            #expect(found.first?.match.id == fresh.id)
            #expect(await serverB.count == countBefore + 1)
            #expect(await serverB.watermark == (try await other.changeWatermark()))
            _ = old
            await other.shutdown()
        }
    }

    @Test func matchesOutsideTheReadersScopeAreNeverShown() async throws {
        try await APIWorld.with { world in
            let inspector = world.users[.inspector]!
            let foreign = try await world.county.source(world.store, by: inspector, at: world.county.sibling)
            _ = try await world.store.createProblem(
                NewProblem(sourceID: foreign.id, text: Self.old, categoryCode: "B4"), by: AuditActor(inspector))
            let service = SimilarityService(store: world.store)
            let township = try await service.search(
                Self.again, unitID: world.county.township.id, scope: Scope(subtree: world.county.township.path))
            #expect(township.isEmpty)
            let county = try await service.search(
                Self.again, unitID: world.county.township.id, scope: Scope(subtree: world.county.county.path))
            #expect(county.count == 1)
        }
    }
}
