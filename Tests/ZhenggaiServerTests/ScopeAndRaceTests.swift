import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// The defects of the house issue, each as the probe of the running server found it: scope that a read
/// could forget, review stages checked outside the write, a throttle that raced, unbounded paging, forged
/// references in bodies, a logout that ended one credential of two.
@Suite(.serialized) struct ScopeAndRaceTests {
    /// A problem at the township ready for review: a finished task, evidence, and the clerk's request.
    static func problemAskedToClose(_ world: APIWorld, text: String = "村级财务管理不规范，存在白条入账。") async throws -> Problem {
        let store = world.store
        let clerk = AuditActor(world.users[.clerk]!)
        let source = try await world.county.source(store, by: world.users[.inspector]!)
        let problem = try await store.createProblem(
            NewProblem(sourceID: source.id, text: text, categoryCode: "B4"), by: clerk)
        let task = try await store.createTask(
            problemID: problem.id,
            TaskFields(
                measure: "清理白条", kind: .scheduled, leaderID: nil, leadUnit: "党政办", assignee: "张三",
                deadline: LocalDate(year: 2026, month: 12, day: 31)),
            by: clerk)
        _ = try await store.completeTask(task.id, version: task.version, by: clerk)
        _ = try await store.addEvidence(
            problemID: problem.id, taskID: task.id, fileName: "凭证.pdf", data: Fixtures.pdf, by: clerk)
        return try await store.requestClosure(problemID: problem.id, statement: "已整改", by: clerk)
    }

    @Test func aTownshipAdminSeesNothingOfAnotherTownship() async throws {
        try await APIWorld.with { world in
            let store = world.store
            let admin = try await world.county.user(
                store, "township-admin", .admin, at: world.county.township,
                passwordHash: Passwords.hash(APIWorld.password, cost: 4))
            // The other township has its own round, a problem like ours and a trail in the audit log.
            let inspector = AuditActor(world.users[.inspector]!)
            let foreignSource = try await store.createSource(
                NewSource(
                    kind: .inspection, title: "县委第三巡察组对河口镇的反馈", issuer: "县委第三巡察组", round: 3,
                    unitID: world.county.sibling.id, feedbackDate: LocalDate(year: 2026, month: 9, day: 1)!),
                by: inspector)
            let foreign = try await store.createProblem(
                NewProblem(sourceID: foreignSource.id, text: "村级财务管理不规范，存在白条入账现象。", categoryCode: "B4"),
                by: inspector)
            let ours = try await Self.problemAskedToClose(world)
            let token = try await store.createSession(userID: admin.id, kind: "test", lifetime: 3600).token

            let audit = try await world.call(.GET, "/api/v1/audit?limit=1000", as: nil, token: token)
            #expect(audit.status == .ok)
            let entries = (try JSONSerialization.jsonObject(with: Data(buffer: audit.body))) as? [[String: Any]] ?? []
            let ids = Set(entries.compactMap { $0["entityID"] as? String })
            #expect(ids.contains(ours.id.uuidString))
            #expect(!ids.contains(foreign.id.uuidString))
            #expect(!ids.contains(foreignSource.id.uuidString))
            #expect(!String(buffer: audit.body).contains("河口镇"))

            let ledger = try await world.call(.GET, "/api/v1/ledger?per=500", as: nil, token: token)
            #expect(!String(buffer: ledger.body).contains(foreign.id.uuidString))
            let counts = try await world.call(.GET, "/api/v1/counts", as: nil, token: token)
            #expect(counts.json["total"] as? Int == 1)
            let similar = try await SimilarityService(store: store).suggestions(
                for: ours, scope: Scope(admin.principal))
            #expect(!similar.contains { $0.match.id == foreign.id })
            // The county's own office does see both.
            let everything = try await SimilarityService(store: store).suggestions(for: ours, scope: .everything)
            #expect(everything.isEmpty || everything.contains { $0.match.id == foreign.id })
        }
    }

