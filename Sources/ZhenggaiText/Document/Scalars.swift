/// Scalar-level helpers. The parser works on `[UInt32]` (Unicode scalar values) so offsets are scalar
/// offsets and hot loops never touch `Character`.
enum Scalars {
    static func of(_ text: String) -> [UInt32] {
        var result = [UInt32]()
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { result.append(scalar.value) }
        return result
    }

    static func string(_ scalars: ArraySlice<UInt32>) -> String {
        scalars.withUnsafeBufferPointer { source in
            String(unsafeUninitializedCapacity: source.count * 4) { target in
                var count = 0
                for value in source {
                    switch value {
                    case 0..<0x80:
                        target[count] = UInt8(value)
                        count += 1
                    case 0x80..<0x800:
                        target[count] = UInt8(0xC0 | value >> 6)
                        target[count + 1] = UInt8(0x80 | value & 0x3F)
                        count += 2
                    case 0x800..<0x10000:
                        target[count] = UInt8(0xE0 | value >> 12)
                        target[count + 1] = UInt8(0x80 | value >> 6 & 0x3F)
                        target[count + 2] = UInt8(0x80 | value & 0x3F)
                        count += 3
                    default:
                        target[count] = UInt8(0xF0 | value >> 18)
                        target[count + 1] = UInt8(0x80 | value >> 12 & 0x3F)
                        target[count + 2] = UInt8(0x80 | value >> 6 & 0x3F)
                        target[count + 3] = UInt8(0x80 | value & 0x3F)
                        count += 4
                    }
                }
                return count
            }
        }
    }

    static func string(_ scalars: [UInt32]) -> String {
        string(scalars[...])
    }

    /// Full-width forms and CJK quotes folded to their half-width counterparts, for matching only.
    @inline(__always)
    static func fold(_ value: UInt32) -> UInt32 {
        switch value {
        case 0xFF01...0xFF5E: value - 0xFEE0
        case 0x3000: 0x20
        case 0x3002: 0x2E  // 。
        case 0x201C, 0x201D, 0x201E: 0x22
        case 0x2018, 0x2019: 0x27
        default: value
        }
    }

    @inline(__always)
    static func isSpace(_ value: UInt32) -> Bool {
        value == 0x20 || value == 0x09 || value == 0x3000 || value == 0xA0 || value == 0xFEFF
            || value == 0x200B || value == 0x0B || value == 0x0C
    }

