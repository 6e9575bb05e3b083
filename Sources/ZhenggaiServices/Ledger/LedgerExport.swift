public import Foundation
public import ZhenggaiCore
public import ZhenggaiOffice
public import ZhenggaiStore

/// The 整改台账 as an Excel or CSV file, with the columns users know (docs/ledger-columns.md). One row per
/// task: a problem with three measures fills three rows that repeat its 序号 and 问题编号 (the problem's text
/// only on the first), which is how import groups rows, so an exported file imports back unchanged.
public enum LedgerExport {
    public enum Format: String, Sendable {
        case xlsx, csv

        /// By the file name's extension; anything but .csv is a workbook.
        public init(fileName: String) {
            self = fileName.lowercased().hasSuffix(".csv") ? .csv : .xlsx
        }

        public var contentType: String {
            switch self {
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .csv: "text/csv; charset=utf-8"
            }
        }
    }

    public static let columns: [XLSXWriter.Column] = [
        .init("序号", width: 6, alignment: .center), .init("问题编号", width: 16), .init("来源/轮次", width: 18),
        .init("问题类别", width: 14), .init("反馈问题", width: 42), .init("整改措施", width: 40),
        .init("责任领导", width: 10), .init("责任单位", width: 14), .init("配合单位", width: 14),
        .init("责任人", width: 10), .init("整改时限", width: 14, alignment: .center),
        .init("整改类型", width: 10, alignment: .center), .init("整改进展", width: 36),
        .init("完成情况", width: 12, alignment: .center), .init("佐证材料", width: 8, alignment: .center),
        .init("销号日期", width: 14, alignment: .center), .init("备注", width: 18),
    ]

    /// Every problem the filter selects, in number order, read in keyset chunks so memory per query stays bounded
    /// and a deep chunk costs no more than the first.
    public static func rows(store: Store, filter: LedgerFilter, today: LocalDate) async throws -> [XLSXWriter.Row] {
        var result: [XLSXWriter.Row] = []
        try await forEachChunk(store: store, filter: filter, today: today) { result += $0 }
        return result
    }

    /// The CSV file (as `data` writes it) handed to `write` a chunk at a time: memory holds one chunk of 2,000
    /// problems however large the export (a county's 50,000).
    public static func streamCSV(
        store: Store, filter: LedgerFilter, today: LocalDate, title: String, write: (Data) async throws -> Void
    ) async throws {
        try await write(CSV.byteOrderMark + CSV.lines([[.text(title)], columns.map { .text($0.header) }]))
        try await forEachChunk(store: store, filter: filter, today: today) {
            try await write(CSV.lines($0.map(\.values)))
        }
    }

    static func forEachChunk(
        store: Store, filter: LedgerFilter, today: LocalDate, _ body: ([XLSXWriter.Row]) async throws -> Void
    ) async throws {
        let categories = Dictionary(uniqueKeysWithValues: try await store.categories().map { ($0.code, $0.name) })
        var last: String?
        var ordinal = 0
        while true {
            let batch = try await store.ledgerRows(filter, today: today, after: last, limit: 2_000)
            let evidence = try await store.evidenceCounts(batch.map(\.problem.id))
            var chunk: [XLSXWriter.Row] = []
            for row in batch {
                ordinal += 1
                chunk += rows(
                    for: row, ordinal: ordinal, categoryName: categories[row.problem.categoryCode] ?? "",
                    evidence: evidence[row.problem.id] ?? 0)
            }
            try await body(chunk)
            guard batch.count == 2_000, let next = batch.last?.problem.number else { break }
            last = next
        }
    }

    static func rows(for row: LedgerRow, ordinal: Int, categoryName: String, evidence: Int) -> [XLSXWriter.Row] {
        let problem = row.problem
        let source = row.round.map { "\(row.sourceTitle)（第\($0)轮）" } ?? row.sourceTitle
        let category = categoryName.isEmpty ? problem.categoryCode : "\(problem.categoryCode) \(categoryName)"
        // The disclosure word, never "done" for an ongoing or unreviewed item: it comes from the status, and
        // lateness stays with it (逾期完成), as it does on every page and report.
        let completion = row.statusText
        var notes: [String] = []
        if problem.recurrences > 0 { notes.append("回头看重新整改\(problem.recurrences)次") }
        for note in row.imported { notes.append("导入时填报\(note.kind.label)：\(note.text)") }
        let fill: RGBColor? =
            switch problem.completion {
            case .completed: .lightGreen
            case .basicallyCompleted: .lightYellow
            case .notCompleted: row.overdue ? .lightRed : nil
            }
        let tasks: [RectificationTask?] = row.tasks.isEmpty ? [nil] : row.tasks
        return tasks.enumerated().map { offset, task in
            let first = offset == 0
            let deadline: CellValue =
                if let date = task?.deadline {
                    .date(OfficeDate(year: date.year, month: date.month, day: date.day))
                } else if task?.kind == .ongoing {
                    .text("长期坚持")
                } else {
                    .empty
                }
            return XLSXWriter.Row(
                [
                    .number(Double(ordinal)), .text(problem.number), .text(source), .text(category),
                    first ? .text(problem.text) : .empty, text(task?.measure), text(task?.leaderName),
                    text(task?.leadUnit),
                    text(task?.supportingUnits), text(task?.assignee), deadline, text(task?.kind.label),
                    first ? text(row.latestProgress) : .empty, first ? .text(completion) : .empty,
                    first ? .number(Double(evidence)) : .empty,
                    first
                        ? (problem.closedOn.map { .date(OfficeDate(year: $0.year, month: $0.month, day: $0.day)) }
                            ?? .empty) : .empty,
                    first ? .text(notes.joined(separator: "；")) : .empty,
                ], fill: fill)
        }
    }

    private static func text(_ value: String?) -> CellValue {
        guard let value, !value.isEmpty else { return .empty }
        return .text(value)
    }

    /// "青山镇 县委第三巡察组反馈意见 整改台账（截至2026年11月24日）".
    public static func title(unit: String, source: String?, today: LocalDate) -> String {
        let scope = [unit, source ?? "全部来源"].filter { !$0.isEmpty }.joined(separator: " ")
        return "\(scope) 整改台账（截至\(today.chinese)）"
    }

    public static func data(_ rows: [XLSXWriter.Row], format: Format, title: String) throws -> Data {
        switch format {
        case .csv:
            // The title goes in its own first line, as in the workbook; import finds the header below it
            // (`streamCSV` writes the same bytes).
            var lines: [[CellValue]] = [[.text(title)], columns.map { .text($0.header) }]
            lines += rows.map(\.values)
            return CSV.write(lines)
        case .xlsx:
            let sheet = XLSXWriter.Sheet(name: "整改台账", title: title, columns: columns, rows: rows)
            return try XLSXWriter(sheets: [sheet], properties: DocumentProperties(title: title)).data()
        }
    }

    /// The file name offered for download: the title without characters file systems refuse.
    public static func fileName(title: String, format: Format) -> String {
        let cleaned = title.unicodeScalars.map { "/\\:*?\"<>|".unicodeScalars.contains($0) ? "_" : String($0) }
            .joined()
        return "\(cleaned).\(format.rawValue)"
    }
}
