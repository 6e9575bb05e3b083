import Foundation
import Testing

@testable import ZhenggaiOffice

@Suite("CSV")
struct CSVTests {
    static func texts(_ sheet: Worksheet) -> [[String]] {
        sheet.rows.map { $0.cells.map(\.value.displayText) }
    }

    @Test func readsUTF8WithBOMQuotedFieldsAndEmbeddedNewlines() throws {
        let text = "\u{FEFF}序号,反馈问题,责任单位\r\n1,\"制度不健全，\"\"三重一大\"\"未落实\n（第二行）\",县财政局\r\n\r\n3,,县教育局\r\n"

        let sheet = try CSV.read(Data(text.utf8))

        #expect(
            Self.texts(sheet) == [
                ["序号", "反馈问题", "责任单位"], ["1", "制度不健全，\"三重一大\"未落实\n（第二行）", "县财政局"], ["3", "", "县教育局"],
            ])
        #expect(sheet.rows.map(\.number) == [1, 2, 4])
    }

    @Test func fallsBackToGBKWhenTheBytesAreNotUTF8() throws {
        let text = "序号,责任领导,整改时限\n1,张三,2024.3\n2,李四,3月底前\n"
        let gbk = try #require(text.data(using: CSV.gb18030))
        #expect(String(data: gbk, encoding: .utf8) == nil)

        let sheet = try CSV.read(gbk)

        #expect(Self.texts(sheet) == [["序号", "责任领导", "整改时限"], ["1", "张三", "2024.3"], ["2", "李四", "3月底前"]])
    }

    @Test func readsExcelUnicodeTextAsTabSeparatedUTF16() throws {
        var data = Data([0xFF, 0xFE])
        data.append(try #require("序号\t问题\n1\t台账, 含逗号\n".data(using: .utf16LittleEndian)))
        #expect(Self.texts(try CSV.read(data)) == [["序号", "问题"], ["1", "台账, 含逗号"]])
    }

    @Test func writesBOMCRLFAndQuotesAndGuardsFormulas() throws {
        let rows: [[CellValue]] = [
            [.text("序号"), .text("问题")],
            [.number(1), .text("含,逗号与\"引号\"\n换行")],
            [.number(2.5), .text("=HYPERLINK(\"http://x\")")],
            [.date(OfficeDate(year: 2026, month: 8, day: 1)), .bool(true)],
        ]

        let data = CSV.write(rows)

        #expect(data.prefix(3) == Data([0xEF, 0xBB, 0xBF]))
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(
            text == "序号,问题\r\n1,\"含,逗号与\"\"引号\"\"\n换行\"\r\n2.5,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n2026-08-01,TRUE\r\n"
        )
        // Reading it back gives the text again, the formula guard removed.
        #expect(Self.texts(try CSV.read(data))[2] == ["2.5", "=HYPERLINK(\"http://x\")"])
    }

    @Test func enforcesRowAndColumnLimits() {
        let rows = String(repeating: "1,2\n", count: 50)
        let error = officeError {
            _ = try CSV.read(Data(rows.utf8), fileName: "台账.csv", limits: SpreadsheetLimits(maxRows: 10))
        }
        #expect(error?.reason == .tooManyRows(sheet: "Sheet1", limit: 10))
        let wide = Data(String(repeating: "x,", count: 30).utf8)
        #expect(
            officeError { _ = try CSV.read(wide, limits: SpreadsheetLimits(maxColumns: 20)) }?.reason
                == .tooManyColumns(sheet: "Sheet1", row: 1, limit: 20))
    }

    @Test func refusesBytesThatAreNeitherUTF8NorGB18030() {
        // 0xFF never starts a GB18030 sequence.
        let error = officeError { _ = try CSV.read(Data([0x31, 0x2C, 0xFF, 0xFF, 0x0A]), fileName: "乱码.csv") }
        #expect(error?.reason == .unreadableText)
    }
}
