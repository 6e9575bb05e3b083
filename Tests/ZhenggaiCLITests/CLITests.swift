import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The `zhenggai` binary as a user runs it: each command's whole output and exit code. Ids, sizes and
/// timings vary between runs and are replaced by placeholders before comparing.
@Suite(.serialized) struct CLITests {
    struct Run {
        var status: Int32
        var out: String
        var err: String
        /// Standard output before ids became placeholders, for a command that needs the id printed.
        var rawOut = ""
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The binary next to the test bundle (swift test builds it, this target depends on it).
    static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [
            bundle.appendingPathComponent("zhenggai"),
            bundle.deletingLastPathComponent().appendingPathComponent("zhenggai"),
            root.appendingPathComponent(".build/debug/zhenggai"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], in folder: URL
    ) throws -> Run {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["DATABASE_URL"] = nil  // the CLI tests run on the data folder's SQLite file
        env["LOG_LEVEL"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, out: normalized(String(decoding: outData, as: UTF8.self)),
            err: normalized(String(decoding: errData, as: UTF8.self)), rawOut: String(decoding: outData, as: UTF8.self))
    }

    /// Ids, durations and sizes become placeholders.
    static func normalized(_ text: String) -> String {
        var text = text
        let patterns = [
            (#"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}"#, "<id>"),
            (#"用时 \d+ ms"#, "用时 <n> ms"), (#"\d+ KB"#, "<n> KB"),
        ]
        for (pattern, replacement) in patterns {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zhenggai-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func setUpACountyFromTheCommandLine() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var run = try Self.run(["unit", "add", "清河县"], in: folder)
        #expect(run.status == 0)
        #expect(run.out == "已新增单位「清河县」（县（市、区）），编号 <id>\n")
        run = try Self.run(["unit", "add", "青山镇", "--parent", "清河县"], in: folder)
        #expect(run.out == "已新增单位「青山镇」（乡镇（街道）），编号 <id>\n")
        run = try Self.run(["unit", "add", "石门村", "--parent", "不存在"], in: folder)
        #expect(run.status == 1)
        #expect(run.out == "")
        #expect(run.err == "错误：找不到该单位「不存在」，可能已被删除或编号有误。\n")

        run = try Self.run(
            ["user", "add", "qs", "--role", "clerk", "--unit", "青山镇", "--password-stdin", "--display-name", "张经办"],
            stdin: "Secret-2026x\n", in: folder)
        #expect(run.status == 0)
        #expect(run.out == "已新增用户 qs（经办人，青山镇）\n")
        run = try Self.run(["user", "add", "qs2", "--role", "clerk", "--unit", "青山镇"], in: folder)
        #expect(run.status == 64)
        #expect(run.err.hasPrefix("Error: 请用 --password-stdin 从标准输入提供密码。\n"))
        run = try Self.run(
            ["user", "add", "qs3", "--role", "clerk", "--unit", "青山镇", "--password-stdin"], stdin: "short", in: folder)
        #expect(run.status == 1)
        #expect(run.err.hasPrefix("错误：密码"))

        run = try Self.run(["audit", "verify"], in: folder)
        #expect(run.status == 0)
        // Two units, the user, and the person the user is.
        #expect(run.out == "审计日志完整：共 4 条，哈希链校验通过。\n")

        run = try Self.run(["jobs", "list"], in: folder)
        #expect(
            run.out
                == """
                purge-sessions\t清理过期会话和登录记录\t每 60 分钟\t尚未运行
                reminders\t每个工作日上午发送整改提醒（站内信、企业微信、钉钉、电子邮件）\t每 10 分钟\t尚未运行
                period-reports\t周调度、月督查、季通报：结束的期间定格数据\t每 60 分钟\t尚未运行

                """)
        run = try Self.run(["jobs", "run", "purge-sessions"], in: folder)
        #expect(run.status == 0)
        #expect(run.out == "purge-sessions：删除过期会话 0 个、90 天前的登录记录 0 条\n")
        run = try Self.run(["jobs", "run", "nope"], in: folder)
        #expect(run.status == 64)
        #expect(run.err.hasPrefix("Error: 没有名为「nope」的后台任务；可用：purge-sessions、reminders、period-reports\n"))

        // An e-mail channel: recipients checked, listed; a test without a mail server says what is missing.
        run = try Self.run(
            ["channel", "add", "--unit", "青山镇", "--kind", "email", "--webhook", "https://x.example.cn/"], in: folder)
        #expect(run.status == 64)
        #expect(run.err.contains("邮件渠道请用 --to 指定收件邮箱"))
        run = try Self.run(["channel", "add", "--unit", "青山镇", "--kind", "email", "--to", "dzb"], in: folder)
        #expect(run.status == 1)
        #expect(run.err.contains("“dzb”不是有效的邮箱地址"))
        run = try Self.run(
            ["channel", "add", "--unit", "青山镇", "--kind", "email", "--to", "dzb@qs.example.cn;zhen@qs.example.cn"],
            in: folder)
        #expect(run.status == 0)
        #expect(run.out.hasSuffix("（青山镇，电子邮件）\n"))
        let channelID = String(run.rawOut.dropFirst("已新增提醒渠道 ".count).prefix(36))
        run = try Self.run(["channel", "list"], in: folder)
        #expect(run.out == "<id>\t青山镇\t电子邮件\tdzb@qs.example.cn, zhen@qs.example.cn\t启用\n")
        run = try Self.run(["channel", "test", channelID], in: folder)
        #expect(run.status == 1)
        #expect(run.out.contains("测试消息未送达：未配置邮件服务器（ZHENGGAI_SMTP_URL、ZHENGGAI_SMTP_FROM）"), "\(run.out)")

        // A 12345 sheet (GBK) before the desk is set up: each row says what is missing, nothing is stored.
        let sheet = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../ZhenggaiServerTests/Fixtures/12345/工单导出.csv").standardized.path
        run = try Self.run(["import", "appeals", sheet, "--dry-run"], in: folder)
        #expect(run.status == 1)
        #expect(run.out.contains("第 2 行  GD20261101001  石门村垃圾池三天没人清运，环境卫生差  问题：所属区域「石门村」不在系统中"), "\(run.out)")
        #expect(run.out.hasSuffix("有 3 行存在问题，未保存。\n"))

        run = try Self.run(["backup", "backup.sqlite"], in: folder)
        #expect(run.status == 0)
        let backup = Self.normalized(folder.appendingPathComponent("backup.sqlite").path)
        #expect(run.out == "备份完成：\(backup)（<n> KB，含佐证材料 0 个）\n")
    }

    /// A county from the template and a township's own sheet: the dry run says what it would create, the
    /// same command without --dry-run does it.
    @Test func aCountysOrganisationAndATownshipsSheet() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var run = try Self.run(["import", "organisation", "模板.xlsx", "--template"], in: folder)
        #expect(run.status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("模板.xlsx").path))
        try """
        单位,上级单位,姓名,职务,角色,手机号,用户名
        清河县,,,,,,
        清河镇,清河县,王明,党委书记,党组织书记,,qh_wangming
        清河镇,清河县,李华,党政办主任,经办人,,qh_lihua
        """.write(to: folder.appendingPathComponent("单位.csv"), atomically: true, encoding: .utf8)
        run = try Self.run(["import", "organisation", "单位.csv"], in: folder)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("qh_lihua"))
        try """
        清河镇党委落实县委第三巡察组反馈意见整改台账
        序号,存在问题,整改措施,责任领导,责任单位,责任人,整改时限,整改情况,
        ,,,,,,,完成情况,完成时间
        1,村级财务管理不规范，部分村存在白条入账问题。,开展村级财务专项清理。,王明,镇财政所,李华,2026年12月31日前,已完成,2026年11月20日
        2,基层党组织“三会一课”制度落实不到位。,制定支部组织生活计划。,王明,党建办,陈刚,长期坚持,持续推进中,
        ,,,,,,,,
        注：本表由党政办汇总。,,,,,,,,
        """.write(to: folder.appendingPathComponent("台账.csv"), atomically: true, encoding: .utf8)
        run = try Self.run(["import", "ledger", "台账.csv", "--dry-run", "--feedback-date", "2026-10-15"], in: folder)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("提示：第 7 行是说明行（「注：本表由党政办汇总。」），未作为问题导入。"))
        #expect(run.out.contains("将新建来源：将新建来源「清河镇党委落实县委第三巡察组反馈意见」"))
        #expect(run.out.contains("反馈日期 2026年10月15日"))
        #expect(run.out.contains("将新建人员：陈刚（清河镇）"))
        #expect(run.out.contains("第 4 行：问题类别未填写，按内容建议为「"))
        #expect(run.out.hasSuffix("新增 2 个问题，更新 0 个，无变化 0 个，跳过 0 个。\n检查通过（--dry-run，未保存）。\n"))
        run = try Self.run(["import", "ledger", "台账.csv", "--feedback-date", "2026-10-15"], in: folder)
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("已新建人员：陈刚（清河镇）"))
        #expect(run.out.hasSuffix("已导入：新增问题 2 个、更新 0 个，新增任务 2 项、更新 0 项。\n"))
        run = try Self.run(["export", "ledger", "--out", "导出.csv"], in: folder)
        #expect(run.out.hasPrefix("已导出 2 个问题（2 行）"))
    }

    @Test func aBadSettingIsRefusedWithEveryProblemListed() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try Self.run(
            ["jobs", "list"],
            environment: ["ZHENGGAI_SECURE_COOKIES": "ture", "ZHENGGAI_EVIDENCE_LIMIT_MB": "0", "LOG_LEVEL": "loud"],
            in: folder)
        #expect(run.status == 1)
        #expect(
            run.err
                == """
                错误：配置有误：
                - ZHENGGAI_EVIDENCE_LIMIT_MB=0 应为 1 到 1024 之间的整数
                - LOG_LEVEL=loud 无法识别，应为 trace、debug、info、notice、warning、error 或 critical
                - ZHENGGAI_SECURE_COOKIES=ture 无法识别，应为 true 或 false

                """)
        // Nothing was opened: no database file was created.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("zhenggai-data").path))
    }

    @Test func theDemoCountyAndEveryCommandThatReadsIt() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var run = try Self.run(["demo", "--data", "demo", "--password", "Demo-2026-pass"], in: folder)
        #expect(run.status == 0)
        let lines = run.out.split(separator: "\n")
        #expect(lines.first == "演示数据已写入 demo。账号（密码只显示这一次）：")
        #expect(lines.contains("  qs_jingban\t张经办\t经办人\t青山镇\tDemo-2026-pass"))
        #expect(lines.last == "启动：zhenggai serve --data demo")
        run = try Self.run(["demo", "--data", "demo"], in: folder)
        #expect(run.status == 1)
        #expect(run.err == "错误：数据目录中已有用户，演示数据只能写入新的空数据目录（请用 --data 指定一个新目录）。\n")

        run = try Self.run(["similar", "村级财务管理不规范", "--data", "demo", "--json"], in: folder)
        #expect(run.status == 0)
        let matches = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [[String: Any]] ?? []
        #expect(!matches.isEmpty)
        #expect(matches.allSatisfy { ($0["text"] as? String)?.contains("财务") == true })

        run = try Self.run(["clusters", "--data", "demo", "--min-units", "3"], in: folder)
        #expect(run.status == 0)
        #expect(run.out.hasPrefix("3 个单位 · 1 个轮次 · 3 个问题："))

        run = try Self.run(["export", "ledger", "--out", "台账.csv", "--data", "demo"], in: folder)
        #expect(run.status == 0)
        let csv = Self.normalized(folder.appendingPathComponent("台账.csv").path)
        #expect(run.out == "已导出 18 个问题（18 行）到 \(csv)，<n> KB，用时 <n> ms\n")
        run = try Self.run(["import", "ledger", "台账.csv", "--dry-run", "--data", "demo"], in: folder)
        #expect(run.status == 0)
        #expect(run.out.hasSuffix("工作表「Sheet1」：新增 0 个问题，更新 0 个，无变化 18 个，跳过 0 个。\n检查通过（--dry-run，未保存）。\n"))

        run = try Self.run(["report", "progress", "--out", "报告.docx", "--data", "demo"], in: folder)
        #expect(run.status == 0)
        #expect(run.out.hasPrefix("已生成「"))
        let report = Self.normalized(folder.appendingPathComponent("报告.docx").path)
        #expect(run.out.hasSuffix("：\(report)（【待填写】处须由人补写）\n"))
        let docx = try Data(contentsOf: folder.appendingPathComponent("报告.docx"))
        #expect(docx.prefix(2) == Data("PK".utf8))

        run = try Self.run(["audit", "verify", "--data", "demo"], in: folder)
        #expect(run.status == 0)
        #expect(run.out.hasPrefix("审计日志完整：共 "))
    }

    @Test func parsingAndEvaluatingDocuments() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = Self.root.appendingPathComponent("eval/seeds/000_655dd0b7c3e12c0c.txt").path
        var run = try Self.run(["parse", seed], in: folder)
        #expect(run.status == 0)
        #expect(run.out.hasPrefix("标题：XX党委巡察自查报告\n类型：自查报告\n"))
        run = try Self.run(["parse", seed, "--json"], in: folder)
        let json = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any]
        #expect((json?["problems"] as? [Any])?.isEmpty == false)
        run = try Self.run(["parse", "missing.txt"], in: folder)
        #expect(run.status == 1)
        #expect(run.err.hasPrefix("错误："))
        #expect(run.err.contains("missing.txt"))
        run = try Self.run(["eval", Self.root.appendingPathComponent("eval").path], in: folder)
        #expect(run.status == 0)
        #expect(run.out.split(separator: "\n").last?.hasPrefix("合计：召回率 ") == true)
    }

    /// `serve` on a fresh folder: the first admin's password once, the address, a page, and a clean stop.
    @Test func serveStartsAnswersAndStops() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Int.random(in: 20_000..<40_000)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", String(port), "--data", "data"]
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        env["DATABASE_URL"] = nil
        env["LOG_LEVEL"] = "error"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("已启动") && Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let lines = text.split(separator: "\n")
        #expect(lines.first?.hasPrefix("首次启动：已创建管理员账号 admin，初始密码（只显示这一次，首次登录时须修改）：") == true)
        #expect(lines.contains { $0.hasPrefix("政改（Zhenggai）已启动：http://127.0.0.1:\(port)/") })
        let (page, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/login")!)
        #expect(String(decoding: page, as: UTF8.self).contains("用户名"))
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
