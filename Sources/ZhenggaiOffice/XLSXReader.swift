public import Foundation

/// Bounds on one imported table (.xlsx or .csv). A county ledger has hundreds of rows; the limits keep a
/// hostile or mistaken 1,000,000-row file from building huge arrays.
public struct SpreadsheetLimits: Sendable, Hashable {
    public var maxRows: Int
    public var maxColumns: Int
    /// Non-empty cells in one sheet.
    public var maxCells: Int
    public var zip: ZipLimits
    public var xml: XMLLimits

    public init(
        maxRows: Int = 200_000, maxColumns: Int = 1_024, maxCells: Int = 4_000_000, zip: ZipLimits = .standard,
        xml: XMLLimits = .standard
    ) {
        self.maxRows = maxRows
        self.maxColumns = maxColumns
        self.maxCells = maxCells
        self.zip = zip
        self.xml = xml
    }

    public static let standard = SpreadsheetLimits()
}

/// One cell as read: its value, and whether a formula produced it (the cached result is the value).
public struct Cell: Sendable, Hashable {
    public var value: CellValue
    public var isFormula: Bool

    public init(_ value: CellValue, isFormula: Bool = false) {
        self.value = value
        self.isFormula = isFormula
    }

    public static let empty = Cell(.empty)
}

/// A row that holds at least one non-empty cell, with its 1-based number as the user sees it.
public struct WorksheetRow: Sendable, Hashable {
    public var number: Int
    /// Cells from column A on; trailing empty cells dropped.
    public var cells: [Cell]

    public init(number: Int, cells: [Cell]) {
        self.number = number
        self.cells = cells
    }

    public subscript(column: Int) -> Cell {
        column >= 1 && column <= cells.count ? cells[column - 1] : .empty
    }
}

public struct Worksheet: Sendable, Hashable {
    public enum Visibility: String, Sendable, Hashable {
        case visible, hidden, veryHidden
    }

    public var name: String
    public var visibility: Visibility
    /// Non-empty rows in order; blank rows are absent, row numbers are kept.
    public var rows: [WorksheetRow]
    /// Merged ranges: only the first cell of each holds the value.
    public var mergedRanges: [CellRange]

    public init(name: String, visibility: Visibility = .visible, rows: [WorksheetRow], mergedRanges: [CellRange] = []) {
        self.name = name
        self.visibility = visibility
        self.rows = rows
        self.mergedRanges = mergedRanges
    }

    public var isHidden: Bool { visibility != .visible }

    public func cell(row: Int, column: Int) -> Cell {
        guard let index = rowIndex(row) else { return .empty }
        return rows[index][column]
    }

    /// A copy where every cell of a merged range carries the value of the range's first cell: what a
    /// reader of a ledger with merged 责任单位 or 问题类别 cells means.
    public func fillingMergedCells() -> Worksheet {
        var copy = self
        for range in mergedRanges {
            let origin = cell(row: range.first.row, column: range.first.column)
            guard !origin.value.isEmpty else { continue }
            for row in range.first.row...range.last.row {
                let index: Int
                if let found = copy.rowIndex(row) {
                    index = found
                } else {
                    index = copy.rows.firstIndex { $0.number > row } ?? copy.rows.count
                    copy.rows.insert(WorksheetRow(number: row, cells: []), at: index)
                }
                if copy.rows[index].cells.count < range.last.column {
                    copy.rows[index].cells += Array(
                        repeating: .empty, count: range.last.column - copy.rows[index].cells.count)
                }
                for column in range.first.column...range.last.column {
                    copy.rows[index].cells[column - 1] = origin
                }
            }
        }
        return copy
    }

    private func rowIndex(_ number: Int) -> Int? {
        var low = 0
        var high = rows.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if rows[middle].number == number { return middle }
            if rows[middle].number < number { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }
}

public struct Workbook: Sendable, Hashable {
    /// In the workbook's tab order, hidden sheets included (check `visibility`).
    public var sheets: [Worksheet]

    public init(sheets: [Worksheet]) {
        self.sheets = sheets
    }

