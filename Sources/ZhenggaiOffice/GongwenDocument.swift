public import Foundation

/// A piece of paragraph text.
public enum GongwenRun: Sendable, Hashable {
    case text(String)
    case bold(String)
    /// Text a person must still write (an assessment, a name): shown as 【待填写：…】 on a yellow highlight,
    /// so nobody prints the report with the gap unnoticed.
    case placeholder(String)
}

/// A table inside a report (a ledger excerpt, counts by unit). The header row repeats on every page.
public struct GongwenTable: Sendable, Hashable {
    public struct Column: Sendable, Hashable {
        public var header: String
        /// Relative width; the columns share the 156 mm text width in proportion.
        public var weight: Double
        public var alignment: XLSXWriter.Alignment

        public init(_ header: String, weight: Double = 1, alignment: XLSXWriter.Alignment = .center) {
            self.header = header
            self.weight = weight
            self.alignment = alignment
        }
    }

    /// A caption centred above the table, such as "附表：整改问题清单".
    public var caption: String?
    public var columns: [Column]
    public var rows: [[String]]
    /// Point size of the table text; 12 pt (小四) fits a seven-column ledger excerpt on A4 portrait.
    public var fontSize: Double

    public init(caption: String? = nil, columns: [Column], rows: [[String]], fontSize: Double = 12) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.fontSize = fontSize
    }
}

/// Builds a Word report laid out by GB/T 9704-2012: A4 with the standard margins and 22 × 28 grid,
/// 2号小标宋 title, 3号仿宋 body, 黑体 / 楷体 / 仿宋 headings numbered 一、（一）1.（1）, tables with a
/// repeated header, page numbers "— n —" right on odd and left on even pages, signature and date.
///
///     var doc = GongwenDocument(title: "关于巡察整改进展情况的报告")
///     doc.recipient("县委巡察工作领导小组：")
///     doc.heading(level: 1, text: "整改工作总体情况")
///     doc.paragraph("……")
///     doc.signature(unit: "中共某某镇委员会", date: OfficeDate(year: 2026, month: 8, day: 1))
///     let data = try doc.docxData()
public struct GongwenDocument: Sendable {
    enum Block: Sendable, Hashable {
        case recipient(String)
        case heading(level: Int, marker: String, text: String)
        case paragraph([GongwenRun], indent: Bool, alignment: XLSXWriter.Alignment?)
        case table(GongwenTable)
        case signature(unit: String, date: OfficeDate)
        case blank
        case pageBreak
    }

    public static let placeholderPrefix = "【待填写："

    public var title: String
    public var properties: DocumentProperties
    private(set) var blocks: [Block] = []
    private var counters = [0, 0, 0, 0]

    public init(title: String, properties: DocumentProperties? = nil) {
        self.title = title
        self.properties = properties ?? DocumentProperties(title: title)
    }

    /// 主送机关: flush left under the title, ending with a full-width colon.
    public mutating func recipient(_ text: String) {
        blocks.append(.recipient(text))
    }

    /// A heading of level 1...4. Numbered headings get the 公文 markers 一、 （一） 1. （1）, counted per
    /// parent; pass `numbered: false` when `text` already carries its marker.
    public mutating func heading(level: Int, text: String, numbered: Bool = true) {
        let level = min(max(level, 1), 4)
        var marker = ""
        if numbered {
            counters[level - 1] += 1
            for deeper in level..<counters.count { counters[deeper] = 0 }
            let number = counters[level - 1]
            switch level {
            case 1: marker = ChineseNumeral.text(number) + "、"
            case 2: marker = "（" + ChineseNumeral.text(number) + "）"
            case 3: marker = "\(number)."
            default: marker = "（\(number)）"
            }
        }
        blocks.append(.heading(level: level, marker: marker, text: text))
    }

    /// A body paragraph, first line indented two characters.
    public mutating func paragraph(_ text: String) {
        blocks.append(.paragraph([.text(text)], indent: true, alignment: nil))
    }

    public mutating func paragraph(_ runs: [GongwenRun], indent: Bool = true) {
        blocks.append(.paragraph(runs, indent: indent, alignment: nil))
    }

    /// A line with its own alignment and no indent (附件说明, a centred note).
    public mutating func line(_ runs: [GongwenRun], alignment: XLSXWriter.Alignment) {
        blocks.append(.paragraph(runs, indent: false, alignment: alignment))
    }

    public mutating func table(_ table: GongwenTable) {
        blocks.append(.table(table))
    }

    /// 发文机关署名 and 成文日期 ("2026年8月1日"), laid out as for a sealed document (§7.3.5.1): two blank
    /// lines for the seal, the date four characters in from the right, the unit centred over the date.
    public mutating func signature(unit: String, date: OfficeDate) {
        blocks.append(.blank)
        blocks.append(.blank)
        blocks.append(.signature(unit: unit, date: date))
    }

    public mutating func blankLine() {
        blocks.append(.blank)
    }

    public mutating func pageBreak() {
        blocks.append(.pageBreak)
    }

