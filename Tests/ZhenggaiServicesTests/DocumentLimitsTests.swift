import Foundation
import Testing
import ZhenggaiOffice

@testable import ZhenggaiServices

/// What one web import may cost: the shapes that took minutes and gigabytes before (a .docx that inflates to
/// hundreds of MB, a huge text file, a text with thousands of items) are refused with a sentence, quickly.
@Suite struct DocumentLimitsTests {
    static let line = "一、村级财务管理不规范，部分村存在白条入账、大额现金支付现象，三资台账登记不全。\n"

    @Test func aHugeTextIsRefusedByItsLength() throws {
        let text = String(repeating: Self.line, count: 16_000)  // about 650,000 characters, 1.9 MB
        let data = Data(text.utf8)
        #expect(data.count < DocumentReading.Limits.interactive.maxBytes)
        #expect(throws: DocumentReading.ReadError.self) {
            try DocumentReading.parse(data: data, fileName: "大文件.txt", limits: .interactive)
        }
        do {
            _ = try DocumentReading.parse(data: data, fileName: "大文件.txt", limits: .interactive)
        } catch {
            #expect(error.userMessage.contains("超过一次导入的上限 60 万字"))
            #expect(error.userMessage.hasPrefix("「大文件.txt」约 "))
        }
        // The command line reads batches: the same file is parsed there.
        #expect(try DocumentReading.parse(data: data, fileName: "大文件.txt").problems.count > 900)
    }

    @Test func aDocxThatInflatesFarIsRefused() throws {
        // A real Word file whose text is far past 400 pages (it compresses well, as the bomb did).
        var document = GongwenDocument(title: "测试")
        for _ in 0..<700 { document.paragraph(String(repeating: "村级财务管理不规范，白条入账。", count: 70)) }
        let data = try document.docxData()
        #expect(data.count < 2 * 1_048_576)
        do {
            _ = try DocumentReading.parse(data: data, fileName: "膨胀.docx", limits: .interactive)
            Issue.record("a document of 700,000 characters was accepted")
        } catch {
            // Refused before the text is even read: the package's own bomb check, or the length.
            #expect(error.userMessage.contains("超过一次导入的上限") || error.userMessage.contains("已拒绝读取"))
        }
    }

    @Test func tooManyItemsAreRefused() throws {
        // Numbered items stop at 999 under one heading: two headings of 600.
        let items = (1...600).map { "\($0). 第\($0)个村财务管理不规范，存在白条入账问题。" }.joined(separator: "\n")
        let text = "关于巡察反馈意见的报告\n一、存在的主要问题\n\(items)\n二、其他方面存在的问题\n\(items)"
        #expect(try DocumentReading.parse(text: text, limits: .batch).problems.count == 1_200)
        do {
            _ = try DocumentReading.parse(text: text, limits: .interactive)
            Issue.record("1,200 problems were proposed in one preview")
        } catch {
            #expect(error.userMessage.contains("超过一次导入的上限 1000 条"), "\(error.userMessage)")
        }
    }
}
