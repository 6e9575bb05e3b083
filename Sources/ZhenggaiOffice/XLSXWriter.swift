public import Foundation

/// Title, author and time stamped into docProps/core.xml. `created` is explicit so that equal input
/// gives byte-equal files (no hidden clock).
public struct DocumentProperties: Sendable, Hashable {
    public var title: String
    public var creator: String
    public var created: Date?

    public init(title: String = "", creator: String = "整改管理系统", created: Date? = nil) {
        self.title = title
        self.creator = creator
        self.created = created
    }
}

/// An RGB colour such as "FFF2CC".
public struct RGBColor: Sendable, Hashable {
    public let hex: String

    /// Six hex digits, with or without "#"; nil otherwise.
    public init?(_ hex: String) {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.utf8.count == 6,
            digits.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) })
        else { return nil }
        self.hex = digits.uppercased()
    }

    public static let headerBlue = RGBColor(uncheckedHex: "D9E1F2")
    public static let lightGreen = RGBColor(uncheckedHex: "E2EFDA")
    public static let lightYellow = RGBColor(uncheckedHex: "FFF2CC")
    public static let lightRed = RGBColor(uncheckedHex: "F8CBAD")
    public static let lightGray = RGBColor(uncheckedHex: "EDEDED")

    private init(uncheckedHex: String) { hex = uncheckedHex }
}

/// Writes .xlsx workbooks: each sheet a table with an optional merged title row, a bold filled header
/// that stays frozen and carries the autofilter, fixed column widths, wrapped text, thin borders,
/// real dates and a fill colour per row. The sheet XML is streamed into a byte buffer.
public struct XLSXWriter: Sendable {
    public enum Alignment: String, Sendable, Hashable {
        case left, center, right
    }

    public struct Column: Sendable, Hashable {
        public var header: String
        /// Width in Excel's units (characters of the default font; a Chinese character counts about 2).
        public var width: Double
        public var wrap: Bool
        public var alignment: Alignment

        public init(_ header: String, width: Double = 12, wrap: Bool = true, alignment: Alignment = .left) {
            self.header = header
            self.width = width
            self.wrap = wrap
            self.alignment = alignment
        }
    }

    public struct Row: Sendable, Hashable {
        public var values: [CellValue]
        public var fill: RGBColor?

        public init(_ values: [CellValue], fill: RGBColor? = nil) {
            self.values = values
            self.fill = fill
        }
    }

    public struct Sheet: Sendable, Hashable {
        public var name: String
        /// A title row merged across all columns above the header ("某某县委巡察整改台账（截至…）").
        public var title: String?
        public var columns: [Column]
        public var rows: [Row]
        public var isHidden: Bool
        /// Landscape A4 fitted to one page wide, header rows repeated on every printed page.
        public var printLandscape: Bool

        public init(
            name: String, title: String? = nil, columns: [Column], rows: [Row] = [], isHidden: Bool = false,
            printLandscape: Bool = true
        ) {
            self.name = name
            self.title = title
            self.columns = columns
            self.rows = rows
            self.isHidden = isHidden
            self.printLandscape = printLandscape
        }
    }

    public var sheets: [Sheet]
    public var properties: DocumentProperties
    /// Number format of date cells; the default reads "2026年8月1日".
    public var dateFormat: String
    /// Font of every cell; 宋体 is what Chinese Excel and WPS users expect in a ledger.
    public var fontName: String

    public init(
        sheets: [Sheet] = [], properties: DocumentProperties = DocumentProperties(),
        dateFormat: String = "yyyy\"年\"m\"月\"d\"日\"", fontName: String = "宋体"
    ) {
        self.sheets = sheets
        self.properties = properties
        self.dateFormat = dateFormat
        self.fontName = fontName
    }

    /// Excel refuses a cell holding more than this many UTF-16 code units.
    public static let maxCellCharacters = 32_767
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384

