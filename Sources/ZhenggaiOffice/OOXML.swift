import Foundation

/// Namespaces and the package parts that .xlsx and .docx share.
enum OOXML {
    static let spreadsheetNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let officeRelationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let propertiesContentTypes =
        "<Override PartName=\"/docProps/core.xml\" "
        + "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        + "<Override PartName=\"/docProps/app.xml\" "
        + "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"

    /// _rels/.rels: the main part is found under the same relative name in both formats' writers.
    static var packageRelationships: Data {
        packageRelationships(main: "xl/workbook.xml")
    }

    static func packageRelationships(main: String) -> Data {
        var xml = XMLWriter()
        xml.raw("<Relationships xmlns=\"\(packageRelationshipsNamespace)\">")
        xml.raw("<Relationship Id=\"rId1\" Type=\"\(officeRelationshipType)/officeDocument\" Target=\"\(main)\"/>")
        xml.raw("<Relationship Id=\"rId2\" ")
        xml.raw("Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" ")
        xml.raw("Target=\"docProps/core.xml\"/>")
        xml.raw("<Relationship Id=\"rId3\" Type=\"\(officeRelationshipType)/extended-properties\" ")
        xml.raw("Target=\"docProps/app.xml\"/></Relationships>")
        return xml.data
    }

    static func coreProperties(_ properties: DocumentProperties) -> Data {
        var xml = XMLWriter()
        xml.raw(
            "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\"")
        xml.raw(" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\"")
        xml.raw(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")
        if !properties.title.isEmpty {
            xml.raw("<dc:title>")
            xml.text(properties.title)
            xml.raw("</dc:title>")
        }
        xml.raw("<dc:creator>")
        xml.text(properties.creator)
        xml.raw("</dc:creator>")
        if let created = properties.created {
            let stamp = created.formatted(.iso8601)
            xml.raw("<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:created>")
            xml.raw("<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(stamp)</dcterms:modified>")
        }
        xml.raw("</cp:coreProperties>")
        return xml.data
    }

    static func appProperties(application: String) -> Data {
        var xml = XMLWriter()
        xml.raw("<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">")
        xml.raw("<Application>")
        xml.text(application)
        xml.raw("</Application></Properties>")
        return xml.data
    }
}