    /// The .docx file.
    public func docxData() throws -> Data {
        let zip = try ZipWriter()
        try zip.add("[Content_Types].xml", DocxParts.contentTypes)
        try zip.add("_rels/.rels", OOXML.packageRelationships(main: "word/document.xml"))
        try zip.add("docProps/core.xml", OOXML.coreProperties(properties))
        try zip.add("docProps/app.xml", OOXML.appProperties(application: "Microsoft Office Word"))
        try zip.add("word/document.xml", documentXML())
        try zip.add("word/_rels/document.xml.rels", DocxParts.documentRelationships)
        try zip.add("word/styles.xml", DocxParts.styles)
        try zip.add("word/settings.xml", DocxParts.settings)
        try zip.add("word/fontTable.xml", DocxParts.fontTable)
        try zip.add("word/footer1.xml", DocxParts.footer(oddPage: true))
        try zip.add("word/footer2.xml", DocxParts.footer(oddPage: false))
        return zip.finish()
    }

    // MARK: - document.xml

    func documentXML() -> Data {
        var xml = XMLWriter(capacity: 4096 + blocks.count * 400)
        xml.raw("<w:document xmlns:w=\"\(OOXML.wordNamespace)\" xmlns:r=\"\(OOXML.relationshipsNamespace)\"><w:body>")
        xml.raw("<w:p><w:pPr><w:pStyle w:val=\"GongwenTitle\"/></w:pPr>")
        Self.runs([.text(title)], into: &xml)
        xml.raw("</w:p>")
        // §7.3.3: the recipient (or the body) starts one line below the title.
        xml.raw("<w:p/>")
        for block in blocks {
            switch block {
            case .recipient(let text):
                xml.raw("<w:p><w:pPr><w:pStyle w:val=\"GongwenRecipient\"/></w:pPr>")
                Self.runs([.text(text)], into: &xml)
                xml.raw("</w:p>")
            case .heading(let level, let marker, let text):
                xml.raw("<w:p><w:pPr><w:pStyle w:val=\"Heading\(level)\"/></w:pPr>")
                Self.runs([.text(marker + text)], into: &xml)
                xml.raw("</w:p>")
            case .paragraph(let runs, let indent, let alignment):
                xml.raw("<w:p>")
                if !indent || alignment != nil {
                    xml.raw("<w:pPr>")
                    if !indent { xml.raw("<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>") }
                    if let alignment { xml.raw("<w:jc w:val=\"\(Self.justification(alignment))\"/>") }
                    xml.raw("</w:pPr>")
                }
                Self.runs(runs, into: &xml)
                xml.raw("</w:p>")
            case .table(let table):
                Self.table(table, into: &xml)
            case .signature(let unit, let date):
                Self.signature(unit: unit, date: date, into: &xml)
            case .blank:
                xml.raw("<w:p/>")
            case .pageBreak:
                xml.raw("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>")
            }
        }
        xml.raw("<w:sectPr>")
        xml.raw("<w:footerReference w:type=\"default\" r:id=\"rIdFooterOdd\"/>")
        xml.raw("<w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>")
        xml.raw("<w:pgSz w:w=\"\(GongwenLayout.pageWidth)\" w:h=\"\(GongwenLayout.pageHeight)\"/>")
        xml.raw("<w:pgMar w:top=\"\(GongwenLayout.marginTop)\" w:right=\"\(GongwenLayout.marginRight)\"")
        xml.raw(" w:bottom=\"\(GongwenLayout.marginBottom)\" w:left=\"\(GongwenLayout.marginLeft)\"")
        xml.raw(" w:header=\"851\" w:footer=\"\(GongwenLayout.footerDistance)\" w:gutter=\"0\"/>")
        xml.raw("<w:pgNumType w:start=\"1\"/><w:cols w:space=\"720\"/>")
        // The 22-line grid; the 28 characters come from the body's character spacing (see GongwenLayout).
        xml.raw("<w:docGrid w:type=\"lines\" w:linePitch=\"\(GongwenLayout.linePitch)\"/>")
        xml.raw("</w:sectPr></w:body></w:document>")
        return xml.data
    }

    static func justification(_ alignment: XLSXWriter.Alignment) -> String {
        switch alignment {
        case .left: "left"
        case .center: "center"
        case .right: "right"
        }
    }

