import Foundation
import Testing
import ZhenggaiText

/// What real published documents have that the seeds do not: findings stated inline, several units in one
/// text, 关于“……”问题 wrappers, traditional characters, portal chrome, 表态 and requirements.
@Suite("Real documents: inline findings, wrappers, chrome, traditional characters")
struct RealDocumentTests {
    private func texts(_ document: ParsedDocument) -> [String] {
        document.problems.map(\.text)
    }

    @Test("「存在甲、乙、丙等问题」 gives one problem per item, with the item's own words")
    func enumerationWithClosingNoun() {
        let text = """
            3月5日，县委第一巡察组向某镇党委反馈巡察情况。
            巡察组指出，某镇党委存在理论学习不深入、“三重一大”决策不规范、村级财务管理混乱等问题。
            """
        let document = DocumentParser.parse(text: text)
        #expect(texts(document) == ["理论学习不深入", "“三重一大”决策不规范", "村级财务管理混乱"])
        for problem in document.problems {
            #expect(document.cleanedText.scalarSlice(problem.start, problem.end) == problem.text)
            #expect(problem.marker == "")
        }
    }

    @Test("「主要是：甲；乙，丙等」 splits at ；and ，, keeps 、 inside an item and joins a clause that states nothing")
    func enumerationAfterLead() {
        let text = """
            巡察中发现了一些问题，主要是：学习贯彻上级精神不深不透，担当尽责、为民服务意识不强；重业务，轻党建，\
            党费收缴不规范；落实政策打折扣，搞变通等。
            """
        let document = DocumentParser.parse(text: text)
        #expect(
            texts(document) == [
                "学习贯彻上级精神不深不透", "担当尽责、为民服务意识不强", "重业务，轻党建", "党费收缴不规范",
                "落实政策打折扣，搞变通",
            ])
    }

    @Test("Several inspected units, each with its own 「存在问题：」 list, and ASCII punctuation read alike")
    func severalUnits() {
        let text = """
            6月27日,市委巡察组分别向甲镇、乙镇反馈巡察情况。
            甲镇党委存在问题:党组织领导核心弱化,“两个责任”履行不力;工作纪律松懈。
            乙镇党委存在问题:党费收缴不规范,村级班子弱化。
            """
        let document = DocumentParser.parse(text: text)
        #expect(
            texts(document) == ["党组织领导核心弱化", "“两个责任”履行不力", "工作纪律松懈", "党费收缴不规范", "村级班子弱化"])
    }

    @Test("Findings that were not made (未发现……, 不存在……) are not problems")
    func deniedFindings() {
        let text = """
            公务用车自查报告
            三、自查内容及发现问题
            1.车辆配备情况
            通过核对车辆台账，未发现超标准配备或违规购置车辆的情况。
            2.车辆使用管理
            在自查过程中，发现个别部门存在出车记录不完整、审批流程不规范的问题，已督促整改。
            """
        let document = DocumentParser.parse(text: text)
        #expect(texts(document) == ["出车记录不完整", "审批流程不规范"])
    }

    @Test("A news item of a 进驻 meeting: requirements (一要……) and the unit's 表态 (一是……) are not problems")
    func pledgesAndRequirements() {
        let text = """
            区委第二巡察组进驻某街道开展巡察
            9月20日，区委第二巡察组召开进驻动员会。组长在讲话中强调，一要提高政治站位，深刻认识巡察工作的重要意义；\
            二要突出监督重点，把握巡察工作重点任务。
            街道党工委书记在发言中表示，将坚决贯彻落实。一是切实提高政治站位，不折不扣配合巡察；二是全力做好配合保障，\
            坚定不移支持巡察工作；三是扎实推进巡察整改，毫不松懈抓好成果运用。
            对发现的问题，要做到边巡边改、立行立改。
            """
        let document = DocumentParser.parse(text: text)
        #expect(document.problems.isEmpty)
    }

    @Test("A summary followed by 主要表现在：一是…… yields the 一是 items, not the summary's list")
    func summaryThenDetails() {
        let text = """
            巡察发现，被巡察村党支部不同程度存在政治站位不高、组织建设薄弱等问题。主要表现在：一是政治敏锐性不强，\
            贯彻上级决策部署不力。二是党建工作流于形式，党内制度落实不到位。
            """
        let document = DocumentParser.parse(text: text)
        #expect(texts(document).map { String($0.prefix(7)) } == ["政治敏锐性不强", "党建工作流于形"])
    }

    @Test("关于“……”问题的整改 wrappers: the quoted problem is reported, without the wrapper")
    func wrappers() {
        let text = """
            某局党组关于巡察整改情况的通报
            现将巡察整改情况予以公布。
            （一）在“贯彻落实上级决策部署不够有力”方面
            1.关于“学习贯彻上级重大决策部署不够到位”问题的整改
            （1）关于“理论学习中心组学习不深不透”。整改情况：已制定学习计划，完成集中学习6次。
            （二）关于财政精细化管理水平有待提高的问题
            已完成整改。一是印发管理办法；二是开展专项检查。
            """
        let document = DocumentParser.parse(text: text)
        let found = texts(document)
        #expect(found.count == 2)
        #expect(found.first?.hasPrefix("理论学习中心组学习不深不透") == true)
        #expect(found.last?.hasPrefix("关于财政精细化管理水平有待提高的问题") == true)
    }

    @Test("Portal chrome is removed and reported; the title is the article's")
    func portalChrome() {
        let text = """
            您的位置: 首页 > 信息公开 > 巡视巡察 > 正文
            • 信息索引号:
            113307020501239658/2023-46395
            • 发布机构:
            某区文旅体局
            区委巡察组向某局反馈巡察情况
            日期:2023-05-04 08:46:31 来源:区文旅体局 浏览量:
            分享:
            朗读
            巡察组指出，某局存在意识形态工作责任制落实不到位、议事决策不规范等问题。
            2023-08-08 21:31:07
            """
        let document = DocumentParser.parse(text: text)
        #expect(document.title == "区委巡察组向某局反馈巡察情况")
        let chrome = document.removed.filter { $0.reason == "网页元素" }.map(\.text)
        #expect(chrome.contains("朗读"))
        #expect(chrome.contains("分享:"))
        #expect(chrome.contains("某区文旅体局"))
        #expect(chrome.contains("2023-08-08 21:31:07"))
        #expect(!document.cleanedText.contains("索引号"))
        #expect(texts(document) == ["意识形态工作责任制落实不到位", "议事决策不规范"])
    }

    @Test("Traditional characters: cue words are read, the problem text keeps the characters as written")
    func traditionalCharacters() throws {
        let text = """
            巡察發現，被巡察單位黨委存在黨的領導弱化、黨的建設缺失、全面從嚴治黨不力等問題。
            """
        let document = DocumentParser.parse(text: text)
        #expect(texts(document) == ["黨的領導弱化", "黨的建設缺失", "全面從嚴治黨不力"])
        let first = try #require(document.problems.first)
        #expect(first.category.first == "A" || first.category.first == "C")
        let headings = DocumentParser.parse(text: "自查報告\n二、存在的問題\n1.黨費收繳不夠及時。\n三、整改措施\n1.加強黨費管理。")
        #expect(headings.outline.first?.role == .problem)
        #expect(headings.problems.map(\.text) == ["黨費收繳不夠及時。"])
        #expect(headings.measures.map(\.text) == ["加強黨費管理。"])
    }

    @Test("A heading that states its problem keeps its 一是 items as manifestations in a 整改方案")
    func planRows() {
        let text = """
            整改工作实施方案
            一、反馈问题及整改措施
            （一）聚焦贯彻党的路线方针政策方面
            1.学习贯彻全会精神不深入、不扎实。一是应知应会内容掌握不全面。二是学习方法单一。
            整改措施：一是制定学习计划；二是拓宽学习方法。
            2.乡村振兴落实中站位不高，思路不够清晰。一是集体经济发展不足。
            """
        let document = DocumentParser.parse(text: text)
        #expect(texts(document).map { String($0.prefix(6)) } == ["学习贯彻全会", "乡村振兴落实"])
    }

    @Test("The confidence is a probability, not always 100%")
    func confidence() {
        let clear = CategorySuggestion.suggest("违规发放津补贴，公款吃喝，超标准公务接待")
        let vague = CategorySuggestion.suggest("工作有待加强")
        #expect(clear.confidence > 0 && clear.confidence <= 1)
        #expect(vague.confidence < 0.9)
        #expect(vague.confidence < clear.confidence)
    }
}