    public subscript(name: String) -> Worksheet? { sheets.first { $0.name == name } }
}

/// Reads .xlsx files: every worksheet's values (cached results of formulas), merged ranges and hidden
/// state, with dates recognised by their number format. Charts, images and styles beyond number formats
/// are ignored.
public enum XLSXReader {
    public static func read(_ data: Data, fileName: String? = nil, limits: SpreadsheetLimits = .standard) throws
        -> Workbook
    {
        let zip = try SafeZipReader(data: data, fileKind: .spreadsheet, fileName: fileName, limits: limits.zip)
        let context = Context(zip: zip, limits: limits)
        let workbookPath = try context.mainPartPath()
        let relationships = try context.relationships(of: workbookPath)
        let book = try context.parseWorkbook(workbookPath)
        let sharedStringsPath = relationships.values.first { $0.type.hasSuffix("/sharedStrings") }?.target
        let stylesPath = relationships.values.first { $0.type.hasSuffix("/styles") }?.target
        let strings = try sharedStringsPath.map { try context.parseSharedStrings($0) } ?? []
        let dateStyles = try stylesPath.map { try context.parseDateStyles($0) } ?? []
        var sheets: [Worksheet] = []
        for entry in book.sheets {
            // Chart sheets and dialog sheets hold no cells.
            guard let relation = relationships[entry.relationshipID], relation.type.hasSuffix("/worksheet") else {
                continue
            }
            var sheet = try context.parseSheet(
                relation.target, name: entry.name, strings: strings, dateStyles: dateStyles, date1904: book.date1904)
            sheet.visibility = entry.visibility
            sheets.append(sheet)
        }
        return Workbook(sheets: sheets)
    }
}

private struct Relationship {
    var type: String
    var target: String
}

private struct Context {
    let zip: SafeZipReader
    let limits: SpreadsheetLimits

    func fail(_ reason: OfficeError.Reason) -> OfficeError {
        OfficeError(reason, fileName: zip.fileName, fileKind: .spreadsheet)
    }

    /// Runs `body` and turns XML errors into errors naming the part.
    func parsing<T>(_ path: String, _ body: (XMLPullParser) throws -> T) throws -> T {
        let parser = XMLPullParser(try zip.require(path), limits: limits.xml)
        do {
            return try body(parser)
        } catch let error as XMLError {
            throw error.officeError(part: path, fileName: zip.fileName, fileKind: .spreadsheet)
        }
    }

    func mainPartPath() throws -> String {
        if zip.contains("_rels/.rels") {
            let target = try parsing("_rels/.rels") { parser -> String? in
                while true {
                    switch try parser.next() {
                    case .startElement where parser.isElement("Relationship"):
                        if parser.attribute("Type")?.hasSuffix("/officeDocument") == true,
                            let target = parser.attribute("Target")
                        {
                            return SafeZipReader.normalize(target)
                        }
                    case .endOfDocument: return nil
                    default: continue
                    }
                }
            }
            if let target, target.hasSuffix("workbook.xml") || zip.contains(target) && !target.hasPrefix("word/") {
                return target
            }
        }
        if zip.contains("xl/workbook.xml") { return "xl/workbook.xml" }
        if zip.contains("word/document.xml") { throw fail(.wrongPackage(found: "Word 文档")) }
        if zip.contains("ppt/presentation.xml") { throw fail(.wrongPackage(found: "PowerPoint 演示文稿")) }
        throw fail(.wrongPackage(found: nil))
    }

    /// The relationships of a part, targets resolved to package paths.
    func relationships(of part: String) throws -> [String: Relationship] {
        let directory = part.split(separator: "/").dropLast().joined(separator: "/")
        let path =
            (directory.isEmpty ? "" : directory + "/") + "_rels/" + (part.split(separator: "/").last ?? "") + ".rels"
        guard zip.contains(path) else { return [:] }
        return try parsing(path) { parser in
            var result: [String: Relationship] = [:]
            while true {
                switch try parser.next() {
                case .startElement where parser.isElement("Relationship"):
                    guard let id = parser.attribute("Id"), let target = parser.attribute("Target"),
                        parser.attribute("TargetMode") != "External"
                    else { continue }
                    result[id] = Relationship(
                        type: parser.attribute("Type") ?? "", target: resolve(target, in: directory))
                case .endOfDocument: return result
                default: continue
                }
            }
        }
    }

