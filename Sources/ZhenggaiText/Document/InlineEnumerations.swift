/// Problems stated inline, as a list inside one sentence — how news items and short reports give the
/// findings of an inspection:
///
/// - 「……存在甲不到位、乙不够有力、丙不规范等问题」 (a finding verb, the list, a closing 等……问题 / 的问题);
/// - 「主要是：甲；乙；丙等」, 「还存在一些共性问题：甲，乙，丙」 (a lead that names problems, then a colon);
/// - 「我们也发现……存在的一些不足，有甲，乙」 (a lead clause that ends with 问题/不足, then a comma).
///
/// The list is split at its top-level separators: ；and ， when it has any, else 、 (so 「担当尽责、为民服务
/// 意识不强」 inside a comma list stays one item). A piece that states no shortcoming by itself (「重业务，
/// 轻党建」, 「打折扣，搞变通」) is joined to its neighbour: to the next one when it opens its ；-group,
/// otherwise to the previous one. Requirements and pledges (「要……」, 「将……」) are not problems.
/// Everything is bounded: one pass over each sentence, windows of a few characters.
enum InlineEnumerations {
    struct Enumeration {
        /// The sentence holding the lead and the list.
        var sentence: Range<Int>
        var items: [Range<Int>]
    }

    /// Sentences longer than this are not read as one enumeration (pathological input).
    private static let maximumSentence = 1_500

    /// Lead words after which the list starts directly: 主要是……, 主要表现为……
    private static let listOpeners = Keywords([
        "主要是", "主要有", "主要表现为", "主要表现在", "具体表现为", "具体表现在", "集中表现为", "集中表现在", "突出表现为",
        "突出表现在", "主要体现在", "具体体现在", "主要包括",
    ])
    /// Finding verbs that take a list closed by 等……问题 or ……的问题.
    private static let findingVerbs = Keywords(["存在", "揭示了", "揭示出", "指出了", "反映出", "查出了", "暴露出", "发现了"])
    /// Nouns that name what was found; a lead must use one.
    private static let problemNouns = Keywords(["问题", "不足", "差距", "短板", "薄弱环节", "突出问题"])
    /// Nouns that close a list after 等 (等问题, 等17个问题, 等“五有”问题, 等十个方面).
    private static let closingNouns = Keywords(["问题", "方面", "情况", "现象", "不足", "短板", "差距", "领域"])
    private static let areaNouns = Keywords(["方面", "领域"])
    /// Pieces that ask or promise rather than state.
    private static let requirementOpenings = Keywords(["要", "将", "应", "必须", "需要", "务必", "确保", "坚决"])
    /// A context that is not a finding of this inspection: a rectification already done, a cause.
    private static let notFinding = Keywords(["整改到位", "已整改", "整改完成", "原因"])
    /// Openers of a sentence that details the summary before it (「主要表现在：一是……」).
    private static let detailOpeners = Keywords([
        "主要表现", "具体表现", "集中表现", "突出表现", "主要体现", "具体体现", "表现为", "表现在",
    ])

    /// The enumerations of shortcomings in `range` (one paragraph or part of one).
    static func scan(_ text: [UInt32], _ range: Range<Int>) -> [Enumeration] {
        var result = [Enumeration]()
        var start = range.lowerBound
        var index = range.lowerBound
        var sentences = [Range<Int>]()
        while index < range.upperBound {
            let folded = Scalars.fold(text[index])
            if folded == 0x2E || folded == 0x21 || folded == 0x3F {
                if folded != 0x2E || Scalars.endsSentence(text, at: index) {
                    sentences.append(start..<(index + 1))
                    start = index + 1
                }
            }
            index += 1
        }
        if start < range.upperBound { sentences.append(start..<range.upperBound) }
        for (position, sentence) in sentences.enumerated() where sentence.count <= maximumSentence {
            guard let found = enumeration(text, sentence) else { continue }
            // A summary followed by its details ("……等问题。主要表现在：一是……"): the details are the problems.
            if position + 1 < sentences.count {
                let next = sentences[position + 1]
                let opening = next.lowerBound..<min(next.upperBound, next.lowerBound + 8)
                if detailOpeners.any(in: text, opening) { continue }
            }
            result.append(found)
        }
        return result
    }

