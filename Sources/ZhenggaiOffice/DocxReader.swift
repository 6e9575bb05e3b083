public import Foundation

/// One paragraph of an imported Word document.
public struct DocxParagraph: Sendable, Hashable {
    /// The text as the reader sees it, automatic numbering included ("一、存在的问题").
    public var text: String
    /// The marker Word generated from list numbering ("一、", "（二）", "1."), when there was one.
    public var numberingMarker: String?
    /// The paragraph style id ("Heading1", "1"), useful as a hint for outline levels.
    public var styleID: String?

    public init(text: String, numberingMarker: String? = nil, styleID: String? = nil) {
        self.text = text
        self.numberingMarker = numberingMarker
        self.styleID = styleID
    }
}

/// The text of a .docx in reading order: paragraphs and tables of the body, text boxes after the
/// paragraph that anchors them. Deleted revisions, field codes and headers/footers are left out.
public struct DocxText: Sendable, Hashable {
    public enum Block: Sendable, Hashable {
        case paragraph(DocxParagraph)
        /// Rows of cells; a cell's paragraphs are joined with "\n".
        case table([[String]])
    }

    public var blocks: [Block]

    public init(blocks: [Block]) {
        self.blocks = blocks
    }

    public var paragraphs: [DocxParagraph] {
        blocks.compactMap { if case .paragraph(let paragraph) = $0 { paragraph } else { nil } }
    }

    /// One line per paragraph, one line per table row with cells separated by tabs: the form the
    /// Chinese text parser reads.
    public var plainText: String {
        blocks.map { block in
            switch block {
            case .paragraph(let paragraph): paragraph.text
            case .table(let rows):
                rows.map { $0.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\t") }
                    .joined(separator: "\n")
            }
        }.joined(separator: "\n")
    }
}

/// Reads the text of .docx files for document import, with the ZIP and XML limits of the office layer.
public enum DocxReader {
    public static func read(
        _ data: Data, fileName: String? = nil, limits: ZipLimits = .standard, xmlLimits: XMLLimits = .standard
    ) throws -> DocxText {
        let zip = try SafeZipReader(data: data, fileKind: .document, fileName: fileName, limits: limits)
        let documentPath = try mainDocumentPath(zip)
        func parsing<T>(_ path: String, _ body: (XMLPullParser) throws -> T) throws -> T {
            let parser = XMLPullParser(try zip.require(path), limits: xmlLimits)
            do {
                return try body(parser)
            } catch let error as XMLError {
                throw error.officeError(part: path, fileName: fileName, fileKind: .document)
            }
        }
        let directory = documentPath.split(separator: "/").dropLast().joined(separator: "/")
        let prefix = directory.isEmpty ? "" : directory + "/"
        var numbering = Numbering()
        if zip.contains(prefix + "numbering.xml") {
            numbering = try parsing(prefix + "numbering.xml") { try Numbering(parser: $0) }
        }
        if zip.contains(prefix + "styles.xml") {
            numbering.styleNumbering = try parsing(prefix + "styles.xml") { try Numbering.styleNumbering(parser: $0) }
        }
        return try parsing(documentPath) { parser in
            var reader = BodyReader(numbering: numbering)
            return DocxText(blocks: try reader.readDocument(parser))
        }
    }

    private static func mainDocumentPath(_ zip: SafeZipReader) throws -> String {
        if zip.contains("word/document.xml") { return "word/document.xml" }
        if let rels = try zip.read("_rels/.rels") {
            let parser = XMLPullParser(rels)
            while let event = try? parser.next(), event != .endOfDocument {
                if event == .startElement, parser.isElement("Relationship"),
                    parser.attribute("Type")?.hasSuffix("/officeDocument") == true,
                    let target = parser.attribute("Target").map(SafeZipReader.normalize), zip.contains(target),
                    !target.hasPrefix("xl/")
                {
                    return target
                }
            }
        }
        let fail = { OfficeError($0, fileName: zip.fileName, fileKind: .document) }
        if zip.contains("xl/workbook.xml") { throw fail(.wrongPackage(found: "Excel 文件")) }
        if zip.contains("ppt/presentation.xml") { throw fail(.wrongPackage(found: "PowerPoint 演示文稿")) }
        throw fail(.wrongPackage(found: nil))
    }
}

/// Walks word/document.xml.
private struct BodyReader {
    var numbering: Numbering

    mutating func readDocument(_ parser: XMLPullParser) throws -> [DocxText.Block] {
        while true {
            switch try parser.next() {
            case .startElement where parser.isElement("body"):
                return try readBlocks(parser)
            case .endOfDocument:
                return []
            default:
                continue
            }
        }
    }

