/// The heading markers of Chinese official documents, outermost first (GB/T 9704 practice).
enum MarkerKind: Int, Sendable {
    /// 一、
    case chineseComma = 0
    /// （一） (一)
    case parenChinese = 2
    /// 1. 1、 1．
    case arabic = 4
    /// （1） (1) 1)
    case parenArabic = 6
    /// 一是…… 二是…… (also at the start of a line)
    case runIn = 8
    /// ① ②
    case circled = 10
    /// A line that names its role: "主要原因分析：", "整改措施：", "存在的问题".
    case label = 100
    /// A bracketed marker whose number is garbled, like （%1）; resolved from the markers around it.
    case garbledParen = 101
}

struct MarkerMatch: Sendable {
    var kind: MarkerKind
    var number: Int?
    /// The marker's scalars.
    var range: Range<Int>
    /// First scalar of the content after the marker and any spaces.
    var contentStart: Int
}

enum OutlineMarkers {
    /// The marker at the start of a trimmed line, if any.
    static func lineStart(_ text: [UInt32], _ line: Range<Int>) -> MarkerMatch? {
        guard !line.isEmpty else { return nil }
        let start = line.lowerBound
        let end = line.upperBound
        let first = Scalars.fold(text[start])

        if first == 0x28 {  // ( （
            return parenthesised(text, start, end)
        }
        if first == 0x3014 || first == 0x3010 {  // 〔一〕 【一】 are rarer spellings of （一）
            if let close = (start + 1..<min(end, start + 5)).first(where: {
                text[$0] == 0x3015 || text[$0] == 0x3011
            }), let number = Scalars.chineseNumber(text[(start + 1)..<close]) {
                return match(.parenChinese, number, start, close + 1, text, end)
            }
            return nil
        }
        if Scalars.isChineseNumeral(text[start]) {
            var index = start
            while index < end && index - start < 3 && Scalars.isChineseNumeral(text[index]) { index += 1 }
            guard index < end, let number = Scalars.chineseNumber(text[start..<index]), number > 0 else { return nil }
            let delimiter = text[index]
            if delimiter == 0x3001 || delimiter == 0x2E || delimiter == 0xFF0E {  // 、 . ．
                return match(.chineseComma, number, start, index + 1, text, end)
            }
            if delimiter == 0x662F && number <= 20 {  // 是
                return match(.runIn, number, start, index + 1, text, end)
            }
            return nil
        }
        if first >= 0x30 && first <= 0x39 {
            var index = start
            while index < end && index - start < 3 && Scalars.isDigit(text[index]) { index += 1 }
            guard index < end, index - start <= 2 || !Scalars.isDigit(text[index]) else { return nil }
            guard let number = Int(Scalars.string(text[start..<index].map(Scalars.fold))) else { return nil }
            let delimiter = Scalars.fold(text[index])
            if delimiter == 0x2E || text[index] == 0x3001 {  // . ． 、
                // "1.5亿元" is a number, not a marker.
                if index + 1 < end && Scalars.isDigit(text[index + 1]) { return nil }
                return match(.arabic, number, start, index + 1, text, end)
            }
            if delimiter == 0x29 {  // 1) 1）
                return match(.parenArabic, number, start, index + 1, text, end)
            }
            return nil
        }
        let value = text[start]
        if value >= 0x2460 && value <= 0x2473 {  // ①…⑳
            return match(.circled, Int(value - 0x2460 + 1), start, start + 1, text, end)
        }
        if value >= 0x2474 && value <= 0x2487 {  // ⑴…⒇
            return match(.parenArabic, Int(value - 0x2474 + 1), start, start + 1, text, end)
        }
        if value >= 0x2488 && value <= 0x249B {  // ⒈…⒛
            return match(.arabic, Int(value - 0x2488 + 1), start, start + 1, text, end)
        }
        if value >= 0x2160 && value <= 0x216B {  // Ⅰ…Ⅻ used like 一、
            var index = start + 1
            if index < end && (text[index] == 0x3001 || Scalars.fold(text[index]) == 0x2E) { index += 1 }
            return match(.chineseComma, Int(value - 0x2160 + 1), start, index, text, end)
        }
        return nil
    }

    private static func parenthesised(_ text: [UInt32], _ start: Int, _ end: Int) -> MarkerMatch? {
        var close = start + 1
        while close < end && close - start <= 6 && Scalars.fold(text[close]) != 0x29 { close += 1 }
        guard close < end, close - start <= 6, close > start + 1 else { return nil }
        let inner = text[(start + 1)..<close]
        if let number = Scalars.chineseNumber(inner), number > 0 {
            return match(.parenChinese, number, start, close + 1, text, end)
        }
        if inner.count <= 3, inner.allSatisfy(Scalars.isDigit),
            let number = Int(Scalars.string(inner.map(Scalars.fold)))
        {
            return match(.parenArabic, number, start, close + 1, text, end)
        }
        // （%1） and the like: a word processor's field code left in place of the number.
        if inner.count <= 4, !inner.contains(where: Scalars.isIdeograph), close + 1 < end,
            inner.contains(where: { Scalars.fold($0) < 0x80 && !Scalars.isSpace($0) })
        {
            return match(.garbledParen, nil, start, close + 1, text, end)
        }
        return nil
    }

    private static func match(
        _ kind: MarkerKind,
        _ number: Int?,
        _ start: Int,
        _ markerEnd: Int,
        _ text: [UInt32],
        _ end: Int
    ) -> MarkerMatch {
        var content = markerEnd
        while content < end && Scalars.isSpace(text[content]) { content += 1 }
        return MarkerMatch(kind: kind, number: number, range: start..<markerEnd, contentStart: content)
    }

    /// A run-in marker 一是 … 二十是 ending at `index` (the 是), or nil. Returns the marker's start.
    @inline(__always)
    static func runInStart(_ text: [UInt32], isAt index: Int, lineStart: Int) -> (start: Int, number: Int)? {
        var start = index
        while start > lineStart && index - start < 3 && Scalars.isChineseNumeral(text[start - 1]) { start -= 1 }
        guard start < index, let number = Scalars.chineseNumber(text[start..<index]), number > 0, number <= 20 else {
            return nil
        }
        return (start, number)
    }
}
