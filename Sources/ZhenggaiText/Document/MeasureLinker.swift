/// Links problems to the measures that answer them, where the document makes it clear:
/// 1. a problem item followed by its own 整改措施 label;
/// 2. a measure heading that restates the problem heading ("整改措施不精准" → "精准制定整改措施");
/// 3. parallel numbering: a problem section and a measure section with the same number of items.
struct MeasureLinker {
    let text: [UInt32]
    let items: [OutlineItem]
    /// Item index of each problem, in problem-id order.
    let problems: [Int]
    /// Item index of each measure, in measure-id order.
    let measures: [Int]

    /// Above this many heading pairs the similarity pass is skipped (pathological input).
    private static let maximumPairs = 250_000
    private static let minimumScore = 0.6
    /// A problem answered by more measures than this is linked to the first ones only (bounded output).
    static let maximumLinks = 20

    /// For each problem (in order), the sorted measure ids linked to it.
    func links() -> [[Int]] {
        guard !problems.isEmpty, !measures.isEmpty else { return problems.map { _ in [] } }
        var measureIdsUnder = [[Int]](repeating: [], count: items.count)  // ids in each item's subtree
        for (offset, measure) in measures.enumerated() {
            var current: Int? = measure
            while let item = current {
                measureIdsUnder[item].append(offset + 1)
                current = items[item].parent
            }
        }
        var result = problems.map { _ in Set<Int>() }

        // 1. Own labels: the measure label's parent holds the problem.
        var labelledMeasures = [[Int]](repeating: [], count: items.count)  // ids of 整改措施 label children
        for (index, item) in items.enumerated() where item.kind == .label && item.role == .measure {
            if let parent = item.parent { labelledMeasures[parent].append(contentsOf: measureIdsUnder[index]) }
        }
        for (position, problem) in problems.enumerated() {
            var current: Int? = problem
            while let item = current, result[position].isEmpty {
                result[position].formUnion(labelledMeasures[item])
                current = items[item].parent
                if let parent = current, items[parent].role != .problem { break }
            }
        }

        // 2. Restated headings.
        let problemSide = items.indices.filter { items[$0].role == .problem && items[$0].kind != .label }
        let measureSide = items.indices.filter { items[$0].role == .measure && items[$0].kind != .label }
        var matched = [Int?](repeating: nil, count: items.count)  // problem-side item → measure-side item
        if problemSide.count * measureSide.count <= Self.maximumPairs {
            // Whole first sentences, and first clauses ("整改措施不精准" ↔ "精准制定整改措施"); an inverted
            // index counts shared bigrams without comparing every pair.
            let measureGrams = measureSide.map { headingGrams(items[$0]) }
            let sentenceIndex = invertedIndex(measureGrams.map(\.sentence))
            let clauseIndex = invertedIndex(measureGrams.map(\.clause))
            var sentenceShared = [Int](repeating: 0, count: measureSide.count)
            var clauseShared = [Int](repeating: 0, count: measureSide.count)
            for problemItem in problemSide {
                let grams = headingGrams(items[problemItem])
                guard grams.sentence.count >= 3 else { continue }
                for position in sentenceShared.indices {
                    sentenceShared[position] = 0
                    clauseShared[position] = 0
                }
                for gram in grams.sentence {
                    for position in sentenceIndex[gram] ?? [] { sentenceShared[position] += 1 }
                }
                for gram in grams.clause { for position in clauseIndex[gram] ?? [] { clauseShared[position] += 1 } }
                var best: (score: Double, item: Int)? = nil
                for (position, measureItem) in measureSide.enumerated() {
                    let score = max(
                        similarity(
                            sentenceShared[position], grams.sentence.count, measureGrams[position].sentence.count),
                        similarity(clauseShared[position], grams.clause.count, measureGrams[position].clause.count))
                    if score >= Self.minimumScore && score > (best?.score ?? 0) { best = (score, measureItem) }
                }
                if let best { matched[problemItem] = best.item }
            }
        }
        for (position, problem) in problems.enumerated() where result[position].isEmpty {
            var current: Int? = problem
            while let item = current {
                if let measureItem = matched[item] {
                    result[position].formUnion(measureIdsUnder[measureItem])
                    break
                }
                current = items[item].parent
            }
        }

        // 3. Parallel numbering between one problem section and one measure section.
        if let pairs = parallelSections() {
            for (position, problem) in problems.enumerated() where result[position].isEmpty {
                var current: Int? = problem
                while let item = current {
                    if let measureItem = pairs[item] {
                        result[position].formUnion(measureIdsUnder[measureItem])
                        break
                    }
                    current = items[item].parent
                }
            }
        }
        return result.map { Array($0.sorted().prefix(Self.maximumLinks)) }
    }

