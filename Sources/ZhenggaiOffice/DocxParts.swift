import Foundation

/// The fixed parts of a 公文 .docx: styles, settings, font table, footers.
enum DocxParts {
    static let main = "application/vnd.openxmlformats-officedocument.wordprocessingml"

    static var contentTypes: Data {
        var xml = XMLWriter()
        xml.raw("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
        xml.raw(
            "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
        xml.raw("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
        xml.raw("<Override PartName=\"/word/document.xml\" ContentType=\"\(main).document.main+xml\"/>")
        xml.raw("<Override PartName=\"/word/styles.xml\" ContentType=\"\(main).styles+xml\"/>")
        xml.raw("<Override PartName=\"/word/settings.xml\" ContentType=\"\(main).settings+xml\"/>")
        xml.raw("<Override PartName=\"/word/fontTable.xml\" ContentType=\"\(main).fontTable+xml\"/>")
        xml.raw("<Override PartName=\"/word/footer1.xml\" ContentType=\"\(main).footer+xml\"/>")
        xml.raw("<Override PartName=\"/word/footer2.xml\" ContentType=\"\(main).footer+xml\"/>")
        xml.raw(OOXML.propertiesContentTypes)
        xml.raw("</Types>")
        return xml.data
    }

    static var documentRelationships: Data {
        var xml = XMLWriter()
        xml.raw("<Relationships xmlns=\"\(OOXML.packageRelationshipsNamespace)\">")
        for (id, type, target) in [
            ("rIdStyles", "styles", "styles.xml"), ("rIdSettings", "settings", "settings.xml"),
            ("rIdFontTable", "fontTable", "fontTable.xml"), ("rIdFooterOdd", "footer", "footer1.xml"),
            ("rIdFooterEven", "footer", "footer2.xml"),
        ] {
            xml.raw(
                "<Relationship Id=\"\(id)\" Type=\"\(OOXML.officeRelationshipType)/\(type)\" Target=\"\(target)\"/>")
        }
        xml.raw("</Relationships>")
        return xml.data
    }

    /// Fonts named for every script slot: East Asian text takes `eastAsia`, digits and Latin `ascii`.
    static func fonts(_ eastAsia: GongwenFont, latin: GongwenFont? = nil) -> String {
        let latin = (latin ?? eastAsia).rawValue
        return
            "<w:rFonts w:ascii=\"\(latin)\" w:eastAsia=\"\(eastAsia.rawValue)\" "
            + "w:hAnsi=\"\(latin)\" w:cs=\"\(latin)\"/>"
    }

    static func size(_ points: Double) -> String {
        let halfPoints = Int((points * 2).rounded())
        return "<w:sz w:val=\"\(halfPoints)\"/><w:szCs w:val=\"\(halfPoints)\"/>"
    }

    /// Text that keeps its own size out of the 22 × 28 grid (title, tables, page numbers).
    static let offGrid = "<w:snapToGrid w:val=\"0\"/>"
    static let natural = "<w:spacing w:val=\"0\"/>"
    static let noIndent = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"

    static var styles: Data {
        let body = GongwenLayout.bodySize
        var xml = XMLWriter()
        xml.raw("<w:styles xmlns:w=\"\(OOXML.wordNamespace)\"><w:docDefaults><w:rPrDefault><w:rPr>")
        // Body: 仿宋_GB2312 for Chinese, Times New Roman for digits and Latin letters.
        xml.raw(fonts(.fangSong, latin: .timesNewRoman))
        xml.raw("<w:kern w:val=\"2\"/>\(size(body))<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>")
        xml.raw("</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/>")
        xml.raw("<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"\(GongwenLayout.bodyLine)\" w:lineRule=\"exact\"/>")
        xml.raw("<w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>")

        xml.raw(
            "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>")
        xml.raw("<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"\(2 * GongwenLayout.bodyCharacter)\"/></w:pPr>")
        let condensed = "<w:spacing w:val=\"\(GongwenLayout.bodyCharacterSpacing)\"/>"
        xml.raw("<w:rPr>\(fonts(.fangSong, latin: .timesNewRoman))\(condensed)\(size(body))</w:rPr></w:style>")

        paragraphStyle(
            &xml, id: "GongwenTitle", name: "公文标题",
            paragraph: "<w:keepNext/>" + offGrid
                + "<w:spacing w:line=\"\(GongwenLayout.titleLine)\" w:lineRule=\"exact\"/>"
                + noIndent + "<w:jc w:val=\"center\"/>",
            run: fonts(.xiaoBiaoSong) + natural + size(GongwenLayout.titleSize))
        paragraphStyle(&xml, id: "GongwenRecipient", name: "主送机关", paragraph: noIndent, run: "")
        // Heading names are Word's built-in ones, so the navigation pane and outline view show them.
        let headingFonts: [GongwenFont] = [.heiTi, .kaiTi, .fangSong, .fangSong]
        for (index, font) in headingFonts.enumerated() {
            paragraphStyle(
                &xml, id: "Heading\(index + 1)", name: "heading \(index + 1)",
                paragraph: "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"0\"/><w:outlineLvl w:val=\"\(index)\"/>",
                run: fonts(font, latin: index < 2 ? font : .timesNewRoman)
                    + "<w:b w:val=\"0\"/><w:bCs w:val=\"0\"/><w:i w:val=\"0\"/><w:color w:val=\"000000\"/>" + size(body)
            )
        }
        // Tables keep out of the line grid, or every table line would take a full 28.95 pt grid line.
        paragraphStyle(
            &xml, id: "GongwenTableText", name: "公文表格",
            paragraph: offGrid + "<w:spacing w:line=\"240\" w:lineRule=\"auto\"/>" + noIndent,
            run: natural)
        paragraphStyle(
            &xml, id: "GongwenTableCaption", name: "公文表题",
            paragraph: "<w:keepNext/>" + noIndent + "<w:jc w:val=\"center\"/>", run: fonts(.heiTi))
        paragraphStyle(
            &xml, id: "GongwenPageNumber", name: "公文页码",
            paragraph: offGrid + "<w:spacing w:line=\"\(GongwenLayout.pageNumberLine)\" w:lineRule=\"exact\"/>"
                + noIndent,
            run: fonts(.songTi) + natural + size(GongwenLayout.pageNumberSize))
        xml.raw("</w:styles>")
        return xml.data
    }

    private static func paragraphStyle(_ xml: inout XMLWriter, id: String, name: String, paragraph: String, run: String)
    {
        xml.raw(
            "<w:style w:type=\"paragraph\" w:customStyle=\"\(id.hasPrefix("Heading") ? 0 : 1)\" w:styleId=\"\(id)\">")
        xml.raw("<w:name w:val=\"\(name)\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>")
        xml.raw("<w:pPr>\(paragraph)</w:pPr>")
        if !run.isEmpty { xml.raw("<w:rPr>\(run)</w:rPr>") }
        xml.raw("</w:style>")
    }

    static var settings: Data {
        var xml = XMLWriter()
        xml.raw("<w:settings xmlns:w=\"\(OOXML.wordNamespace)\"><w:zoom w:percent=\"100\"/>")
        xml.raw("<w:defaultTabStop w:val=\"\(2 * GongwenLayout.bodyCharacter)\"/>")
        // Different footers for odd and even pages: page numbers right on odd, left on even pages.
        xml.raw("<w:evenAndOddHeaders/>")
        // Full-width punctuation keeps its full width, as on the grid of a printed 公文.
        xml.raw("<w:characterSpacingControl w:val=\"doNotCompress\"/>")
        xml.raw("<w:compat><w:compatSetting w:name=\"compatibilityMode\" ")
        xml.raw("w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>")
        return xml.data
    }

    static var fontTable: Data {
        var xml = XMLWriter()
        xml.raw("<w:fonts xmlns:w=\"\(OOXML.wordNamespace)\">")
        for font in GongwenFont.allCases {
            xml.raw("<w:font w:name=\"\(font.rawValue)\">")
            if let alternative = font.alternative { xml.raw("<w:altName w:val=\"\(alternative)\"/>") }
            xml.raw("<w:panose1 w:val=\"\(font.panose)\"/>")
            // Charset 86 (GB2312) tells Windows to substitute a Chinese face when the named one is missing.
            xml.raw(
                font.isChinese
                    ? "<w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/>"
                    : "<w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/>")
            xml.raw("</w:font>")
        }
        xml.raw("</w:fonts>")
        return xml.data
    }

    /// "— n —" in 4号宋体, right-aligned one character in on odd pages, left-aligned on even pages.
    static func footer(oddPage: Bool) -> Data {
        var xml = XMLWriter()
        xml.raw("<w:ftr xmlns:w=\"\(OOXML.wordNamespace)\" xmlns:r=\"\(OOXML.relationshipsNamespace)\">")
        xml.raw("<w:p><w:pPr><w:pStyle w:val=\"GongwenPageNumber\"/>")
        let indent = GongwenLayout.pageNumberIndent
        xml.raw(
            oddPage
                ? "<w:ind w:right=\"\(indent)\" w:firstLine=\"0\"/><w:jc w:val=\"right\"/>"
                : "<w:ind w:left=\"\(indent)\" w:firstLine=\"0\"/><w:jc w:val=\"left\"/>")
        xml.raw("</w:pPr><w:r><w:t xml:space=\"preserve\">— </w:t></w:r>")
        xml.raw("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>")
        xml.raw("<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>")
        xml.raw("<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>")
        xml.raw("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>")
        xml.raw("<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>")
        return xml.data
    }
}