    // MARK: - One sentence

    private static func enumeration(_ text: [UInt32], _ sentence: Range<Int>) -> Enumeration? {
        guard sentence.count >= 8, problemNouns.any(in: text, sentence) || listOpeners.any(in: text, sentence)
        else { return nil }
        var sentenceEnd = sentence.upperBound
        while sentenceEnd > sentence.lowerBound && Scalars.endsSentence(text[sentenceEnd - 1]) { sentenceEnd -= 1 }
        let body = sentence.lowerBound..<sentenceEnd

        // 1. 主要是 / 主要表现为: the list follows; the sentence must speak of problems.
        if let opener = first(listOpeners, in: text, body) {
            var listStart = opener.upperBound
            if listStart < body.upperBound, Scalars.fold(text[listStart]) == 0x3A { listStart += 1 }
            let before = body.lowerBound..<opener.lowerBound
            let closing = closingEnd(text, listStart..<body.upperBound)
            if problemNouns.any(in: text, before) || closing != nil {
                let list = listStart..<(closing?.listEnd ?? colonOrEnd(text, listStart..<body.upperBound))
                if let items = split(text, list, areaList: closing?.area ?? false, minimum: 1) {
                    return Enumeration(sentence: sentence, items: items)
                }
            }
            return nil
        }

        // 2. A clause that names problems, then a colon or a comma: 「存在问题：」「存在的一些不足，」
        if let lead = leadClause(text, body) {
            let list = lead.listStart..<colonOrEnd(text, lead.listStart..<body.upperBound)
            let closing = closingEnd(text, list, byDe: false)
            let trimmed = list.lowerBound..<(closing?.listEnd ?? list.upperBound)
            if let items = split(text, trimmed, areaList: closing?.area ?? false, minimum: lead.colon ? 1 : 2) {
                return Enumeration(sentence: sentence, items: items)
            }
        }

        // 3. A finding verb, the list, 等……问题 or ……的问题.
        var searchFrom = body.lowerBound
        while let verb = first(findingVerbs, in: text, searchFrom..<body.upperBound) {
            searchFrom = verb.upperBound
            if isNegated(text, verb.lowerBound, from: body.lowerBound) { continue }
            var listStart = verb.upperBound
            while listStart < body.upperBound && (text[listStart] == 0x7740 || Scalars.isSpace(text[listStart])) {
                listStart += 1  // 存在着
            }
            guard let closing = closingEnd(text, listStart..<body.upperBound) else { continue }
            if notFinding.any(in: text, body.lowerBound..<verb.lowerBound) { return nil }
            if let items = split(text, listStart..<closing.listEnd, areaList: closing.area, minimum: 2) {
                return Enumeration(sentence: sentence, items: items)
            }
            return nil
        }
        return nil
    }

    /// 「……存在问题：」, 「还存在一些不容忽视的共性问题：」, 「存在的一些不足，」: a clause with a finding verb
    /// (or a bare 问题) that ends with a problem noun, followed by ：or ，.
    private static func leadClause(_ text: [UInt32], _ body: Range<Int>) -> (listStart: Int, colon: Bool)? {
        var clauseStart = body.lowerBound
        var index = body.lowerBound
        while index < body.upperBound {
            let folded = Scalars.fold(text[index])
            if folded == 0x3A || folded == 0x2C || folded == 0x3B {
                let clause = clauseStart..<index
                var end = clause.upperBound
                // 问题如下 / 问题有 / 不足是
                for tail in [Scalars.of("如下"), Scalars.of("有"), Scalars.of("是")]
                where end - clause.lowerBound > tail.count && Array(text[(end - tail.count)..<end]) == tail {
                    end -= tail.count
                    break
                }
                let colon = folded == 0x3A
                if endsWithProblemNoun(text, clause.lowerBound..<end),
                    !isAbout(text, clause),
                    colon ? true : (findingVerbs.any(in: text, clause) && !notFinding.any(in: text, clause))
                {
                    if colon || presence(text, clause.lowerBound..<end) { return (index + 1, colon) }
                }
                clauseStart = index + 1
            }
            index += 1
        }
        return nil
    }