    func resolve(_ target: String, in directory: String) -> String {
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = directory.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }

    struct BookEntry {
        var name: String
        var visibility: Worksheet.Visibility
        var relationshipID: String
    }

    func parseWorkbook(_ path: String) throws -> (sheets: [BookEntry], date1904: Bool) {
        try parsing(path) { parser in
            var sheets: [BookEntry] = []
            var date1904 = false
            while true {
                switch try parser.next() {
                case .startElement where parser.isElement("workbookPr"):
                    let flag = parser.attribute("date1904")
                    date1904 = flag == "1" || flag == "true"
                case .startElement where parser.isElement("sheet"):
                    guard let id = parser.attribute("id") else { continue }
                    let state = parser.attribute("state").flatMap(Worksheet.Visibility.init) ?? .visible
                    sheets.append(
                        BookEntry(name: parser.attribute("name") ?? "", visibility: state, relationshipID: id))
                case .endOfDocument: return (sheets, date1904)
                default: continue
                }
            }
        }
    }

    /// Each <si> as one string: plain <t>, or rich-text runs joined; phonetic guides (<rPh>) left out.
    func parseSharedStrings(_ path: String) throws -> [String] {
        guard zip.contains(path) else { return [] }
        return try parsing(path) { parser in
            var strings: [String] = []
            var current = ""
            var inText = false
            var phoneticDepth = 0
            while true {
                switch try parser.next() {
                case .startElement:
                    if parser.isElement("si") {
                        current = ""
                    } else if parser.isElement("rPh") {
                        phoneticDepth += 1
                    } else if parser.isElement("t") {
                        inText = phoneticDepth == 0
                    }
                case .endElement:
                    if parser.isElement("si") {
                        guard strings.count < limits.maxCells else {
                            throw fail(.tooManyCells(sheet: "sharedStrings", limit: limits.maxCells))
                        }
                        strings.append(current)
                    } else if parser.isElement("rPh") {
                        phoneticDepth -= 1
                    } else if parser.isElement("t") {
                        inText = false
                    }
                case .text where inText:
                    current += parser.text
                case .endOfDocument:
                    return strings
                default:
                    continue
                }
            }
        }
    }

    /// For each cell format index (cellXfs), whether it shows a date.
    func parseDateStyles(_ path: String) throws -> [Bool] {
        guard zip.contains(path) else { return [] }
        return try parsing(path) { parser in
            var customFormats: [Int: String] = [:]
            var result: [Bool] = []
            var inCellFormats = false
            while true {
                switch try parser.next() {
                case .startElement where parser.isElement("numFmt"):
                    if let id = parser.attribute("numFmtId").flatMap({ Int($0) }),
                        let code = parser.attribute("formatCode")
                    {
                        customFormats[id] = code
                    }
                case .startElement where parser.isElement("cellXfs"):
                    inCellFormats = true
                case .endElement where parser.isElement("cellXfs"):
                    inCellFormats = false
                case .startElement where inCellFormats && parser.isElement("xf"):
                    let id = parser.attribute("numFmtId").flatMap { Int($0) } ?? 0
                    result.append(customFormats[id].map(NumberFormat.isDate) ?? NumberFormat.isBuiltInDate(id))
                    try parser.skipElement()
                case .endOfDocument:
                    return result
                default:
                    continue
                }
            }
        }
    }

