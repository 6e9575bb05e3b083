import ArgumentParser
import Foundation
import ZhenggaiCore
import ZhenggaiServer
import ZhenggaiServices
import ZhenggaiStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "导出数据", subcommands: [Ledger.self])

    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "导出整改台账（.xlsx；文件名以 .csv 结尾时导出 UTF-8 带 BOM 的 CSV）")
        @Option(help: "来源（编号前缀如 XC2026-3-01、完整名称或编号；默认全部来源）") var source: String?
        @Option(help: "单位（名称或编号；默认全县）") var unit: String?
        @Option(help: "输出文件，如 台账.xlsx 或 台账.csv") var out: String
        @OptionGroup var options: DataOption

        func run() async throws {
            let target = URL(fileURLWithPath: out)
            let summary = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await OfficeCommands.exportLedger(store: store, source: source, unit: unit, out: target)
                }
            }
            print(
                "已导出 \(summary.problems) 个问题（\(summary.rows) 行）到 \(target.path)，\(summary.bytes / 1024) KB，"
                    + "用时 \(Int(summary.milliseconds)) ms")
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "导入数据", subcommands: [Ledger.self, Organisation.self, Appeals.self])

    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入整改台账（.xlsx 或 .csv）：有问题编号的行更新原问题，没有的作为新问题录入 --source；全部成功才保存")
        @Argument(help: "台账文件") var file: String
        @Option(help: "新问题录入到哪个来源（编号前缀、完整名称或编号）") var source: String?
        @Flag(name: .customLong("dry-run"), help: "只检查并列出每行的问题，不保存") var dryRun = false
        @Option(name: .customLong("skip-rows"), help: "有意跳过的行号，逗号分隔，如 3,7") var skipRows: String?
        @Option(name: .customLong("feedback-date"), help: "按表中标题新建来源时的反馈日期，如 2026-09-15") var feedbackDate: String?
        @OptionGroup var options: DataOption

        func run() async throws {
            var skip = Set<Int>()
            for part in (skipRows ?? "").split(separator: ",") {
                guard let row = Int(part.trimmingCharacters(in: .whitespaces)), row > 0 else {
                    throw ValidationError("--skip-rows 应为逗号分隔的行号，如 3,7")
                }
                skip.insert(row)
            }
            var date: LocalDate?
            if let feedbackDate {
                guard let parsed = LocalDate(iso: feedbackDate) else {
                    throw ValidationError("--feedback-date 应写成 2026-09-15 这样的日期")
                }
                date = parsed
            }
            let url = URL(fileURLWithPath: file)
            let rows = skip
            let given = date
            let outcome = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await OfficeCommands.importLedger(
                        store: store, file: url, source: source, skipRows: rows, dryRun: dryRun, feedbackDate: given)
                }
            }
            let preview = outcome.preview
            for notice in preview.notices { print("提示：\(notice)") }
            for source in preview.proposedSources {
                print(outcome.result == nil ? "将新建来源：\(source)" : "已新建来源：\(source)")
            }
            for person in preview.proposedPeople {
                print(outcome.result == nil ? "将新建人员：\(person)" : "已新建人员：\(person)")
            }
            for row in preview.rows where !row.proposals.isEmpty && !row.skipped {
                for proposal in row.proposals { print("第 \(row.row) 行：\(proposal)") }
            }
            print(
                "工作表「\(preview.sheetName)」：新增 \(preview.newProblems) 个问题，更新 \(preview.changedProblems) 个，"
                    + "无变化 \(preview.unchangedProblems) 个，跳过 \(preview.skippedProblems) 个。")
            if let result = outcome.result {
                print(
                    "已导入：新增问题 \(result.problemsCreated) 个、更新 \(result.problemsUpdated) 个，"
                        + "新增任务 \(result.tasksCreated) 项、更新 \(result.tasksUpdated) 项。")
            } else {
                for line in preview.problemLines { print(line) }
                print(
                    preview.blockingRows.isEmpty
                        ? "检查通过（--dry-run，未保存）。" : "有 \(preview.blockingRows.count) 行存在问题（--dry-run，未保存）。")
                if !preview.blockingRows.isEmpty { throw ExitCode.failure }
            }
        }
    }
}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "生成 Word 报告（GB/T 9704 版式）",
        subcommands: [Progress.self, Final.self, Bulletin.self, Notice.self])

    struct ReportOptions: ParsableArguments {
        @Option(help: "来源（编号前缀、完整名称或编号；默认最新来源）") var source: String?
        @Option(help: "单位（名称或编号；默认来源所针对的单位，通报默认最上级单位）") var unit: String?
        @Option(help: "通报期间，如 2026-Q3、2026-08（默认本季度）") var period: String?
        @Option(help: "输出文件，如 报告.docx") var out: String
        @OptionGroup var data: DataOption

        func make(_ kind: LedgerReports.Kind) async throws {
            let target = URL(fileURLWithPath: out)
            let title = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: data.data, logger: commandLogger()) { store in
                    try await OfficeCommands.report(
                        kind, store: store, source: source, unit: unit, period: period, out: target)
                }
            }
            print("已生成「\(title)」：\(target.path)（【待填写】处须由人补写）")
        }
    }

    struct Progress: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "整改进展情况报告")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.make(.progress) }
    }

    struct Final: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "整改情况报告")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.make(.final) }
    }

    struct Bulletin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "整改工作进展情况通报")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.make(.bulletin) }
    }

    struct Notice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "整改情况公示稿（只含可公开的内容）")
        @OptionGroup var options: ReportOptions
        func run() async throws { try await options.make(.notice) }
    }
}
