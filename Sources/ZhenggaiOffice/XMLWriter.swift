import Foundation

/// Appends XML to a byte buffer: no DOM, no intermediate strings, escaping done byte by byte.
struct XMLWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
        raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
    }

    var data: Data { Data(bytes) }

    /// Markup written as is; callers pass only literals and numbers.
    mutating func raw(_ markup: StaticString) {
        markup.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ markup: String) {
        bytes.append(contentsOf: markup.utf8)
    }

    mutating func int(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            int(-value)
            return
        }
        if value >= 10 { int(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Escaped character data (also safe inside double-quoted attributes). Characters XML 1.0 forbids
    /// (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) are dropped: Excel and Word refuse the whole
    /// file otherwise, and they carry no meaning in a ledger.
    mutating func text(_ string: String) {
        var utf8 = string.utf8
        let handled: Void? = utf8.withContiguousStorageIfAvailable { append(escaping: $0) }
        if handled == nil {
            utf8 = String(string).utf8
            Array(utf8).withUnsafeBufferPointer { append(escaping: $0) }
        }
    }

    private mutating func append(escaping source: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = source.count
        while index < count {
            let byte = source[index]
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\""): raw("&quot;")
            case 0x09, 0x0A: bytes.append(byte)
            // A lone CR would be read back as LF; keep it as a reference so text round-trips.
            case 0x0D: raw("&#13;")
            case 0x00..<0x20: break
            case 0xEF where index + 2 < count && source[index + 1] == 0xBF && source[index + 2] >= 0xBE:
                index += 2
            default: bytes.append(byte)
            }
            index += 1
        }
    }

    /// ` name="value"` with the value escaped.
    mutating func attribute(_ name: StaticString, _ value: String) {
        bytes.append(0x20)
        raw(name)
        raw("=\"")
        text(value)
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func attribute(_ name: StaticString, _ value: Int) {
        bytes.append(0x20)
        raw(name)
        raw("=\"")
        int(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// True when text needs xml:space="preserve" to keep its leading/trailing blanks.
    static func needsPreserve(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        return first == 0x20 || first == 0x09 || first == 0x0A || last == 0x20 || last == 0x09 || last == 0x0A
    }
}