    private static let presenceWords = Keywords(["存在", "发现"])

    /// The clause ends 「存在(的一些)问题」: the finding verb, at most a few qualifiers, the noun. A clause that
    /// holds the list itself (「存在甲、乙等方面的问题，」) is not a lead.
    private static func presence(_ text: [UInt32], _ clause: Range<Int>) -> Bool {
        var from = clause.lowerBound
        var lastWord: Range<Int>? = nil
        while let word = first(presenceWords, in: text, from..<clause.upperBound) {
            if !isNegated(text, word.lowerBound, from: clause.lowerBound) { lastWord = word }
            from = word.upperBound
        }
        guard let word = lastWord, closingEnd(text, clause, byDe: false) == nil else { return false }
        let rest = word.upperBound..<clause.upperBound
        return rest.count <= 14 && !rest.contains { text[$0] == 0x3001 || Scalars.fold(text[$0]) == 0x22 }
    }

    private static let aboutWords = Keywords(["针对", "对于", "关于", "上述", "对照", "整改", "措施", "原因"])

    /// 「针对上述问题：」「关于整改问题，」 refer to problems; they do not list them.
    private static func isAbout(_ text: [UInt32], _ clause: Range<Int>) -> Bool {
        aboutWords.any(in: text, clause)
    }

    private static let endingNouns: [[UInt32]] = ["问题", "不足", "短板", "差距", "薄弱环节", "问题和不足", "不足和问题"].map(
        Scalars.of)

    private static func endsWithProblemNoun(_ text: [UInt32], _ clause: Range<Int>) -> Bool {
        var end = clause.upperBound
        while end > clause.lowerBound && (Scalars.isSpace(text[end - 1]) || isCloseQuote(text[end - 1])) { end -= 1 }
        for noun in endingNouns where end - clause.lowerBound >= noun.count {
            if Array(text[(end - noun.count)..<end]) == noun { return true }
        }
        return false
    }

    /// 不存在, 未发现, 没有发现: a finding that was not made.
    private static func isNegated(_ text: [UInt32], _ position: Int, from start: Int) -> Bool {
        guard position > start else { return false }
        let previous = text[position - 1]
        // 不 未 无 否
        if previous == 0x4E0D || previous == 0x672A || previous == 0x65E0 || previous == 0x5426 { return true }
        // 没有
        if position - 2 >= start && text[position - 2] == 0x6CA1 && previous == 0x6709 { return true }
        return false
    }

    /// The end of a list closed by 等(N个/“……”)问题 or ……的问题/的现象/的情况: where the list stops, and
    /// whether the list names areas (等……方面) rather than shortcomings.
    private static func closingEnd(_ text: [UInt32], _ range: Range<Int>, byDe: Bool = true) -> (
        listEnd: Int, area: Bool
    )? {
        var index = range.lowerBound
        while index < range.upperBound {
            let value = text[index]
            if value == 0x7B49 && index > range.lowerBound {  // 等
                let window = (index + 1)..<min(range.upperBound, index + 12)
                if let noun = first(closingNouns, in: text, window), onlyQualifiers(text, (index + 1)..<noun.lowerBound)
                {
                    var listEnd = index
                    if listEnd > range.lowerBound && text[listEnd - 1] == 0x7B49 { listEnd -= 1 }  // 等等
                    return (listEnd, areaNouns.any(in: text, noun))
                }
            } else if byDe && value == 0x7684 && index > range.lowerBound {  // 的问题 / 的现象 / 的情况
                let window = (index + 1)..<min(range.upperBound, index + 3)
                if let noun = first(closingNouns, in: text, window), noun.lowerBound == index + 1,
                    noun.upperBound == range.upperBound || isClauseEnd(text[noun.upperBound])
                {
                    return (index, false)
                }
            }
            index += 1
        }
        return nil
    }

