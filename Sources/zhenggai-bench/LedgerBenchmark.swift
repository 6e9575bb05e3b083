import Foundation
import Logging
import Vapor
import ZhenggaiCore
import ZhenggaiServer
import ZhenggaiServices
import ZhenggaiStore

/// Seeds a county with many problems and times the ledger page as the server renders it (routing, gate,
/// queries, Leaf), in process, so the figure is server time without the network.
enum LedgerBenchmark {
    struct Result: Sendable, CustomStringConvertible {
        public var problems: Int
        public var seedSeconds: Double
        public var samples: [String: [Double]]

        public var description: String {
            var lines = [
                "问题数 \(problems)，生成数据 \(String(format: "%.1f", seedSeconds)) 秒", "页面\t次数\tp50 ms\tp95 ms\tmax ms",
            ]
            for key in samples.keys.sorted() {
                let values = samples[key]!.sorted()
                lines.append(
                    "\(key)\t\(values.count)\t\(format(percentile(values, 0.5)))\t\(format(percentile(values, 0.95)))\t\(format(values.last ?? 0))"
                )
            }
            let all = samples.values.flatMap { $0 }.sorted()
            lines.append(
                "全部\t\(all.count)\t\(format(percentile(all, 0.5)))\t\(format(percentile(all, 0.95)))\t\(format(all.last ?? 0))"
            )
            return lines.joined(separator: "\n")
        }

        public var p95: Double { percentile(samples.values.flatMap { $0 }.sorted(), 0.95) }

        func percentile(_ sorted: [Double], _ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
        func format(_ value: Double) -> String { String(format: "%.1f", value) }
    }

    static let texts = [
        "村级财务管理不规范，部分村存在白条入账、大额现金支付现象。", "理论学习中心组学习流于形式，“第一议题”制度落实不到位。",
        "“三重一大”事项集体决策制度执行不严格。", "公务接待管理不规范，存在接待清单填写不全的情况。",
        "防止返贫动态监测帮扶机制落实不够到位。", "“三会一课”制度落实不严格，组织生活会质量不高。",
        "集体资产发包程序不规范，合同期限过长。", "涉农补贴资金未按规定及时拨付到户。",
        "年轻干部培养使用力度不够，干部队伍年龄结构不合理。", "安全生产隐患排查整治不彻底，台账不完整。",
    ]
    static let categories = ["B4", "A1", "A4", "B2", "A2", "C3", "B4", "B5", "C4", "A2"]

