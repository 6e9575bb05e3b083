import Foundation
import Testing
import ZhenggaiText

@Suite("Cleaning watermarks, ads and page furniture")
struct TextCleanerTests {
    @Test(
        "Material-site watermarks are removed in their mangled forms",
        arguments: [
            "[【公众&%号：*老#君】@]", "[【@公%众号：哒哒君&】^*]", "[【&%公@众号：老~君#】]", "[【公众号：#老%君】*@&]",
            "[【#公众&^号%：哒哒@君】]", "【公众号：老君】",
        ])
    func watermark(mark: String) {
        let document = DocumentParser.parse(text: "标题\n一、存在的问题\n1.学习不够深入。\(mark)学用脱节。")
        #expect(document.removed == [Removal(text: mark, reason: "公众号水印")])
        #expect(document.cleanedText.contains("学习不够深入。学用脱节。"))
    }

    @Test("Brackets without 公众号 are kept")
    func ordinaryBrackets() {
        let document = DocumentParser.parse(text: "标题\n落实【三重一大】制度，按[2024]5号文件执行。")
        #expect(document.removed.isEmpty)
        #expect(document.cleanedText.contains("【三重一大】"))
    }

    @Test("Paid markers, ads, page numbers, a table of contents and running headers are reported in order")
    func furniture() throws {
        let document = try DocumentParser.parse(
            data: DocumentFixtures.data("messy-report.txt"), fileName: "messy-report.txt")
        let reasons = document.removed.map(\.reason)
        #expect(reasons.filter { $0 == "付费标记" }.count == 2)
        #expect(reasons.filter { $0 == "公众号水印" }.count == 2)
        #expect(reasons.filter { $0 == "广告" }.count == 2)
        #expect(reasons.filter { $0 == "页码" }.count == 2)
        #expect(reasons.filter { $0 == "目录" }.count == 4)
        #expect(reasons.filter { $0 == "重复页眉页脚" }.count == 3)
        #expect(document.removed.first == Removal(text: "目录", reason: "目录"))
        for removal in document.removed where removal.reason != "重复页眉页脚" {
            #expect(!document.cleanedText.contains(removal.text))
        }
        #expect(!document.cleanedText.contains("paid"))
        #expect(!document.cleanedText.contains("\r"))
        #expect(document.cleanedText.hasPrefix("XX镇党委关于巡察整改工作的自查报告\n一、基本情况\n"))
    }

    @Test("A sentence broken across lines is joined; headings and new items are not")
    func joinsBrokenLines() {
        let text = """
            报告
            一、存在的问题
            1.理论学习不够深入，学习内容以传达文件为主，结合本镇实际开展专题研讨
            少，学用脱节。
            2.制度执行不严。
            """
        let document = DocumentParser.parse(text: text)
        #expect(document.cleanedText == "报告\n一、存在的问题\n1.理论学习不够深入，学习内容以传达文件为主，结合本镇实际开展专题研讨少，学用脱节。\n2.制度执行不严。")
        #expect(document.problems.count == 2)
    }

    @Test("Ordinary sentences that mention 公众号 or 微信 stay")
    func keepsOrdinaryMentions() {
        let text = "标题\n通过推送微信公众号、发送手机短信等，用群众通俗易懂的方式宣传到户到人，争取做到家喻户晓、人人皆知。"
        let document = DocumentParser.parse(text: text)
        #expect(document.removed.isEmpty)
    }
}