    public func data() throws -> Data {
        guard !sheets.isEmpty else {
            throw OfficeError(.invalidArgument(detail: "工作簿至少需要一个工作表"), fileKind: .spreadsheet)
        }
        guard sheets.contains(where: { !$0.isHidden }) else {
            throw OfficeError(.invalidArgument(detail: "工作簿至少需要一个可见的工作表"), fileKind: .spreadsheet)
        }
        var strings = SharedStrings()
        var styles = StyleRegistry()
        let names = Self.sheetNames(sheets.map(\.name))
        var sheetParts: [Data] = []
        for (index, sheet) in sheets.enumerated() {
            sheetParts.append(
                try sheetXML(
                    sheet, name: names[index], selected: index == firstVisible, strings: &strings, styles: &styles)
            )
        }
        let zip = try ZipWriter()
        try zip.add("[Content_Types].xml", contentTypes())
        try zip.add("_rels/.rels", OOXML.packageRelationships)
        try zip.add("docProps/core.xml", OOXML.coreProperties(properties))
        try zip.add("docProps/app.xml", OOXML.appProperties(application: "Microsoft Excel"))
        try zip.add("xl/workbook.xml", workbookXML(names: names))
        try zip.add("xl/_rels/workbook.xml.rels", workbookRelationships())
        try zip.add("xl/styles.xml", styles.xml(fontName: fontName, dateFormat: dateFormat))
        try zip.add("xl/sharedStrings.xml", strings.xml())
        for (index, part) in sheetParts.enumerated() {
            try zip.add("xl/worksheets/sheet\(index + 1).xml", part)
        }
        return zip.finish()
    }

    private var firstVisible: Int { sheets.firstIndex { !$0.isHidden } ?? 0 }

    // MARK: - Sheet