    static func run(dataDirectory: String, problems target: Int, counties: Int = 1, rounds: Int = 5, logger: Logger)
        async throws -> Result
    {
        let store = try Commands.openStore(dataDirectory: dataDirectory, logger: logger)
        do {
            let result = try await measure(
                store: store, target: target, counties: counties, rounds: rounds, logger: logger)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    static func measure(store: Store, target: Int, counties: Int, rounds: Int, logger: Logger) async throws -> Result {
        try await store.migrate()
        let started = ContinuousClock.now
        let admin = try await seed(store, target: target, counties: counties)
        let seedSeconds =
            Double((ContinuousClock.now - started).components.attoseconds) / 1e18
            + Double((ContinuousClock.now - started).components.seconds)
        let app = try await Application.make(Environment(name: "production", arguments: ["zhenggai"]))
        app.logger.logLevel = .warning
        ZhenggaiApp.configure(
            app, settings: AppConfiguration(store: store.configuration, bcryptCost: 4), store: store)
        do {
            try await app.asyncBoot()
            let token = try await store.createSession(userID: admin.id, kind: "bench", lifetime: 3600).token
            let total = try await store.counts(LedgerFilter(scope: .everything), today: store.clock.today()).total
            let lastPage = max(1, total / 50)
            let queries = [
                ("首页（第1页）", "/ledger"), ("末页", "/ledger?page=\(lastPage)"), ("中间页", "/ledger?page=\(lastPage / 2)"),
                ("按类别", "/ledger?category=B4"), ("按状态", "/ledger?status=open"), ("只看逾期", "/ledger?overdue=1"),
                ("全文搜索", "/ledger?q=%E7%99%BD%E6%9D%A1"), ("按时限排序", "/ledger?sort=deadline"),
                // 白条 is in a tenth of the seeded problems; a problem's own words are in one.
                ("全文搜索（少见词）", "/ledger?q=" + "第4321项".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
                ("统计（全部单位）", "/api/v1/counts"),
            ]
            var samples: [String: [Double]] = [:]
            // A progress entry before every timed request: each one then finds nothing kept (the pages are kept
            // under the change stamp, which every write raises), so this times the work, not the cache.
            var open = LedgerFilter(scope: .everything)
            open.statuses = [.open]
            let task = try await store.ledger(open, paging: try Paging(perPage: 1), today: store.clock.today())
                .rows.first?.tasks.first
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: (SessionCookie.name, .init(string: token)))
            for round in 0...rounds {
                for (name, path) in queries {
                    if let task {
                        _ = try await store.addProgress(
                            taskID: task.id, date: store.clock.today(), text: "基准测试：第\(round)轮。", by: AuditActor(admin))
                    }
                    let request = Request(
                        application: app, method: .GET, url: URI(string: path), headers: headers,
                        on: app.eventLoopGroup.any())
                    let begin = ContinuousClock.now
                    let response = try await app.responder.respond(to: request).get()
                    let elapsed = ContinuousClock.now - begin
                    guard response.status == .ok else {
                        throw CommandError("基准测试请求 \(path) 返回 \(response.status.code)")
                    }
                    // The first round warms caches and is not counted.
                    if round > 0 {
                        samples[name, default: []].append(
                            Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                    }
                }
            }
            try await app.asyncShutdown()
            return Result(problems: total, seedSeconds: seedSeconds, samples: samples)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// A county with ten townships of five villages each (or, with `units`, as many townships of fifty
    /// villages as make that many units), a clerk and a secretary per township, one inspection source per
    /// township, and problems spread over them with one task each; reuses what an earlier run left in the
    /// same folder. With `counties`, as many such counties side by side (a province's worth at 1,000,000
    /// problems: twenty counties of 50,000), the administrator over all of them.
    static func seed(_ store: Store, target: Int, units: Int = 61, counties: Int = 1) async throws -> User {
        let actor = AuditActor.commandLine
        if let admin = try await store.users(in: .everything).first(where: { $0.username == "bench_admin" }) {
            let existing = try await store.counts(LedgerFilter(scope: .everything), today: store.clock.today()).total
            if existing >= target { return admin }
        }
        guard try await store.unitCount() == 0 else {
            throw CommandError("基准测试须使用新的空数据目录（或上次基准测试留下的目录）。")
        }
        return try await seedFresh(store, target: target, units: units, counties: counties, actor: actor)
    }

    static func seedFresh(_ store: Store, target: Int, units: Int, counties: Int = 1, actor: AuditActor) async throws
        -> User
    {
        var countyNodes: [UnitNode] = []
        for c in 1...max(1, counties) {
            countyNodes.append(
                try await store.createUnit(
                    name: c == 1 ? "基准测试县" : "基准测试\(c)县", kind: .county, parentID: nil, by: actor))
        }
        let admin = try await store.createUser(
            username: "bench_admin", displayName: "基准管理员",
            passwordHash: try Passwords.hash(Passwords.random(), cost: 4),
            grants: countyNodes.map { NewGrant(role: .admin, unitID: $0.id) }, by: actor)
        let today = store.clock.today()
        var sources: [(Source, [UnitNode])] = []
        let (townships, villagesEach) = units <= 61 ? (10, 5) : (max(10, units / 50), units / max(10, units / 50) - 1)
        let hash = try Passwords.hash(Passwords.random(), cost: 4)
        for (c, county) in countyNodes.enumerated() {
            // The first county keeps the names an earlier single-county run used.
            let prefix = c == 0 ? "" : "\(c + 1)_"
            for t in 1...townships {
                let township = try await store.createUnit(
                    name: "第\(t)镇", kind: .township, parentID: county.id, by: actor)
                for role in [Role.clerk, .secretary] {
                    _ = try await store.createUser(
                        username: "bench_\(role.rawValue)_\(prefix)\(t)", displayName: "第\(t)镇\(role.label)",
                        passwordHash: hash, grants: [NewGrant(role: role, unitID: township.id)], by: actor)
                }
                var villages = [township]
                for v in 1...villagesEach {
                    villages.append(
                        try await store.createUnit(
                            name: "第\(t)镇\(v)村", kind: .village, parentID: township.id, by: actor))
                }
                let source = try await store.createSource(
                    NewSource(
                        kind: .inspection, title: "\(county.name)委第\(t % 4 + 1)巡察组对第\(t)镇巡察反馈意见",
                        issuer: "\(county.name)委第\(t % 4 + 1)巡察组", round: t % 3 + 1, unitID: township.id,
                        feedbackDate: today.adding(days: -90)),
                    by: actor)
                sources.append((source, villages))
            }
        }
        let batch = 1_000
        var made = 0
        while made < target {
            let count = min(batch, target - made)
            let items = (0..<count).map { offset -> (problem: NewProblem, tasks: [TaskFields]) in
                let n = made + offset
                let (source, villages) = sources[n % sources.count]
                let kind: RectificationKind = n % 10 == 0 ? .ongoing : (n % 10 == 1 ? .immediate : .scheduled)
                return (
                    NewProblem(
                        sourceID: source.id, unitID: villages[n % villages.count].id,
                        text: "\(texts[n % texts.count])（第\(n + 1)项）", outlinePath: ["二、问题"],
                        categoryCode: categories[n % categories.count]),
                    [
                        TaskFields(
                            measure: "制定整改方案，明确责任人和完成时限，建立长效机制。", kind: kind, leaderID: nil,
                            leadUnit: "党政办", assignee: "经办人",
                            deadline: kind == .ongoing ? nil : today.adding(days: n % 120 - 30))
                    ]
                )
            }
            _ = try await store.createProblems(items, by: actor)
            made += count
            if made % 50_000 == 0 { FileHandle.standardError.write(Data("已生成 \(made) 个问题\n".utf8)) }
        }
        return admin
    }
}
