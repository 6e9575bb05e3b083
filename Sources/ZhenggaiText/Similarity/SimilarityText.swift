/// Turns a problem's text into the character stream that similarity compares.
///
/// Chinese has no spaces, and no word-segmentation model is shipped, so texts are compared by character
/// n-grams ("shingles"). Before that, everything that differs between two wordings of the same problem
/// without changing its meaning is taken out: punctuation and spaces, full-width forms, letter case,
/// traditional characters (compared as their simplified forms), digits (years, amounts, counts),
/// placeholders (`XX`, `x`, `*`, `某`), ordinals of rounds and teams (`第三巡察组`), and the names of
/// places and units the caller knows. Each of these becomes a *break*:
/// no shingle spans a break, so "XX村财务" and "张庄村财务" yield the same shingles.
struct SimilarityText {
    /// Normalised scalars; `0` marks a break (never two in a row, never first).
    var scalars: [UInt32] = []
    /// For each scalar, its start and end in the original text, in UTF-16 code units; empty unless asked.
    var sourceStarts: [Int32] = []
    var sourceEnds: [Int32] = []

    static let breakScalar: UInt32 = 0

    /// Longest text looked at. Longer input is cut, so one pasted document cannot stall the index.
    static let maximumScalars = 20_000

    init(_ text: String, placeNames: PlaceNames? = nil, recordOffsets: Bool = false) {
        var scanner = Scanner(recordOffsets: recordOffsets)
        scanner.scan(text, placeNames: placeNames)
        scalars = scanner.scalars
        sourceStarts = scanner.starts
        sourceEnds = scanner.ends
    }

    /// The normalised scalars of `text`, written into `buffer` (whose capacity is reused, so a query
    /// allocates nothing here); `letters` is scratch space of the same kind.
    static func normalise(
        _ text: String, placeNames: PlaceNames?, into buffer: inout [UInt32], letters: inout [UInt32]
    ) {
        buffer.removeAll(keepingCapacity: true)
        letters.removeAll(keepingCapacity: true)
        var scanner = Scanner(recordOffsets: false, scalars: buffer, letters: letters)
        buffer = []
        letters = []
        scanner.scan(text, placeNames: placeNames)
        swap(&buffer, &scanner.scalars)
        swap(&letters, &scanner.letterValues)
    }

    private struct Scanner {
        var scalars: [UInt32] = []
        var starts: [Int32] = []
        var ends: [Int32] = []
        let recordOffsets: Bool
        /// Letters waiting to be classified: a run of only `x` is a placeholder, any other run is kept.
        /// Their offsets are kept apart, and only when asked for.
        var letterValues: [UInt32] = []
        var letterStarts: [Int32] = []
        var letterEnds: [Int32] = []
        /// Set after `第` so that the numeral that follows (`第三巡察组`) becomes a break.
        var afterOrdinalMark = false

        init(recordOffsets: Bool) {
            self.recordOffsets = recordOffsets
            scalars.reserveCapacity(128)
        }

        init(recordOffsets: Bool, scalars: [UInt32], letters: [UInt32]) {
            self.recordOffsets = recordOffsets
            self.scalars = scalars
            letterValues = letters
        }

        mutating func scan(_ text: String, placeNames: PlaceNames?) {
            var offset: Int32 = 0
            let view = text.unicodeScalars
            guard let placeNames else {
                // Common path: a plain forward scan, much faster than index arithmetic.
                var taken = 0
                for scalar in view {
                    guard taken < SimilarityText.maximumScalars else { break }
                    let width = Int32(scalar.value > 0xFFFF ? 2 : 1)
                    classify(scalar.value, start: offset, end: offset + width)
                    offset += width
                    taken += 1
                }
                finish()
                return
            }
            var index = view.startIndex
            var taken = 0
            while index < view.endIndex, taken < SimilarityText.maximumScalars {
                if let length = placeNames.match(in: view, at: index) {
                    flushLetters()
                    appendBreak()
                    for _ in 0..<length {
                        offset += Int32(view[index].utf16.count)
                        index = view.index(after: index)
                    }
                    taken += length
                    continue
                }
                let scalar = view[index]
                let width = Int32(scalar.value > 0xFFFF ? 2 : 1)
                classify(scalar.value, start: offset, end: offset + width)
                offset += width
                index = view.index(after: index)
                taken += 1
            }
            finish()
        }

        mutating func finish() {
            flushLetters()
            if scalars.last == SimilarityText.breakScalar {
                removeLast()
            }
        }

