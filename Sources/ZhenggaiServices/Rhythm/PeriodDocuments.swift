public import Foundation
public import ZhenggaiCore
public import ZhenggaiOffice

/// A period's figures as the files people pass on: the 调度表 / 督查清单 / 通报 as a GB/T 9704 Word file and
/// as a workbook. Both read the stored figures only, so a closed period prints the same every time.
public enum PeriodDocuments {
    /// 「示范县2026年第四季度整改工作季通报」, 「青山镇2026年11月整改工作月督查（督查清单）」.
    public static func title(_ figures: PeriodFigures) -> String {
        let what =
            figures.name.contains(figures.content.label) ? figures.name : "\(figures.name)（\(figures.content.label)）"
        return "\(figures.unitName)\(figures.period.label)整改工作\(what)"
    }

    static func unitHeader(_ previous: Bool) -> [String] {
        ["名次", "单位", "问题数", "完成整改", "基本完成", "未完成", "完成率", "逾期未完成", "逾期完成", "本期销号", "本期重新打开"]
            + (previous ? ["上期完成率", "上期逾期"] : [])
    }

    static func unitRows(_ figures: PeriodFigures) -> [[String]] {
        figures.units.map { row in
            var cells = [
                String(row.rankByRate), row.unitName, String(row.total), String(row.completed),
                String(row.basicallyCompleted), String(row.notCompleted), row.rate, String(row.overdue),
                String(row.lateDone), String(row.closedInPeriod), String(row.reopenedInPeriod),
            ]
            if !figures.previousUnits.isEmpty {
                let before = figures.previousUnits.first { $0.unitID == row.unitID }
                cells += [before?.rate ?? "—", before.map { String($0.overdue) } ?? "—"]
            }
            return cells
        }
    }

    static func itemRows(_ lines: [PeriodFigures.ItemLine], showDays: Bool) -> [[String]] {
        lines.map { line in
            [
                line.number, line.unitName, line.text, line.deadline?.chinese ?? "",
                showDays ? line.daysOverdue.map { "\($0)天" } ?? "" : line.lastProgress?.chinese ?? "无", line.who,
            ]
        }
    }

    public static func docx(_ figures: PeriodFigures) throws -> Data {
        var document = GongwenDocument(title: title(figures))
        let totals = figures.totals
        document.paragraph(
            "截至\(figures.asOf.chinese)，\(figures.unitName)共有整改问题\(totals.total)个，完成整改\(totals.completed)个，"
                + "基本完成并持续整改\(totals.basicallyCompleted)个，未完成\(totals.notCompleted)个，完成率\(totals.rate)；"
                + "逾期未完成\(totals.overdue)个，逾期完成\(totals.lateDone)个。\(figures.period.label)内销号\(totals.closedInPeriod)个，"
                + "回头看重新打开\(totals.reopenedInPeriod)个，报送整改进展\(totals.progressInPeriod)条。")
        document.heading(level: 1, text: "各单位整改情况")
        document.table(
            GongwenTable(
                columns: unitHeader(!figures.previousUnits.isEmpty).map { GongwenTable.Column($0) },
                rows: unitRows(figures), fontSize: 9))
        if figures.content != .bulletin || !figures.overdue.isEmpty {
            document.heading(level: 1, text: "逾期未完成的问题")
            if figures.overdue.isEmpty {
                document.paragraph("本期末没有逾期未完成的问题。")
            } else {
                document.table(itemTable(figures.overdue, showDays: true))
            }
        }
        if figures.content != .bulletin {
            document.heading(level: 1, text: "停滞的问题（较长时间未报送进展）")
            if figures.stuck.isEmpty {
                document.paragraph("没有停滞的问题。")
            } else {
                document.table(itemTable(figures.stuck, showDays: false))
            }
            document.heading(level: 1, text: "下一期到期的问题")
            if figures.dueNext.isEmpty {
                document.paragraph("下一期没有到期的整改任务。")
            } else {
                document.table(itemTable(figures.dueNext, showDays: false))
            }
        }
        document.heading(level: 1, text: "督办和约谈")
        if figures.pressings.isEmpty {
            document.paragraph("本期没有督办或约谈。")
        } else {
            document.table(
                GongwenTable(
                    columns: ["类别", "单位", "问题编号", "约谈对象", "日期", "反馈时限", "已反馈", "事项"].map {
                        GongwenTable.Column($0)
                    },
                    rows: figures.pressings.map {
                        [
                            $0.kind, $0.unitName, $0.number ?? "", $0.person ?? "", $0.issuedOn.chinese,
                            $0.answerDue?.chinese ?? "", $0.answered ? "是" : "否", $0.text,
                        ]
                    }, fontSize: 9))
        }
        return try document.docxData()
    }

    static func itemTable(_ lines: [PeriodFigures.ItemLine], showDays: Bool) -> GongwenTable {
        GongwenTable(
            columns: [
                GongwenTable.Column("问题编号", weight: 1.4), GongwenTable.Column("单位"),
                GongwenTable.Column("问题", weight: 3, alignment: .left), GongwenTable.Column("时限"),
                GongwenTable.Column(showDays ? "逾期" : "最近进展"), GongwenTable.Column("责任人"),
            ], rows: itemRows(lines, showDays: showDays), fontSize: 9)
    }

    public static func xlsx(_ figures: PeriodFigures) throws -> Data {
        let itemColumns = ["问题编号", "单位", "问题", "时限", "逾期/最近进展", "责任领导、责任人"].map {
            XLSXWriter.Column($0, width: $0 == "问题" ? 48 : 16)
        }
        func sheet(_ name: String, _ lines: [PeriodFigures.ItemLine], days: Bool) -> XLSXWriter.Sheet {
            XLSXWriter.Sheet(
                name: name, title: "\(title(figures))：\(name)", columns: itemColumns,
                rows: itemRows(lines, showDays: days).map { XLSXWriter.Row($0.map { CellValue.text($0) }) })
        }
        let units = XLSXWriter.Sheet(
            name: "各单位", title: title(figures),
            columns: unitHeader(!figures.previousUnits.isEmpty).map {
                XLSXWriter.Column($0, width: $0 == "单位" ? 18 : 11)
            },
            rows: unitRows(figures).map { XLSXWriter.Row($0.map { CellValue.text($0) }) })
        return try XLSXWriter(sheets: [
            units, sheet("逾期未完成", figures.overdue, days: true), sheet("停滞", figures.stuck, days: false),
            sheet("下期到期", figures.dueNext, days: false),
        ]).data()
    }
}
