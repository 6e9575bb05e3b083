import ArgumentParser
import Foundation
import Logging
import ZhenggaiCore
import ZhenggaiDemo
import ZhenggaiServer
import ZhenggaiServices
import ZhenggaiStore
import ZhenggaiText

@main
struct Zhenggai: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zhenggai",
        abstract: "政改：巡察整改闭环管理",
        subcommands: [
            Serve.self, UnitCommand.self, UserCommand.self, AuditCommand.self, Backup.self, DemoCommand.self,
            JobsCommand.self, ParseCommand.self, EvalCommand.self, SimilarCommand.self, ClustersCommand.self,
            ExportCommand.self, ImportCommand.self, ReportCommand.self, CalendarCommand.self, ChannelCommand.self,
            PublishCommand.self,
            PublicationsCommand.self, Open311Command.self,
        ]
    )
}

struct DataOption: ParsableArguments {
    @Option(name: .long, help: "数据目录（SQLite 数据库和佐证材料）")
    var data: String = "zhenggai-data"
}

func commandLogger() -> Logger {
    var logger = Logger(label: "zhenggai")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
    return logger
}

/// Errors the user can act on print their Chinese sentence and exit 1, not a stack of Swift types.
func runReportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as any CustomStringConvertible
        where error is StoreError || error is CommandError
        || error is PasswordError || error is Demo.DemoError || error is StoreOpenError
        || error is DocumentReading.ReadError || error is ConfigurationError
    {
        FileHandle.standardError.write(Data("错误：\(error.description)\n".utf8))
        throw ExitCode.failure
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "启动网页和接口服务")
    @Option(help: "监听地址") var host = "127.0.0.1"
    @Option(help: "端口") var port = 8080
    @Option(help: "县（市、区）名称：首次启动时建立的顶级单位名称（以后可用 unit rename 修改）") var county: String?
    @OptionGroup var options: DataOption

    func run() async throws {
        try await Zhenggai.run {
            let configuration = try AppConfiguration.load(
                host: host, port: port, dataDirectory: options.data, environment: ProcessInfo.processInfo.environment)
            var logger = Logger(label: "zhenggai")
            logger.logLevel = configuration.logLevel
            var name = county?.trimmingCharacters(in: .whitespaces)
            if name == nil, isatty(STDIN_FILENO) == 1, !FileManager.default.fileExists(atPath: options.data) {
                // A person starting the system by hand for the first time is asked; a service manager is not.
                FileHandle.standardOutput.write(Data("首次启动：请输入本县（市、区）名称（直接回车则暂用「本县」）：".utf8))
                name = readLine()?.trimmingCharacters(in: .whitespaces)
            }
            try await ZhenggaiApp.serve(configuration, county: name.flatMap { $0.isEmpty ? nil : $0 }, logger: logger)
        }
    }
}

extension Zhenggai {
    static func run<T>(_ body: () async throws -> T) async throws -> T { try await runReportingErrors(body) }
}

struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit", abstract: "管理单位",
        subcommands: [Add.self, Rename.self, Move.self, Retire.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "新增单位")
        @Argument(help: "单位名称") var name: String
        @Option(help: "上级单位（名称或编号）") var parent: String?
        @Option(help: "类型：county, township, department, village, community（默认按上级推断）") var kind: String?
        @OptionGroup var options: DataOption

        func run() async throws {
            let kind: UnitKind?
            if let raw = self.kind {
                guard let parsed = UnitKind(rawValue: raw) else { throw ValidationError("未知的单位类型：\(raw)") }
                kind = parsed
            } else {
                kind = nil
            }
            let unit = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await Commands.addUnit(name: name, kind: kind, parent: parent, store: store)
                }
            }
            print("已新增单位「\(unit.name)」（\(unit.kind.label)），编号 \(unit.id.uuidString)")
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "管理用户",
        subcommands: [Add.self, Deactivate.self, Activate.self, Passwd.self, Grant.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "新增用户；密码从标准输入读取")
        @Argument(help: "用户名（登录名）") var name: String
        @Option(help: "角色：admin, inspector, supervisor, secretary, leader, clerk") var role: String
        @Option(help: "所在单位（名称或编号）") var unit: String
        @Option(name: .customLong("display-name"), help: "姓名（默认同用户名）") var displayName: String?
        @Flag(name: .customLong("password-stdin"), help: "从标准输入读取密码（必需：密码不得出现在命令行上）")
        var passwordStdin = false
        @OptionGroup var options: DataOption

        func run() async throws {
            guard passwordStdin else { throw ValidationError("请用 --password-stdin 从标准输入提供密码。") }
            guard let role = Role(rawValue: role) else { throw ValidationError("未知的角色：\(role)") }
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let password = String(decoding: input, as: UTF8.self).trimmingCharacters(in: .newlines)
            let user = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await Commands.addUser(
                        username: name, displayName: displayName, role: role, unit: unit, password: password,
                        store: store)
                }
            }
            print("已新增用户 \(user.username)（\(role.label)，\(user.grants.first?.unitName ?? "")）")
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "审计日志", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "校验审计日志哈希链；被篡改时以非零状态退出")
        @OptionGroup var options: DataOption

        func run() async throws {
            let result = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await store.verifyAudit()
                }
            }
            print(result.description)
            if !result.isIntact { throw ExitCode(2) }
        }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "在线备份（SQLite 数据库与佐证材料，写成一个文件）")
    @Argument(help: "备份文件路径") var file: String
    @OptionGroup var options: DataOption

    func run() async throws {
        let target = URL(fileURLWithPath: file)
        let result = try await Zhenggai.run {
            try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                try await store.backup(to: target)
            }
        }
        print("备份完成：\(target.path)（\(result.bytes / 1024) KB，含佐证材料 \(result.evidenceFiles) 个）")
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "生成演示数据（示范县）")
    @OptionGroup var options: DataOption
    @Option(help: "所有演示账号使用同一密码（供脚本使用；默认每个账号随机）") var password: String?

    func run() async throws {
        let accounts = try await Zhenggai.run {
            try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                try await Demo.load(into: store, password: password)
            }
        }
        print("演示数据已写入 \(options.data)。账号（密码只显示这一次）：")
        for account in accounts {
            print(
                "  \(account.username)\t\(account.displayName)\t\(account.role.label)\t\(account.unitName)\t\(account.password)"
            )
        }
        print("启动：zhenggai serve --data \(options.data)")
    }
}

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "后台任务：列出，或立即运行一次（可由 cron 调用；与 serve 同时运行也不会重复执行）",
        subcommands: [List.self, Run.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出后台任务及其上次运行情况")
        @OptionGroup var options: DataOption

        func run() async throws {
            let runs = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await store.jobRuns()
                }
            }
            for job in Jobs.all {
                let run = runs.first { $0.name == job.name }
                let last =
                    run?.lastFinished.map {
                        "上次 \(Self.format($0))，\(run?.lastStatus == "ok" ? "成功" : "失败")：\(run?.lastMessage ?? "")"
                    } ?? "尚未运行"
                print("\(job.name)\t\(job.label)\t每 \(Int(job.interval / 60)) 分钟\t\(last)")
            }
        }

        static func format(_ date: Date) -> String {
            var style = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            style = style.dateSeparator(.dash).timeSeparator(.colon)
            return String(style.format(date).prefix(19)).replacingOccurrences(of: "T", with: " ")
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "立即运行一个后台任务")
        @Argument(help: "任务名（见 zhenggai jobs list）") var name: String
        @Option(help: "按哪一天运行 YYYY-MM-DD（补跑停机期间的任务；默认今天）") var date: String?
        @OptionGroup var options: DataOption

        func run() async throws {
            guard let job = Jobs.named(name) else {
                throw ValidationError("没有名为「\(name)」的后台任务；可用：\(Jobs.all.map(\.name).joined(separator: "、"))")
            }
            var parsed: LocalDate?
            if let date {
                guard let value = LocalDate(iso: date) else { throw ValidationError("日期应为 YYYY-MM-DD：\(date)") }
                parsed = value
            }
            let day = parsed
            let outcome = try await Zhenggai.run {
                let settings = try AppConfiguration.load(
                    dataDirectory: options.data, environment: ProcessInfo.processInfo.environment)
                return try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await Jobs.run(
                        job, store: store, logger: commandLogger(), day: day, force: true,
                        holder: "command-line:\(ProcessInfo.processInfo.processIdentifier)",
                        publicURL: settings.publicURL, mail: settings.mail)
                }
            }
            switch outcome {
            case .ran(let summary): print("\(job.name)：\(summary)")
            case .skipped:
                print("\(job.name)：另一个进程正在运行该任务，本次未运行。")
                throw ExitCode(3)
            case .failed(let message):
                FileHandle.standardError.write(Data("错误：\(job.name) 运行失败：\(message)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}

struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "读取反馈意见、自查报告等文件（.docx 或各种编码的文本；- 表示标准输入），列出大纲和问题")
    @Argument(help: "文件路径，或 - 表示标准输入") var file: String
    @Flag(help: "输出 JSON") var json = false

    func run() async throws {
        let document = try await Zhenggai.run {
            let input = try DocumentReading.read(path: file)
            return try DocumentReading.parse(data: input.data, fileName: input.name)
        }
        if json {
            FileHandle.standardOutput.write(document.jsonData(prettyPrinted: true))
            print()
        } else {
            print(document.summary())
        }
    }
}

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "用带标注的文件夹评测文件解析：召回率、准确率、类别一致率")
    @Argument(help: "评测文件夹（如 eval/）") var directory: String

    func run() async throws {
        let report = try await Zhenggai.run {
            try DocumentReading.evaluate(directory: URL(fileURLWithPath: directory, isDirectory: true))
        }
        print(report.description)
    }
}

