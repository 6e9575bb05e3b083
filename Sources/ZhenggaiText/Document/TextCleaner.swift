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
        static let chrome = "网页元素"
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
        markChrome(buffer, &lines)
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

    // MARK: - Portal chrome

    /// Labels of a government portal's article page: 索引号, 发布机构, 当前位置, 朗读, 分享, 访问量 …
    private static let chromeLabels = Keywords([
        "索引号", "信息索引号", "发布机构", "发文机关", "发布日期", "发布时间", "成文日期", "公开方式", "公开范围", "公开时限",
        "信息来源", "来源", "作者", "浏览量", "浏览次数", "点击数", "点击量", "点击率", "访问量", "阅读量", "阅读次数", "分享",
        "分享到", "朗读", "打印", "字体", "字号", "时间", "日期", "发表时间", "更新时间", "责任编辑", "编辑", "扫一扫",
        "主题分类", "体裁分类", "文号", "有效性", "关闭窗口", "收藏", "您的位置", "您当前所在位置", "当前位置", "所在位置",
        "您现在的位置", "首页", "上一篇", "下一篇", "导语", "文件名称",
    ])
    /// Openings of a site's footer notice, whatever follows.
    private static let noticeOpenings = Keywords(["特别提醒", "免责声明", "版权声明", "欢迎关注", "温馨提示", "扫码关注"])
    /// Labels whose value (on the next line when the label stands alone) is the document's own text.
    private static let keptValueLabels = Keywords(["文件名称"])
    /// Site notices anywhere in a short line.
    private static let siteNotices = Keywords([
        "不代表本站观点", "网友上传", "网友为您整理", "供您参考", "相关范文", "如果我们使用了您的", "联系我们要求撤下",
        "全文共", "已省略", "仅展示", "仅供参考",
    ])

    /// Portal chrome: a short line that starts with a portal label (after bullets), a breadcrumb
    /// (首页 > …), a bare date or number, a site notice; and the value of a label that stood alone on its line.
    private static func markChrome(_ buffer: [UInt32], _ lines: inout [Line]) {
        var valueExpected = false
        for position in lines.indices where lines[position].removal == nil {
            let range = lines[position].range
            guard !range.isEmpty else { continue }
            if range.count > 160 {
                valueExpected = false
                continue
            }
            let folded = TraditionalChinese.simplified(Array(buffer[range]))
            let all = 0..<folded.count
            var start = 0
            while start < folded.count && isBullet(folded[start]) { start += 1 }
            // 「2021-06-25 16:57 来源：……」: a leading date belongs to the chrome that follows it.
            var afterDate = start
            while afterDate < folded.count && isDateScalar(folded[afterDate]) { afterDate += 1 }
            if afterDate - start >= 8, afterDate < folded.count,
                chromeLabels.firstMatch(in: folded, afterDate..<folded.count)?.lowerBound == afterDate
            {
                start = afterDate
            }
            let body = start..<folded.count
            if valueExpected {
                valueExpected = false
                if body.count <= 40 && !folded.contains(where: { Scalars.fold($0) == 0x2E && $0 != 0x2E }) {
                    lines[position].removal = Reason.chrome
                    continue
                }
            }
            if body.isEmpty {
                lines[position].removal = Reason.chrome
                continue
            }
            if (siteNotices.any(in: folded, all) && range.count <= 120)
                || noticeOpenings.firstMatch(in: folded, body)?.lowerBound == body.lowerBound
            {
                lines[position].removal = Reason.chrome
                continue
            }
            if isBreadcrumb(folded, body) || isBareValue(folded, body) {
                lines[position].removal = Reason.chrome
                continue
            }
            guard range.count <= 80, let label = chromeLabels.firstMatch(in: folded, body),
                label.lowerBound == body.lowerBound
            else { continue }
            // The label is followed by a colon, a space, the end of the line or another label.
            var after = label.upperBound
            while after < folded.count && Scalars.isSpace(folded[after]) { after += 1 }
            let next = after < folded.count ? Scalars.fold(folded[after]) : 0
            guard
                after == folded.count || next == 0x3A || after > label.upperBound
                    || chromeLabels.firstMatch(in: folded, after..<folded.count)?.lowerBound == after
            else { continue }
            // A sentence is text, not chrome ("时间：三月……，会议指出……。").
            if folded.contains(where: { $0 == 0x3002 }) { continue }
            if keptValueLabels.any(in: folded, label) {
                lines[position].removal = Reason.chrome
                continue
            }
            lines[position].removal = Reason.chrome
            var valueStart = after
            if next == 0x3A { valueStart += 1 }
            while valueStart < folded.count && Scalars.isSpace(folded[valueStart]) { valueStart += 1 }
            valueExpected = valueStart >= folded.count
        }
    }

    @inline(__always)
    private static func isDateScalar(_ value: UInt32) -> Bool {
        let folded = Scalars.fold(value)
        return (folded >= 0x30 && folded <= 0x39) || folded == 0x2D || folded == 0x2F || folded == 0x3A
            || folded == 0x20
            || folded == 0x2E
    }

    @inline(__always)
    private static func isBullet(_ value: UInt32) -> Bool {
        switch value {
        case 0x2022, 0xB7, 0x3E, 0x25CF, 0x25A0, 0x25C6, 0x2605, 0x2606, 0x25CB, 0x25A1, 0x2023, 0x2043, 0x3009, 0xFF1E:
            true
        default: Scalars.isSpace(value)
        }
    }

    /// 「首页 > 信息公开 > 反馈 >」, 「您的位置: 首页 >常德资讯>」
    private static func isBreadcrumb(_ line: [UInt32], _ body: Range<Int>) -> Bool {
        var arrows = 0
        for index in body where Scalars.fold(line[index]) == 0x3E || line[index] == 0xBB || line[index] == 0x203A {
            arrows += 1
        }
        return arrows >= 2 && Scalars.contains(line, body, [0x9996, 0x9875])  // 首页
    }

    /// A line without ideographs made of digits and date or number punctuation: 2023-08-08 21:31:07,
    /// 113307020501239658/2023-46395.
    private static func isBareValue(_ line: [UInt32], _ body: Range<Int>) -> Bool {
        guard body.count <= 40 else { return false }
        var digits = 0
        for index in body {
            let value = Scalars.fold(line[index])
            if value >= 0x30 && value <= 0x39 {
                digits += 1
                continue
            }
            switch value {
            case 0x20, 0x2D, 0x2F, 0x3A, 0x2E, 0x5F, 0x5E74, 0x6708, 0x65E5: continue  // space - / : . _ 年 月 日
            default: return false
            }
        }
        return digits >= 6
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
