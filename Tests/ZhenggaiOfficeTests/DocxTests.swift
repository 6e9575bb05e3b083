import Foundation
import Testing
import ZhenggaiBenchmarks

@testable import ZhenggaiOffice

@Suite("DOCX writing and reading")
struct DocxTests {
    static func part(_ data: Data, _ path: String) throws -> String {
        let reader = try SafeZipReader(data: data, fileKind: .document, fileName: nil)
        return String(decoding: try reader.require(path), as: UTF8.self)
    }

    @Test func derivesTheGBT9704PageFromMillimetres() {
        #expect(GongwenLayout.pageWidth == 11906 && GongwenLayout.pageHeight == 16838)
        #expect(GongwenLayout.marginTop == 2098 && GongwenLayout.marginBottom == 1984)
        #expect(GongwenLayout.marginLeft == 1587 && GongwenLayout.marginRight == 1474)
        // The text block is 156 × 225 mm within a twip.
        #expect(abs(Double(GongwenLayout.textWidth) - 156 * 1440 / 25.4) < 1)
        #expect(abs(Double(GongwenLayout.textHeight) - 225 * 1440 / 25.4) < 1)
        // 22 lines fit and 23 do not; 28 condensed characters fit and 29 do not.
        #expect(
            GongwenLayout.linePitch * 22 <= GongwenLayout.textHeight
                && GongwenLayout.linePitch * 23 > GongwenLayout.textHeight)
        let advance = GongwenLayout.bodySize * 20 + Double(GongwenLayout.bodyCharacterSpacing)
        #expect(Int(Double(GongwenLayout.textWidth) / advance) == 28)
    }

    @Test func writesPageFooterFontsAndStyles() throws {
        let data = try OfficeBenchmark.sampleReport(pages: 2).docxData()
        let document = try Self.part(data, "word/document.xml")
        #expect(document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"))
        #expect(document.contains("<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""))
        #expect(document.contains("<w:docGrid w:type=\"lines\" w:linePitch=\"579\"/>"))
        #expect(document.contains("<w:footerReference w:type=\"even\" r:id=\"rIdFooterEven\"/>"))
        #expect(document.contains("<w:highlight w:val=\"yellow\"/>"))
        #expect(document.contains("<w:tblHeader/>"))
        #expect(try Self.part(data, "word/settings.xml").contains("<w:evenAndOddHeaders/>"))
        let odd = try Self.part(data, "word/footer1.xml")
        let even = try Self.part(data, "word/footer2.xml")
        #expect(odd.contains("<w:ind w:right=\"280\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/>"))
        #expect(even.contains("<w:ind w:left=\"280\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/>"))
        #expect(odd.contains("— </w:t>") && odd.contains(" PAGE "))
        let styles = try Self.part(data, "word/styles.xml")
        #expect(styles.contains("w:eastAsia=\"仿宋_GB2312\""))
        #expect(styles.contains("w:eastAsia=\"方正小标宋简体\"") && styles.contains("<w:sz w:val=\"44\"/>"))
        #expect(styles.contains("w:styleId=\"Heading1\"") && styles.contains("w:eastAsia=\"黑体\""))
        #expect(styles.contains("w:eastAsia=\"楷体_GB2312\""))
        #expect(styles.contains("<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"))
        let fonts = try Self.part(data, "word/fontTable.xml")
        #expect(fonts.contains("<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/>"))
        #expect(fonts.contains("<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/>"))
    }

    @Test func numbersHeadingsPerParent() throws {
        var doc = GongwenDocument(title: "报告")
        for (level, text) in [(1, "甲"), (2, "乙"), (3, "丙"), (3, "丁"), (4, "戊"), (2, "己"), (3, "庚"), (1, "辛"), (2, "壬")]
        {
            doc.heading(level: level, text: text)
        }
        doc.heading(level: 1, text: "十、已带编号", numbered: false)
        let texts = try DocxReader.read(doc.docxData()).paragraphs.map(\.text).filter { !$0.isEmpty }
        #expect(texts == ["报告", "一、甲", "（一）乙", "1.丙", "2.丁", "（1）戊", "（二）己", "1.庚", "二、辛", "（一）壬", "十、已带编号"])
        #expect(
            ChineseNumeral.text(10) == "十" && ChineseNumeral.text(21) == "二十一" && ChineseNumeral.text(105) == "一百零五")
    }

    @Test func signsWithTheUnitCentredOverTheDate() throws {
        var doc = GongwenDocument(title: "报告")
        doc.signature(unit: "中共某某县委员会", date: OfficeDate(year: 2026, month: 8, day: 1))
        let document = try Self.part(doc.docxData(), "word/document.xml")
        // Date 6 characters wide, 4 in from the right; the 8-character unit centred over it: 3 in.
        #expect(
            document.contains(
                "<w:ind w:right=\"1280\" w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/></w:pPr>"
                    + "<w:r><w:t>2026年8月1日</w:t>"
            ))
        #expect(
            document.contains(
                "<w:ind w:right=\"960\" w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/></w:pPr>"
                    + "<w:r><w:t>中共某某县委员会</w:t>"
            ))
    }

    @Test func roundTripsReportTextThroughTheReader() throws {
        var doc = GongwenDocument(title: "关于整改情况的报告")
        doc.recipient("县委巡察办：")
        doc.paragraph("含 <script>alert(1)</script> & “引号”\t制表\n换行")
        doc.paragraph([.text("评价："), .placeholder("待人工填写"), .bold("加粗")])
        doc.table(
            GongwenTable(caption: "表1", columns: [.init("序号"), .init("问题")], rows: [["1", "第一\n第二"], ["2", "x"]]))
        doc.signature(unit: "县委办", date: OfficeDate(year: 2026, month: 12, day: 31))

        let text = try DocxReader.read(doc.docxData())

        #expect(
            text.paragraphs.map(\.text).filter { !$0.isEmpty } == [
                "关于整改情况的报告", "县委巡察办：", "含 <script>alert(1)</script> & “引号”\t制表\n换行",
                "评价：【待填写：待人工填写】加粗", "表1", "县委办", "2026年12月31日",
            ])
        #expect(text.blocks.contains(.table([["序号", "问题"], ["1", "第一\n第二"], ["2", "x"]])))
        #expect(text.plainText.contains("1\t第一 第二"))
    }

    @Test func readsRevisionsFieldsTextBoxesAndNumbering() throws {
        let body = """
            <w:p><w:pPr><w:pStyle w:val="1"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr></w:pPr>
              <w:r><w:t>存在的问题</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="5"/></w:numPr></w:pPr>
              <w:r><w:t>思想认识</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="5"/></w:numPr></w:pPr>
              <w:r><w:t>工作作风</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr></w:pPr>
              <w:r><w:t>原因分析</w:t></w:r></w:p>
            <w:p><w:r><w:t xml:space="preserve">保留 </w:t></w:r><w:del><w:r><w:delText>删除的</w:delText></w:r></w:del>
              <w:ins><w:r><w:t>插入的</w:t></w:r></w:ins><w:r><w:fldChar w:fldCharType="begin"/></w:r>
              <w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>
              <w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
              <w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:r><w:tab/><w:t>尾</w:t></w:r></w:p>
            <w:p><w:r><mc:AlternateContent xmlns:mc="urn:mc"><mc:Choice><w:drawing><w:txbxContent>
              <w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>
              <mc:Fallback><w:pict><w:txbxContent>
              <w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>
              </mc:AlternateContent></w:r><w:r><w:t>锚点段</w:t></w:r></w:p>
            <w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>
              <w:tbl><w:tr><w:tc><w:p><w:r><w:t>内1</w:t></w:r></w:p></w:tc>
              <w:tc><w:p><w:r><w:t>内2</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:tc></w:tr></w:tbl>
            <w:sectPr/>
            """
        let numbering = """
            <w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
            <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
            <w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
            <w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>
            <w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num></w:numbering>
            """

        let text = try DocxReader.read(Package.document(body: body, extraParts: [("word/numbering.xml", numbering)]))

        #expect(
            text.paragraphs.map(\.text) == [
                "一、存在的问题", "（一）思想认识", "（二）工作作风", "二、原因分析", "保留 插入的7链接\t尾", "锚点段", "文本框",
            ])
        #expect(text.paragraphs[0].numberingMarker == "一、" && text.paragraphs[0].styleID == "1")
        #expect(text.blocks.last == .table([["外\n内1\t内2"]]))
    }

    @Test func refusesABrokenDocument() throws {
        let good = try GongwenDocument(title: "报告").docxData()
        let error = officeError { _ = try DocxReader.read(good.prefix(good.count - 30), fileName: "报告.docx") }
        guard case .corrupt = error?.reason else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
        #expect(error?.userMessage.hasPrefix("「报告.docx」已损坏") == true)
        let xxe = try Package.document(body: "<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>")
        guard case .malformedXML(let part, _, _) = officeError({ _ = try DocxReader.read(xxe) })?.reason else {
            Issue.record("expected malformedXML")
            return
        }
        #expect(part == "word/document.xml")
    }
}