        mutating func classify(_ raw: UInt32, start: Int32, end: Int32) {
            var value = raw
            // Full-width ASCII forms (Ａ, １, ＊) compare as their ASCII counterparts.
            if value >= 0xFF01 && value <= 0xFF5E {
                value -= 0xFEE0
            }
            if value >= 0x41 && value <= 0x5A {
                value += 0x20
            }
            if value >= 0x61 && value <= 0x7A {
                afterOrdinalMark = false
                letterValues.append(value)
                if recordOffsets {
                    letterStarts.append(start)
                    letterEnds.append(end)
                }
                return
            }
            flushLetters()
            if isHan(value) {
                // Traditional characters compare as their simplified forms (理論學習 = 理论学习).
                value = TraditionalChinese.simplified(value)
                if isPlaceholderHan(value) || (afterOrdinalMark && isChineseNumeral(value)) {
                    appendBreak()
                    return
                }
                afterOrdinalMark = value == 0x7B2C  // 第
                append(value, start: start, end: end)
                return
            }
            // Digits, punctuation, spaces, symbols and placeholders such as `*` or `×` all break.
            afterOrdinalMark = false
            appendBreak()
        }

        mutating func flushLetters() {
            guard !letterValues.isEmpty else { return }
            if letterValues.allSatisfy({ $0 == 0x78 }) {
                appendBreak()
            } else if recordOffsets {
                for index in letterValues.indices {
                    append(letterValues[index], start: letterStarts[index], end: letterEnds[index])
                }
            } else {
                scalars.append(contentsOf: letterValues)
            }
            letterValues.removeAll(keepingCapacity: true)
            letterStarts.removeAll(keepingCapacity: true)
            letterEnds.removeAll(keepingCapacity: true)
        }

        mutating func append(_ value: UInt32, start: Int32, end: Int32) {
            scalars.append(value)
            if recordOffsets {
                starts.append(start)
                ends.append(end)
            }
        }

        mutating func appendBreak() {
            guard let last = scalars.last, last != SimilarityText.breakScalar else { return }
            append(SimilarityText.breakScalar, start: -1, end: -1)
        }

        mutating func removeLast() {
            scalars.removeLast()
            if recordOffsets {
                starts.removeLast()
                ends.removeLast()
            }
        }
    }
}

@inline(__always)
private func isHan(_ value: UInt32) -> Bool {
    (value >= 0x4E00 && value <= 0x9FFF) || (value >= 0x3400 && value <= 0x4DBF)
        || (value >= 0x20000 && value <= 0x3134F) || (value >= 0xF900 && value <= 0xFAFF)
}

/// `某` ("a certain") stands for a withheld name, like `XX`.
@inline(__always)
private func isPlaceholderHan(_ value: UInt32) -> Bool {
    value == 0x67D0
}

@inline(__always)
private func isChineseNumeral(_ value: UInt32) -> Bool {
    switch value {
    case 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341, 0x767E, 0x96F6,
        0x3007, 0x4E24:
        // 一 二 三 四 五 六 七 八 九 十 百 零 〇 两
        return true
    default:
        return false
    }
}

/// Names of places and units (e.g. the county's townships and villages) that should not make two
/// problems look different or alike. Matching is longest-first at each position.
public struct PlaceNames: Sendable {
    private var byFirstScalar: [UInt32: [[UInt32]]] = [:]

    /// - Parameter names: names as written, e.g. `["青山镇", "张庄村", "城关街道"]`; blank ones are ignored.
    public init(_ names: some Sequence<String>) {
        for name in names {
            let scalars = name.unicodeScalars.map(\.value)
            guard let first = scalars.first, scalars.count >= 2 else { continue }
            byFirstScalar[first, default: []].append(scalars)
        }
        for key in byFirstScalar.keys {
            byFirstScalar[key]?.sort { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        }
    }

    public var isEmpty: Bool { byFirstScalar.isEmpty }

    /// Length in scalars of the longest name starting at `index`, if any.
    func match(in view: String.UnicodeScalarView, at index: String.UnicodeScalarView.Index) -> Int? {
        guard let candidates = byFirstScalar[view[index].value] else { return nil }
        for name in candidates {
            var position = index
            var matched = true
            for value in name {
                guard position < view.endIndex, view[position].value == value else {
                    matched = false
                    break
                }
                position = view.index(after: position)
            }
            if matched {
                return name.count
            }
        }
        return nil
    }
}