    /// The problem section's items paired with the measure section's items, when both sections list
    /// the same number of items with the same kind of marker.
    private func parallelSections() -> [Int: Int]? {
        let problemSections = items.indices.filter { index in
            items[index].namedRole == .problem && items[index].role == .problem && isSection(items[index])
        }
        let measureSections = items.indices.filter { index in
            items[index].namedRole == .measure && items[index].role == .measure && isSection(items[index])
        }
        guard problemSections.count == 1, let problemSection = problemSections.first else { return nil }
        let problemChildren = items[problemSection].children.filter { items[$0].kind != .label }
        guard problemChildren.count >= 2 else { return nil }
        // The first measure section listing as many items with the same marker kind.
        for measureSection in measureSections {
            let measureChildren = items[measureSection].children.filter { items[$0].kind != .label }
            guard measureChildren.count == problemChildren.count,
                zip(problemChildren, measureChildren).allSatisfy({ items[$0].kind == items[$1].kind })
            else { continue }
            var pairs = [Int: Int]()
            for (problemChild, measureChild) in zip(problemChildren, measureChildren) {
                pairs[problemChild] = measureChild
            }
            return pairs
        }
        return nil
    }

    /// Sorted, for binary search.
    /// Sections are 一、 and （一） headings, or a role name alone on its line.
    private func isSection(_ item: OutlineItem) -> Bool {
        item.kind == .chineseComma || item.kind == .parenChinese
            || (item.kind == .label && item.contentStart >= item.lineEnd)
    }

    private static let stopBigrams: [UInt64] = Array(
        [
            "方面", "存在", "一定", "差距", "进一", "一步", "不够", "还有", "工作", "问题", "情况", "不足", "下功", "功夫", "有待",
            "需要", "进行", "开展", "推进", "全面", "深入", "不到", "到位", "还不", "不断", "加强", "强化", "提升", "整改",
        ]
        .map { word -> UInt64 in
            let scalars = Scalars.of(word)
            return UInt64(scalars[0]) << 21 | UInt64(scalars[1])
        }
    ).sorted()

    private static func isStop(_ gram: UInt64) -> Bool {
        var lower = 0
        var upper = stopBigrams.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if stopBigrams[middle] < gram { lower = middle + 1 } else { upper = middle }
        }
        return lower < stopBigrams.count && stopBigrams[lower] == gram
    }

    private func headingGrams(_ item: OutlineItem) -> (sentence: [UInt64], clause: [UInt64]) {
        let first = item.firstSentence(in: text)
        let sentence = first.lowerBound..<min(first.upperBound, first.lowerBound + 60)
        var clauseEnd = sentence.lowerBound
        while clauseEnd < sentence.upperBound && Scalars.fold(text[clauseEnd]) != 0x2C { clauseEnd += 1 }
        let clause = bigrams(sentence.lowerBound..<clauseEnd)
        if clauseEnd == sentence.upperBound { return (clause, clause) }
        return (bigrams(sentence), clause)
    }

    /// Shared bigrams over the smaller set; 0 unless both have and share at least three.
    private func similarity(_ shared: Int, _ left: Int, _ right: Int) -> Double {
        guard left >= 3, right >= 3, shared >= 3 else { return 0 }
        return min(1, Double(shared) / Double(min(left, right)))
    }

    private func invertedIndex(_ sets: [[UInt64]]) -> [UInt64: [Int]] {
        var index = [UInt64: [Int]]()
        for (position, grams) in sets.enumerated() {
            for gram in grams { index[gram, default: []].append(position) }
        }
        return index
    }

    /// Ideograph bigrams of a heading, without the words every heading shares. Not deduplicated:
    /// a bigram repeated within one heading is rare and only nudges the score, which is capped at 1.
    private func bigrams(_ range: Range<Int>) -> [UInt64] {
        var result = [UInt64]()
        result.reserveCapacity(range.count)
        var index = range.lowerBound
        while index + 1 < range.upperBound {
            let first = text[index]
            let second = text[index + 1]
            if Scalars.isIdeograph(first) && Scalars.isIdeograph(second) {
                let gram = UInt64(first) << 21 | UInt64(second)
                if !Self.isStop(gram) { result.append(gram) }
            }
            index += 1
        }
        return result
    }
}
