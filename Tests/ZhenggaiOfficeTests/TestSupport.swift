import Foundation
import Testing

@testable import ZhenggaiOffice

/// Builds hand-written OOXML packages for the readers, with exactly the XML a test needs.
enum Package {
    static func make(_ parts: [(String, String)]) throws -> Data {
        let zip = try ZipWriter()
        for (path, text) in parts { try zip.add(path, text) }
        return zip.finish()
    }

    /// A minimal .xlsx: workbook with the given sheets (name, state, sheet XML body inside <sheetData>…),
    /// optional shared strings and styles.
    static func workbook(
        sheets: [(name: String, state: String?, xml: String)], sharedStrings: [String] = [], styles: String? = nil,
        date1904: Bool = false
    ) throws -> Data {
        let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        var sheetEntries = ""
        var rels = ""
        var parts: [(String, String)] = []
        for (index, sheet) in sheets.enumerated() {
            let state = sheet.state.map { " state=\"\($0)\"" } ?? ""
            sheetEntries += "<sheet name=\"\(sheet.name)\" sheetId=\"\(index + 1)\"\(state) r:id=\"rId\(index + 1)\"/>"
            rels +=
                "<Relationship Id=\"rId\(index + 1)\" Type=\"\(rel)/worksheet\""
                + " Target=\"worksheets/sheet\(index + 1).xml\"/>"
            parts.append(("xl/worksheets/sheet\(index + 1).xml", "<worksheet xmlns=\"\(ns)\">\(sheet.xml)</worksheet>"))
        }
        rels += "<Relationship Id=\"rIdS\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        rels += "<Relationship Id=\"rIdT\" Type=\"\(rel)/styles\" Target=\"/xl/styles.xml\"/>"
        let strings = sharedStrings.map { "<si>\($0)</si>" }.joined()
        parts += [
            (
                "_rels/.rels",
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "<Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/>"
                    + "</Relationships>"
            ),
            (
                "xl/workbook.xml",
                "<workbook xmlns=\"\(ns)\" xmlns:r=\"\(rel)\"><workbookPr date1904=\"\(date1904 ? 1 : 0)\"/>"
                    + "<sheets>\(sheetEntries)</sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                    + "\(rels)</Relationships>"
            ),
            ("xl/sharedStrings.xml", "<sst xmlns=\"\(ns)\">\(strings)</sst>"),
            (
                "xl/styles.xml",
                styles ?? "<styleSheet xmlns=\"\(ns)\"><cellXfs><xf numFmtId=\"0\"/></cellXfs></styleSheet>"
            ),
        ]
        return try make(parts)
    }

    /// A minimal .docx around the given body XML (w: prefix bound).
    static func document(body: String, extraParts: [(String, String)] = []) throws -> Data {
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        return try make(
            [("word/document.xml", "<w:document xmlns:w=\"\(w)\"><w:body>\(body)</w:body></w:document>")]
                + extraParts)
    }
}

/// Catches the OfficeError a throwing call produces, for checks on its reason and message.
func officeError(_ body: () throws -> Void) -> OfficeError? {
    do {
        try body()
        return nil
    } catch let error as OfficeError {
        return error
    } catch {
        return nil
    }
}
