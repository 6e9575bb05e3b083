import Foundation
import Logging
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The data a load test runs on (bench/load/run.sh): the ledger benchmark's county, a bearer token for its
/// administrator, and tasks to write progress to. Reuses what an earlier run left in the same store.
enum LoadSeed {
    struct Seeded {
        var token: String
        var taskIDs: [UUID]
        /// Open311 keys for the appeals rows: each key may post 2,000 requests an hour, so the load spreads
        /// over many.
        var open311Keys: [String]
        var problems: Int
        var seconds: Double
    }

    static func run(dataDirectory: String, problems target: Int, counties: Int = 1, tasks: Int, logger: Logger)
        async throws -> Seeded
    {
        let store = try Commands.openStore(dataDirectory: dataDirectory, logger: logger)
        do {
            try await store.migrate()
            let started = ContinuousClock.now
            let admin = try await LedgerBenchmark.seed(store, target: target, counties: counties)
            let elapsed = ContinuousClock.now - started
            let today = store.clock.today()
            let filter = LedgerFilter(scope: .everything)
            let total = try await store.counts(filter, today: today).total
            // Open items spread over the county, so the writers do not queue on one row.
            var open = filter
            open.statuses = [.open]
            let page = try await store.ledger(open, paging: try Paging(perPage: min(max(tasks, 1), 500)), today: today)
            let taskIDs = page.rows.compactMap { $0.tasks.first?.id }
            let token = try await store.createSession(userID: admin.id, kind: "bench", lifetime: 24 * 3600).token
            if try await store.appealCategories().isEmpty {
                try await store.saveAppealCategory(
                    AppealCategory(
                        code: "HJWS", name: "环境卫生", description: "垃圾清运、污水、村容村貌", keywords: "垃圾,污水,卫生",
                        group: "城乡建设"), by: .commandLine)
            }
            var keys: [String] = []
            for n in 1...64 { keys.append(try await store.addOpen311Key(name: "负载测试\(n)", by: .commandLine).key) }
            await store.shutdown()
            return Seeded(
                token: token, taskIDs: taskIDs, open311Keys: keys, problems: total,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