struct SimilarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar", abstract: "查找与一段问题描述相似的既往问题（本单位优先，其次同一上级单位，再次其他单位）")
    @Argument(help: "问题描述") var text: String
    @Option(help: "所属单位（名称或编号），用于按本单位、上级单位排序") var unit: String?
    @Option(help: "最多列出几条") var top = 10
    @Flag(help: "输出 JSON") var json = false
    @OptionGroup var options: DataOption

    struct Row: Encodable {
        var number: String
        var score: Double
        var scope: String
        var unit: String
        var source: String
        var status: String
        var text: String
        var shared: [String]
    }

    func run() async throws {
        let rows = try await Zhenggai.run {
            try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                var unitID: UUID?
                if let unit { unitID = try await store.unit(named: unit).id }
                let found = try await SimilarityService(store: store).search(
                    text, unitID: unitID, scope: .everything, limit: top)
                return found.map {
                    Row(
                        number: $0.match.number, score: ($0.score * 1000).rounded() / 1000,
                        scope: $0.recurrence ? "本单位（已销号，疑似屡改屡犯）" : ["本单位", "同一上级单位", "其他单位"][$0.tier.rawValue],
                        unit: $0.match.unitName, source: $0.source?.title ?? "", status: $0.match.statusLabel,
                        text: $0.match.text, shared: $0.explanation.phrases.prefix(6).map(\.text))
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(rows))
            print()
            return
        }
        if rows.isEmpty { print("没有找到相似的问题。") }
        for row in rows {
            print("\(String(format: "%.2f", row.score))  \(row.number)  \(row.scope)  \(row.unit)  \(row.status)")
            print("      \(row.text)")
            print("      共有：\(row.shared.joined(separator: "、"))")
        }
    }
}

struct ClustersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters", abstract: "列出共性问题：多个单位反映的相似问题")
    @Option(help: "起始日期 YYYY-MM-DD（默认两年前）") var since: String?
    @Option(name: .customLong("min-units"), help: "至少涉及几个单位") var minUnits = 3
    @Flag(help: "输出 JSON") var json = false
    @OptionGroup var options: DataOption

    func run() async throws {
        var day: LocalDate?
        if let since {
            guard let parsed = LocalDate(iso: since) else { throw ValidationError("日期应为 YYYY-MM-DD：\(since)") }
            day = parsed
        }
        let sinceDate = day?.date.addingTimeInterval(-12 * 3600)
        let (clusters, names, texts) = try await Zhenggai.run {
            try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                let service = SimilarityService(store: store)
                let since = sinceDate ?? store.clock.today().adding(months: -24).date
                let clusters = try await service.clusters(scope: .everything, since: since, minimumUnits: minUnits)
                var names: [String: String] = [:]
                for unit in Set(clusters.flatMap(\.units)) { names[unit] = await service.unitName(unit) }
                let problems = try await store.problems(clusters.flatMap(\.members).compactMap(UUID.init(uuidString:)))
                let texts = Dictionary(uniqueKeysWithValues: problems.map { ($0.id.uuidString, ($0.number, $0.text)) })
                return (clusters, names, texts)
            }
        }
        if json {
            struct Cluster: Encodable {
                var units: [String]
                var rounds: [String]
                var problems: [String]
                var text: String
                var commonPhrases: [String]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let out = clusters.map { c in
                Cluster(
                    units: c.units.map { names[$0] ?? $0 }, rounds: c.rounds,
                    problems: c.members.compactMap { texts[$0]?.0 }, text: texts[c.representative]?.1 ?? "",
                    commonPhrases: c.commonPhrases)
            }
            FileHandle.standardOutput.write(try encoder.encode(out))
            print()
            return
        }
        if clusters.isEmpty { print("没有涉及 \(minUnits) 个以上单位的共性问题。") }
        for c in clusters {
            print(
                "\(c.units.count) 个单位 · \(c.rounds.count) 个轮次 · \(c.members.count) 个问题：\(texts[c.representative]?.1 ?? "")"
            )
            print("      单位：\(c.units.map { names[$0] ?? $0 }.sorted().joined(separator: "、"))")
            print("      问题：\(c.members.compactMap { texts[$0]?.0 }.joined(separator: " "))")
        }
    }
}
