import Foundation
import Synchronization
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// What a server keeps to answer fast. The ledger's answers under the change stamp (`StampedCache`): a page
/// asked again is not read again, yet nobody sees a page older than the last write, wherever that write
/// came from, nor a page kept for somebody else's scope or 「只看我负责的」. Sessions for API reads
/// (`SessionCache`): a logout or deactivation here ends them at once, one on another server within a second.
@Suite(.serialized) struct LedgerCacheTests {
    func page(_ world: APIWorld, _ path: String, token: String) async throws -> String {
        var headers = HTTPHeaders()
        headers.cookie = HTTPCookies(dictionaryLiteral: (SessionCookie.name, .init(string: token)))
        let response = try await world.app.testing().sendRequest(.GET, path, headers: headers)
        #expect(response.status == .ok, "\(path)")
        return response.body.string
    }

    @Test func aWriteFromAnotherServerShowsAtOnce() async throws {
        try await APIWorld.with { world in
            let store = world.store
            let clerk = AuditActor(world.users[.clerk]!)
            let source = try await world.county.source(store, by: world.users[.inspector]!)
            let problem = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "村级财务管理不规范，存在白条入账。", categoryCode: "B4"), by: clerk)
            let task = try await store.createTask(
                problemID: problem.id,
                TaskFields(
                    measure: "清理白条", kind: .scheduled, leaderID: nil, leadUnit: "党政办", assignee: "张三",
                    deadline: TestStores.today.adding(days: 30)),
                by: clerk)
            let token = try await world.token(.clerk)
            for _ in 0..<2 {
                let ledger = try await world.call(.GET, "/api/v1/ledger", as: nil, token: token)
                #expect(!ledger.body.string.contains("已召开专题会议"))
                #expect(try await page(world, "/ledger", token: token).contains("白条入账"))
            }
            // Written straight to the store, as another app server on the same database would: this server's
            // kept answers must not outlive it.
            _ = try await store.addProgress(
                taskID: task.id, date: TestStores.today, text: "已召开专题会议部署整改。", by: clerk)
            let after = try await world.call(.GET, "/api/v1/ledger", as: nil, token: token)
            #expect(after.body.string.contains("已召开专题会议部署整改"))
            #expect(try await page(world, "/ledger", token: token).contains("已召开专题会议部署整改"))
            let current = try await store.problem(problem.id)
            _ = try await store.updateProblem(
                problem.id, version: current.version, Store.ProblemChanges(text: "村级财务管理混乱，白条入账。"), by: clerk)
            #expect(try await page(world, "/ledger", token: token).contains("村级财务管理混乱"))
            let counts = try await world.call(.GET, "/api/v1/counts", as: nil, token: token)
            #expect(counts.json["total"] as? Int == 1)
            _ = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "公务接待清单不全。", categoryCode: "B4"), by: clerk)
            let more = try await world.call(.GET, "/api/v1/counts", as: nil, token: token)
            #expect(more.json["total"] as? Int == 2)
        }
    }

    @Test func aKeptPageIsNeverAnotherReadersPage() async throws {
        try await APIWorld.with { world in
            let store = world.store
            let inspector = AuditActor(world.users[.inspector]!)
            let county = world.county
            let ours = try await store.createProblem(
                NewProblem(
                    sourceID: try await county.source(store, by: world.users[.inspector]!).id,
                    text: "青山镇理论学习流于形式。", categoryCode: "A1"), by: inspector)
            let elsewhere = try await store.createSource(
                NewSource(
                    kind: .inspection, title: "县委第三巡察组对河口镇的反馈", issuer: "县委第三巡察组", round: 3,
                    unitID: county.sibling.id, feedbackDate: TestStores.today.adding(days: -30)),
                by: inspector)
            let foreign = try await store.createProblem(
                NewProblem(sourceID: elsewhere.id, text: "河口镇集体资产发包不规范。", categoryCode: "B4"), by: inspector)
            // The county's inspector fills the cache with the whole county first.
            let wide = try await world.token(.inspector)
            let all = try await world.call(.GET, "/api/v1/ledger", as: nil, token: wide)
            #expect(all.body.string.contains(foreign.id.uuidString))
            #expect(try await page(world, "/ledger", token: wide).contains("河口镇集体资产"))
            // The township's clerk asks for the same pages and must get the township's.
            let narrow = try await world.token(.clerk)
            let township = try await world.call(.GET, "/api/v1/ledger", as: nil, token: narrow)
            #expect(township.body.string.contains(ours.id.uuidString))
            #expect(!township.body.string.contains(foreign.id.uuidString))
            let html = try await page(world, "/ledger", token: narrow)
            #expect(html.contains("青山镇理论学习") && !html.contains("河口镇集体资产"))
            let counts = try await world.call(.GET, "/api/v1/counts", as: nil, token: narrow)
            #expect(counts.json["total"] as? Int == 1)

            // 只看我负责的 is the reader's own: the leader leads a task, the clerk does not.
            _ = try await store.createTask(
                problemID: ours.id,
                TaskFields(
                    measure: "完善学习制度", kind: .scheduled, leaderID: world.users[.leader]!.id, leadUnit: "党政办",
                    assignee: "张三", deadline: TestStores.today.adding(days: 30)),
                by: inspector)
            let leader = try await world.token(.leader)
            let led = try await world.call(.GET, "/api/v1/ledger?mine=1", as: nil, token: leader)
            #expect(led.body.string.contains(ours.id.uuidString))
            let notLed = try await world.call(.GET, "/api/v1/ledger?mine=1", as: nil, token: narrow)
            #expect(!notLed.body.string.contains(ours.id.uuidString))
            #expect(try await page(world, "/ledger?mine=1", token: leader).contains("青山镇理论学习"))
            #expect(!(try await page(world, "/ledger?mine=1", token: narrow).contains("青山镇理论学习")))
        }
    }

    @Test func anAnswerReadUnderAnOlderStampIsNotKept() async throws {
        let cache = StampedCache<String, Int>(maximumEntries: 2, maximumCost: 100)
        let made = Counter()
        @Sendable func ask(_ stamp: Int, _ key: String) async throws -> Int {
            try await cache.value(stamp: stamp, key: key, cost: { _ in 1 }) {
                made.next()
            }
        }
        #expect(try await ask(5, "a") == 1)
        #expect(try await ask(5, "a") == 1)
        // A newer stamp drops what was kept.
        #expect(try await ask(6, "a") == 2)
        // A request that read the older stamp is answered afresh and leaves nothing behind.
        #expect(try await ask(5, "a") == 3)
        #expect(try await ask(6, "a") == 2)
        // Past the bound the cache starts again rather than growing.
        _ = try await ask(6, "b")
        _ = try await ask(6, "c")
        #expect(cache.count <= 2)
    }

    @Test func requestsArrivingWhileAPageIsComputedWaitForThatOne() async throws {
        let cache = StampedCache<String, Int>()
        let computed = Counter()
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.value(stamp: 1, key: "ledger", cost: { _ in 1 }) {
                        try await Task.sleep(for: .milliseconds(100))
                        return computed.next()
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(computed.count == 1)
        #expect(answers == Array(repeating: 1, count: 20))
        // A failed computation is not kept: the next request tries again.
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await cache.value(stamp: 1, key: "broken", cost: { _ in 1 }) { throw Refused() }
        }
        #expect(try await cache.value(stamp: 1, key: "broken", cost: { _ in 1 }) { 7 } == 7)
    }

    /// A second store on the same database, as another app server behind the load balancer holds.
    static func onAnotherServer(_ world: APIWorld, _ body: (Store) async throws -> Void) async throws {
        let other = try Store(world.store.configuration, clock: world.store.clock, logger: world.store.logger)
        do {
            try await body(other)
            await other.shutdown()
        } catch {
            await other.shutdown()
            throw error
        }
    }

    @Test func aSessionEndedHereEndsAtOnceAndElsewhereWithinASecond() async throws {
        try await APIWorld.with { world in
            let token = try await world.token(.clerk)
            #expect(try await world.call(.GET, "/api/v1/me", as: nil, token: token).status == .ok)
            #expect(try await world.call(.POST, "/api/v1/logout", as: nil, token: token).status == .ok)
            #expect(try await world.call(.GET, "/api/v1/me", as: nil, token: token).status == .unauthorized)

            let leader = try await world.token(.leader)
            #expect(try await world.call(.GET, "/api/v1/ledger", as: nil, token: leader).status == .ok)
            _ = try await world.store.setActive(userID: world.users[.leader]!.id, active: false, by: .commandLine)
            #expect(try await world.call(.GET, "/api/v1/ledger", as: nil, token: leader).status == .unauthorized)

            // Another app server on the same database ends a session: this one lets it go within a second.
            let secretary = try await world.token(.secretary)
            #expect(try await world.call(.GET, "/api/v1/me", as: nil, token: secretary).status == .ok)
            try await Self.onAnotherServer(world) { try await $0.deleteSessions(tokens: [secretary]) }
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await world.call(.GET, "/api/v1/me", as: nil, token: secretary).status == .unauthorized)
            // A write is never let through on a kept session.
            let inspector = try await world.token(.inspector)
            #expect(try await world.call(.GET, "/api/v1/me", as: nil, token: inspector).status == .ok)
            try await Self.onAnotherServer(world) { try await $0.deleteSessions(tokens: [inspector]) }
            let write = try await world.call(
                .POST, "/api/v1/units", as: nil, json: #"{"name":"新村","kind":"village"}"#, token: inspector)
            #expect(write.status == .unauthorized)
        }
    }
}

/// How many times a computation ran, counted from concurrent tasks.
final class Counter: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func next() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}
