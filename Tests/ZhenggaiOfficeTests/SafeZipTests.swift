import Foundation
import Testing

@testable import ZhenggaiOffice

@Suite("Safe ZIP reading")
struct SafeZipTests {
    @Test func refusesBytesThatAreNoArchive() {
        let error = officeError { _ = try XLSXReader.read(Data("序号,问题\n1,x\n".utf8), fileName: "台账.xlsx") }
        #expect(error?.reason == .notAnArchive)
        #expect(error?.userMessage == "「台账.xlsx」不是有效的 Excel 文件，请确认文件类型后重新选择。")
    }

    @Test func refusesATruncatedArchive() throws {
        let whole = try XLSXWriter(sheets: [.init(name: "台账", columns: [.init("序号")])]).data()
        let error = officeError { _ = try XLSXReader.read(whole.prefix(whole.count / 2), fileName: "台账.xlsx") }
        guard case .corrupt = error?.reason else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
        #expect(error?.userMessage.contains("已损坏") == true)
    }

    @Test func refusesAnArchiveWithADamagedEntry() throws {
        let text = (1...2000).map { "<row r=\"\($0)\">第\($0)行</row>" }.joined()
        var bytes = [UInt8](try Package.make([("xl/workbook.xml", text)]))
        // Flip bytes inside the entry's compressed data (after its 30-byte local header and name).
        for index in 200..<220 { bytes[index] ^= 0xFF }
        let reader = try SafeZipReader(data: Data(bytes), fileKind: .spreadsheet, fileName: "台账.xlsx")
        let error = officeError { _ = try reader.read("xl/workbook.xml") }
        guard case .corrupt = error?.reason else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
    }

    @Test func recognisesEncryptedAndLegacyOLEFiles() {
        var encrypted = [UInt8](repeating: 0, count: 2048)
        encrypted.replaceSubrange(0..<8, with: OLEProbe.magic)
        let name = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        encrypted.replaceSubrange(1024..<(1024 + name.count), with: name)
        let encryptedError = officeError { _ = try XLSXReader.read(Data(encrypted), fileName: "加密.xlsx") }
        #expect(encryptedError?.reason == .encrypted)
        #expect(encryptedError?.userMessage.contains("文件加密") == true)

        var legacy = [UInt8](repeating: 0, count: 2048)
        legacy.replaceSubrange(0..<8, with: OLEProbe.magic)
        let legacyError = officeError { _ = try DocxReader.read(Data(legacy), fileName: "旧.doc") }
        #expect(legacyError?.reason == .legacyBinaryFormat)
        #expect(legacyError?.userMessage.contains(".docx") == true)
    }

    @Test func refusesAZipBomb() throws {
        // 24 MB of zeros deflate to about 24 KB: a ratio near 1,000, far beyond real office XML.
        let zeros = Data(count: 24 << 20)
        let bomb = try Package.make([("xl/workbook.xml", "<workbook/>")])
        let zip = try ZipWriter()
        try zip.add("xl/workbook.xml", "<workbook/>")
        try zip.add("xl/worksheets/sheet1.xml", zeros)
        let data = zip.finish()
        #expect(data.count < 200_000 && bomb.count > 0)
        let reader = try SafeZipReader(data: data, fileKind: .spreadsheet, fileName: "炸弹.xlsx")
        let error = officeError { _ = try reader.read("xl/worksheets/sheet1.xml") }
        #expect(error?.reason == .compressionRatio(path: "xl/worksheets/sheet1.xml", limit: 200))
        #expect(error?.userMessage.contains("压缩炸弹") == true)
    }

    @Test func enforcesEntrySizeTotalSizeAndEntryCount() throws {
        let text = String(repeating: "巡察整改", count: 50_000)  // 600 KB
        let data = try Package.make((1...5).map { ("part\($0).xml", text) })
        let small = ZipLimits(maxEntryBytes: 100_000)
        let reader = try SafeZipReader(data: data, fileKind: .spreadsheet, fileName: nil, limits: small)
        #expect(
            officeError { _ = try reader.read("part1.xml") }?.reason
                == .entryTooLarge(path: "part1.xml", limit: 100_000))

        let total = try SafeZipReader(
            data: data, fileKind: .spreadsheet, fileName: nil, limits: ZipLimits(maxTotalBytes: 1_000_000))
        _ = try total.read("part1.xml")
        #expect(officeError { _ = try total.read("part2.xml") }?.reason == .totalTooLarge(limit: 1_000_000))

        let error = officeError {
            _ = try SafeZipReader(data: data, fileKind: .spreadsheet, fileName: nil, limits: ZipLimits(maxEntries: 3))
        }
        #expect(error?.reason == .tooManyEntries(limit: 3))
    }

    @Test func namesTheOtherKindOfPackage() throws {
        let docx = try GongwenDocument(title: "报告").docxData()
        #expect(officeError { _ = try XLSXReader.read(docx) }?.reason == .wrongPackage(found: "Word 文档"))
        let xlsx = try XLSXWriter(sheets: [.init(name: "台账", columns: [.init("序号")])]).data()
        #expect(officeError { _ = try DocxReader.read(xlsx) }?.reason == .wrongPackage(found: "Excel 文件"))
    }
}
