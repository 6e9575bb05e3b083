/// Something the cleaner took out of the document, kept so the user can see nothing was lost silently.
public struct Removal: Codable, Sendable, Equatable {
    public var text: String
    /// Why it was removed, in Chinese: 公众号水印, 付费标记, 广告, 页码, 目录, 重复页眉页脚.
    public var reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }
}

/// Removes watermarks, ads and page furniture, trims lines and joins lines broken mid-sentence.
/// The result is one paragraph per line, joined by "\n"; every later offset is into these scalars.
enum TextCleaner {
    struct Result {
        var scalars: [UInt32]
        var removed: [Removal]
    }

    enum Reason {
        static let watermark = "公众号水印"
        static let paid = "付费标记"
        static let advert = "广告"
        static let pageNumber = "页码"
        static let contents = "目录"
        static let header = "重复页眉页脚"
    }

    /// A line after inline cleaning: a range into `Work.buffer`.
    private struct Line {
        var range: Range<Int>
        var removal: String? = nil
        /// Marks removed from inside the line, reported before the line itself.
        var marks: [Removal] = []
    }

    static func clean(_ input: [UInt32]) -> Result {
        var buffer = [UInt32]()
        buffer.reserveCapacity(input.count)
        var lines = [Line]()

        // Pass 1: split, remove inline marks, classify whole lines that are not text.
        var start = 0
        var index = 0
        let count = input.count
        while index <= count {
            let isBreak =
                index == count || input[index] == 0x0A || input[index] == 0x0D || input[index] == 0x2028
                || input[index] == 0x2029 || input[index] == 0x0C
            if isBreak {
                if index > start || index < count {
                    let line = cleanLine(input, start..<index, into: &buffer)
                    if !line.range.isEmpty || !line.marks.isEmpty { lines.append(line) }
                }
                if index < count && input[index] == 0x0D && index + 1 < count && input[index + 1] == 0x0A {
                    index += 1
                }
                start = index + 1
            }
            index += 1
        }
        markContents(buffer, &lines)
        markRepeatedLines(buffer, &lines)

        // Pass 2: emit kept lines, report removed ones in document order, join broken lines.
        var output = [UInt32]()
        output.reserveCapacity(buffer.count + lines.count)
        var removed = [Removal]()
        var lineStart = -1
        var lastKept: Range<Int>? = nil
        var firstLine = true
        for line in lines {
            removed.append(contentsOf: line.marks)
            if line.range.isEmpty { continue }
            if let reason = line.removal {
                removed.append(Removal(text: Scalars.string(buffer[line.range]), reason: reason))
                continue
            }
            if let previous = lastKept, lineStart >= 0,
                shouldJoin(buffer, previous, next: line.range, previousIsTitle: firstLine && lineStart == 0)
            {
                if let last = output.last, isASCIIWord(last), isASCIIWord(buffer[line.range.lowerBound]) {
                    output.append(0x20)
                }
                output.append(contentsOf: buffer[line.range])
                // A joined line takes the continuation's ending for the next decision.
                lastKept = line.range
                firstLine = false
                continue
            }
            if lineStart >= 0 {
                output.append(0x0A)
                firstLine = false
            }
            lineStart = output.count
            output.append(contentsOf: buffer[line.range])
            lastKept = line.range
        }
        return Result(scalars: output, removed: removed)
    }

    // MARK: - Inline removal

    private static func cleanLine(_ input: [UInt32], _ range: Range<Int>, into buffer: inout [UInt32]) -> Line {
        let trimmed = trim(input, range)
        if trimmed.isEmpty { return Line(range: buffer.count..<buffer.count) }
        if isAdvert(input, trimmed) {
            let begin = buffer.count
            buffer.append(contentsOf: input[trimmed])
            return Line(range: begin..<buffer.count, removal: Reason.advert)
        }
        var marks = [Removal]()
        let begin = buffer.count
        var index = trimmed.lowerBound
        var copied = index  // input[copied..<index] is kept and not yet copied: copied in runs
        let end = trimmed.upperBound
        while index < end {
            let value = input[index]
            if value == 0x23 || value == 0x70 || value == 0x50 || value == 0xFF03,
                let paid = paidMarker(input, at: index, end: end)
            {
                buffer.append(contentsOf: input[copied..<index])
                marks.append(Removal(text: Scalars.string(input[paid]), reason: Reason.paid))
                index = paid.upperBound
                copied = index
                continue
            }
            if isOpener(value), let mark = watermark(input, at: index, end: end) {
                buffer.append(contentsOf: input[copied..<index])
                marks.append(Removal(text: Scalars.string(input[mark]), reason: Reason.watermark))
                index = mark.upperBound
                copied = index
                continue
            }
            index += 1
        }
        buffer.append(contentsOf: input[copied..<end])
        // Removing a mark can leave spaces at either end.
        var lower = begin
        var upper = buffer.count
        while lower < upper && Scalars.isSpace(buffer[lower]) { lower += 1 }
        while upper > lower && Scalars.isSpace(buffer[upper - 1]) { upper -= 1 }
        return Line(range: lower..<upper, marks: marks)
    }

