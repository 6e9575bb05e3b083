import Foundation
import Testing
import ZhenggaiText

@Suite("Outline markers, levels and roles")
struct OutlineTests {
    @Test(
        "Each marker style is recognised with its marker kept as written",
        arguments: [
            ("一、", "（一）"), ("一、", "(一)"), ("一、", "1."), ("一、", "1、"), ("一、", "1．"), ("一、", "（1）"),
            ("一、", "(1)"), ("一、", "①"), ("一、", "一是"),
        ])
    func markers(parent: String, child: String) throws {
        let text = "材料\n\(parent)存在的问题\n\(child)学习不够深入，理论联系实际不够。"
        let document = DocumentParser.parse(text: text)
        let section = try #require(document.outline.first)
        #expect(section.marker == parent)
        #expect(section.role == .problem)
        let item = try #require(section.children.first)
        #expect(item.marker == child)
        #expect(item.level == 2)
        #expect(document.problems.map(\.marker) == [child])
        #expect(document.problems.first?.text == "学习不够深入，理论联系实际不够。")
    }

    @Test("Levels nest by marker rank; a skipped level still nests under its parent")
    func skippedLevel() throws {
        let text = "材料\n一、存在的问题\n1.学习不够深入。\n（1）中心组学习次数不足。\n（2）研讨不充分。\n2.制度执行不严。"
        let document = DocumentParser.parse(text: text)
        let section = try #require(document.outline.first)
        #expect(section.children.map(\.marker) == ["1.", "2."])
        #expect(section.children[0].children.map(\.marker) == ["（1）", "（2）"])
        #expect(section.children[0].children[0].level == 3)
        #expect(document.problems.map(\.marker) == ["（1）", "（2）", "2."])
    }

    @Test("A garbled marker such as （%1） takes the place of the sibling it replaces")
    func garbledMarker() throws {
        let text = "材料\n一、存在的问题\n（一）对照学习方面\n一是学习不深入。\n（%1）对照纪律方面\n一是纪律松弛。\n二是监督不力。"
        let document = DocumentParser.parse(text: text)
        let section = try #require(document.outline.first)
        #expect(section.children.map(\.marker) == ["（一）", "（%1）"])
        #expect(section.children[1].children.count == 2)
        #expect(document.problems.count == 3)
    }

    @Test("Run-in items inside a paragraph, separated by 。 ； or ， are separate problems")
    func runIns() {
        let text = "材料\n一、存在的问题\n1.作风不实。一是调研不深入；二是督查走过场。三是文山会海。\n2.纪律松弛，一是迟到早退，二是脱岗串岗。"
        let document = DocumentParser.parse(text: text)
        #expect(document.problems.map(\.text) == ["调研不深入；", "督查走过场。", "文山会海。", "迟到早退，", "脱岗串岗。"])
        #expect(document.problems.map(\.marker) == ["一是", "二是", "三是", "一是", "二是"])
    }

    @Test("Run-ins that explain (一是由于……) stay part of the problem they explain")
    func explanatoryRunIns() {
        let text = "材料\n一、存在的问题\n1.年轻干部偏少。一是由于编制受限，招录难；二是培养周期长。\n主要原因分析：重视不够。"
        let document = DocumentParser.parse(text: text)
        #expect(document.problems.map(\.text) == ["年轻干部偏少。一是由于编制受限，招录难；二是培养周期长。"])
    }

    @Test("A document that starts mid-way still yields its problems")
    func startsMidway() throws {
        let text = "一是整改责任压实不到位，带头作用发挥不充分。\n二是整改措施不精准，整改不彻底。\n二、产生问题的原因\n（一）思想认识不到位。\n三、整改措施\n（一）压实整改责任。"
        let document = DocumentParser.parse(text: text)
        #expect(document.title == "")
        #expect(document.problems.map(\.marker) == ["一是", "二是"])
        #expect(document.outline.map(\.role) == [.problem, .problem, .cause, .measure])
        #expect(document.measures.count == 1)
    }