    func parseSheet(_ path: String, name: String, strings: [String], dateStyles: [Bool], date1904: Bool) throws
        -> Worksheet
    {
        try parsing(path) { parser in
            var sheet = SheetBuilder(name: name, limits: limits, fail: fail)
            var rowNumber = 0
            var cell = PendingCell()
            var textTarget = TextTarget.none
            var phoneticDepth = 0
            while true {
                switch try parser.next() {
                case .startElement:
                    if parser.isElement("c") {
                        cell = PendingCell()
                        if let reference = parser.attribute("r") {
                            guard let parsed = CellReference(reference) else {
                                throw fail(.badCell(sheet: name, reference: reference, detail: "bad reference"))
                            }
                            cell.reference = parsed
                        } else {
                            cell.reference = CellReference(
                                row: max(rowNumber, 1), column: sheet.nextColumn(in: rowNumber))
                        }
                        cell.type = parser.attribute("t") ?? "n"
                        cell.style = parser.attribute("s").flatMap { Int($0) } ?? 0
                    } else if parser.isElement("v") {
                        textTarget = .value
                    } else if parser.isElement("f") {
                        cell.isFormula = true
                        textTarget = .none
                    } else if parser.isElement("rPh") {
                        phoneticDepth += 1
                    } else if parser.isElement("t") {
                        textTarget = phoneticDepth == 0 ? .inline : .none
                    } else if parser.isElement("row") {
                        rowNumber = parser.attribute("r").flatMap { Int($0) } ?? rowNumber + 1
                        sheet.startRow(rowNumber)
                    } else if parser.isElement("mergeCell") {
                        if let reference = parser.attribute("ref"), let range = CellRange(reference) {
                            sheet.mergedRanges.append(range)
                        }
                    } else if parser.isElement("extLst") || parser.isElement("drawing") {
                        try parser.skipElement()
                    }
                case .endElement:
                    if parser.isElement("c") {
                        let value = try cell.value(strings: strings, dateStyles: dateStyles, date1904: date1904) {
                            fail(.badCell(sheet: name, reference: "\(cell.reference)", detail: $0))
                        }
                        try sheet.add(value, isFormula: cell.isFormula, at: cell.reference)
                    } else if parser.isElement("rPh") {
                        phoneticDepth -= 1
                    } else if parser.isElement("v") || parser.isElement("t") {
                        textTarget = .none
                    }
                case .text:
                    switch textTarget {
                    case .value: cell.raw += parser.text
                    case .inline: cell.inline += parser.text
                    case .none: break
                    }
                case .endOfDocument:
                    return sheet.finish()
                }
            }
        }
    }
}

private enum TextTarget { case none, value, inline }

private struct PendingCell {
    var reference = CellReference(row: 1, column: 1)
    var type = "n"
    var style = 0
    var isFormula = false
    var raw = ""
    var inline = ""

    func value(strings: [String], dateStyles: [Bool], date1904: Bool, fail: (String) -> OfficeError) throws
        -> CellValue
    {
        switch type {
        case "s":
            guard let index = Int(Self.trimmed(raw)), strings.indices.contains(index) else {
                throw fail("shared string index \(raw) out of range")
            }
            return .text(strings[index])
        case "inlineStr":
            return .text(inline)
        case "str":
            return .text(raw)
        case "b":
            return .bool(raw == "1" || raw == "true")
        case "e":
            return .error(raw)
        case "d":
            return Self.isoDate(raw).map(CellValue.date) ?? .text(raw)
        default:
            let trimmed = Self.trimmed(raw)
            guard !trimmed.isEmpty else { return .empty }
            guard let number = Double(trimmed) else { throw fail("number \(raw)") }
            if style < dateStyles.count, dateStyles[style], let date = OfficeDate(serial: number, date1904: date1904) {
                return .date(date)
            }
            return .number(number)
        }
    }

    /// Without blanks around it; values are nearly always bare, so that case is checked on bytes first.
    static func trimmed(_ text: String) -> Substring {
        var slice = text[...]
        func isBlank(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D }
        while isBlank(slice.utf8.first) { slice = slice.dropFirst() }
        while isBlank(slice.utf8.last) { slice = slice.dropLast() }
        return slice
    }

    /// "2026-08-01" or "2026-08-01T09:30:00" (cells of type d, written by some tools).
    static func isoDate(_ text: String) -> OfficeDate? {
        let parts = text.split(whereSeparator: { "-T:.Z ".contains($0) }).compactMap { Int($0) }
        guard parts.count >= 3 else { return nil }
        let seconds = parts.count >= 6 ? parts[3] * 3600 + parts[4] * 60 + parts[5] : 0
        return OfficeDate(year: parts[0], month: parts[1], day: parts[2], secondsOfDay: seconds)
    }
}

/// Collects cells into rows under the limits.
private struct SheetBuilder {
    let name: String
    let limits: SpreadsheetLimits
    let fail: (OfficeError.Reason) -> OfficeError
    var rows: [WorksheetRow] = []
    var mergedRanges: [CellRange] = []
    private var cellCount = 0
    private var current: WorksheetRow?
    private var lastColumn = 0