    /// Between 等 and the closing noun only a count or a quoted name may stand: 等17个问题, 等“五有”问题,
    /// 等方面存在的问题.
    private static func onlyQualifiers(_ text: [UInt32], _ range: Range<Int>) -> Bool {
        var inQuote = false
        for index in range {
            let value = text[index]
            let folded = Scalars.fold(value)
            if folded == 0x22 || value == 0x300C || value == 0x300D {
                inQuote.toggle()
                continue
            }
            if inQuote { continue }
            if Scalars.isDigit(value) || Scalars.isChineseNumeral(value) || Scalars.isSpace(value) { continue }
            switch value {
            case 0x4E2A, 0x65B9, 0x9879, 0x7C7B, 0x5927, 0x7684, 0x591A, 0x4F59, 0x51E0, 0x4E9B:
                continue  // 个 方 项 类 大 的 多 余 几 些
            default: return false
            }
        }
        return true
    }

    @inline(__always)
    private static func isClauseEnd(_ value: UInt32) -> Bool {
        let folded = Scalars.fold(value)
        return folded == 0x2C || folded == 0x3B || folded == 0x2E || folded == 0x3A || value == 0x3001
    }

    @inline(__always)
    private static func isCloseQuote(_ value: UInt32) -> Bool {
        let folded = Scalars.fold(value)
        return folded == 0x22 || value == 0x300D || value == 0x300F || folded == 0x27
    }

    /// A list without a closing 等……问题 stops at a colon (the next clause explains) or the sentence end.
    private static func colonOrEnd(_ text: [UInt32], _ range: Range<Int>) -> Int {
        var index = range.lowerBound
        while index < range.upperBound {
            if Scalars.fold(text[index]) == 0x3A { return index }
            index += 1
        }
        return range.upperBound
    }

    // MARK: - Splitting

    private struct Piece {
        var range: Range<Int>
        /// The piece opens a ；-group (or the list).
        var opensGroup: Bool
        var states: Bool
    }

