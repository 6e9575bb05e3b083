import Foundation
import Testing
import ZhenggaiBenchmarks

@testable import ZhenggaiOffice

@Suite("XLSX writing and reading")
struct XLSXTests {
    static let awkwardTexts = [
        "巡察发现：“三重一大”制度执行不到位", "He said \"quoted\" & 'single'", "<script>alert('x')</script>",
        "第一行\n第二行\r\n第三行", "  前后空格  ", "制表\t符", "emoji 👍 和 生僻字 𠀀", "=SUM(A1:A2)", "",
    ]

    @Test func roundTripsTextNumbersBooleansAndDates() throws {
        let columns = ["序号", "反馈问题", "金额", "整改时限", "已销号"].map { XLSXWriter.Column($0) }
        let rows = Self.awkwardTexts.enumerated().map { index, text in
            XLSXWriter.Row(
                [
                    .number(Double(index + 1)), .text(text), .number(-1234.5 + Double(index) / 8),
                    .date(OfficeDate(year: 2026, month: 2, day: 28 - index)), .bool(index % 2 == 0),
                ], fill: index % 3 == 0 ? .lightRed : nil)
        }
        let data = try XLSXWriter(sheets: [.init(name: "台账", title: "整改台账", columns: columns, rows: rows)]).data()

        let sheet = try #require(try XLSXReader.read(data, fileName: "台账.xlsx").sheets.first)

        #expect(sheet.name == "台账")
        #expect(sheet.mergedRanges == [CellRange("A1:E1")!])
        #expect(sheet.cell(row: 1, column: 1).value == .text("整改台账"))
        #expect(sheet.rows[1].cells.map(\.value) == columns.map { .text($0.header) })
        for (index, row) in rows.enumerated() {
            let read = sheet.rows.first { $0.number == index + 3 }?.cells.map(\.value) ?? []
            // CR is written as a character reference, so even "\r\n" comes back unchanged.
            let expected = row.values.map { $0 == .text("") ? .empty : $0 }
            #expect(
                Array(read.prefix(expected.count))
                    + Array(repeating: .empty, count: max(0, expected.count - read.count)) == expected)
        }
    }

    @Test func writesEqualBytesForEqualInput() throws {
        let sheet = OfficeBenchmark.ledgerSheet(rows: 50)
        #expect(try XLSXWriter(sheets: [sheet]).data() == XLSXWriter(sheets: [sheet]).data())
    }

    @Test func writesFrozenHeaderAutofilterWidthsAndStyles() throws {
        let data = try XLSXWriter(sheets: [OfficeBenchmark.ledgerSheet(rows: 3)]).data()
        let reader = try SafeZipReader(data: data, fileKind: .spreadsheet, fileName: nil)
        let sheet = String(decoding: try reader.require("xl/worksheets/sheet1.xml"), as: UTF8.self)
        #expect(sheet.contains("<pane ySplit=\"2\" topLeftCell=\"A3\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(sheet.contains("<autoFilter ref=\"A2:Q5\"/>"))
        #expect(sheet.contains("<mergeCell ref=\"A1:Q1\"/>"))
        #expect(sheet.contains("<col min=\"4\" max=\"4\" width=\"40\" customWidth=\"1\"/>"))
        let styles = String(decoding: try reader.require("xl/styles.xml"), as: UTF8.self)
        #expect(styles.contains("formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\""))
        #expect(styles.contains("<fgColor rgb=\"FFE2EFDA\"/>"))
        #expect(styles.contains("wrapText=\"1\""))
        let workbook = String(decoding: try reader.require("xl/workbook.xml"), as: UTF8.self)
        #expect(workbook.contains("_xlnm._FilterDatabase"))
        for part in [
            "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "xl/sharedStrings.xml",
        ] {
            #expect(reader.contains(part), "missing \(part)")
        }
    }

    @Test func makesSheetNamesExcelAccepts() {
        #expect(
            XLSXWriter.sheetNames(["台账/2026", "台账/2026", "", "'x'", String(repeating: "长", count: 40)])
                == ["台账_2026", "台账_2026(2)", "Sheet3", "x", String(repeating: "长", count: 31)])
    }

    @Test func refusesTextLongerThanACellHolds() {
        let sheet = XLSXWriter.Sheet(
            name: "台账", columns: [.init("备注")], rows: [.init([.text(String(repeating: "字", count: 32_768))])])
        let error = officeError { _ = try XLSXWriter(sheets: [sheet]).data() }
        #expect(error?.reason == .unwritableValue(sheet: "台账", row: 2, column: 1, detail: "文字超过 Excel 单元格上限 32767 字"))
    }

    @Test func readsHiddenSheetsMergedCellsFormulasAndRichText() throws {
        let data = try Package.workbook(
            sheets: [
                (
                    "台账", nil,
                    """
                    <sheetData>
                    <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
                    <row r="2"><c r="A2" t="inlineStr"><is><r><t>县财政局</t></r>
                      <r><t xml:space="preserve"> 牵头</t></r></is></c>
                      <c r="B2"><f>SUM(C2:D2)</f><v>42</v></c><c r="C2" t="str"><f>A2&amp;"x"</f><v>县财政局x</v></c>
                      <c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>
                    <row r="4"><c r="B4"><f t="shared" si="0"/><v>7</v></c></row>
                    </sheetData><mergeCells count="2"><mergeCell ref="A2:A4"/><mergeCell ref="C3:D3"/></mergeCells>
                    <drawing r:id="rId9" xmlns:r="urn:r"/>
                    """
                ),
                ("说明", "hidden", "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>2</v></c></row></sheetData>"),
                ("隐藏", "veryHidden", "<sheetData/>"),
            ],
            sharedStrings: [
                "<t>责任单位</t>", "<r><t>合</t></r><r><rPr><b/></rPr><t>计</t></r><rPh><t>ヘイ</t></rPh>", "<t>内部</t>",
            ])

        let book = try XLSXReader.read(data)

        #expect(book.sheets.map(\.name) == ["台账", "说明", "隐藏"])
        #expect(book.sheets.map(\.visibility) == [.visible, .hidden, .veryHidden])
        let sheet = book.sheets[0]
        #expect(sheet.rows[0].cells.map(\.value) == [.text("责任单位"), .text("合计")])
        #expect(sheet.cell(row: 2, column: 1) == Cell(.text("县财政局 牵头")))
        #expect(sheet.cell(row: 2, column: 2) == Cell(.number(42), isFormula: true))
        #expect(sheet.cell(row: 2, column: 3) == Cell(.text("县财政局x"), isFormula: true))
        #expect(sheet.cell(row: 2, column: 4) == Cell(.bool(true)))
        #expect(sheet.cell(row: 2, column: 5) == Cell(.error("#DIV/0!"), isFormula: true))
        #expect(sheet.cell(row: 4, column: 2) == Cell(.number(7), isFormula: true))
        #expect(sheet.mergedRanges == [CellRange("A2:A4")!, CellRange("C3:D3")!])

        let filled = sheet.fillingMergedCells()
        #expect(filled.cell(row: 3, column: 1).value == .text("县财政局 牵头"))
        #expect(filled.cell(row: 4, column: 1).value == .text("县财政局 牵头"))
        #expect(filled.cell(row: 4, column: 2).value == .number(7))
        #expect(filled.cell(row: 3, column: 3).value == .empty)
    }

    @Test func recognisesDatesByBuiltInAndCustomFormats() throws {
        let styles = """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
            <numFmts><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
            <numFmt numFmtId="177" formatCode="0.00&quot;万元&quot;"/>
            <numFmt numFmtId="178" formatCode="[Red]0.00;[Blue]-0.00"/>
            <numFmt numFmtId="179" formatCode="0.00E+00"/></numFmts>
            <cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="178"/>
            <xf numFmtId="31"/><xf numFmtId="22"/><xf numFmtId="179"/></cellXfs></styleSheet>
            """
        let cells = (0...7).map { "<c r=\"\(CellReference.columnName($0 + 1))1\" s=\"\($0)\"><v>46235.5</v></c>" }
            .joined()
        let data = try Package.workbook(
            sheets: [("表", nil, "<sheetData><row r=\"1\">\(cells)</row></sheetData>")], styles: styles)

        let values = try XLSXReader.read(data).sheets[0].rows[0].cells.map(\.value)

        let noon = OfficeDate(year: 2026, month: 8, day: 1, secondsOfDay: 43_200)
        #expect(
            values == [
                .number(46235.5), .date(noon), .date(noon), .number(46235.5), .number(46235.5), .date(noon),
                .date(noon), .number(46235.5),
            ])
    }

    @Test(arguments: [
        (1.0, false, "1900-01-01"), (59, false, "1900-02-28"), (61, false, "1900-03-01"), (46234, false, "2026-07-31"),
        (46235, false, "2026-08-01"), (0, true, "1904-01-01"), (44773, true, "2026-08-01"),
    ])
    func convertsSerialNumbers(serial: Double, date1904: Bool, iso: String) throws {
        let date = try #require(OfficeDate(serial: serial, date1904: date1904))
        #expect(date.isoText == iso)
        if serial > 60 || date1904 { #expect(date.serial(date1904: date1904) == serial) }
    }

    @Test func readsTheDate1904System() throws {
        let styles =
            "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<cellXfs><xf numFmtId=\"14\"/></cellXfs></styleSheet>"
        let data = try Package.workbook(
            sheets: [("表", nil, "<sheetData><row r=\"1\"><c r=\"A1\"><v>44773</v></c></row></sheetData>")],
            styles: styles, date1904: true)
        #expect(
            try XLSXReader.read(data).sheets[0].cell(row: 1, column: 1).value
                == .date(OfficeDate(year: 2026, month: 8, day: 1)))
    }

    @Test func refusesAMillionRowSheetEarlyWithBoundedWork() throws {
        // Rows and cells without references (allowed, and cheap to build a million of). A block of
        // 2,000 rows is longer than deflate's 32 KB window, so the file compresses like a real sheet.
        let block = (1...2_000).map {
            "<row><c><v>\($0 * 7919 % 100_003)</v></c><c t=\"inlineStr\"><is><t>第\($0)项</t></is></c></row>"
        }
        let xml = "<sheetData>" + String(repeating: block.joined(), count: 500) + "</sheetData>"
        let data = try Package.workbook(sheets: [("百万行", nil, xml)])

        // A lower row limit than the default 200,000 keeps this test quick in debug builds; the reader
        // stops at the first row past it either way.
        let limits = SpreadsheetLimits(maxRows: 20_000)

        let error = officeError { _ = try XLSXReader.read(data, fileName: "大表.xlsx", limits: limits) }

        #expect(error?.reason == .tooManyRows(sheet: "百万行", limit: 20_000))
        #expect(error?.userMessage == "「大表.xlsx」的工作表「百万行」超过 20000 行，超出一次导入的上限。请拆分后再导入。")
    }

    @Test func refusesCellsBeyondTheColumnLimitAndBadReferences() throws {
        let wide = try Package.workbook(sheets: [
            ("宽", nil, "<sheetData><row r=\"3\"><c r=\"ZZZ3\"><v>1</v></c></row></sheetData>")
        ])
        #expect(
            officeError { _ = try XLSXReader.read(wide) }?.reason == .tooManyColumns(sheet: "宽", row: 3, limit: 1024))
        let broken = try Package.workbook(sheets: [
            ("坏", nil, "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>9</v></c></row></sheetData>")
        ])
        guard case .badCell(let sheet, let reference, _) = officeError({ _ = try XLSXReader.read(broken) })?.reason
        else {
            Issue.record("expected badCell")
            return
        }
        #expect(sheet == "坏" && reference == "A1")
    }

    @Test func refusesAWorkbookWithAForbiddenDeclaration() throws {
        let data = try Package.workbook(sheets: [("表", nil, "<sheetData/>")])
        let zip = try ZipWriter()
        let reader = try SafeZipReader(data: data, fileKind: .spreadsheet, fileName: nil)
        for path in [
            "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        ] {
            try zip.add(path, try reader.require(path))
        }
        try zip.add(
            "xl/workbook.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><workbook>&e;</workbook>")
        let error = officeError { _ = try XLSXReader.read(zip.finish(), fileName: "xxe.xlsx") }
        #expect(error?.reason == .forbiddenXMLDeclaration(part: "xl/workbook.xml", line: 2))
    }
}