    private func sheetXML(
        _ sheet: Sheet, name: String, selected: Bool, strings: inout SharedStrings, styles: inout StyleRegistry
    ) throws -> Data {
        let columnCount = max(sheet.columns.count, sheet.rows.map(\.values.count).max() ?? 0, 1)
        guard columnCount <= Self.maxColumns else {
            throw OfficeError(
                .unwritableValue(sheet: name, row: 1, column: columnCount, detail: "超过 Excel 的最大列数"),
                fileKind: .spreadsheet)
        }
        let titleRows = sheet.title == nil ? 0 : 1
        let headerRow = titleRows + 1
        let lastRow = headerRow + sheet.rows.count
        guard lastRow <= Self.maxRows else {
            throw OfficeError(
                .unwritableValue(sheet: name, row: lastRow, column: 1, detail: "超过 Excel 的最大行数 1048576"),
                fileKind: .spreadsheet)
        }
        let letters = (0...columnCount).map { CellReference.columnName($0) }
        let lastColumn = letters[columnCount]
        var xml = XMLWriter(capacity: 256 + sheet.rows.count * columnCount * 28)
        xml.raw("<worksheet xmlns=\"\(OOXML.spreadsheetNamespace)\" xmlns:r=\"\(OOXML.relationshipsNamespace)\">")
        if sheet.printLandscape { xml.raw("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>") }
        xml.raw("<dimension ref=\"A1:\(lastColumn)\(lastRow)\"/>")
        xml.raw("<sheetViews><sheetView workbookViewId=\"0\"")
        if selected { xml.raw(" tabSelected=\"1\"") }
        let firstBodyCell = "A\(headerRow + 1)"
        xml.raw("><pane ySplit=\"\(headerRow)\" topLeftCell=\"\(firstBodyCell)\"")
        xml.raw(" activePane=\"bottomLeft\" state=\"frozen\"/>")
        xml.raw("<selection pane=\"bottomLeft\" activeCell=\"\(firstBodyCell)\" sqref=\"\(firstBodyCell)\"/>")
        xml.raw("</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>")
        if !sheet.columns.isEmpty {
            xml.raw("<cols>")
            for (index, column) in sheet.columns.enumerated() {
                let width = min(max(column.width, 1), 255)
                xml.raw("<col min=\"\(index + 1)\" max=\"\(index + 1)\"")
                xml.raw(" width=\"\(CellValue.format(width))\" customWidth=\"1\"/>")
            }
            xml.raw("</cols>")
        }
        xml.raw("<sheetData>")
        if let title = sheet.title {
            xml.raw("<row r=\"1\" ht=\"32\" customHeight=\"1\"><c r=\"A1\"")
            xml.attribute("s", styles.title)
            xml.raw(" t=\"s\"><v>")
            xml.int(strings.index(of: title))
            xml.raw("</v></c></row>")
        }
        xml.raw("<row r=\"\(headerRow)\">")
        for column in 0..<columnCount {
            let header = column < sheet.columns.count ? sheet.columns[column].header : ""
            xml.raw("<c r=\"\(letters[column + 1])\(headerRow)\"")
            xml.attribute("s", styles.header)
            xml.raw(" t=\"s\"><v>")
            xml.int(strings.index(of: header))
            xml.raw("</v></c>")
        }
        xml.raw("</row>")
        // Style ids per (row fill) for every column, as text/number and as date: one lookup per row.
        var rowStyles: [RGBColor?: (plain: [Int], date: [Int])] = [:]
        for (offset, row) in sheet.rows.enumerated() {
            let rowNumber = headerRow + 1 + offset
            let columnStyles: (plain: [Int], date: [Int])
            if let cached = rowStyles[row.fill] {
                columnStyles = cached
            } else {
                columnStyles = styles.bodyStyles(columns: sheet.columns, count: columnCount, fill: row.fill)
                rowStyles[row.fill] = columnStyles
            }
            xml.raw("<row r=\"")
            xml.int(rowNumber)
            // LibreOffice keeps the default height for wrapped text it did not lay out itself; an
            // estimated height shows every line in Calc, Excel and WPS alike.
            let lines = Self.estimatedLines(row.values, columns: sheet.columns)
            if lines > 1 {
                xml.raw("\" ht=\"")
                xml.raw(CellValue.format((Double(lines) * Self.lineHeight).rounded()))
                xml.raw("\" customHeight=\"1")
            }
            xml.raw("\">")
            for column in 0..<columnCount {
                let value = column < row.values.count ? row.values[column] : .empty
                let isDate = if case .date = value { true } else { false }
                xml.raw("<c r=\"")
                xml.raw(letters[column + 1])
                xml.int(rowNumber)
                xml.raw("\" s=\"")
                xml.int(isDate ? columnStyles.date[column] : columnStyles.plain[column])
                switch value {
                case .empty:
                    xml.raw("\"/>")
                case .text(let text):
                    guard text.utf16.count <= Self.maxCellCharacters else {
                        throw OfficeError(
                            .unwritableValue(
                                sheet: name, row: rowNumber, column: column + 1, detail: "文字超过 Excel 单元格上限 32767 字"),
                            fileKind: .spreadsheet)
                    }
                    xml.raw("\" t=\"s\"><v>")
                    xml.int(strings.index(of: text))
                    xml.raw("</v></c>")
                case .number(let number) where number.isFinite:
                    xml.raw("\"><v>")
                    xml.raw(CellValue.format(number))
                    xml.raw("</v></c>")
                case .number:
                    xml.raw("\" t=\"e\"><v>#NUM!</v></c>")
                case .bool(let flag):
                    xml.raw(flag ? "\" t=\"b\"><v>1</v></c>" : "\" t=\"b\"><v>0</v></c>")
                case .date(let date):
                    xml.raw("\"><v>")
                    xml.raw(CellValue.format(date.serial()))
                    xml.raw("</v></c>")
                case .error(let code):
                    xml.raw("\" t=\"e\"><v>")
                    xml.text(code)
                    xml.raw("</v></c>")
                }
            }
            xml.raw("</row>")
        }
        xml.raw("</sheetData>")
        xml.raw("<autoFilter ref=\"A\(headerRow):\(lastColumn)\(lastRow)\"/>")
        if sheet.title != nil {
            xml.raw("<mergeCells count=\"1\"><mergeCell ref=\"A1:\(lastColumn)1\"/></mergeCells>")
        }
        xml.raw("<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>")
        if sheet.printLandscape {
            xml.raw("<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>")
        }
        xml.raw("</worksheet>")
        return xml.data
    }