    /// Splits the list into items, joining pieces that state no shortcoming to a neighbour. Nil when fewer
    /// than `minimum` items remain.
    private static func split(_ text: [UInt32], _ list: Range<Int>, areaList: Bool, minimum: Int) -> [Range<Int>]? {
        guard list.count >= 2 else { return nil }
        // Top-level separators: ；，when there are any outside quotes and brackets, else 、.
        var hasClauseSeparator = false
        var depth = 0
        var inQuote = false
        for index in list {
            let value = text[index]
            switch Scalars.fold(value) {
            case 0x22: inQuote.toggle()
            case 0x28, 0x300A, 0x3010: depth += 1
            case 0x29, 0x300B, 0x3011: depth = max(0, depth - 1)
            case 0x2C, 0x3B: if depth == 0 && !inQuote { hasClauseSeparator = true }
            default:
                if value == 0x201C { inQuote = true } else if value == 0x201D { inQuote = false }
            }
        }
        var pieces = [Piece]()
        var pieceStart = list.lowerBound
        var opensGroup = true
        depth = 0
        inQuote = false
        func close(_ end: Int, _ separatorIsGroup: Bool) {
            if let range = trim(text, pieceStart..<end) {
                pieces.append(Piece(range: range, opensGroup: opensGroup, states: statesShortcoming(text, range)))
                opensGroup = separatorIsGroup
            } else if separatorIsGroup {
                opensGroup = true
            }
        }
        for index in list {
            let value = text[index]
            let folded = Scalars.fold(value)
            if value == 0x201C {
                inQuote = true
                continue
            }
            if value == 0x201D {
                inQuote = false
                continue
            }
            if folded == 0x22 {
                inQuote.toggle()
                continue
            }
            if folded == 0x28 || value == 0x300A || value == 0x3010 {
                depth += 1
                continue
            }
            if folded == 0x29 || value == 0x300B || value == 0x3011 {
                depth = max(0, depth - 1)
                continue
            }
            guard depth == 0 && !inQuote else { continue }
            let separates = hasClauseSeparator ? (folded == 0x2C || folded == 0x3B) : value == 0x3001
            if separates {
                close(index, folded == 0x3B)
                pieceStart = index + 1
            }
        }
        close(list.upperBound, false)
        guard !pieces.isEmpty else { return nil }

        // Join pieces that state nothing by themselves.
        var merged = [Piece]()
        var position = 0
        while position < pieces.count {
            var piece = pieces[position]
            let standalone = piece.states || (!areaList && ideographs(text, piece.range) >= 6)
            if !standalone {
                if piece.opensGroup, position + 1 < pieces.count, !pieces[position + 1].opensGroup {
                    // 「重业务，轻党建」: the piece belongs to the next one.
                    var next = pieces[position + 1]
                    next.range = piece.range.lowerBound..<next.range.upperBound
                    next.opensGroup = true
                    next.states = next.states || piece.states
                    pieces[position + 1] = next
                    position += 1
                    continue
                }
                if var last = merged.last {
                    last.range = last.range.lowerBound..<piece.range.upperBound
                    merged[merged.count - 1] = last
                    position += 1
                    continue
                }
            }
            piece.states = standalone
            merged.append(piece)
            position += 1
        }
        let items = merged.filter { $0.states && !isRequirement(text, $0.range) }.map(\.range)
        guard items.count >= minimum, items.count * 2 >= merged.count else { return nil }
        return items
    }

    private static func trim(_ text: [UInt32], _ range: Range<Int>) -> Range<Int>? {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && Scalars.isSpace(text[lower]) { lower += 1 }
        while upper > lower && (Scalars.isSpace(text[upper - 1]) || text[upper - 1] == 0x7B49) { upper -= 1 }  // 等
        // A leading conjunction belongs to the list, not the item: 以及…, 和…
        for word in conjunctions where upper - lower > word.count + 2 {
            if Array(text[lower..<(lower + word.count)]) == word {
                lower += word.count
                break
            }
        }
        // An inline marker opens the item: 「（1）……；（2）……」, 「1.……；2.……」.
        if upper - lower > 2, let marker = OutlineMarkers.lineStart(text, lower..<upper), marker.contentStart < upper {
            lower = marker.contentStart
        }
        return upper - lower >= 2 ? lower..<upper : nil
    }

    private static let conjunctions: [[UInt32]] = ["以及", "同时", "还有", "并且"].map(Scalars.of)

    private static func ideographs(_ text: [UInt32], _ range: Range<Int>) -> Int {
        var count = 0
        for index in range where Scalars.isIdeograph(text[index]) { count += 1 }
        return count
    }

    private static let listCues = Keywords(["问题", "偏差", "落差", "缺位", "不力", "盛行", "频出", "屡禁不止"])

    /// A list item states a shortcoming: the general cues, or words that name one inside a list.
    static func statesShortcoming(_ text: [UInt32], _ range: Range<Int>) -> Bool {
        SectionRoles.statesShortcoming(text, range) || listCues.any(in: text, range)
    }

    private static func isRequirement(_ text: [UInt32], _ range: Range<Int>) -> Bool {
        requirementOpenings.any(in: text, range.lowerBound..<min(range.upperBound, range.lowerBound + 2))
    }

    /// The first occurrence of any keyword in the range.
    static func first(_ keywords: Keywords, in text: [UInt32], _ range: Range<Int>) -> Range<Int>? {
        keywords.firstMatch(in: text, range)
    }
}
