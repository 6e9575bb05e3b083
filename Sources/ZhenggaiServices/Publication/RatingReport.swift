public import Foundation
public import ZhenggaiCore
import ZhenggaiOffice
public import ZhenggaiStore

/// The quarter's 整改成效群众评价 result (issue 13, requirement 5): per unit and published text, how many rated,
/// 满意率, the five levels and the ratings kept out as suspect — a page, an .xlsx and a GB/T 9704 .docx, for
/// the acceptance of the units' rectification. Figures only: no rater, no reason, no internal note.
public struct RatingReport: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var unit: String
        public var title: String
        public var publicationID: UUID
        public var summary: RatingSummary
    }

    /// 「2026-Q4」.
    public var period: String
    public var rows: [Row]
    public var total: RatingSummary

    public var periodLabel: String { Publishing.periodLabel(period) }

    /// The published texts in the scope and their items' ratings in the quarter, by unit.
    public static func compute(period: String, scope: Scope, store: Store) async throws -> RatingReport {
        let publications = try await store.publications(in: scope).filter { $0.status == .published }
        let summaries = try await store.ratingSummaries(
            items: publications.flatMap { $0.content.items.map(\.problemID.uuidString) }, period: period)
        var total = RatingSummary()
        let rows = publications.map { publication in
            var summary = RatingSummary()
            for item in publication.content.items {
                guard let one = summaries[item.problemID.uuidString] else { continue }
                for index in 0..<5 { summary.counts[index] += one.counts[index] }
                summary.flagged += one.flagged
            }
            for index in 0..<5 { total.counts[index] += summary.counts[index] }
            total.flagged += summary.flagged
            return Row(
                unit: publication.content.unitName, title: publication.content.title, publicationID: publication.id,
                summary: summary)
        }
        .sorted { ($0.unit, $0.title) < ($1.unit, $1.title) }
        return RatingReport(period: period, rows: rows, total: total)
    }

    /// 「示范县2026年第四季度整改成效群众评价结果」.
    public func title(issuer: String) -> String { "\(issuer)\(periodLabel)整改成效群众评价结果" }

    static let columns = ["单位", "公开内容", "评价人次", "满意率", "非常满意", "满意", "一般", "不满意", "非常不满意", "疑似异常（未计入）"]

    func cells(_ unit: String, _ title: String, _ summary: RatingSummary) -> [String] {
        [unit, title, String(summary.total), summary.total == 0 ? "—" : summary.satisfaction]
            + summary.counts.map(String.init) + [String(summary.flagged)]
    }

    var table: [[String]] {
        rows.map { cells($0.unit, $0.title, $0.summary) } + [cells("合计", "", total)]
    }

    static let explanation =
        "满意率为“非常满意”和“满意”的人次除以计入的评价人次；同一地址短时间内大量评价、理由雷同等疑似异常的评价单独计数，不计入满意率。"

    public func xlsx(issuer: String) throws -> Data {
        try XLSXWriter(sheets: [
            XLSXWriter.Sheet(
                name: "群众评价", title: title(issuer: issuer),
                columns: Self.columns.map { XLSXWriter.Column($0, width: $0 == "公开内容" ? 40 : $0 == "单位" ? 16 : 10) },
                rows: table.map { XLSXWriter.Row($0.map { CellValue.text($0) }) })
        ]).data()
    }

    public func docx(issuer: String, issuedOn: LocalDate) throws -> Data {
        var document = GongwenDocument(title: title(issuer: issuer))
        let units = Set(rows.map(\.unit)).count
        document.paragraph(
            "\(periodLabel)，\(units)个单位公开的整改情况共收到群众评价\(total.total)人次，"
                + (total.total == 0 ? "暂无评价。" : "满意率\(total.satisfaction)；")
                + (total.flagged > 0 ? "另有疑似异常评价\(total.flagged)人次未计入。" : ""))
        document.paragraph(Self.explanation)
        document.table(
            GongwenTable(
                columns: Self.columns.enumerated().map {
                    GongwenTable.Column($1, weight: $0 == 1 ? 3 : $0 == 0 ? 2 : 1)
                },
                rows: table, fontSize: 9))
        document.paragraph("评价结果作为整改验收的重要依据。本表不含评价人的任何个人信息。")
        document.signature(
            unit: issuer, date: OfficeDate(year: issuedOn.year, month: issuedOn.month, day: issuedOn.day))
        return try document.docxData()
    }
}