    @Test func pagingLimitsAreRefusedNotIgnored() async throws {
        try await APIWorld.with { world in
            for query in ["limit=-1", "limit=0", "limit=1001", "after=-5", "limit=abc"] {
                let response = try await world.call(.GET, "/api/v1/audit?\(query)", as: .inspector)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorMessage.containsChinese)
            }
            for query in ["per=0", "per=100000", "page=0", "status=closedd", "overdue=maybe", "sort=nonsense"] {
                let response = try await world.call(.GET, "/api/v1/ledger?\(query)", as: .clerk)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.errorMessage.contains("参数"), "\(query): \(response.errorMessage)")
            }
            let page = try await world.call(.GET, "/ledger?per=0", as: .clerk)
            #expect(page.status == .badRequest)
            #expect(String(buffer: page.body).contains("参数「per」"))
        }
    }

    /// Two secretaries of one township give the first review at the same moment, many times: one wins, the
    /// other is told the stage moved, and the item waits for the inspection office. Never closed.
    @Test func racingFirstReviewsNeverCloseAnItem() async throws {
        try await APIWorld.with { world in
            let store = world.store
            let second = try await world.county.user(store, "secretary2", .secretary, at: world.county.township)
            let reviewers = [AuditActor(world.users[.secretary]!), AuditActor(second)]
            for _ in 0..<15 {
                let problem = try await Self.problemAskedToClose(world)
                let results = await withTaskGroup(of: Bool.self) { group in
                    for reviewer in reviewers {
                        group.addTask {
                            (try? await store.approveClosure(problemID: problem.id, stage: .first, by: reviewer)) != nil
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                #expect(results.filter { $0 }.count == 1)
                #expect(try await store.problem(problem.id).status == .pendingSecondReview)
            }
        }
    }

    /// A first-stage approve and a first-stage return sent together: exactly one of them takes effect, and a
    /// first-stage return never touches an item that reached the second stage.
    @Test func anApproveAndAReturnRacingLeaveOneOutcome() async throws {
        try await APIWorld.with { world in
            let store = world.store
            let second = try await world.county.user(store, "secretary2", .secretary, at: world.county.township)
            let secretary = AuditActor(world.users[.secretary]!)
            for _ in 0..<15 {
                let problem = try await Self.problemAskedToClose(world)
                async let approved = try? store.approveClosure(problemID: problem.id, stage: .first, by: secretary)
                async let returned = try? store.returnClosure(
                    problemID: problem.id, stage: .first, reason: "材料不全", by: AuditActor(second))
                let (a, r) = await (approved, returned)
                #expect((a == nil) != (r == nil))
                let now = try await store.problem(problem.id).status
                #expect(now == (a != nil ? .pendingSecondReview : .returned))
            }
            // At the second stage a first-stage return is refused outright.
            let problem = try await Self.problemAskedToClose(world)
            _ = try await store.approveClosure(problemID: problem.id, stage: .first, by: secretary)
            await #expect(throws: StoreError.self) {
                try await store.returnClosure(problemID: problem.id, stage: .first, reason: "x", by: AuditActor(second))
            }
            #expect(try await store.problem(problem.id).status == .pendingSecondReview)
        }
    }

    /// The same race through the API routes a browser or script would call.
    @Test func racingReviewRequestsOverTheAPI() async throws {
        try await APIWorld.with { world in
            let second = try await world.county.user(world.store, "secretary2", .secretary, at: world.county.township)
            let tokens = [
                try await world.token(.secretary),
                try await world.store.createSession(userID: second.id, kind: "test", lifetime: 3600).token,
            ]
            for _ in 0..<8 {
                let problem = try await Self.problemAskedToClose(world)
                let path = "/api/v1/problems/\(problem.id)/closure/first-review"
                let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                    for token in tokens {
                        group.addTask {
                            try await world.call(.POST, path, as: nil, json: #"{"decision":"approve"}"#, token: token)
                                .status.code
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.sorted() == [200, 409])
                #expect(try await world.store.problem(problem.id).status == .pendingSecondReview)
            }
        }
    }

    /// Sixty wrong passwords at once for one user: each is counted before its check, so only the allowed
    /// number is ever checked, and the rest are told to wait.
    @Test func concurrentWrongPasswordsAreCountedBeforeTheyAreChecked() async throws {
        try await APIWorld.with { world in
            let body = #"{"username":"clerk","password":"wrong-password-1"}"#
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<60 {
                    group.addTask { try await world.call(.POST, "/api/v1/login", as: nil, json: body).status.code }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count == 5)
            #expect(statuses.filter { $0 == 429 }.count == 55)
        }
    }

    @Test func aForgedSourceOrLeaderIsRefusedAndShowsNothingOfItsTarget() async throws {
        try await APIWorld.with { world in
            let store = world.store
            let inspector = AuditActor(world.users[.inspector]!)
            let foreignSource = try await store.createSource(
                NewSource(
                    kind: .inspection, title: "对河口镇党委的巡察反馈", issuer: "县委第三巡察组", round: 3,
                    unitID: world.county.sibling.id, feedbackDate: LocalDate(year: 2026, month: 9, day: 1)!),
                by: inspector)
            // The clerk posts the foreign source's problem form with their own township as the unit.
            let form = "unitID=\(world.county.township.id)&text=%E9%97%AE%E9%A2%98&categoryCode=B4"
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let response = try await world.call(
                .POST, "/sources/\(foreignSource.id)/problems/new", as: .clerk, headers: headers, body: form)
            #expect(response.status == .forbidden)
            #expect(!String(buffer: response.body).contains("河口镇"))
            #expect(try await store.counts(LedgerFilter(scope: .everything), today: TestStores.today).total == 0)

            // A task whose 责任领导 is a person of another township.
            let outsider = try await world.county.user(store, "hekou-leader", .leader, at: world.county.sibling)
            let ours = try await store.createProblem(
                NewProblem(
                    sourceID: try await world.county.source(store, by: world.users[.inspector]!).id, text: "问题",
                    categoryCode: "B4"),
                by: inspector)
            let task = try await world.call(
                .POST, "/api/v1/problems/\(ours.id)/tasks", as: .clerk,
                json: """
                    {"measure":"整改","kind":"scheduled","leaderID":"\(outsider.id)","leadUnit":"党政办",
                     "assignee":"张三","deadline":"2026-12-31"}
                    """)
            #expect(task.status == .unprocessableEntity)
            #expect(task.errorMessage.contains("责任领导"))
            #expect(!task.errorMessage.contains("河口镇"))
        }
    }

    @Test func logoutEndsTheBearerTokenAndTheCookieAlike() async throws {
        try await APIWorld.with { world in
            let bearer = try await world.token(.clerk)
            let cookie = try await world.token(.clerk)
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: (SessionCookie.name, .init(string: cookie)))
            let response = try await world.call(.POST, "/api/v1/logout", as: nil, token: bearer, headers: headers)
            #expect(response.status == .ok)
            #expect(try await world.store.session(token: bearer) == nil)
            #expect(try await world.store.session(token: cookie) == nil)
        }
    }
}