    /// Points per line of 11 pt 宋体.
    static let lineHeight = 14.25
    /// Rows taller than this are capped (Excel's limit is 409 pt).
    static let maxLines = 28

    /// Lines the tallest wrapped cell of a row needs: a Chinese character takes two width units,
    /// other characters one, and a column of width w holds about w - 1 units per line.
    static func estimatedLines(_ values: [CellValue], columns: [Column]) -> Int {
        var tallest = 1
        for (index, value) in values.enumerated() where index < columns.count && columns[index].wrap {
            guard case .text(let text) = value else { continue }
            let capacity = max(1, Int(columns[index].width) - 1)
            var lines = 1
            var used = 0
            for scalar in text.unicodeScalars {
                if scalar == "\n" {
                    lines += 1
                    used = 0
                    continue
                }
                let width = scalar.value >= 0x1100 ? 2 : 1
                if used + width > capacity {
                    lines += 1
                    used = 0
                }
                used += width
            }
            tallest = max(tallest, lines)
            if tallest >= maxLines { return maxLines }
        }
        return tallest
    }

    // MARK: - Workbook parts

    private func workbookXML(names: [String]) -> Data {
        var xml = XMLWriter()
        xml.raw("<workbook xmlns=\"\(OOXML.spreadsheetNamespace)\" xmlns:r=\"\(OOXML.relationshipsNamespace)\">")
        xml.raw("<workbookPr/><bookViews><workbookView activeTab=\"\(firstVisible)\"/></bookViews><sheets>")
        for (index, sheet) in sheets.enumerated() {
            xml.raw("<sheet")
            xml.attribute("name", names[index])
            xml.attribute("sheetId", index + 1)
            if sheet.isHidden { xml.raw(" state=\"hidden\"") }
            xml.raw(" r:id=\"rId\(index + 1)\"/>")
        }
        xml.raw("</sheets><definedNames>")
        for (index, sheet) in sheets.enumerated() {
            let quoted = "'" + names[index].replacingOccurrences(of: "'", with: "''") + "'"
            let headerRow = sheet.title == nil ? 1 : 2
            let columnCount = max(sheet.columns.count, sheet.rows.map(\.values.count).max() ?? 0, 1)
            let lastColumn = CellReference.columnName(columnCount)
            let lastRow = headerRow + sheet.rows.count
            xml.raw("<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(index)\" hidden=\"1\">")
            xml.text("\(quoted)!$A$\(headerRow):$\(lastColumn)$\(lastRow)")
            xml.raw("</definedName>")
            xml.raw("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"\(index)\">")
            xml.text("\(quoted)!$\(headerRow):$\(headerRow)")
            xml.raw("</definedName>")
        }
        xml.raw("</definedNames><calcPr calcId=\"191029\"/></workbook>")
        return xml.data
    }

    private func workbookRelationships() -> Data {
        var xml = XMLWriter()
        xml.raw("<Relationships xmlns=\"\(OOXML.packageRelationshipsNamespace)\">")
        for index in sheets.indices {
            xml.raw("<Relationship Id=\"rId\(index + 1)\" Type=\"\(OOXML.officeRelationshipType)/worksheet\"")
            xml.raw(" Target=\"worksheets/sheet\(index + 1).xml\"/>")
        }
        let next = sheets.count + 1
        xml.raw(
            "<Relationship Id=\"rId\(next)\" Type=\"\(OOXML.officeRelationshipType)/styles\" Target=\"styles.xml\"/>")
        xml.raw("<Relationship Id=\"rId\(next + 1)\" Type=\"\(OOXML.officeRelationshipType)/sharedStrings\"")
        xml.raw(" Target=\"sharedStrings.xml\"/></Relationships>")
        return xml.data
    }

