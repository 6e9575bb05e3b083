import Foundation
import ZhenggaiCore

/// Reads the few top-level string members the period figures need from an audit snapshot, without
/// `JSONDecoder`: a county's 通报 at 100,000 problems decodes 200,000 snapshots, and the decoder's generic
/// machinery was half of its time (docs/benchmarks.md). The snapshots are flat objects our own encoder wrote;
/// anything this reader does not expect (a malformed string, a non-object) returns nil and the caller decodes
/// the text in full, so the figures never depend on which path read them.
enum SnapshotFields {
    /// The members named in `keys`, in that order (nil for a `null` or absent member); nil when one of them is
    /// neither a string nor null. The keys are few and short: compared in a list, not hashed.
    static func strings(_ json: String, keys: [String]) -> [String?]? {
        var text = json
        return text.withUTF8 { bytes in
            var reader = Reader(bytes: bytes)
            return reader.object(keys)
        }
    }

    /// "2026-11-24T01:00:00Z", as `JSONEncoder`'s `.iso8601` writes it; nil for any other shape.
    static func instant(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 20, utf8[10] == UInt8(ascii: "T"), utf8[13] == UInt8(ascii: ":"),
            utf8[16] == UInt8(ascii: ":"), utf8[19] == UInt8(ascii: "Z"),
            let day = LocalDate(iso: String(decoding: utf8[0..<10], as: UTF8.self))
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in utf8[range] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19), hour < 24,
            minute < 60, second < 61
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        mutating func expect(_ byte: UInt8) -> Bool {
            skipSpace()
            guard current == byte else { return false }
            index += 1
            return true
        }

        mutating func object(_ keys: [String]) -> [String?]? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var found = [String?](repeating: nil, count: keys.count)
            skipSpace()
            if current == UInt8(ascii: "}") { return found }
            while true {
                skipSpace()
                guard let key = string(), expect(UInt8(ascii: ":")) else { return nil }
                skipSpace()
                if let position = keys.firstIndex(of: key) {
                    // A wanted member is a string or null; anything else is not the shape expected.
                    if current == Self.quote {
                        guard let value = string() else { return nil }
                        found[position] = value
                    } else {
                        guard bytes.count - index >= 4, bytes[index] == UInt8(ascii: "n"),
                            bytes[index + 1] == UInt8(ascii: "u"),
                            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
                        else { return nil }
                        index += 4
                    }
                } else {
                    guard skipValue() else { return nil }
                }
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"): return found
                default: return nil
                }
            }
        }

        /// A JSON string at `index`, unescaped.
        mutating func string() -> String? {
            guard current == Self.quote else { return nil }
            index += 1
            let start = index
            while let byte = current, byte != Self.backslash {
                if byte == Self.quote {
                    defer { index += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                index += 1
            }
            var out = Array(bytes[start..<index])
            while let byte = current {
                index += 1
                if byte == Self.quote { return String(decoding: out, as: UTF8.self) }
                guard byte == Self.backslash else {
                    out.append(byte)
                    continue
                }
                guard let escaped = current else { return nil }
                index += 1
                switch escaped {
                case Self.quote, Self.backslash, UInt8(ascii: "/"): out.append(escaped)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var scalarValue = UInt32(unit)
                    if (0xD800..<0xDC00).contains(unit) {
                        // A surrogate pair: the low half must follow as another \u escape.
                        guard current == Self.backslash, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                        else { return nil }
                        index += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt16? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
                index += 1
            }
            return value
        }

        /// Steps over one value of any kind: strings, nested objects and arrays, numbers, literals.
        mutating func skipValue() -> Bool {
            guard let first = current else { return false }
            if first == Self.quote { return string() != nil }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                var depth = 0
                while let byte = current {
                    switch byte {
                    case Self.quote:
                        guard string() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default: break
                    }
                    index += 1
                }
                return false
            }
            let start = index
            while let byte = current, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]"),
                byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09
            {
                index += 1
            }
            return index > start
        }
    }
}