    /// Runs with line breaks and tabs turned into w:br / w:tab. `font` and `size` are run properties
    /// (w:rFonts, w:sz) applied to every run; they are placed in the order the schema demands.
    static func runs(_ runs: [GongwenRun], into xml: inout XMLWriter, font: String = "", size: String = "") {
        for run in runs {
            let text: String
            var runProperties = font
            switch run {
            case .text(let value):
                text = value
                runProperties += size
            case .bold(let value):
                text = value
                runProperties += "<w:b/><w:bCs/>" + size
            case .placeholder(let value):
                text = placeholderPrefix + value + "】"
                runProperties += size + "<w:highlight w:val=\"yellow\"/>"
            }
            guard !text.isEmpty else { continue }
            xml.raw("<w:r>")
            if !runProperties.isEmpty { xml.raw("<w:rPr>\(runProperties)</w:rPr>") }
            var first = true
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if !first { xml.raw("<w:br/>") }
                first = false
                var firstPiece = true
                for piece in line.split(separator: "\t", omittingEmptySubsequences: false) {
                    if !firstPiece { xml.raw("<w:tab/>") }
                    firstPiece = false
                    guard !piece.isEmpty else { continue }
                    let value = String(piece)
                    xml.raw(XMLWriter.needsPreserve(value) ? "<w:t xml:space=\"preserve\">" : "<w:t>")
                    xml.text(value)
                    xml.raw("</w:t>")
                }
            }
            xml.raw("</w:r>")
        }
    }

    static func table(_ table: GongwenTable, into xml: inout XMLWriter) {
        let columns = table.columns.isEmpty ? [GongwenTable.Column("")] : table.columns
        let total = columns.reduce(0) { $0 + max($1.weight, 0.01) }
        var widths = columns.map {
            Int((Double(GongwenLayout.textWidth) * max($0.weight, 0.01) / total).rounded(.down))
        }
        widths[widths.count - 1] += GongwenLayout.textWidth - widths.reduce(0, +)
        let size = Int((table.fontSize * 2).rounded())
        let sizeProperties = "<w:sz w:val=\"\(size)\"/><w:szCs w:val=\"\(size)\"/>"
        if let caption = table.caption {
            xml.raw("<w:p><w:pPr><w:pStyle w:val=\"GongwenTableCaption\"/></w:pPr>")
            runs([.text(caption)], into: &xml)
            xml.raw("</w:p>")
        }
        xml.raw("<w:tbl><w:tblPr><w:tblW w:w=\"\(GongwenLayout.textWidth)\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>")
        xml.raw("<w:tblBorders>")
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            xml.raw("<w:\(side) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>")
        }
        xml.raw("</w:tblBorders><w:tblLayout w:type=\"fixed\"/>")
        xml.raw("<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>")
        xml.raw("<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\"")
        xml.raw(" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>")
        for width in widths { xml.raw("<w:gridCol w:w=\"\(width)\"/>") }
        xml.raw("</w:tblGrid>")
        let headerFont = "<w:rFonts w:ascii=\"黑体\" w:eastAsia=\"黑体\" w:hAnsi=\"黑体\"/>"
        for (rowIndex, row) in ([columns.map(\.header)] + table.rows).enumerated() {
            let isHeader = rowIndex == 0
            xml.raw(
                isHeader
                    ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" : "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            for (columnIndex, width) in widths.enumerated() {
                let text = columnIndex < row.count ? row[columnIndex] : ""
                let alignment = isHeader ? .center : columns[columnIndex].alignment
                xml.raw("<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>")
                xml.raw(
                    "<w:p><w:pPr><w:pStyle w:val=\"GongwenTableText\"/><w:jc w:val=\"\(justification(alignment))\"/>")
                xml.raw("<w:rPr>\(sizeProperties)</w:rPr></w:pPr>")
                runs([.text(text)], into: &xml, font: isHeader ? headerFont : "", size: sizeProperties)
                xml.raw("</w:p></w:tc>")
            }
            xml.raw("</w:tr>")
        }
        xml.raw("</w:tbl>")
        // Word needs a paragraph between a table and what follows; it also spaces the table from the text.
        xml.raw("<w:p/>")
    }

    static func signature(unit: String, date: OfficeDate, into xml: inout XMLWriter) {
        let dateText = date.chineseText
        let unitWidth = ChineseNumeral.emWidth(unit)
        let dateWidth = ChineseNumeral.emWidth(dateText)
        var dateRight = 4.0
        var unitRight = dateRight + (dateWidth - unitWidth) / 2
        if unitRight < 2 {
            // A long unit name: the name keeps two characters from the edge and the date centres under it.
            unitRight = 2
            dateRight = unitRight + (unitWidth - dateWidth) / 2
        }
        for (text, right) in [(unit, unitRight), (dateText, dateRight)] {
            let indent = Int((right * Double(GongwenLayout.bodyCharacter)).rounded())
            xml.raw("<w:p><w:pPr><w:ind w:right=\"\(indent)\" w:firstLineChars=\"0\" w:firstLine=\"0\"/>")
            xml.raw("<w:jc w:val=\"right\"/></w:pPr>")
            runs([.text(text)], into: &xml)
            xml.raw("</w:p>")
        }
    }
}

enum ChineseNumeral {
    private static let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]

    /// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (headings rarely pass 20).
    static func text(_ number: Int) -> String {
        guard number > 0 else { return digits[0] }
        if number >= 1000 { return String(number) }
        var result = ""
        let hundreds = number / 100
        let tens = number / 10 % 10
        let ones = number % 10
        if hundreds > 0 { result += digits[hundreds] + "百" }
        if tens > 0 {
            if hundreds == 0 && tens == 1 { result += "十" } else { result += digits[tens] + "十" }
        } else if hundreds > 0 && ones > 0 {
            result += "零"
        }
        if ones > 0 { result += digits[ones] }
        return result
    }

    /// Width in body characters: Chinese characters and full-width punctuation one, the half-width
    /// digits and letters of a date half.
    static func emWidth(_ text: String) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value < 0x1100 ? 0.5 : 1) }
    }
}
