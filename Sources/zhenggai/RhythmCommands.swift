import ArgumentParser
import Foundation
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "工作日日历（国务院办公厅节假日安排；管理员可录入下一年或更正）",
        subcommands: [Days.self, AddWorkdays.self, Set.self, Year.self])

    static func date(_ text: String, _ what: String) throws -> LocalDate {
        guard let day = LocalDate(iso: text) else { throw ValidationError("\(what)应为 YYYY-MM-DD：\(text)") }
        return day
    }

    /// A count across a year without a notice is a guess: said on standard error, every time.
    static func warnUncovered(_ calendar: ChinaCalendar, _ start: LocalDate, _ end: LocalDate) {
        let years = calendar.uncoveredYears(from: start, to: end)
        guard !years.isEmpty else { return }
        FileHandle.standardError.write(
            Data(
                "注意：\(years.map(String.init).joined(separator: "、")) 年的节假日安排尚未录入，这些年份按周一至周五上班计算。\n"
                    .utf8))
    }

    struct Days: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出每一天是否工作日")
        @Option(help: "起始日期 YYYY-MM-DD") var from: String
        @Option(help: "结束日期 YYYY-MM-DD（含）") var to: String
        @Flag(help: "每天一行 JSON：{\"date\", \"workday\", \"name\"}") var json = false
        @OptionGroup var options: DataOption

        func run() async throws {
            let start = try CalendarCommand.date(from, "--from ")
            let end = try CalendarCommand.date(to, "--to ")
            guard start <= end else { throw ValidationError("--from 不能晚于 --to") }
            guard end.year - start.year <= 100 else { throw ValidationError("一次最多列出 100 年") }
            let calendar = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await store.calendar()
                }
            }
            CalendarCommand.warnUncovered(calendar, start, end)
            var output = ""
            var day = start
            while day <= end {
                let (workday, name) = calendar.describe(day)
                if json {
                    output +=
                        "{\"date\": \"\(day.iso)\", \"workday\": \(workday), \"name\": "
                        + (name.map { "\"\(Self.escaped($0))\"" } ?? "null") + "}\n"
                } else {
                    output += "\(day.iso)\t\(workday ? "工作日" : "休息日")\(name.map { "\t\($0)" } ?? "")\n"
                }
                if output.utf8.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(output.utf8))
                    output = ""
                }
                day = day.adding(days: 1)
            }
            FileHandle.standardOutput.write(Data(output.utf8))
        }

        static func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
    }

    struct AddWorkdays: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-workdays", abstract: "某日之后第 N 个工作日（如整改方案“15个工作日内”）")
        @Argument(help: "起始日期 YYYY-MM-DD") var date: String
        @Argument(help: "工作日数") var count: Int
        @OptionGroup var options: DataOption

        func run() async throws {
            let start = try CalendarCommand.date(date, "")
            guard (0...3_650).contains(count) else { throw ValidationError("工作日数应在 0 到 3650 之间") }
            let calendar = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await store.calendar()
                }
            }
            let end = calendar.adding(workdays: count, to: start)
            CalendarCommand.warnUncovered(calendar, start, end)
            print(end.iso)
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "录入或更正一天：workday（上班，含调休）或 holiday（放假）")
        @Argument(help: "日期 YYYY-MM-DD") var date: String
        @Argument(help: "workday 或 holiday") var kind: String
        @Argument(help: "名称，如 春节、国庆节调休") var name: String?
        @OptionGroup var options: DataOption

        func run() async throws {
            let day = try CalendarCommand.date(date, "")
            guard kind == "workday" || kind == "holiday" else { throw ValidationError("类别应为 workday 或 holiday") }
            let workday = kind == "workday"
            try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await store.setCalendarDay(day, workday: workday, name: name, by: .commandLine)
                }
            }
            print("已设置 \(day.iso) 为\(workday ? "工作日" : "休息日")\(name.map { "（\($0)）" } ?? "")。")
        }
    }

    struct Year: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "查看各年节假日安排是否已录入；--complete 确认某年已按通知录入完整")
        @Argument(help: "年份，如 2027") var year: Int?
        @Flag(help: "确认该年已全部录入") var complete = false
        @OptionGroup var options: DataOption

        func run() async throws {
            let (year, complete) = (year, complete)
            if complete && year == nil { throw ValidationError("--complete 需要指定年份") }
            let calendar = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    if complete, let year { try await store.confirmCalendarYear(year, by: .commandLine) }
                    return try await store.calendar()
                }
            }
            let years = year.map { [$0] } ?? Array(calendar.coveredYears.sorted())
            for value in years {
                print("\(value)\t\(calendar.covers(year: value) ? "已录入" : "未录入（按周一至周五上班计算）")")
            }
        }
    }
}

struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel", abstract: "提醒渠道：企业微信、钉钉群机器人，电子邮件",
        subcommands: [Add.self, List.self, Test.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "为单位新增群机器人或邮件收件人")
        @Option(help: "单位（名称或编号）") var unit: String
        @Option(help: "wecom（企业微信）、dingtalk（钉钉）或 email（电子邮件）") var kind: String
        @Option(help: "机器人的 Webhook 地址（wecom、dingtalk）") var webhook: String?
        @Option(help: "钉钉“加签”密钥") var secret: String?
        @Option(help: "收件邮箱，多个以逗号分隔（email；邮件服务器见 ZHENGGAI_SMTP_URL）") var to: String?
        @OptionGroup var options: DataOption

        func run() async throws {
            guard let kind = MessageChannel.Kind(rawValue: kind) else {
                throw ValidationError("--kind 应为 wecom、dingtalk 或 email")
            }
            let target: String
            switch (kind, webhook, to) {
            case (.email, nil, let to?): target = to
            case (.email, _, _): throw ValidationError("邮件渠道请用 --to 指定收件邮箱（不用 --webhook）")
            case (_, let webhook?, nil): target = webhook
            default: throw ValidationError("群机器人请用 --webhook 指定地址（--to 只用于 email）")
            }
            let (unit, secret) = (unit, secret)
            let channel = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let node = try await store.unit(named: unit)
                    return try await store.addChannel(
                        unitID: node.id, kind: kind, target: target, secret: secret, by: .commandLine)
                }
            }
            print("已新增提醒渠道 \(channel.id.uuidString)（\(channel.unitName)，\(channel.kind.label)）")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出提醒渠道")
        @OptionGroup var options: DataOption

        func run() async throws {
            let channels = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await store.channels(in: .everything)
                }
            }
            for channel in channels {
                print(
                    "\(channel.id.uuidString)\t\(channel.unitName)\t\(channel.kind.label)\t\(channel.destination)"
                        + "\t\(channel.active ? "启用" : "已停用")")
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "向渠道发送一条测试消息并报告结果")
        @Argument(help: "渠道编号（见 zhenggai channel list）") var id: String
        @OptionGroup var options: DataOption

        func run() async throws {
            guard let channelID = UUID(uuidString: id) else { throw ValidationError("渠道编号格式不对：\(id)") }
            let delivery = try await Zhenggai.run {
                let mail = try AppConfiguration.load(
                    dataDirectory: options.data, environment: ProcessInfo.processInfo.environment
                ).mail
                return try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let channel = try await store.channel(channelID)
                    try await Reminders.test(channel, store: store, by: "命令行", mail: mail)
                    return try await store.deliveries(of: channelID, limit: 1).first
                }
            }
            if delivery?.status == .sent {
                print("测试消息已发送。")
            } else {
                print("测试消息未送达：\(delivery?.lastError ?? "未知原因")（稍后会自动重试）")
                throw ExitCode.failure
            }
        }
    }
}
