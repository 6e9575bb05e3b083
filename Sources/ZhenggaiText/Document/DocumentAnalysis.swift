/// Title, kind, outline, problems, measures and their links, computed over the cleaned scalars.
struct DocumentAnalysis {
    let text: [UInt32]
    /// The cleaned text as a String, and Strings of its ranges without re-encoding.
    let slicer: TextSlicer
    private(set) var title = ""
    private(set) var kind = DocumentKind.other
    private(set) var problems: [ProblemItem] = []
    private(set) var measures: [MeasureItem] = []
    private var items: [OutlineItem] = []
    private var roots: [Int] = []
    /// Display title and path entry of each item, computed once.
    private var titles: [String] = []
    private var pathEntries: [String] = []
    /// Where the body starts (after the title line).
    private var bodyStart = 0

    /// Problem text beyond this many scalars does not change the category; the cap keeps classification
    /// linear in the number of problems, not in their length.
    static let classifiedPrefix = 100

    /// `text` is what the rules read (traditional characters folded to simplified, one for one);
    /// `original` is the cleaned text as written, which every reported string and offset refers to.
    init(text: [UInt32], original: [UInt32]? = nil) {
        self.text = text
        self.slicer = TextSlicer(original ?? text)
    }

    mutating func run() {
        let titleEnd = detectTitle()
        bodyStart = titleEnd
        kind = detectKind()
        let built = OutlineBuilder.build(text, titleEnd: titleEnd)
        items = built.items
        roots = built.roots
        titles = items.indices.map(displayTitle)
        pathEntries = items.indices.map { slicer.string(items[$0].marker) + titles[$0] }
        extract()
    }

    // MARK: - Title and kind

    /// The first line is the title when it is short, carries no marker or role label and does not end a
    /// sentence.
    private mutating func detectTitle() -> Int {
        var end = 0
        while end < text.count && text[end] != 0x0A { end += 1 }
        let line = 0..<end
        guard !line.isEmpty, line.count <= 60, OutlineMarkers.lineStart(text, line) == nil,
            !Scalars.endsSentence(text[end - 1])
        else { return 0 }
        // "整改措施：……" or a bare "存在问题" opens a fragment; "关于巡察整改进展情况的通报" is a title.
        if let label = SectionRoles.label(text, line), label.contentStart < end || line.count <= 8 { return 0 }
        title = slicer.string(line)
        return end
    }

    private static let kindRules: [(DocumentKind, [Keywords])] = [
        (.auditRectificationReport, [Keywords(["审计"]), Keywords(["整改"])]),
        (.rectificationBulletin, [Keywords(["整改"]), Keywords(["通报", "情况报告", "进展", "情况的报告"])]),
        (.checkMaterial, [Keywords(["对照检查", "检视剖析", "个人检查", "民主生活会", "组织生活会"])]),
        (.inspectionFeedback, [Keywords(["反馈意见", "巡察反馈", "巡视反馈", "反馈情况"])]),
        (.selfCheckReport, [Keywords(["自查", "自评"])]),
        (.workReport, [Keywords(["汇报"])]),
    ]

    /// Without a title (a fragment) only phrases by which a text names itself count: the body of any
    /// report mentions 审计, 整改 and 反馈 in passing.
    private static let bodyRules: [(DocumentKind, [Keywords])] = [
        (.checkMaterial, [Keywords(["对照检查", "民主生活会", "组织生活会", "检视剖析"])]),
        (.rectificationBulletin, [Keywords(["通报如下"])]),
        (.auditRectificationReport, [Keywords(["审计整改情况", "审计发现问题整改"])]),
        (.inspectionFeedback, [Keywords(["反馈如下", "反馈意见如下"])]),
        (.selfCheckReport, [Keywords(["自查情况报告如下", "自查报告"])]),
        (.workReport, [Keywords(["汇报如下"])]),
    ]

    private func detectKind() -> DocumentKind {
        let titleScalars = TraditionalChinese.simplified(Scalars.of(title))
        if let kind = Self.kind(in: titleScalars, 0..<titleScalars.count, rules: Self.kindRules) { return kind }
        return Self.kind(in: text, 0..<min(text.count, 20_000), rules: Self.bodyRules) ?? .other
    }