    private func contentTypes() -> Data {
        var xml = XMLWriter()
        xml.raw("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
        xml.raw(
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
        xml.raw("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
        let main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        xml.raw("<Override PartName=\"/xl/workbook.xml\" ContentType=\"\(main).sheet.main+xml\"/>")
        for index in sheets.indices {
            xml.raw(
                "<Override PartName=\"/xl/worksheets/sheet\(index + 1).xml\" ContentType=\"\(main).worksheet+xml\"/>")
        }
        xml.raw("<Override PartName=\"/xl/styles.xml\" ContentType=\"\(main).styles+xml\"/>")
        xml.raw("<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"\(main).sharedStrings+xml\"/>")
        xml.raw(OOXML.propertiesContentTypes)
        xml.raw("</Types>")
        return xml.data
    }

    /// Excel's rules: 1-31 characters, none of []:*?/\, no leading/trailing apostrophe, unique ignoring case.
    static func sheetNames(_ names: [String]) -> [String] {
        var used: Set<String> = []
        return names.enumerated().map { index, raw in
            let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
            var base = String(raw.map { forbidden.contains($0) ? "_" : $0 })
            while base.hasPrefix("'") { base.removeFirst() }
            while base.hasSuffix("'") { base.removeLast() }
            if base.trimmingCharacters(in: .whitespaces).isEmpty { base = "Sheet\(index + 1)" }
            base = truncated(base, utf16: 31)
            var candidate = base
            var number = 2
            while used.contains(candidate.lowercased()) {
                let suffix = "(\(number))"
                candidate = truncated(base, utf16: 31 - suffix.utf16.count) + suffix
                number += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }

    private static func truncated(_ text: String, utf16 limit: Int) -> String {
        var result = ""
        for character in text {
            guard result.utf16.count + character.utf16.count <= limit else { break }
            result.append(character)
        }
        return result
    }
}

/// The shared string table: each distinct text stored once, indices in first-use order.
/// Keyed by the UTF-8 bytes, hashed in bulk: hashing a Chinese String normalises it first, which
/// costs more than the whole rest of writing a cell.
private struct SharedStrings {
    private struct Key: Hashable {
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private var indices: [Key: Int] = [:]
    private var ordered: [String] = []
    private var references = 0

    mutating func index(of text: String) -> Int {
        references += 1
        let key = Key(bytes: Array(text.utf8))
        if let index = indices[key] { return index }
        let index = ordered.count
        indices[key] = index
        ordered.append(text)
        return index
    }

    func xml() -> Data {
        var xml = XMLWriter(capacity: 64 + ordered.reduce(0) { $0 + $1.utf8.count + 24 })
        xml.raw("<sst xmlns=\"\(OOXML.spreadsheetNamespace)\"")
        xml.attribute("count", references)
        xml.attribute("uniqueCount", ordered.count)
        xml.raw(">")
        for text in ordered {
            xml.raw(XMLWriter.needsPreserve(text) ? "<si><t xml:space=\"preserve\">" : "<si><t>")
            xml.text(text)
            xml.raw("</t></si>")
        }
        xml.raw("</sst>")
        return xml.data
    }
}

/// Cell formats (cellXfs) made on demand, numbered in first-use order so output is deterministic.
private struct StyleRegistry {
    struct Format: Hashable {
        var font: Int
        var fill: Int
        var border: Int
        var isDate: Bool
        var wrap: Bool
        var horizontal: XLSXWriter.Alignment
    }

    static let dateFormatID = 176
    private var formats: [Format] = []
    private var formatIDs: [Format: Int] = [:]
    /// Row fills after the two reserved ones (none, gray125) and the header fill.
    private var fills: [RGBColor] = [.headerBlue]
    private(set) var title = 0
    private(set) var header = 0

    init() {
        _ = id(Format(font: 0, fill: 0, border: 0, isDate: false, wrap: false, horizontal: .left))
        title = id(Format(font: 2, fill: 0, border: 0, isDate: false, wrap: true, horizontal: .center))
        header = id(Format(font: 1, fill: 2, border: 1, isDate: false, wrap: true, horizontal: .center))
    }

    mutating func id(_ format: Format) -> Int {
        if let id = formatIDs[format] { return id }
        formats.append(format)
        formatIDs[format] = formats.count - 1
        return formats.count - 1
    }

    mutating func fillIndex(_ color: RGBColor?) -> Int {
        guard let color else { return 0 }
        if let index = fills.firstIndex(of: color) { return index + 2 }
        fills.append(color)
        return fills.count + 1
    }

    mutating func bodyStyles(columns: [XLSXWriter.Column], count: Int, fill: RGBColor?) -> (plain: [Int], date: [Int]) {
        let fill = fillIndex(fill)
        var plain: [Int] = []
        var date: [Int] = []
        for index in 0..<count {
            let column = index < columns.count ? columns[index] : XLSXWriter.Column("")
            var format = Format(
                font: 0, fill: fill, border: 1, isDate: false, wrap: column.wrap, horizontal: column.alignment)
            plain.append(id(format))
            format.isDate = true
            date.append(id(format))
        }
        return (plain, date)
    }

    func xml(fontName: String, dateFormat: String) -> Data {
        var xml = XMLWriter()
        xml.raw("<styleSheet xmlns=\"\(OOXML.spreadsheetNamespace)\">")
        xml.raw("<numFmts count=\"1\"><numFmt numFmtId=\"\(Self.dateFormatID)\"")
        xml.attribute("formatCode", dateFormat)
        xml.raw("/></numFmts><fonts count=\"3\">")
        for (size, bold) in [(11, false), (11, true), (16, true)] {
            xml.raw(bold ? "<font><b/><sz val=\"\(size)\"/>" : "<font><sz val=\"\(size)\"/>")
            xml.raw("<name")
            xml.attribute("val", fontName)
            xml.raw("/><family val=\"3\"/><charset val=\"134\"/></font>")
        }
        xml.raw("</fonts><fills count=\"\(fills.count + 2)\">")
        xml.raw("<fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>")
        for color in fills {
            xml.raw("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF\(color.hex)\"/>")
            xml.raw("<bgColor indexed=\"64\"/></patternFill></fill>")
        }
        xml.raw("</fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>")
        xml.raw("<border>")
        for side in ["left", "right", "top", "bottom"] {
            xml.raw("<\(side) style=\"thin\"><color auto=\"1\"/></\(side)>")
        }
        xml.raw("<diagonal/></border></borders>")
        xml.raw(
            "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>")
        xml.raw("<cellXfs count=\"\(formats.count)\">")
        for format in formats {
            let numberFormat = format.isDate ? Self.dateFormatID : 0
            xml.raw("<xf numFmtId=\"\(numberFormat)\" fontId=\"\(format.font)\" fillId=\"\(format.fill)\"")
            xml.raw(" borderId=\"\(format.border)\" xfId=\"0\"")
            if format.isDate { xml.raw(" applyNumberFormat=\"1\"") }
            if format.font != 0 { xml.raw(" applyFont=\"1\"") }
            if format.fill != 0 { xml.raw(" applyFill=\"1\"") }
            if format.border != 0 { xml.raw(" applyBorder=\"1\"") }
            xml.raw(" applyAlignment=\"1\"><alignment horizontal=\"\(format.horizontal.rawValue)\" vertical=\"center\"")
            if format.wrap { xml.raw(" wrapText=\"1\"") }
            xml.raw("/></xf>")
        }
        xml.raw(
            "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>")
        xml.raw("</styleSheet>")
        return xml.data
    }
}