    @inline(__always)
    static func isIdeograph(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x20000...0x2FFFF).contains(value) || (0xF900...0xFAFF).contains(value)
    }

    /// Ends a sentence or a clause that may end a line (。！？；：… and closing brackets after them).
    @inline(__always)
    static func endsSentence(_ value: UInt32) -> Bool {
        switch fold(value) {
        case 0x2E, 0x21, 0x3F, 0x3B, 0x3A, 0x2026: true
        default: false
        }
    }

    /// `endsSentence` at `index`, except a full stop between digits ("4.2万元").
    @inline(__always)
    static func endsSentence(_ text: [UInt32], at index: Int) -> Bool {
        guard endsSentence(text[index]) else { return false }
        if fold(text[index]) == 0x2E, index > 0, index + 1 < text.count, isDigit(text[index - 1]),
            isDigit(text[index + 1])
        {
            return false
        }
        return true
    }

    /// Chinese numeral value of 一…九十九 (also 〇/零/两 inside), or nil.
    static func chineseNumber<C: Collection>(_ scalars: C) -> Int? where C.Element == UInt32 {
        guard !scalars.isEmpty, scalars.count <= 3 else { return nil }
        var total = 0
        var current = 0
        for value in scalars {
            if value == 0x5341 {  // 十
                total += (current == 0 ? 1 : current) * 10
                current = 0
            } else if let digit = chineseDigit(value) {
                current = digit
            } else {
                return nil
            }
        }
        return total + current
    }

    @inline(__always)
    static func chineseDigit(_ value: UInt32) -> Int? {
        switch value {
        case 0x4E00: 1  // 一
        case 0x4E8C: 2  // 二
        case 0x4E09: 3  // 三
        case 0x56DB: 4  // 四
        case 0x4E94: 5  // 五
        case 0x516D: 6  // 六
        case 0x4E03: 7  // 七
        case 0x516B: 8  // 八
        case 0x4E5D: 9  // 九
        case 0x3007, 0x96F6: 0  // 〇 零
        default: nil
        }
    }

    @inline(__always)
    static func isChineseNumeral(_ value: UInt32) -> Bool {
        value == 0x5341 || chineseDigit(value) != nil
    }

    @inline(__always)
    static func isDigit(_ value: UInt32) -> Bool {
        let folded = fold(value)
        return folded >= 0x30 && folded <= 0x39
    }

    /// Whether `needle` occurs in `haystack[range]`.
    static func contains(_ haystack: [UInt32], _ range: Range<Int>, _ needle: [UInt32]) -> Bool {
        firstIndex(of: needle, in: haystack, range) != nil
    }

    static func firstIndex(of needle: [UInt32], in haystack: [UInt32], _ range: Range<Int>) -> Int? {
        guard let first = needle.first, needle.count <= range.count else { return nil }
        var index = range.lowerBound
        let last = range.upperBound - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                var offset = 1
                while offset < needle.count {
                    if haystack[index + offset] != needle[offset] {
                        matched = false
                        break
                    }
                    offset += 1
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}

/// Keyword lists are written as Swift strings and converted once. Searching is one pass over the text:
/// a 4096-bit filter on each scalar's low bits says whether any keyword can start there.
struct Keywords: Sendable {
    let words: [[UInt32]]
    private let filter: [UInt64]

    init(_ words: [String]) {
        self.words = words.map(Scalars.of).filter { !$0.isEmpty }
        var filter = [UInt64](repeating: 0, count: 64)
        for word in self.words {
            let bit = Int(word[0] & 0xFFF)
            filter[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        self.filter = filter
    }

    @inline(__always)
    private func mayStart(_ value: UInt32) -> Bool {
        let bit = Int(value & 0xFFF)
        return filter[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    @inline(__always)
    private func matches(_ word: [UInt32], _ text: [UInt32], at index: Int, end: Int) -> Bool {
        guard index + word.count <= end, text[index] == word[0] else { return false }
        var offset = 1
        while offset < word.count {
            if text[index + offset] != word[offset] { return false }
            offset += 1
        }
        return true
    }

    func any(in text: [UInt32], _ range: Range<Int>) -> Bool {
        for index in range where mayStart(text[index]) {
            for word in words where matches(word, text, at: index, end: range.upperBound) { return true }
        }
        return false
    }

    /// The earliest occurrence of any keyword in the range (the longest word where several start there).
    func firstMatch(in text: [UInt32], _ range: Range<Int>) -> Range<Int>? {
        for index in range where mayStart(text[index]) {
            var best = 0
            for word in words where word.count > best && matches(word, text, at: index, end: range.upperBound) {
                best = word.count
            }
            if best > 0 { return index..<(index + best) }
        }
        return nil
    }

    /// Calls `body` with the start and length of every occurrence, in text order, until it returns true.
    func contains(in text: [UInt32], _ range: Range<Int>, where body: (Int, Int) -> Bool) -> Bool {
        for index in range where mayStart(text[index]) {
            for word in words where matches(word, text, at: index, end: range.upperBound) {
                if body(index, word.count) { return true }
            }
        }
        return false
    }

    /// How many distinct keywords occur in the range.
    func count(in text: [UInt32], _ range: Range<Int>) -> Int {
        var seen = [Bool](repeating: false, count: words.count)
        var total = 0
        for index in range where mayStart(text[index]) {
            for (position, word) in words.enumerated() where !seen[position] {
                if matches(word, text, at: index, end: range.upperBound) {
                    seen[position] = true
                    total += 1
                }
            }
        }
        return total
    }
}