    @Test(
        "Section roles come from the heading words",
        arguments: [
            ("存在的问题和原因剖析", SectionRole.problem), ("存在问题原因分析", .cause), ("产生问题的原因剖析", .cause),
            ("下一步整改方向和措施", .measure), ("今后努力的方向和整改措施", .measure), ("下一步工作打算", .measure),
            ("主要做法及成效", .achievement), ("基本情况", .achievement), ("问题与不足", .problem),
            ("工作开展情况", .achievement), ("学习贯彻情况", .other),
        ])
    func headingRoles(heading: String, role: SectionRole) throws {
        let document = DocumentParser.parse(text: "材料\n一、\(heading)\n（一）内容。")
        #expect(document.outline.first?.role == role)
    }

    @Test("Nothing under a measure or achievement section is reported as a problem")
    func measuresAreNotProblems() {
        let text = """
            报告
            一、主要做法及成效
            1.针对学习不够深入的问题，建立中心组学习制度。
            2.解决了群众反映强烈的饮水难问题，但仍有不足。
            二、存在的问题
            1.制度执行不严，存在补记会议记录现象。
            三、整改措施
            1.针对制度执行不严的问题，每月检查会议记录。
            2.对不按规定落实的严肃问责。
            """
        let document = DocumentParser.parse(text: text)
        #expect(document.problems.map(\.text) == ["制度执行不严，存在补记会议记录现象。"])
        #expect(document.measures.count == 2)
        #expect(document.problems.first?.measures == [1])
    }

    @Test("A lead-in paragraph turns the following groups into problems (seed 000's shape)")
    func leadIn() {
        let text = """
            报告
            一、工作总体情况
            近年来各项工作取得进展。
            但是对照新要求，还存在一定差距，表现出一些问题和不足。主要体现在以下几个方面：
            （一）聚焦理论学习情况
            （1）学习不系统。
            三、整改措施
            （一）强化学习。
            """
        let document = DocumentParser.parse(text: text)
        #expect(document.problems.map(\.text) == ["学习不系统。"])
    }

    @Test("A problem item with its own 整改措施 label is linked to that measure; causes are not problems")
    func ownMeasureLabel() {
        let text = "报告\n一、存在的问题\n1.村级财务不规范，存在白条入账。\n主要原因分析：监管缺位。\n整改措施：开展专项清查。\n2.惠民资金发放把关不严。"
        let document = DocumentParser.parse(text: text)
        #expect(document.problems.map(\.text) == ["村级财务不规范，存在白条入账。", "惠民资金发放把关不严。"])
        #expect(document.measures.map(\.text) == ["开展专项清查。"])
        #expect(document.problems.map(\.measures) == [[1], []])
    }

    @Test("Text without any outline gives an empty result, not an error")
    func noOutline() throws {
        let document = try DocumentParser.parse(
            data: DocumentFixtures.data("no-outline.txt"), fileName: "no-outline.txt")
        #expect(document.outline.isEmpty)
        #expect(document.problems.isEmpty)
        #expect(document.measures.isEmpty)
        let empty = DocumentParser.parse(text: "")
        #expect(empty.title.isEmpty && empty.outline.isEmpty && empty.cleanedText.isEmpty)
    }

    @Test(
        "Kinds come from the title",
        arguments: [
            ("XX党委巡察自查报告", DocumentKind.selfCheckReport), ("被巡察镇党委工作汇报", .workReport),
            ("镇长巡察整改专题民主生活会对照检查材料", .checkMaterial), ("县委第二巡察组关于巡察XX镇党委的反馈意见", .inspectionFeedback),
            ("关于巡察整改进展情况的通报", .rectificationBulletin), ("关于2023年度审计发现问题整改情况的报告", .auditRectificationReport),
            ("会议纪要", .other),
        ])
    func kinds(title: String, kind: DocumentKind) {
        #expect(DocumentParser.parse(text: "\(title)\n正文。").kind == kind)
    }

    @Test("A fragment without title is judged by how it names itself, not by words used in passing")
    func fragmentKind() {
        let text = "一是审计反馈问题整改不到位。\n二、原因\n（一）认识不足。\n镇党委班子将以此次巡察整改专题民主生活会为契机，抓好整改。"
        #expect(DocumentParser.parse(text: text).kind == .checkMaterial)
        #expect(DocumentParser.parse(text: "一是审计反馈问题整改不到位。").kind == .other)
    }
}