    /// Block content up to the end of the current element (body, table cell, text box, content control).
    mutating func readBlocks(_ parser: XMLPullParser) throws -> [DocxText.Block] {
        var blocks: [DocxText.Block] = []
        while true {
            switch try parser.next() {
            case .startElement:
                if parser.isElement("p") {
                    let (paragraph, floating) = try readParagraph(parser)
                    blocks.append(.paragraph(paragraph))
                    blocks += floating
                } else if parser.isElement("tbl") {
                    blocks.append(.table(try readTable(parser)))
                } else if parser.isElement("sectPr") {
                    try parser.skipElement()
                }
            // Content controls (w:sdt, w:sdtContent), custom XML and the like are walked through.
            case .endElement
            where parser.isElement("body") || parser.isElement("tc") || parser.isElement("txbxContent"):
                return blocks
            case .endOfDocument:
                return blocks
            default:
                continue
            }
        }
    }

    mutating func readTable(_ parser: XMLPullParser) throws -> [[String]] {
        var rows: [[String]] = []
        while true {
            switch try parser.next() {
            case .startElement where parser.isElement("tr"):
                rows.append([])
            case .startElement where parser.isElement("tc"):
                let blocks = try readBlocks(parser)
                let text = blocks.map { block in
                    switch block {
                    case .paragraph(let paragraph): paragraph.text
                    case .table(let nested): nested.map { $0.joined(separator: "\t") }.joined(separator: "\n")
                    }
                }.joined(separator: "\n")
                if rows.isEmpty { rows.append([]) }
                rows[rows.count - 1].append(text)
            case .startElement where parser.isElement("tblPr") || parser.isElement("tblGrid"):
                try parser.skipElement()
            case .endElement where parser.isElement("tbl"):
                return rows
            case .endOfDocument:
                return rows
            default:
                continue
            }
        }
    }

    /// A paragraph's text and the text boxes anchored in it.
    mutating func readParagraph(_ parser: XMLPullParser) throws -> (DocxParagraph, [DocxText.Block]) {
        var text = ""
        var floating: [DocxText.Block] = []
        var styleID: String?
        var numberID: String?
        var level = 0
        var inText = false
        while true {
            switch try parser.next() {
            case .startElement:
                if parser.isElement("t") {
                    inText = true
                } else if parser.isElement("tab") {
                    text += "\t"
                } else if parser.isElement("br") || parser.isElement("cr") {
                    text += "\n"
                } else if parser.isElement("noBreakHyphen") {
                    text += "-"
                } else if parser.isElement("pStyle") {
                    styleID = parser.attribute("val")
                } else if parser.isElement("numId") {
                    numberID = parser.attribute("val")
                } else if parser.isElement("ilvl") {
                    level = parser.attribute("val").flatMap { Int($0) } ?? 0
                } else if parser.isElement("txbxContent") {
                    floating += try readBlocks(parser)
                } else if parser.isElement("delText") || parser.isElement("instrText") || parser.isElement("Fallback")
                    || parser.isElement("rPr") || parser.isElement("footnoteReference")
                    || parser.isElement("endnoteReference")
                {
                    // Deleted revisions, field codes, and the VML duplicate of a text box are not text.
                    try parser.skipElement()
                }
            case .endElement where parser.isElement("t"):
                inText = false
            case .endElement where parser.isElement("p"):
                let marker = numbering.marker(numberID: numberID, level: level, styleID: styleID)
                let paragraph = DocxParagraph(text: (marker ?? "") + text, numberingMarker: marker, styleID: styleID)
                return (paragraph, floating)
            case .text where inText:
                text += parser.text
            case .endOfDocument:
                return (DocxParagraph(text: text, styleID: styleID), floating)
            default:
                continue
            }
        }
    }
}

/// Word's automatic list numbering, enough to restore the outline markers of Chinese documents
/// ("一、", "（一）", "1.", "（1）", "①") that live in numbering.xml rather than in the text.
private struct Numbering {
    struct Level {
        var start = 1
        var format = "decimal"
        var text = "%1."
    }

    /// abstractNumId → levels by ilvl.
    var abstractLevels: [String: [Int: Level]] = [:]
    /// numId → (abstractNumId, start overrides by ilvl).
    var instances: [String: (abstract: String, starts: [Int: Int])] = [:]
    /// styleId → (numId, ilvl) for styles that carry numbering (headings often do).
    var styleNumbering: [String: (numberID: String, level: Int)] = [:]
    /// Counters per numId and level.
    private var counters: [String: [Int]] = [:]

    init() {}

