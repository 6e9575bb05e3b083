public import Foundation

/// Bounds on one XML part.
public struct XMLLimits: Sendable, Hashable {
    /// OOXML nests a few dozen levels at most (tables in tables in text boxes).
    public var maxDepth: Int
    public var maxAttributes: Int

    public init(maxDepth: Int = 256, maxAttributes: Int = 512) {
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
    }

    public static let standard = XMLLimits()
}

/// A failure inside one XML part; readers wrap it into an `OfficeError` that names the file.
public struct XMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case malformed(String)
        /// `<!DOCTYPE`, `<!ENTITY` and the like: refused outright (no XXE, no billion laughs).
        case forbiddenDeclaration
        case tooDeep(limit: Int)
        case undefinedEntity(String)
    }

    public let kind: Kind
    public let line: Int

    public var description: String { "XML error at line \(line): \(kind)" }

    func officeError(part: String, fileName: String?, fileKind: OfficeFileKind) -> OfficeError {
        let reason: OfficeError.Reason
        switch kind {
        case .malformed(let detail): reason = .malformedXML(part: part, line: line, detail: detail)
        case .undefinedEntity(let name): reason = .malformedXML(part: part, line: line, detail: "entity &\(name);")
        case .forbiddenDeclaration: reason = .forbiddenXMLDeclaration(part: part, line: line)
        case .tooDeep(let limit): reason = .xmlTooDeep(part: part, line: line, limit: limit)
        }
        return OfficeError(reason, fileName: fileName, fileKind: fileKind)
    }
}

/// A small, strict pull parser over UTF-8 bytes for OOXML parts.
///
/// It never loads or resolves anything outside the bytes it is given: any `<!DOCTYPE` / `<!ENTITY`
/// declaration is an error, and the only entities are the five predefined ones and numeric references.
/// Element and attribute names are compared as bytes (memchr / memcmp on one owned buffer) without
/// building strings, which keeps reading a 100,000-row sheet fast even in debug builds. Namespaces are
/// resolved on request (`namespaceURI`).
public final class XMLPullParser {
    public enum Event: Sendable, Hashable {
        case startElement
        case endElement
        case text
        case endOfDocument
    }

    public static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

    private let base: UnsafeMutablePointer<UInt8>
    private let count: Int
    private let limits: XMLLimits
    private var position = 0
    /// Qualified-name ranges of the open elements.
    private var openElements: [Range<Int>] = []
    private var pendingEnd = false
    private var nameRange = 0..<0
    private var attributeNames: [Range<Int>] = []
    private var attributeValues: [Range<Int>] = []
    private var textRange = 0..<0
    private var textIsRaw = false
    /// In-scope namespace declarations: (prefix, URI, depth of the declaring element).
    private var bindings: [(prefix: String, uri: String, depth: Int)] = []
    private var popBindingsAt: Int?
    private var sawRoot = false

    /// Depth of the current element (1 for the root) on its start and end events.
    public private(set) var depth = 0

