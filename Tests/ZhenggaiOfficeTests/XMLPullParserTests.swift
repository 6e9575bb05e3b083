import Foundation
import Testing

@testable import ZhenggaiOffice

@Suite("XML pull parser")
struct XMLPullParserTests {
    /// Every event as a compact string: "<name a=v>", "</name>", "'text'".
    static func events(_ xml: String, limits: XMLLimits = .standard) throws -> [String] {
        let parser = XMLPullParser(Data(xml.utf8), limits: limits)
        var result: [String] = []
        while true {
            switch try parser.next() {
            case .startElement:
                let attributes = parser.attributes.map { " \($0.name)=\($0.value)" }.joined()
                result.append("<\(parser.name)\(attributes)>")
            case .endElement: result.append("</\(parser.name)>")
            case .text: result.append("'\(parser.text)'")
            case .endOfDocument: return result
            }
        }
    }

    @Test func readsElementsAttributesTextAndEmptyElements() throws {
        let xml = "<?xml version=\"1.0\"?>\n<a x=\"1\" y='两'><b/>文字<c>t</c></a>"
        #expect(try Self.events(xml) == ["<a x=1 y=两>", "<b>", "</b>", "'文字'", "<c>", "'t'", "</c>", "</a>"])
    }

    @Test func decodesPredefinedAndNumericEntitiesOnly() throws {
        let xml = "<a v=\"&quot;&lt;&#x4E2D;\">&amp;&apos;&gt;&#25991;<![CDATA[<x>&amp;]]></a>"
        #expect(try Self.events(xml) == ["<a v=\"<中>", "'&'>文'", "'<x>&amp;'", "</a>"])
    }

    @Test func normalisesLineEndsInTextAndWhiteSpaceInAttributes() throws {
        #expect(try Self.events("<a v=\"x\ny\">1\r\n2\r3</a>") == ["<a v=x y>", "'1\n2\n3'", "</a>"])
    }

    @Test func resolvesNamespacesOnRequest() throws {
        let xml = "<w:doc xmlns:w=\"urn:w\"><t xmlns=\"urn:d\"/><w:t/></w:doc>"
        let parser = XMLPullParser(Data(xml.utf8))
        var seen: [String] = []
        while try parser.next() != .endOfDocument {
            if parser.depth > 0, parser.isElement("t") || parser.isElement("doc") {
                seen.append("\(parser.localName)=\(parser.namespaceURI ?? "-")")
            }
        }
        #expect(seen == ["doc=urn:w", "t=urn:d", "t=urn:d", "t=urn:w", "t=urn:w", "doc=urn:w"])
    }

    @Test(arguments: [
        "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
        "<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>",
        // Billion laughs: refused at the declaration, before any expansion.
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><a>&lol2;</a>",
        "<a><!ENTITY x SYSTEM \"http://example.com/\"></a>",
    ])
    func refusesDeclarations(xml: String) {
        #expect(throws: XMLError.self) { try Self.events(xml) }
        do {
            _ = try Self.events(xml)
        } catch let error as XMLError {
            #expect(error.kind == .forbiddenDeclaration)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func refusesUndeclaredEntities() {
        #expect(throws: XMLError(kind: .undefinedEntity("xxe"), line: 1)) { try Self.events("<a>&xxe;</a>") }
        #expect(throws: XMLError.self) { try Self.events("<a v=\"&xxe;\"/>") }
    }

    @Test(arguments: ["<a><b></a>", "<a>", "<a x=1/>", "<a></a><b/>", "text<a/>", "<a><!-- open</a>", "<a x=\"<\"/>"])
    func refusesMalformedXML(xml: String) {
        #expect(throws: XMLError.self) { try Self.events(xml) }
    }

    @Test func enforcesTheDepthLimit() {
        let deep = String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)
        #expect(throws: XMLError.self) { try Self.events(deep, limits: XMLLimits(maxDepth: 32)) }
        #expect(throws: Never.self) { try Self.events(deep, limits: XMLLimits(maxDepth: 40)) }
    }

    @Test func reportsTheLineOfAnError() {
        #expect(throws: XMLError(kind: .forbiddenDeclaration, line: 3)) {
            try Self.events("<?xml version=\"1.0\"?>\n\n<!DOCTYPE a><a/>")
        }
    }
}
