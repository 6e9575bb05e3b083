import Foundation
import Testing
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore
import ZhenggaiTestSupport

/// Background jobs: one runner per job across app servers, and the first job's effect.
@Suite(.serialized) struct JobsTests {
    @Test func onlyOneOfManyServersRunsAJobAtATime() async throws {
        try await TestStores.withStore { store in
            let job = PurgeSessionsJob()
            // Eight "servers" ask at once: exactly one takes the row.
            let outcomes = try await withThrowingTaskGroup(of: Jobs.Outcome.self) { group in
                for server in 0..<8 {
                    group.addTask {
                        try await Jobs.run(
                            job, store: store, logger: TestStores.logger, force: false, holder: "server-\(server)")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { if case .ran = $0 { true } else { false } }.count == 1)
            #expect(outcomes.filter { $0 == .skipped }.count == 7)
            // Within its interval it does not run again, unless forced (a cron or manual run).
            #expect(
                try await Jobs.run(job, store: store, logger: TestStores.logger, force: false, holder: "x") == .skipped)
            if case .ran = try await Jobs.run(job, store: store, logger: TestStores.logger, force: true, holder: "x") {
            } else {
                Issue.record("a forced run should run")
            }
            let runs = try await store.jobRuns()
            #expect(runs.map(\.name) == ["purge-sessions"])
            #expect(runs.first?.lastStatus == "ok")
            #expect(runs.first?.holder == nil)
        }
    }

    @Test func purgingRemovesExpiredSessionsOnly() async throws {
        let clock = MutableClock(TestStores.today)
        try await TestStores.withStore(clock: clock) { store in
            let county = try await TestCounty.make(in: store)
            let user = try await county.user(store, "clerk1", .clerk, at: county.township, passwordHash: "x")
            let short = try await store.createSession(userID: user.id, kind: "test", lifetime: 60)
            let long = try await store.createSession(userID: user.id, kind: "test", lifetime: 86_400)
            clock.advance(by: 3_600)
            let summary = try await PurgeSessionsJob().run(
                JobContext(store: store, logger: TestStores.logger, day: TestStores.today))
            #expect(summary.contains("删除过期会话 1 个"))
            #expect(try await store.session(token: short.token) == nil)
            #expect(try await store.session(token: long.token) != nil)
        }
    }
}