    public init(_ data: Data, limits: XMLLimits = .standard) {
        var bytes = data
        // OOXML parts are UTF-8; the specification allows UTF-16 too, which a few producers use.
        if bytes.count >= 2, let first = bytes.first, first == 0xFF || first == 0xFE,
            bytes[bytes.startIndex + 1] == (first == 0xFF ? 0xFE : 0xFF)
        {
            let encoding: String.Encoding = first == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            bytes = Data((String(data: bytes.dropFirst(2), encoding: encoding) ?? "").utf8)
        }
        count = bytes.count
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: max(count, 1))
        bytes.copyBytes(to: base, count: count)
        self.limits = limits
        if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { position = 3 }
    }

    deinit {
        base.deallocate()
    }

    // MARK: - Reading events

    public func next() throws -> Event {
        if let depth = popBindingsAt {
            while let last = bindings.last, last.depth >= depth { bindings.removeLast() }
            popBindingsAt = nil
        }
        if pendingEnd {
            pendingEnd = false
            depth = openElements.count
            popBindingsAt = openElements.count
            openElements.removeLast()
            return .endElement
        }
        while position < count {
            if base[position] != UInt8(ascii: "<") {
                let start = position
                position = find(UInt8(ascii: "<"), from: position, to: count) ?? count
                if openElements.isEmpty {
                    for index in start..<position where !Self.isSpace(base[index]) {
                        throw error(.malformed("text outside the root element"), at: index)
                    }
                    continue
                }
                textRange = start..<position
                textIsRaw = false
                try validateReferences(textRange)
                return .text
            }
            guard position + 1 < count else { throw error(.malformed("unexpected end"), at: position) }
            switch base[position + 1] {
            case UInt8(ascii: "/"):
                return try readEndTag()
            case UInt8(ascii: "?"):
                position = try index(after: "?>", from: position + 2)
            case UInt8(ascii: "!"):
                if hasPrefix("<!--") {
                    position = try index(after: "-->", from: position + 4)
                } else if hasPrefix("<![CDATA[") {
                    let start = position + 9
                    position = try index(after: "]]>", from: start)
                    guard !openElements.isEmpty else { throw error(.malformed("CDATA outside root"), at: start) }
                    textRange = start..<(position - 3)
                    textIsRaw = true
                    return .text
                } else {
                    throw error(.forbiddenDeclaration, at: position)
                }
            default:
                return try readStartTag()
            }
        }
        guard openElements.isEmpty else { throw error(.malformed("unexpected end of document"), at: position) }
        return .endOfDocument
    }

    /// After a start event: skips the element's content and its end tag.
    public func skipElement() throws {
        let target = openElements.count - 1
        while true {
            let event = try next()
            if event == .endElement, openElements.count == target { return }
            if event == .endOfDocument { return }
        }
    }

    /// After a start event: the concatenated text inside the element (children's text included),
    /// consuming through its end tag.
    public func readElementText() throws -> String {
        let target = openElements.count - 1
        var result = ""
        while true {
            switch try next() {
            case .text: result += text
            case .endElement where openElements.count == target: return result
            case .endOfDocument: return result
            default: continue
            }
        }
    }

    // MARK: - The current event

    /// Qualified name of the current element, as written ("w:t").
    public var name: String { string(nameRange) }

    public var localName: String { string(localRange(nameRange)) }

    /// True when the current element's local name (prefix ignored) is `name`. Allocation-free.
    public func isElement(_ name: StaticString) -> Bool {
        equal(localRange(nameRange), name)
    }

    /// The namespace URI of the current element's prefix, or nil when unbound.
    public var namespaceURI: String? {
        let local = localRange(nameRange)
        let prefix =
            local.lowerBound > nameRange.lowerBound ? string(nameRange.lowerBound..<(local.lowerBound - 1)) : ""
        if prefix == "xml" { return Self.xmlNamespace }
        return bindings.last { $0.prefix == prefix }?.uri
    }

    /// The value of the attribute whose local name is `name` (prefix ignored), entities decoded.
    public func attribute(_ name: StaticString) -> String? {
        for index in attributeNames.indices where equal(localRange(attributeNames[index]), name) {
            return decode(attributeValues[index], attribute: true)
        }
        return nil
    }

    /// The value of an attribute by its qualified name as written ("r:id", "xml:space").
    public func attribute(qualified name: String) -> String? {
        for index in attributeNames.indices where string(attributeNames[index]) == name {
            return decode(attributeValues[index], attribute: true)
        }
        return nil
    }

    /// All attributes of the current start element as (qualified name, value), in document order.
    public var attributes: [(name: String, value: String)] {
        attributeNames.indices.map { (string(attributeNames[$0]), decode(attributeValues[$0], attribute: true)) }
    }

    /// The text of a text event, entities decoded and line ends normalised.
    public var text: String {
        textIsRaw ? normalizeLineEnds(textRange) : decode(textRange, attribute: false)
    }

    /// 1-based line of the parser's position, for error messages (computed only when asked).
    public var line: Int { lineNumber(at: position) }

    // MARK: - Tags

    private func readStartTag() throws -> Event {
        let tagStart = position
        if openElements.isEmpty {
            guard !sawRoot else { throw error(.malformed("a second root element"), at: tagStart) }
            sawRoot = true
        }
        position += 1
        nameRange = try readName()
        attributeNames.removeAll(keepingCapacity: true)
        attributeValues.removeAll(keepingCapacity: true)
        while true {
            skipSpaces()
            guard position < count else { throw error(.malformed("unterminated tag"), at: tagStart) }
            let byte = base[position]
            if byte == UInt8(ascii: ">") {
                position += 1
                break
            }
            if byte == UInt8(ascii: "/") {
                guard position + 1 < count, base[position + 1] == UInt8(ascii: ">") else {
                    throw error(.malformed("expected '/>'"), at: position)
                }
                position += 2
                pendingEnd = true
                break
            }
            guard attributeNames.count < limits.maxAttributes else {
                throw error(.malformed("too many attributes"), at: position)
            }
            let attributeName = try readName()
            skipSpaces()
            guard position < count, base[position] == UInt8(ascii: "=") else {
                throw error(.malformed("expected '=' after attribute"), at: position)
            }
            position += 1
            skipSpaces()
            guard position < count, base[position] == UInt8(ascii: "\"") || base[position] == UInt8(ascii: "'") else {
                throw error(.malformed("expected a quoted attribute value"), at: position)
            }
            let valueStart = position + 1
            guard let valueEnd = find(base[position], from: valueStart, to: count) else {
                throw error(.malformed("unterminated attribute value"), at: position)
            }
            if find(UInt8(ascii: "<"), from: valueStart, to: valueEnd) != nil {
                throw error(.malformed("'<' in attribute value"), at: valueStart)
            }
            position = valueEnd + 1
            try validateReferences(valueStart..<valueEnd)
            attributeNames.append(attributeName)
            attributeValues.append(valueStart..<valueEnd)
        }
        guard openElements.count < limits.maxDepth else { throw error(.tooDeep(limit: limits.maxDepth), at: tagStart) }
        openElements.append(nameRange)
        depth = openElements.count
        declareNamespaces()
        return .startElement
    }

    private func readEndTag() throws -> Event {
        let tagStart = position
        position += 2
        let range = try readName()
        skipSpaces()
        guard position < count, base[position] == UInt8(ascii: ">") else {
            throw error(.malformed("unterminated end tag"), at: tagStart)
        }
        position += 1
        guard let open = openElements.last, open.count == range.count,
            memcmp(base + open.lowerBound, base + range.lowerBound, range.count) == 0
        else {
            throw error(.malformed("mismatched end tag </\(string(range))>"), at: tagStart)
        }
        nameRange = range
        attributeNames.removeAll(keepingCapacity: true)
        attributeValues.removeAll(keepingCapacity: true)
        depth = openElements.count
        popBindingsAt = openElements.count
        openElements.removeLast()
        return .endElement
    }

    private func declareNamespaces() {
        for index in attributeNames.indices {
            let range = attributeNames[index]
            guard range.count >= 5, memcmp(base + range.lowerBound, "xmlns", 5) == 0 else { continue }
            let uri = decode(attributeValues[index], attribute: true)
            if range.count == 5 {
                bindings.append(("", uri, openElements.count))
            } else if base[range.lowerBound + 5] == UInt8(ascii: ":") {
                bindings.append((string((range.lowerBound + 6)..<range.upperBound), uri, openElements.count))
            }
        }
    }

    private func readName() throws -> Range<Int> {
        let start = position
        while position < count {
            let byte = base[position]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<")
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
            {
                break
            }
            position += 1
        }
        guard position > start else { throw error(.malformed("expected a name"), at: start) }
        return start..<position
    }

    // MARK: - Helpers

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func skipSpaces() {
        while position < count, Self.isSpace(base[position]) { position += 1 }
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count), as: UTF8.self)
    }

    /// First index of `byte` in start..<end.
    private func find(_ byte: UInt8, from start: Int, to end: Int) -> Int? {
        guard start < end, let found = memchr(base + start, Int32(byte), end - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private func hasPrefix(_ prefix: StaticString) -> Bool {
        position + prefix.utf8CodeUnitCount <= count
            && memcmp(base + position, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
    }

    /// The index just past the first occurrence of `terminator` at or after `start`.
    private func index(after terminator: StaticString, from start: Int) throws -> Int {
        let length = terminator.utf8CodeUnitCount
        var index = start
        while let candidate = find(terminator.utf8Start.pointee, from: index, to: count) {
            if candidate + length <= count, memcmp(base + candidate, terminator.utf8Start, length) == 0 {
                return candidate + length
            }
            index = candidate + 1
        }
        throw error(.malformed("unterminated construct"), at: start)
    }

    private func localRange(_ range: Range<Int>) -> Range<Int> {
        var index = range.upperBound - 1
        while index >= range.lowerBound {
            if base[index] == UInt8(ascii: ":") { return (index + 1)..<range.upperBound }
            index -= 1
        }
        return range
    }

    private func equal(_ range: Range<Int>, _ name: StaticString) -> Bool {
        range.count == name.utf8CodeUnitCount && memcmp(base + range.lowerBound, name.utf8Start, range.count) == 0
    }

    private func lineNumber(at offset: Int) -> Int {
        var lines = 1
        for index in 0..<min(offset, count) where base[index] == 0x0A { lines += 1 }
        return lines
    }

    private func error(_ kind: XMLError.Kind, at offset: Int) -> XMLError {
        XMLError(kind: kind, line: lineNumber(at: offset))
    }

    private func normalizeLineEnds(_ range: Range<Int>) -> String {
        guard find(0x0D, from: range.lowerBound, to: range.upperBound) != nil else { return string(range) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = base[index]
            if byte == 0x0D {
                out.append(0x0A)
                if index + 1 < range.upperBound, base[index + 1] == 0x0A { index += 1 }
            } else {
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Only the five predefined entities and character references exist here: anything else (`&xxe;`) is
    /// refused when the text or attribute is tokenised, so `decode` never meets it.
    private func validateReferences(_ range: Range<Int>) throws {
        var index = range.lowerBound
        while let ampersand = find(UInt8(ascii: "&"), from: index, to: range.upperBound) {
            guard let (_, next) = reference(at: ampersand, end: range.upperBound) else {
                let end = find(UInt8(ascii: ";"), from: ampersand, to: range.upperBound) ?? ampersand + 1
                throw error(.undefinedEntity(string((ampersand + 1)..<min(end, ampersand + 40))), at: ampersand)
            }
            index = next
        }
    }

    /// Decodes references (validated at tokenisation) and normalises line ends and attribute white space.
    private func decode(_ range: Range<Int>, attribute: Bool) -> String {
        var plain = true
        for index in range {
            let byte = base[index]
            if byte == UInt8(ascii: "&") || byte == 0x0D || (attribute && (byte == 0x0A || byte == 0x09)) {
                plain = false
                break
            }
        }
        if plain { return string(range) }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "&"):
                if let (scalarBytes, next) = reference(at: index, end: range.upperBound) {
                    out.append(contentsOf: scalarBytes)
                    index = next
                    continue
                }
                out.append(byte)
            case 0x0D:
                out.append(attribute ? 0x20 : 0x0A)
                if index + 1 < range.upperBound, base[index + 1] == 0x0A { index += 1 }
            case 0x0A, 0x09:
                out.append(attribute ? 0x20 : byte)
            default:
                out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The UTF-8 bytes of the reference starting at `start` ('&') and the index after its ';'.
    private func reference(at start: Int, end: Int) -> ([UInt8], Int)? {
        guard let semicolon = find(UInt8(ascii: ";"), from: start, to: min(end, start + 13)) else { return nil }
        let body = string((start + 1)..<semicolon)
        let next = semicolon + 1
        switch body {
        case "lt": return ([UInt8(ascii: "<")], next)
        case "gt": return ([UInt8(ascii: ">")], next)
        case "amp": return ([UInt8(ascii: "&")], next)
        case "quot": return ([UInt8(ascii: "\"")], next)
        case "apos": return ([UInt8(ascii: "'")], next)
        default: break
        }
        guard body.hasPrefix("#") else { return nil }
        let digits = body.dropFirst()
        let value =
            digits.hasPrefix("x") || digits.hasPrefix("X")
            ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        // XML 1.0 Char: no NUL, no surrogates; U+FFFD stands in for anything invalid.
        guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return (Array("\u{FFFD}".utf8), next) }
        return (Array(String(Character(scalar)).utf8), next)
    }
}