    init(parser: XMLPullParser) throws {
        var abstractID: String?
        var numberID: String?
        var level: (index: Int, value: Level)?
        var overrideLevel: Int?
        while true {
            switch try parser.next() {
            case .startElement:
                if parser.isElement("abstractNum") {
                    abstractID = parser.attribute("abstractNumId")
                } else if parser.isElement("lvl"), abstractID != nil {
                    level = (parser.attribute("ilvl").flatMap { Int($0) } ?? 0, Level())
                } else if parser.isElement("start"), let value = parser.attribute("val").flatMap({ Int($0) }) {
                    level?.value.start = value
                } else if parser.isElement("numFmt"), let value = parser.attribute("val") {
                    level?.value.format = value
                } else if parser.isElement("lvlText"), let value = parser.attribute("val") {
                    level?.value.text = value
                } else if parser.isElement("num") {
                    numberID = parser.attribute("numId")
                } else if parser.isElement("abstractNumId"), let numberID, let value = parser.attribute("val") {
                    instances[numberID] = (value, [:])
                } else if parser.isElement("lvlOverride") {
                    overrideLevel = parser.attribute("ilvl").flatMap { Int($0) }
                } else if parser.isElement("startOverride"), let numberID, let overrideLevel,
                    let value = parser.attribute("val").flatMap({ Int($0) })
                {
                    instances[numberID]?.starts[overrideLevel] = value
                }
            case .endElement:
                if parser.isElement("lvl"), let abstractID, let finished = level {
                    abstractLevels[abstractID, default: [:]][finished.index] = finished.value
                    level = nil
                } else if parser.isElement("abstractNum") {
                    abstractID = nil
                } else if parser.isElement("num") {
                    numberID = nil
                }
            case .endOfDocument:
                return
            default:
                continue
            }
        }
    }

    static func styleNumbering(parser: XMLPullParser) throws -> [String: (numberID: String, level: Int)] {
        var result: [String: (numberID: String, level: Int)] = [:]
        var styleID: String?
        var numberID: String?
        var level = 0
        while true {
            switch try parser.next() {
            case .startElement where parser.isElement("style"):
                styleID = parser.attribute("styleId")
                numberID = nil
                level = 0
            case .startElement where parser.isElement("numId"):
                numberID = parser.attribute("val")
            case .startElement where parser.isElement("ilvl"):
                level = parser.attribute("val").flatMap { Int($0) } ?? 0
            case .endElement where parser.isElement("style"):
                if let styleID, let numberID { result[styleID] = (numberID, level) }
            case .endOfDocument:
                return result
            default:
                continue
            }
        }
    }

    mutating func marker(numberID: String?, level: Int, styleID: String?) -> String? {
        var numberID = numberID
        var level = level
        if numberID == nil, let styleID, let inherited = styleNumbering[styleID] {
            numberID = inherited.numberID
            level = inherited.level
        }
        // numId 0 switches numbering off.
        guard let numberID, numberID != "0", let instance = instances[numberID],
            let levels = abstractLevels[instance.abstract], let definition = levels[level], (0...8).contains(level)
        else { return nil }
        var values = counters[numberID] ?? Array(repeating: 0, count: 9)
        for index in 0...level where values[index] == 0 {
            values[index] = (instance.starts[index] ?? levels[index]?.start ?? 1) - (index == level ? 1 : 0)
        }
        values[level] += 1
        for deeper in (level + 1)..<9 { values[deeper] = 0 }
        counters[numberID] = values
        if definition.format == "bullet" || definition.format == "none" { return nil }
        var text = definition.text
        for index in 0...level {
            let format = levels[index]?.format ?? "decimal"
            text = text.replacingOccurrences(of: "%\(index + 1)", with: Self.format(values[index], as: format))
        }
        return text
    }

    static func format(_ number: Int, as format: String) -> String {
        switch format {
        case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
            "chineseLegalSimplified":
            return ChineseNumeral.text(number)
        case "ideographTraditional":
            let stems = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]
            return stems[(number - 1) % stems.count]
        case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
            guard (1...20).contains(number), let scalar = Unicode.Scalar(0x2460 + UInt32(number - 1)) else {
                return String(number)
            }
            return String(Character(scalar))
        case "decimalFullWidth", "decimalFullWidth2":
            return String(String(number).unicodeScalars.map { Character(Unicode.Scalar($0.value + 0xFEE0) ?? $0) })
        case "lowerLetter", "upperLetter":
            let letter = CellReference.columnName(number)
            return format == "lowerLetter" ? letter.lowercased() : letter
        case "lowerRoman", "upperRoman":
            let roman = Self.roman(number)
            return format == "lowerRoman" ? roman.lowercased() : roman
        default:
            return String(number)
        }
    }

    static func roman(_ number: Int) -> String {
        let table: [(Int, String)] = [
            (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
        ]
        var rest = number
        var result = ""
        for (value, symbol) in table {
            while rest >= value {
                result += symbol
                rest -= value
            }
        }
        return result
    }
}