    static func trim(_ scalars: [UInt32], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && Scalars.isSpace(scalars[lower]) { lower += 1 }
        while upper > lower && Scalars.isSpace(scalars[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private static let paidWords: [[UInt32]] = ["paidbegin", "paidend"].map(Scalars.of)

    /// `##paidbegin##` / `##paidend##`, any case, any number of `#` around.
    private static func paidMarker(_ input: [UInt32], at index: Int, end: Int) -> Range<Int>? {
        var wordStart = index
        while wordStart < end && Scalars.fold(input[wordStart]) == 0x23 { wordStart += 1 }
        for word in paidWords where wordStart + word.count <= end {
            var matched = true
            for offset in 0..<word.count where lowercased(input[wordStart + offset]) != word[offset] {
                matched = false
                break
            }
            if matched {
                var upper = wordStart + word.count
                while upper < end && Scalars.fold(input[upper]) == 0x23 { upper += 1 }
                return index..<upper
            }
        }
        return nil
    }

    @inline(__always)
    private static func lowercased(_ value: UInt32) -> UInt32 {
        let folded = Scalars.fold(value)
        return folded >= 0x41 && folded <= 0x5A ? folded + 0x20 : folded
    }

    @inline(__always)
    private static func isOpener(_ value: UInt32) -> Bool {
        value == 0x5B || value == 0x3010 || value == 0x3014 || value == 0xFF3B || value == 0x3016
    }

    @inline(__always)
    private static func isCloser(_ value: UInt32) -> Bool {
        value == 0x5D || value == 0x3011 || value == 0x3015 || value == 0xFF3D || value == 0x3017
    }

    /// Junk that material sites sprinkle into their marks to defeat simple filters.
    @inline(__always)
    private static func isJunk(_ value: UInt32) -> Bool {
        let folded = Scalars.fold(value)
        guard folded < 0x80 else { return false }
        return folded == 0x20 || (folded >= 0x21 && folded <= 0x2F && folded != 0x28 && folded != 0x29)
            || (folded >= 0x3A && folded <= 0x40) || folded == 0x5E || folded == 0x5F || folded == 0x7E
            || folded == 0x7C
    }

    /// `[【公众号：…】]` with junk inserted anywhere: a bracket whose content spells 公…众…号.
    private static func watermark(_ input: [UInt32], at index: Int, end: Int) -> Range<Int>? {
        let limit = min(end, index + 48)
        var stage = 0
        var closer = -1
        var probe = index + 1
        while probe < limit {
            let value = input[probe]
            if isCloser(value) {
                if stage == 3 { closer = probe }
                break
            }
            if stage == 0 && value == 0x516C {
                stage = 1
            }  // 公
            else if stage == 1 && value == 0x4F17 {
                stage = 2
            }  // 众
            else if stage == 2 && value == 0x53F7 {
                stage = 3
            }  // 号
            probe += 1
        }
        guard closer >= 0 else { return nil }
        var upper = closer + 1
        var scan = upper
        while scan < end && scan - closer <= 8 && (isJunk(input[scan]) || isCloser(input[scan])) {
            if isCloser(input[scan]) { upper = scan + 1 }
            scan += 1
        }
        return index..<upper
    }

    // MARK: - Whole lines

    private static let strongAdvert = Keywords([
        "素材库", "资料库", "代笔", "会员", "客服", "谨防假冒", "网盘", "唯一平台", "润笔", "接单", "svip", "SVIP",
        "材料来自", "更多资料", "免费领取",
    ])
    private static let weakAdvert = Keywords([
        "公众号", "微信", "关注", "下载", "加入", "联系", "原创", "扫码", "二维码", "添加", "QQ",
    ])

    /// Material-site promotion: strong words (two points each), weak words and long digit runs (one).
    private static func isAdvert(_ input: [UInt32], _ range: Range<Int>) -> Bool {
        guard range.count <= 400 else { return false }
        var score = 2 * strongAdvert.count(in: input, range)
        if score == 0 { return false }
        score += weakAdvert.count(in: input, range)
        var digits = 0
        var longestDigits = 0
        for index in range {
            if Scalars.isDigit(input[index]) {
                digits += 1
                longestDigits = max(longestDigits, digits)
            } else if !Scalars.isSpace(input[index]) {
                digits = 0
            }
        }
        if longestDigits >= 5 { score += 1 }
        return score >= 3
    }

    /// A table of contents: a 目录 line, and lines with dot leaders ending in a page number.
    private static func markContents(_ buffer: [UInt32], _ lines: inout [Line]) {
        var inContents = false
        for position in lines.indices where lines[position].removal == nil {
            let range = lines[position].range
            if isContentsTitle(buffer, range) {
                lines[position].removal = Reason.contents
                inContents = true
                continue
            }
            if isPageNumber(buffer, range) {
                lines[position].removal = Reason.pageNumber
                continue
            }
            let endsWithDigit = Scalars.isDigit(buffer[range.upperBound - 1])
            if endsWithDigit && (hasLeader(buffer, range) || inContents) {
                lines[position].removal = Reason.contents
            } else {
                inContents = false
            }
        }
    }

    private static func isContentsTitle(_ buffer: [UInt32], _ range: Range<Int>) -> Bool {
        var letters = [UInt32]()
        for index in range where !Scalars.isSpace(buffer[index]) {
            letters.append(buffer[index])
            if letters.count > 2 { return false }
        }
        return letters == [0x76EE, 0x5F55]  // 目录
    }

    /// "— 3 —", "- 3 -", "第3页", "第 3 页 共 10 页", "3/10".
    private static func isPageNumber(_ buffer: [UInt32], _ range: Range<Int>) -> Bool {
        guard range.count <= 20 else { return false }
        var digits = 0
        for index in range {
            let value = Scalars.fold(buffer[index])
            if value >= 0x30 && value <= 0x39 {
                digits += 1
                continue
            }
            switch value {
            case 0x20, 0x2D, 0x2014, 0x2013, 0x2015, 0x2F, 0x7B2C, 0x9875, 0x5171:  // space - — – ― / 第 页 共
                continue
            default:
                return false
            }
        }
        return digits > 0 && digits <= 8
    }

    private static func hasLeader(_ buffer: [UInt32], _ range: Range<Int>) -> Bool {
        var run = 0
        for index in range {
            let value = Scalars.fold(buffer[index])
            if value == 0x2E || value == 0x2026 || value == 0xB7 || value == 0x22EF || value == 0x5F || value == 0x2D {
                run += value == 0x2026 || value == 0x22EF ? 3 : 1
                if run >= 4 { return true }
            } else if !Scalars.isSpace(value) {
                run = 0
            }
        }
        return false
    }

    /// Running headers and footers: the same short line at least three times. The first line stays
    /// when it is the title.
    private static func markRepeatedLines(_ buffer: [UInt32], _ lines: inout [Line]) {
        var counts = [ArraySlice<UInt32>: Int]()
        for line in lines where line.removal == nil && line.range.count <= 40 {
            counts[buffer[line.range], default: 0] += 1
        }
        guard counts.values.contains(where: { $0 >= 3 }) else { return }
        var firstKept = lines.firstIndex { $0.removal == nil }
        for position in lines.indices where lines[position].removal == nil && lines[position].range.count <= 40 {
            let range = lines[position].range
            guard let seen = counts[buffer[range]], seen >= 3 else { continue }
            if OutlineMarkers.lineStart(buffer, range) != nil { continue }
            if Scalars.endsSentence(buffer[range.upperBound - 1]) { continue }
            if position == firstKept {
                firstKept = nil
                continue
            }
            lines[position].removal = Reason.header
        }
    }

    // MARK: - Joining

    /// A line broken mid-sentence continues on the next one: the first line does not end a sentence,
    /// is not a heading, and the next line does not start a new item.
    private static func shouldJoin(
        _ buffer: [UInt32],
        _ previous: Range<Int>,
        next: Range<Int>,
        previousIsTitle: Bool
    ) -> Bool {
        guard !previous.isEmpty, !next.isEmpty else { return false }
        var last = previous.upperBound - 1
        while last > previous.lowerBound && isClosingMark(buffer[last]) { last -= 1 }
        if Scalars.endsSentence(buffer[last]) { return false }
        if OutlineMarkers.lineStart(buffer, next) != nil { return false }
        if SectionRoles.labelEnd(buffer, next) != nil { return false }
        if previousIsTitle && previous.count <= 60 { return false }
        let lastValue = Scalars.fold(buffer[previous.upperBound - 1])
        if lastValue == 0x2C || lastValue == 0x3001 { return true }  // ，、
        if let marker = OutlineMarkers.lineStart(buffer, previous),
            marker.kind == .chineseComma || marker.kind == .parenChinese
        {
            return false
        }
        if previous.count >= 30 { return true }
        return SectionRoles.labelEnd(buffer, previous).map { $0 < previous.upperBound } ?? false
    }

    @inline(__always)
    private static func isClosingMark(_ value: UInt32) -> Bool {
        switch Scalars.fold(value) {
        case 0x22, 0x27, 0x29, 0x5D, 0x300D, 0x300F, 0x3011: true
        default: false
        }
    }

    @inline(__always)
    private static func isASCIIWord(_ value: UInt32) -> Bool {
        (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }
}