    init(name: String, limits: SpreadsheetLimits, fail: @escaping (OfficeError.Reason) -> OfficeError) {
        self.name = name
        self.limits = limits
        self.fail = fail
    }

    mutating func startRow(_ number: Int) {
        flush()
        current = WorksheetRow(number: number, cells: [])
        lastColumn = 0
    }

    func nextColumn(in row: Int) -> Int { lastColumn + 1 }

    mutating func add(_ value: CellValue, isFormula: Bool, at reference: CellReference) throws {
        lastColumn = reference.column
        guard !value.isEmpty else { return }
        guard reference.row <= limits.maxRows else { throw fail(.tooManyRows(sheet: name, limit: limits.maxRows)) }
        guard reference.column <= limits.maxColumns else {
            throw fail(.tooManyColumns(sheet: name, row: reference.row, limit: limits.maxColumns))
        }
        cellCount += 1
        guard cellCount <= limits.maxCells else { throw fail(.tooManyCells(sheet: name, limit: limits.maxCells)) }
        if current?.number != reference.row { startRow(reference.row) }
        guard var row = current else { return }
        current = nil
        if row.cells.count < reference.column {
            row.cells += Array(repeating: .empty, count: reference.column - row.cells.count)
        }
        row.cells[reference.column - 1] = Cell(value, isFormula: isFormula)
        current = row
    }

    private mutating func flush() {
        if let row = current, !row.cells.isEmpty {
            // Rows normally come in order; keep the result sorted if a producer wrote them otherwise.
            if let last = rows.last, last.number >= row.number {
                merge(row)
            } else {
                rows.append(row)
            }
        }
        current = nil
    }

    private mutating func merge(_ row: WorksheetRow) {
        if let index = rows.firstIndex(where: { $0.number >= row.number }), rows[index].number == row.number {
            for (offset, cell) in row.cells.enumerated() where !cell.value.isEmpty {
                if rows[index].cells.count <= offset {
                    rows[index].cells += Array(repeating: .empty, count: offset + 1 - rows[index].cells.count)
                }
                rows[index].cells[offset] = cell
            }
        } else {
            let index = rows.firstIndex { $0.number > row.number } ?? rows.count
            rows.insert(row, at: index)
        }
    }

    mutating func finish() -> Worksheet {
        flush()
        return Worksheet(name: name, rows: rows, mergedRanges: mergedRanges.sorted())
    }
}

/// Which number formats show dates.
enum NumberFormat {
    /// Built-in ids that are dates or times: 14-22 and 45-47 everywhere; 27-36 and 50-58 are the
    /// East Asian date formats (年月日) that Chinese Excel and WPS write.
    static func isBuiltInDate(_ id: Int) -> Bool {
        (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
    }

    /// A custom code shows a date when, outside quoted text, escapes and [colour]/[condition] sections,
    /// it uses y, m, d, h or s (e.g. `yyyy"年"m"月"d"日"`, `yyyy/mm/dd`, `[$-F800]dddd`).
    static func isDate(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var escaped = false
        var bracketText = ""
        for scalar in code.unicodeScalars {
            if escaped {
                escaped = false
                continue
            }
            if inQuote {
                if scalar == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if scalar == "]" {
                    inBracket = false
                    // Elapsed time sections ([h], [mm], [ss]) are durations shown as time.
                    let lower = bracketText.lowercased()
                    if !lower.isEmpty, lower.allSatisfy({ $0 == "h" || $0 == "m" || $0 == "s" }) { return true }
                    // [$-F800] is Windows' long-date locale code.
                    if lower.hasPrefix("$-f800") || lower.hasPrefix("$-x-sysdate") { return true }
                } else {
                    bracketText.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": inQuote = true
            case "\\", "_", "*": escaped = true
            case "[":
                inBracket = true
                bracketText = ""
            case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S":
                return true
            case ";":
                // Only the first (positive) section decides.
                return false
            default:
                continue
            }
        }
        return false
    }
}
