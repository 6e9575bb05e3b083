import ArgumentParser
import Foundation
import Logging
import ZhenggaiCore
import ZhenggaiServer
import ZhenggaiStore

@main
struct Zhenggai: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zhenggai",
        abstract: "政改：巡察整改闭环管理",
        subcommands: [
            Serve.self, UnitCommand.self, UserCommand.self, AuditCommand.self, Backup.self, DemoCommand.self,
            BenchCommand.self,
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
    {
        FileHandle.standardError.write(Data("错误：\(error.description)\n".utf8))
        throw ExitCode.failure
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "启动网页和接口服务")
    @Option var host = "127.0.0.1"
    @Option var port = 8080
    @OptionGroup var options: DataOption

    func run() async throws {
        var logger = Logger(label: "zhenggai")
        logger.logLevel =
            ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        try await Zhenggai.run {
            try await Commands.serve(host: host, port: port, dataDirectory: options.data, logger: logger)
        }
    }
}

extension Zhenggai {
    static func run<T>(_ body: () async throws -> T) async throws -> T { try await runReportingErrors(body) }
}

struct UnitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unit", abstract: "管理单位", subcommands: [Add.self])

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
    static let configuration = CommandConfiguration(commandName: "user", abstract: "管理用户", subcommands: [Add.self])

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

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "基准测试（请用 release 构建：swift build -c release）", subcommands: [Ledger.self])

    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "生成大量问题并测量台账页面的服务端耗时")
        @Option(help: "问题数") var problems = 100_000
        @Option(help: "每个页面测量的轮数") var rounds = 20
        @OptionGroup var options: DataOption

        func run() async throws {
            let result = try await Zhenggai.run {
                try await LedgerBenchmark.run(
                    dataDirectory: options.data, problems: problems, rounds: rounds, logger: commandLogger())
            }
            print(result.description)
        }
    }
}