    private static func kind(
        in scalars: [UInt32], _ range: Range<Int>, rules: [(DocumentKind, [Keywords])]
    ) -> DocumentKind? {
        guard !range.isEmpty else { return nil }
        for (kind, groups) in rules where groups.allSatisfy({ $0.any(in: scalars, range) }) {
            return kind
        }
        return nil
    }

    // MARK: - Outline

    func outline() -> [OutlineNode] {
        roots.map(node)
    }

    private func node(_ index: Int) -> OutlineNode {
        let item = items[index]
        return OutlineNode(
            level: item.depth,
            marker: slicer.string(item.marker),
            title: titles[index],
            role: item.role,
            children: item.children.map(node))
    }

    /// The heading's first sentence, at most 60 scalars.
    private func displayTitle(_ index: Int) -> String {
        let range = items[index].title(in: text)
        let item = items[index]
        var end = range.upperBound
        if item.kind != .label {
            end = item.contentStart
            let limit = min(item.lineEnd, item.contentStart + 61)
            while end < limit {
                let folded = Scalars.fold(text[end])
                if folded == 0x21 || folded == 0x3F || folded == 0x3B { break }
                if folded == 0x2E && Scalars.endsSentence(text, at: end) { break }
                end += 1
            }
        }
        let start = item.kind == .label ? range.lowerBound : item.contentStart
        if end - start > 60 { return slicer.string(start..<(start + 60)) + "…" }
        return slicer.string(start..<end)
    }

    private func pathEntry(_ index: Int) -> String {
        pathEntries[index]
    }

    private func ancestors(_ index: Int) -> [Int] {
        var result = [Int]()
        var parent = items[index].parent
        while let current = parent {
            result.append(current)
            parent = items[current].parent
        }
        return result.reversed()
    }

    // MARK: - Problems and measures

    private struct Candidate {
        /// The item stating the problem, or for a problem of an inline enumeration the item whose text holds
        /// it (-1 at the top level).
        var item: Int
        var range: Range<Int>
        var enumerated = false
    }

    private mutating func extract() {
        var problemCandidates = [Candidate]()
        var measureCandidates = [Candidate]()
        for root in roots {
            collect(root, role: .problem, into: &problemCandidates)
            collect(root, role: .measure, into: &measureCandidates)
        }
        problemCandidates = problemCandidates.compactMap(problemStatement)
        problemCandidates = withInlineEnumerations(problemCandidates)
        measureCandidates = measureCandidates.filter { $0.range.count >= 2 }

        measures = measureCandidates.enumerated().map { offset, candidate in
            MeasureItem(
                id: offset + 1,
                path: ancestors(candidate.item).map(pathEntry),
                text: slicer.string(candidate.range),
                start: candidate.range.lowerBound,
                end: candidate.range.upperBound)
        }
        // Problems of an inline enumeration are linked through no heading of their own.
        let linked = problemCandidates.indices.filter { !problemCandidates[$0].enumerated }
        let linkedLinks = MeasureLinker(
            text: text, items: items,
            problems: linked.map { problemCandidates[$0].item }, measures: measureCandidates.map(\.item)
        ).links()
        var links = [[Int]](repeating: [], count: problemCandidates.count)
        for (position, candidate) in linked.enumerated() { links[candidate] = linkedLinks[position] }
        let classifier = CategoryClassifier.shared
        problems = problemCandidates.enumerated().map { offset, candidate in
            let path: [Int]
            if candidate.item < 0 {
                path = []
            } else if candidate.enumerated {
                path = ancestors(candidate.item) + [candidate.item]
            } else {
                path = ancestors(candidate.item)
            }
            let classified =
                candidate.range
                .lowerBound..<min(
                    candidate.range.upperBound, candidate.range.lowerBound + Self.classifiedPrefix)
            let letter = CategoryClassifier.groupLetter(text, titles: path.reversed().map { items[$0].title(in: text) })
            let category = classifier.classify(text, classified, letter: letter)
            return ProblemItem(
                id: offset + 1,
                path: path.map(pathEntry),
                marker: candidate.enumerated ? "" : slicer.string(items[candidate.item].marker),
                text: slicer.string(candidate.range),
                start: candidate.range.lowerBound,
                end: candidate.range.upperBound,
                category: category.code,
                confidence: (category.confidence * 1000).rounded() / 1000,
                measures: links[offset])
        }
    }

