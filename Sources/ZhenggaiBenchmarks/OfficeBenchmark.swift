public import Foundation
public import ZhenggaiOffice

/// Times the two targets of issue 6 on synthetic data of the real shape: 10,000 ledger rows × 17
/// columns to .xlsx, and a 20-page 整改情况报告 to .docx. Run it from a release build.
public enum OfficeBenchmark {
    /// The 17 columns of a typical 台账.
    public static let ledgerColumns: [XLSXWriter.Column] = [
        .init("序号", width: 6, alignment: .center), .init("来源/轮次", width: 12), .init("问题类别", width: 12),
        .init("反馈问题", width: 40), .init("整改目标", width: 24), .init("整改措施", width: 40),
        .init("责任领导", width: 10), .init("责任单位", width: 16), .init("配合单位", width: 16),
        .init("责任人", width: 10), .init("整改时限", width: 14, alignment: .center),
        .init("整改类型", width: 10, alignment: .center), .init("整改进展", width: 30),
        .init("完成情况", width: 10, alignment: .center), .init("佐证材料", width: 20),
        .init("销号日期", width: 14, alignment: .center), .init("备注", width: 12),
    ]

    /// A ledger sheet of `rows` synthetic problems; every value varies so the shared string table is busy.
    public static func ledgerSheet(rows: Int) -> XLSXWriter.Sheet {
        let units = ["县委办公室", "县政府办公室", "县财政局", "县教育局", "县卫健局", "城关镇党委", "河口乡党委"]
        let categories = ["落实党的路线方针政策", "群众身边不正之风", "基层党组织建设", "选人用人", "巡察整改落实"]
        let statuses: [(String, RGBColor?)] = [("已完成", .lightGreen), ("推进中", nil), ("已逾期", .lightRed)]
        var result: [XLSXWriter.Row] = []
        result.reserveCapacity(rows)
        for index in 0..<rows {
            let status = statuses[index % statuses.count]
            let deadline = OfficeDate(year: 2026, month: 1 + index % 12, day: 1 + index % 28)
            result.append(
                XLSXWriter.Row(
                    [
                        .number(Double(index + 1)), .text("县委第\(1 + index % 4)巡察组 2026年第\(1 + index % 2)轮"),
                        .text(categories[index % categories.count]),
                        .text("第\(index + 1)项：部分村集体“三资”管理不规范，账目公开不及时，群众反映的问题未及时回应。"),
                        .text("建立健全长效机制，\(index % 30 + 1)日内完成清理"),
                        .text("一是全面清理核查；二是完善制度；三是加强监督检查，对发现问题第\(index + 1)号立行立改。"),
                        .text("张\(index % 50)"), .text(units[index % units.count]),
                        .text(units[(index + 3) % units.count]),
                        .text("李\(index % 80)"), .date(deadline), .text(["立行立改", "限期整改", "长期坚持"][index % 3]),
                        .text("已召开专题会议研究部署，完成进度 \(index % 100)%"), .text(status.0),
                        .text("会议纪要、制度文件\(index % 9 + 1)份"),
                        index % 3 == 0 ? .date(OfficeDate(year: 2026, month: 6, day: 1 + index % 28)) : .empty,
                        index % 7 == 0 ? .text("需县级层面协调") : .empty,
                    ], fill: status.1))
        }
        return XLSXWriter.Sheet(name: "整改台账", title: "某某县巡察整改问题台账（截至2026年8月1日）", columns: ledgerColumns, rows: result)
    }

    /// A report of about `pages` GB/T 9704 pages: numbered sections, a ledger excerpt table, a placeholder
    /// for the assessment a person writes, signature and date.
    public static func sampleReport(pages: Int = 20) -> GongwenDocument {
        var doc = GongwenDocument(title: "中共某某县委员会关于县委第一巡察组\n反馈意见整改进展情况的报告")
        doc.recipient("县委巡察工作领导小组：")
        doc.paragraph(
            "根据县委统一部署，县委第一巡察组于2026年3月至5月对我县开展了常规巡察，并于2026年6月1日反馈了巡察意见。"
                + "县委高度重视，坚持把巡察整改作为重大政治任务，现将整改进展情况报告如下。")
        // A page holds 22 lines; each section below fills about 1.1 pages (measured with LibreOffice).
        let sections = max(1, pages * 9 / 10)
        for section in 1...sections {
            doc.heading(level: 1, text: "第\(section)部分整改工作推进情况")
            for part in 1...2 {
                doc.heading(level: 2, text: "关于第\(part)类问题的整改")
                doc.heading(level: 3, text: "细化整改措施。")
                doc.paragraph(
                    "针对巡察反馈的第\(section)-\(part)项问题，责任单位逐条对照检查，制定整改方案，明确责任领导、"
                        + "责任人和完成时限，建立问题清单、任务清单、责任清单，实行销号管理。截至2026年7月31日，"
                        + "已完成整改\(section + part)项，正在推进\(part)项，整改完成率\(80 + part)%。")
                doc.heading(level: 4, text: "推进情况。")
                doc.paragraph(
                    "一是加强组织领导，成立整改工作领导小组，定期召开调度会议；二是压实主体责任，逐项明确整改时限；"
                        + "三是强化督促检查，对进度滞后的单位进行通报，确保各项问题按期整改到位。")
            }
            if section == 1 {
                doc.table(
                    GongwenTable(
                        caption: "表1 整改问题清单（节选）",
                        columns: [
                            .init("序号", weight: 0.6), .init("反馈问题", weight: 3, alignment: .left),
                            .init("责任单位", weight: 1.3), .init("整改时限", weight: 1.9), .init("完成情况", weight: 1.1),
                        ],
                        rows: (1...12).map {
                            [
                                "\($0)", "村级财务管理不规范，第\($0)项问题涉及资金使用不公开", "县财政局", "2026年9月30日",
                                $0 % 2 == 0 ? "已完成" : "推进中",
                            ]
                        }))
            }
        }
        doc.heading(level: 1, text: "下一步工作打算")
        doc.paragraph([
            .text("对整改工作的总体评价："), .placeholder("由县委巡察办填写对整改成效的评价"), .text("。"),
        ])
        doc.signature(unit: "中共某某县委员会", date: OfficeDate(year: 2026, month: 8, day: 1))
        return doc
    }

    /// Milliseconds per run (best of `repetitions`) for "xlsx_10000x17" and "docx_20_pages", plus the
    /// output sizes in bytes.
    public static func run(repetitions: Int = 5) throws -> [String: Double] {
        let sheet = ledgerSheet(rows: 10_000)
        let report = sampleReport(pages: 20)
        var xlsxBest = Double.infinity
        var docxBest = Double.infinity
        var xlsxBytes = 0
        var docxBytes = 0
        for _ in 0..<max(1, repetitions) {
            let clock = ContinuousClock()
            var start = clock.now
            xlsxBytes = try XLSXWriter(sheets: [sheet]).data().count
            xlsxBest = min(xlsxBest, milliseconds(clock.now - start))
            start = clock.now
            docxBytes = try report.docxData().count
            docxBest = min(docxBest, milliseconds(clock.now - start))
        }
        let clock = ContinuousClock()
        let data = try XLSXWriter(sheets: [sheet]).data()
        let start = clock.now
        _ = try XLSXReader.read(data)
        let readTime = milliseconds(clock.now - start)
        return [
            "xlsx_10000x17_ms": xlsxBest, "xlsx_10000x17_bytes": Double(xlsxBytes),
            "xlsx_read_10000x17_ms": readTime,
            "docx_20_pages_ms": docxBest, "docx_20_pages_bytes": Double(docxBytes),
        ]
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