    /// Adds the problems of inline enumerations (「存在甲、乙、丙等问题」) found in paragraphs outside measure,
    /// achievement and cause sections. A candidate that starts inside the enumeration's sentence (a label
    /// 「存在问题：……」 whose content is the list) is replaced by the list's items; an enumeration inside a
    /// problem that started earlier (a heading and its explanation, a 一是 item) stays part of it.
    private func withInlineEnumerations(_ candidates: [Candidate]) -> [Candidate] {
        var result = candidates
        var replaced = [Bool](repeating: false, count: candidates.count)
        var added = [Candidate]()
        // Candidates by start, with the furthest end among those before each position: overlap tests are a
        // binary search and a short walk, not a pass over every candidate.
        let order = candidates.indices.sorted { candidates[$0].range.lowerBound < candidates[$1].range.lowerBound }
        var furthestEnd = [Int](repeating: 0, count: order.count + 1)
        for (position, index) in order.enumerated() {
            furthestEnd[position + 1] = max(furthestEnd[position], candidates[index].range.upperBound)
        }
        func firstStarting(atOrAfter offset: Int) -> Int {
            var low = 0
            var high = order.count
            while low < high {
                let middle = (low + high) / 2
                if candidates[order[middle]].range.lowerBound < offset { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var nextItem = 0
        var lineStart = bodyStart
        while lineStart < text.count {
            var lineEnd = lineStart
            while lineEnd < text.count && text[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            guard lineEnd > lineStart else { continue }
            // The deepest item holding the line's start, and where the first inline item of the line starts.
            var last: Int? = nil
            while nextItem < items.count && items[nextItem].marker.lowerBound <= lineStart {
                last = nextItem
                nextItem += 1
            }
            if last == nil && nextItem > 0 { last = nextItem - 1 }
            var owner = last
            while let current = owner, items[current].end <= lineStart { owner = items[current].parent }
            var scanEnd = lineEnd
            if nextItem < items.count && items[nextItem].marker.lowerBound < lineEnd {
                scanEnd = items[nextItem].marker.lowerBound
            }
            if let owner, items[owner].role != .problem && items[owner].role != .other { continue }
            for found in InlineEnumerations.scan(text, lineStart..<scanEnd) {
                let sentence = found.sentence
                var position = firstStarting(atOrAfter: sentence.lowerBound)
                // A problem that started before the sentence and runs into it holds the list.
                if furthestEnd[position] > sentence.lowerBound { continue }
                while position < order.count && candidates[order[position]].range.lowerBound < sentence.upperBound {
                    replaced[order[position]] = true
                    position += 1
                }
                for item in found.items {
                    added.append(Candidate(item: owner ?? -1, range: item, enumerated: true))
                }
            }
        }
        guard !added.isEmpty else { return result }
        result = candidates.indices.filter { !replaced[$0] }.map { candidates[$0] } + added
        result.sort { $0.range.lowerBound < $1.range.lowerBound }
        return result
    }

    /// The smallest items of `role`: an item whose children of the same role are the real items is
    /// skipped in favour of them; run-in items that explain ("一是由于……") stay part of their parent.
    private func collect(_ index: Int, role: SectionRole, into result: inout [Candidate]) {
        let item = items[index]
        let sameRole = item.children.filter { items[$0].role == role }
        if item.role == role {
            if sameRole.isEmpty {
                let end = item.children.isEmpty ? item.end : item.ownEnd
                if role == .problem, item.kind == .label, item.contentStart >= item.lineEnd {
                    // 「巡察发现的主要问题：」 alone on its line, then one paragraph per problem.
                    result.append(contentsOf: paragraphProblems(index, item.contentStart..<end))
                } else if let range = trimmed(item.contentStart..<end) {
                    result.append(Candidate(item: index, range: range))
                }
                for child in item.children { collect(child, role: role, into: &result) }
                return
            }
            if role == .problem, let first = sameRole.first,
                items[first].kind == .runIn || items[first].kind == .circled,
                SectionRoles.isExplanation(text, items[first].contentStart, items[first].end)
                    || statesOwnProblem(index, runIns: sameRole)
            {
                let end = sameRole.map { items[$0].end }.max() ?? item.ownEnd
                if let range = trimmed(item.contentStart..<end) { result.append(Candidate(item: index, range: range)) }
                for child in item.children where items[child].role != role {
                    collect(child, role: role, into: &result)
                }
                return
            }
        }
        for child in item.children { collect(child, role: role, into: &result) }
    }

    private static let areaOpenings = Keywords(["在", "关于", "聚焦", "对照", "从", "围绕", "落实"])
    private static let areaWords = Keywords(["方面", "领域", "情况"])

    /// A heading that itself states a shortcoming (「1.学习贯彻……精神不深入、不扎实。一是……二是……」) is one
    /// problem; its 一是/二是 give the manifestations. A heading that names an area (「在……方面还存在差距」,
    /// 「聚焦……」) leaves its 一是 items as the problems.
    private func statesOwnProblem(_ index: Int, runIns: [Int]) -> Bool {
        let item = items[index]
        guard item.kind != .label, item.kind != .runIn, item.kind != .circled,
            runIns.allSatisfy({ items[$0].kind == .runIn || items[$0].kind == .circled })
        else { return false }
        // The item is the unit of the document's own list when it is a top-level heading (一、), when it carries
        // its own 整改措施 (a 整改方案's row), or when its run-ins do not start at 一是 (a fragment, a table of
        // contents); a numbered item of a feedback text with 一是/二是 keeps them as its problems.
        let siblings = item.parent.map { items[$0].children } ?? roots
        let ownMeasures = siblings.contains { sibling in
            items[sibling].kind == item.kind
                && items[sibling].children.contains { items[$0].kind == .label && items[$0].role == .measure }
        }
        let firstRunIn = runIns.first.flatMap { items[$0].number } ?? 1
        guard item.kind == .chineseComma || ownMeasures || firstRunIn != 1 else { return false }
        let heading = item.title(in: text)
        // 「二、存在的问题」 names the section; it states nothing.
        guard heading.count >= 4, item.namedRole != .problem else { return false }
        var clauseEnd = heading.lowerBound
        while clauseEnd < heading.upperBound && Scalars.fold(text[clauseEnd]) != 0x2C { clauseEnd += 1 }
        if Self.areaOpenings.any(in: text, heading.lowerBound..<min(heading.upperBound, heading.lowerBound + 2))
            || Self.areaWords.any(in: text, heading.lowerBound..<clauseEnd)
        {
            return false
        }
        return SectionRoles.statesShortcoming(text, heading)
    }

    /// The paragraphs under a problem label that stand alone on its line: each that states a shortcoming is
    /// a problem; one that asks or promises (「巡察组要求，……要……」) ends the list. A single paragraph is
    /// the label's one problem, as before.
    private func paragraphProblems(_ label: Int, _ range: Range<Int>) -> [Candidate] {
        var paragraphs = [Range<Int>]()
        var start = range.lowerBound
        var index = range.lowerBound
        while index <= range.upperBound {
            if index == range.upperBound || text[index] == 0x0A {
                if let paragraph = trimmed(start..<index) { paragraphs.append(paragraph) }
                start = index + 1
            }
            index += 1
        }
        guard paragraphs.count > 1 else {
            return paragraphs.map { Candidate(item: label, range: $0) }
        }
        var result = [Candidate]()
        for paragraph in paragraphs {
            var sentenceEnd = paragraph.lowerBound
            while sentenceEnd < min(paragraph.upperBound, paragraph.lowerBound + 120)
                && !Scalars.endsSentence(text, at: sentenceEnd)
            {
                sentenceEnd += 1
            }
            let sentence = paragraph.lowerBound..<sentenceEnd
            if SectionRoles.isPledgeLead(text, sentence) { break }
            if SectionRoles.statesShortcoming(text, sentence) {
                result.append(Candidate(item: label, range: paragraph))
            }
        }
        return result
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int>? {
        guard range.lowerBound < range.upperBound, range.upperBound <= text.count else { return nil }
        var upper = range.upperBound
        var lower = range.lowerBound
        while upper > lower && (Scalars.isSpace(text[upper - 1]) || text[upper - 1] == 0x0A) { upper -= 1 }
        while lower < upper && (Scalars.isSpace(text[lower]) || text[lower] == 0x0A) { lower += 1 }
        return lower < upper ? lower..<upper : nil
    }

    private static let neutralEndings: [[UInt32]] = ["情况", "方面", "方面。", "情况。"].map(Scalars.of)
    private static let groupOpenings = Keywords(["聚焦", "关于"])

    /// Keeps items that state a shortcoming; drops status and group headings that ended up as leaves
    /// ("对上一轮巡察和各类审计的问题整改情况"). A neutral heading ("（三）在廉洁自律方面") whose next
    /// paragraph states the shortcoming yields that paragraph.
    private func problemStatement(_ candidate: Candidate) -> Candidate? {
        guard candidate.range.count >= 4 else { return nil }
        let item = items[candidate.item]
        let sentence = item.firstSentence(in: text)
        if SectionRoles.statesShortcoming(text, sentence) || SectionRoles.isProblemWrapper(text, item.title(in: text)) {
            // 「关于“……”」 quotes the problem: report the quoted words.
            let start = SectionRoles.wrapperContentStart(text, candidate.range.lowerBound, candidate.range.upperBound)
            return Candidate(item: candidate.item, range: start..<candidate.range.upperBound)
        }
        let heading = item.title(in: text)
        let endsNeutral = Self.neutralEndings.contains { ending in
            heading.count >= ending.count
                && Array(text[(heading.upperBound - ending.count)..<heading.upperBound]) == ending
        }
        let opensGroup = Self.groupOpenings.any(
            in: text, heading.lowerBound..<min(heading.upperBound, heading.lowerBound + 2))
        guard endsNeutral || opensGroup else { return candidate }
        var bodyStart = sentence.upperBound
        while bodyStart < candidate.range.upperBound && text[bodyStart] != 0x0A { bodyStart += 1 }
        bodyStart += 1
        guard bodyStart < candidate.range.upperBound else { return nil }
        var bodySentence = bodyStart
        while bodySentence < min(candidate.range.upperBound, bodyStart + 120)
            && !Scalars.endsSentence(text[bodySentence])
        {
            bodySentence += 1
        }
        guard SectionRoles.statesShortcoming(text, bodyStart..<bodySentence) else { return nil }
        return Candidate(item: candidate.item, range: bodyStart..<candidate.range.upperBound)
    }
}

/// The cleaned text as one String, encoded once; pieces of it are cut at UTF-8 offsets (recorded every
/// 16 scalars, the rest counted), so each piece costs a copy and no encoding or validation.
struct TextSlicer {
    let string: String
    private let scalars: [UInt32]
    /// UTF-8 offset of scalars 0, 16, 32, …
    private let checkpoints: [Int32]

    init(_ scalars: [UInt32]) {
        self.scalars = scalars
        var byteCount = 0
        let count = scalars.count / 16 + 1
        checkpoints = [Int32](unsafeUninitializedCapacity: count) { checkpoints, initialized in
            for (index, value) in scalars.enumerated() {
                if index & 15 == 0 { checkpoints[index >> 4] = Int32(truncatingIfNeeded: byteCount) }
                byteCount += Self.width(value)
            }
            if scalars.count & 15 == 0 { checkpoints[scalars.count >> 4] = Int32(truncatingIfNeeded: byteCount) }
            initialized = count
        }
        string = Scalars.string(scalars)
    }

    @inline(__always)
    private static func width(_ value: UInt32) -> Int {
        value < 0x80 ? 1 : value < 0x800 ? 2 : value < 0x10000 ? 3 : 4
    }

    private func utf8Offset(_ scalarOffset: Int) -> Int {
        var offset = Int(checkpoints[scalarOffset >> 4])
        var index = scalarOffset & ~15
        while index < scalarOffset {
            offset += Self.width(scalars[index])
            index += 1
        }
        return offset
    }

    func string(_ range: Range<Int>) -> String {
        guard !range.isEmpty, range.upperBound <= scalars.count else { return "" }
        let utf8 = string.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: utf8Offset(range.lowerBound))
        let upper = utf8.index(utf8.startIndex, offsetBy: utf8Offset(range.upperBound))
        return String(string[lower..<upper])
    }
}
