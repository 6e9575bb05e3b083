import Foundation

/// An in-memory index of problems for "which earlier problems say the same thing?".
///
/// Layout (why: a million problems must fit in well under 1.5 GB and answer in microseconds):
/// every problem gets an ordinal in insertion order; its distinct shingles are term numbers kept
/// sorted in one contiguous array (`documentTerms`, sliced by each `Record`). For each term, the
/// ordinals that contain it are kept in one contiguous postings array (compressed sparse rows),
/// ascending. Problems inserted after the last compaction sit in a small "tail" inverted map until
/// the next compaction folds them in. Deletes are tombstones until compaction.
///
/// A query visits only the postings of its rarest weighted shingles, up to `postingsBudget` postings,
/// newest first; the best of those candidates are then scored in full. See docs/similarity.md.
public struct SimilarityIndex: Sendable {
    public let configuration: SimilarityConfiguration
    /// The highest change sequence applied. Catch up by applying the changes after it.
    public private(set) var watermark: UInt64 = 0

    // Per term.
    private var termTable = TermTable()
    private var documentFrequency: [UInt32] = []
    private var isBoilerplateTerm: [Bool] = []
    private var termWeights: [Float] = []
    private let boilerplateKeys: Set<UInt32>

    // Per ordinal.
    private var ids: [String] = []
    /// What a query reads about a candidate, together: one cache miss instead of five at 1M problems.
    private var records: [Record] = []
    private var sequences: [UInt64] = []
    private var documentTerms: [UInt32] = []
    private var textStarts: [Int] = [0]
    private var textBytes: [UInt8] = []

    private var ordinalByID: [String: Int32] = [:]
    private var unitNames: [String] = []
    private var unitNumbers: [String: UInt32] = [:]

    // Postings for ordinals below `postedCount`, then the tail.
    private var postingStarts: [Int] = [0]
    private var postings: [UInt32] = []
    private var postedCount = 0
    private var tail: [UInt32: [UInt32]] = [:]
    private var deletedCount = 0

    /// The configured names, or `nil` when there are none (saves a lookup per character).
    var placeNames: PlaceNames? { configuration.placeNames.isEmpty ? nil : configuration.placeNames }

    /// Compaction runs when the tail or the tombstones grow past this share of the index.
    private static let tailFloor = 4_096

    public init(configuration: SimilarityConfiguration = SimilarityConfiguration()) {
        self.configuration = configuration
        var keys = Set<UInt32>()
        for phrase in Boilerplate.phrases {
            let text = SimilarityText(phrase)
            for key in Shingles.keys(of: text.scalars, length: configuration.shingleLength) {
                keys.insert(key)
            }
        }
        boilerplateKeys = keys
    }

    /// Problems currently in the index (deleted ones not counted).
    public var count: Int { ids.count - deletedCount }

    public func contains(id: String) -> Bool { ordinalByID[id] != nil }

    /// The stored text of a problem, when the configuration keeps texts.
    public func text(of id: String) -> String? {
        guard configuration.keepsText, let ordinal = ordinalByID[id] else { return nil }
        let slice = textBytes[textStarts[Int(ordinal)]..<textStarts[Int(ordinal) + 1]]
        return String(decoding: slice, as: UTF8.self)
    }

    // MARK: Changes

    /// Applies changes in order, skipping those at or below the watermark (already applied).
    /// - Returns: how many were applied.
    @discardableResult
    public mutating func apply(_ changes: some Sequence<SimilarityChange>) -> Int {
        var applied = 0
        for change in changes where change.sequence > watermark {
            switch change {
            case .upsert(let problem, let sequence):
                removeOrdinal(of: problem.id)
                append(problem, sequence: sequence, indexTail: true)
            case .delete(let id, let sequence):
                removeOrdinal(of: id)
                watermark = sequence
            }
            applied += 1
            compactIfWorthIt()
        }
        return applied
    }

    /// Adds a problem (replacing one with the same id) as the next change after the watermark.
    public mutating func insert(_ problem: SimilarityProblem) {
        apply([.upsert(problem, sequence: watermark + 1)])
    }

    /// Removes a problem as the next change after the watermark.
    /// - Returns: whether a problem with that id was there.
    @discardableResult
    public mutating func delete(id: String) -> Bool {
        let found = ordinalByID[id] != nil
        apply([.delete(id: id, sequence: watermark + 1)])
        return found
    }

    /// Builds an index from many problems at once, much faster than inserting them one by one.
    /// Sequences must increase; a problem whose id repeats replaces the earlier one.
    public struct Builder {
        private var index: SimilarityIndex

        public init(configuration: SimilarityConfiguration = SimilarityConfiguration()) {
            index = SimilarityIndex(configuration: configuration)
        }

        /// - Returns: false (and nothing added) when `sequence` is not above the last one.
        @discardableResult
        public mutating func add(_ problem: SimilarityProblem, sequence: UInt64) -> Bool {
            guard sequence > index.watermark else { return false }
            index.removeOrdinal(of: problem.id)
            index.append(problem, sequence: sequence, indexTail: false)
            return true
        }

        public consuming func build() -> SimilarityIndex {
            index.compact()
            return index
        }
    }

    private mutating func append(_ problem: SimilarityProblem, sequence: UInt64, indexTail: Bool) {
        let ordinal = UInt32(ids.count)
        let text = SimilarityText(problem.text, placeNames: placeNames)
        var terms: [UInt32] = []
        terms.reserveCapacity(text.scalars.count)
        Shingles.forEach(in: text.scalars, length: configuration.shingleLength) { key, _ in
            terms.append(internTerm(key))
        }
        terms.sort()
        terms = terms.uniquedSorted()
        for term in terms {
            documentFrequency[Int(term)] += 1
        }
        let termStart = documentTerms.count
        documentTerms.append(contentsOf: terms)

        ids.append(problem.id)
        ordinalByID[problem.id] = Int32(ordinal)
        sequences.append(sequence)
        if configuration.keepsText {
            textBytes.append(contentsOf: problem.text.utf8)
            textStarts.append(textBytes.count)
        }
        watermark = sequence
        // Without the tail, the norm is computed at compaction, when the weights are known.
        var norm: Float = 0
        if indexTail {
            for term in terms {
                norm += weight(of: term)
                tail[term, default: []].append(ordinal)
            }
        }
        records.append(
            Record(
                termStart: termStart, termCount: UInt32(terms.count), norm: norm, unit: unitNumber(problem.unit),
                day: problem.date.map(Self.day(of:)) ?? Int32.min, alive: true))
    }

    private mutating func removeOrdinal(of id: String) {
        guard let ordinal = ordinalByID.removeValue(forKey: id) else { return }
        let index = Int(ordinal)
        records[index].alive = false
        for position in records[index].terms {
            documentFrequency[Int(documentTerms[position])] -= 1
        }
        deletedCount += 1
    }

    private mutating func internTerm(_ key: UInt32) -> UInt32 {
        let term = termTable.intern(key)
        if Int(term) == documentFrequency.count {
            documentFrequency.append(0)
            isBoilerplateTerm.append(boilerplateKeys.contains(key))
        }
        return term
    }

    private mutating func unitNumber(_ unit: String) -> UInt32 {
        if let number = unitNumbers[unit] {
            return number
        }
        let number = UInt32(unitNames.count)
        unitNames.append(unit)
        unitNumbers[unit] = number
        return number
    }

    private mutating func compactIfWorthIt() {
        let tailCount = ids.count - postedCount
        let limit = max(Self.tailFloor, ids.count / 16)
        if tailCount > limit || deletedCount > max(Self.tailFloor, ids.count / 4) {
            compact()
        }
    }

    /// Folds the tail into the postings and drops deleted problems. Runs by itself when worthwhile;
    /// call it after a burst of changes to make queries as fast as possible.
    public mutating func compact() {
        if deletedCount > 0 {
            dropDeleted()
        }
        let termCount = documentFrequency.count
        var weights = [Float](repeating: 0, count: termCount)
        for term in 0..<termCount {
            weights[term] = freshWeight(of: UInt32(term))
        }
        var starts = [Int](repeating: 0, count: termCount + 1)
        documentTerms.withUnsafeBufferPointer { terms in
            for term in terms {
                starts[Int(term) + 1] += 1
            }
        }
        for term in 0..<termCount {
            starts[term + 1] += starts[term]
        }
        var fill = starts
        var newPostings = [UInt32](repeating: 0, count: documentTerms.count)
        documentTerms.withUnsafeBufferPointer { terms in
            newPostings.withUnsafeMutableBufferPointer { postings in
                fill.withUnsafeMutableBufferPointer { fill in
                    weights.withUnsafeBufferPointer { weights in
                        for ordinal in 0..<ids.count {
                            var norm: Float = 0
                            for position in records[ordinal].terms {
                                let term = Int(terms[position])
                                postings[fill[term]] = UInt32(ordinal)
                                fill[term] += 1
                                norm += weights[term]
                            }
                            records[ordinal].norm = norm
                        }
                    }
                }
            }
        }
        postings = newPostings
        postingStarts = starts
        termWeights = weights
        postedCount = ids.count
        tail = [:]
    }

    private mutating func dropDeleted() {
        var newIDs: [String] = []
        var newRecords: [Record] = []
        var newSequences: [UInt64] = []
        var newTerms: [UInt32] = []
        var newTextStarts = [0]
        var newText: [UInt8] = []
        let live = count
        newIDs.reserveCapacity(live)
        newTerms.reserveCapacity(documentTerms.count)
        for ordinal in ids.indices where records[ordinal].alive {
            newIDs.append(ids[ordinal])
            var record = records[ordinal]
            let start = newTerms.count
            newTerms.append(contentsOf: documentTerms[record.terms])
            record.termStart = start
            newRecords.append(record)
            newSequences.append(sequences[ordinal])
            if configuration.keepsText {
                newText.append(contentsOf: textBytes[textStarts[ordinal]..<textStarts[ordinal + 1]])
                newTextStarts.append(newText.count)
            }
        }
        ids = newIDs
        records = newRecords
        sequences = newSequences
        documentTerms = newTerms
        textBytes = newText
        textStarts = newTextStarts
        ordinalByID = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Int32($0)) })
        deletedCount = 0
    }

    // MARK: Weights

    /// A term's weight as of the last compaction (cheaper than a logarithm per query term, and stale
    /// by at most the share of changes compaction waits for); computed afresh for newer terms.
    @inline(__always)
    private func weight(of term: UInt32) -> Float {
        let index = Int(term)
        return index < termWeights.count ? termWeights[index] : freshWeight(of: term)
    }

    /// Inverse document frequency, with 20 pseudo-problems so a tiny index does not overrate every
    /// shingle; boilerplate shingles weigh nothing.
    private func freshWeight(of term: UInt32) -> Float {
        if isBoilerplateTerm[Int(term)] {
            return 0
        }
        return Self.idf(documentFrequency: Int(documentFrequency[Int(term)]), count: count)
    }

    @inline(__always)
    static func idf(documentFrequency: Int, count: Int) -> Float {
        let ratio = (Float(count) + 20) / (Float(documentFrequency) + 0.5)
        return max(0, logf(ratio))
    }

    /// Weight of a shingle key in this index (0 for boilerplate), for explanations.
    func weight(ofKey key: UInt32) -> Float {
        if let term = termTable.term(for: key) {
            return weight(of: term)
        }
        return boilerplateKeys.contains(key) ? 0 : Self.idf(documentFrequency: 0, count: count)
    }

    static func day(of date: Date) -> Int32 {
        let days = (date.timeIntervalSince1970 / 86_400).rounded(.down)
        return Int32(clamping: Int64(max(min(days, 1e9), -1e9)))
    }

    // MARK: Search

    /// The problems most similar to `text`, best first within each tier (same unit, then the parent's
    /// subtree, then elsewhere), at most `limit`.
    ///
    /// - Parameters:
    ///   - before: only problems that entered the index at a sequence below this (for "earlier problems").
    ///   - excluding: an id never to return (the query's own problem).
    public func search(
        _ text: String,
        in scope: SimilarityScope = .everywhere,
        limit: Int = 10,
        before: UInt64? = nil,
        excluding: String? = nil
    ) -> [SimilarityMatch] {
        search(
            text, in: scope, limit: limit, before: before, excluding: excluding,
            minimumScore: configuration.minimumScore, relativeScore: configuration.relativeScore)
    }

    func search(
        _ text: String,
        in scope: SimilarityScope,
        limit: Int,
        before: UInt64?,
        excluding: String?,
        minimumScore: MinimumScores,
        relativeScore: Double
    ) -> [SimilarityMatch] {
        guard limit > 0, !ids.isEmpty else { return [] }
        let query = QueryTerms(text: text, index: self)
        guard query.norm > 0 else { return [] }
        let cut = before.map(ordinalCut(before:)) ?? ids.count
        // At least `limit` candidates (up to 256), so a large limit can be filled.
        let scored = max(configuration.candidatesScored, min(limit, 256))
        let candidates = rareShingleCandidates(query, cut: cut, scored: scored)
        return rank(
            candidates, query: query, scope: scope, limit: limit, excluding: excluding,
            minimumScore: minimumScore, relativeScore: Float(relativeScore))
    }

    /// First ordinal whose sequence is at or above `sequence` (sequences rise with ordinals).
    private func ordinalCut(before sequence: UInt64) -> Int {
        var low = 0
        var high = sequences.count
        while low < high {
            let middle = (low + high) / 2
            if sequences[middle] < sequence {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    struct QueryTerms {
        /// Known terms with weight > 0, sorted by term number.
        var terms: [UInt32] = []
        var weights: [Float] = []
        var norm: Float = 0
        /// The same terms (plus one, 0 = empty) in an open-addressing set, for scoring candidates.
        var slots: [UInt32] = []
        var slotWeights: [Float] = []

        @inline(__always)
        static func slot(of value: UInt32, mask: Int) -> Int {
            Int(truncatingIfNeeded: (UInt64(value) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        }

        init(text: String, index: SimilarityIndex) {
            let normalised = SimilarityText(text, placeNames: index.placeNames)
            // (term, weight bits) packed so that sorting integers sorts by term; unknown keys are kept
            // apart. One sort, then duplicates (a shingle seen twice) are skipped.
            var pairs: [UInt64] = []
            var unknown: [UInt32] = []
            pairs.reserveCapacity(normalised.scalars.count)
            Shingles.forEach(in: normalised.scalars, length: index.configuration.shingleLength) { key, _ in
                if let term = index.termTable.term(for: key) {
                    pairs.append(UInt64(term) << 32 | UInt64(index.weight(of: term).bitPattern))
                } else if !index.boilerplateKeys.contains(key) {
                    unknown.append(key)
                }
            }
            pairs.sort()
            terms.reserveCapacity(pairs.count)
            weights.reserveCapacity(pairs.count)
            var previous = UInt64.max
            for pair in pairs where pair != previous {
                previous = pair
                let weight = Float(bitPattern: UInt32(truncatingIfNeeded: pair))
                norm += weight
                if weight > 0 {
                    terms.append(UInt32(truncatingIfNeeded: pair >> 32))
                    weights.append(weight)
                }
            }
            var size = 64
            while size < terms.count * 4 {
                size <<= 1
            }
            slots = Array(repeating: 0, count: size)
            slotWeights = Array(repeating: 0, count: size)
            for (term, weight) in zip(terms, weights) {
                var slot = Self.slot(of: term &+ 1, mask: size - 1)
                while slots[slot] != 0 {
                    slot = (slot + 1) & (size - 1)
                }
                slots[slot] = term &+ 1
                slotWeights[slot] = weight
            }
            if !unknown.isEmpty {
                // Unknown to the index: they can match nothing, but they make the query more specific.
                unknown.sort()
                let distinct = unknown.uniquedSorted().count
                norm += Float(distinct) * SimilarityIndex.idf(documentFrequency: 0, count: index.count)
            }
        }
    }

    /// Accumulates, per ordinal below `cut`, the weight of the query's rare shingles it contains,
    /// visiting the rarest shingles' postings first and the newest problems first, within the budget;
    /// returns the candidates whose sum is at least half the best one, best first, at most `scored`.
    private func rareShingleCandidates(_ query: QueryTerms, cut: Int, scored: Int) -> [Int32] {
        // Rarest first: sort (frequency, position) packed in one integer, no closure calls.
        var order: [UInt64] = []
        order.reserveCapacity(query.terms.count)
        documentFrequency.withUnsafeBufferPointer { frequency in
            for (position, term) in query.terms.enumerated() {
                order.append(UInt64(frequency[Int(term)]) << 32 | UInt64(position))
            }
        }
        order.sort()
        let budget = configuration.postingsBudget
        var capacity = 64
        while capacity < budget * 2 {
            capacity <<= 1
        }
        let posted = postedCount
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: capacity) { slots in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: capacity) { sums in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: budget) { touched in
                    var sums = Accumulator(slots: slots, sums: sums, touched: touched)
                    postings.withUnsafeBufferPointer { postings in
                        postingStarts.withUnsafeBufferPointer { starts in
                            for packed in order where sums.visited < budget {
                                let position = Int(truncatingIfNeeded: packed & 0xFFFF_FFFF)
                                let term = Int(query.terms[position])
                                let weight = query.weights[position]
                                if term + 1 < starts.count {
                                    let start = starts[term]
                                    var end = starts[term + 1]
                                    if cut < posted {
                                        end = upperBound(postings, start, end, below: UInt32(cut))
                                    }
                                    let take = min(end - start, budget - sums.visited)
                                    var cursor = end
                                    while cursor > end - take {
                                        cursor -= 1
                                        sums.add(postings[cursor], weight)
                                    }
                                }
                                if !tail.isEmpty, let recent = tail[UInt32(term)] {
                                    for ordinal in recent.reversed() where Int(ordinal) < cut && sums.visited < budget {
                                        sums.add(ordinal, weight)
                                    }
                                }
                            }
                        }
                    }
                    return sums.best(scored)
                }
            }
        }
    }

    /// Scores candidates in full, applies scope and cut-offs, and orders them by tier then score.
    private func rank(
        _ candidates: [Int32],
        query: QueryTerms,
        scope: SimilarityScope,
        limit: Int,
        excluding: String?,
        minimumScore: MinimumScores,
        relativeScore: Float
    ) -> [SimilarityMatch] {
        let floors = [minimumScore.sameUnit, minimumScore.parentSubtree, minimumScore.elsewhere].map(Float.init)
        let lowest = floors.min() ?? 0
        let period = scope.period.map { Self.day(of: $0.lowerBound)...Self.day(of: $0.upperBound) }
        let scopeUnit = scope.unit.flatMap { unitNumbers[$0] }
        var tiers: [TierOfUnit] = []
        var scored: [Scored] = []
        for candidate in candidates {
            let ordinal = Int(candidate)
            let record = records[ordinal]
            guard record.alive else { continue }
            if let period, !period.contains(record.day) {
                continue
            }
            let (shared, count) = sharedWeight(query, terms: record.terms)
            // Tail problems were weighed when they came in; weigh them as of now, like the query.
            let norm = ordinal >= postedCount ? currentNorm(of: record) : record.norm
            let denominator = (query.norm * norm).squareRoot()
            guard denominator > 0 else { continue }
            let score = min(1, shared / denominator)
            guard score >= lowest, excluding == nil || ids[ordinal] != excluding else { continue }
            let unit = record.unit
            let tier: SimilarityTier
            if let known = tiers.first(where: { $0.unit == unit }) {
                tier = known.tier
            } else {
                if unit == scopeUnit {
                    tier = .sameUnit
                } else if scope.isInParentSubtree(unitNames[Int(unit)]) {
                    tier = .parentSubtree
                } else {
                    tier = .elsewhere
                }
                tiers.append(TierOfUnit(unit: unit, tier: tier))
            }
            guard score >= floors[tier.rawValue] else { continue }
            scored.append(Scored(ordinal: candidate, score: score, shared: count, tier: tier))
        }
        guard let best = scored.map(\.score).max() else { return [] }
        let floor = best * relativeScore
        scored.removeAll { $0.score < floor }
        scored.sort {
            if $0.tier != $1.tier { return $0.tier < $1.tier }
            if $0.score != $1.score { return $0.score > $1.score }
            return ids[Int($0.ordinal)] < ids[Int($1.ordinal)]
        }
        return scored.prefix(limit).map { item in
            let ordinal = Int(item.ordinal)
            return SimilarityMatch(
                id: ids[ordinal],
                unit: unitNames[Int(records[ordinal].unit)],
                date: records[ordinal].date,
                score: (Double(item.score) * 10_000).rounded() / 10_000,
                tier: item.tier,
                sequence: sequences[ordinal],
                sharedShingles: item.shared
            )
        }
    }

    private func currentNorm(of record: Record) -> Float {
        var norm: Float = 0
        for position in record.terms {
            norm += weight(of: documentTerms[position])
        }
        return norm
    }

    /// Sum of query weights over the shingles the problem shares with the query: each of the problem's
    /// terms is looked up in the query's small hash set (independent lookups, unlike a merge's chain).
    private func sharedWeight(_ query: QueryTerms, terms range: Range<Int>) -> (Float, Int) {
        documentTerms.withUnsafeBufferPointer { terms in
            query.slots.withUnsafeBufferPointer { slots in
                query.slotWeights.withUnsafeBufferPointer { weights in
                    var sum: Float = 0
                    var count = 0
                    let mask = slots.count - 1
                    for position in range {
                        let wanted = terms[position] &+ 1
                        var slot = QueryTerms.slot(of: wanted, mask: mask)
                        while true {
                            let current = slots[slot]
                            if current == wanted {
                                sum += weights[slot]
                                count += 1
                                break
                            }
                            if current == 0 {
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                    return (sum, count)
                }
            }
        }
    }
}

/// First position in `postings[start..<end]` (ascending) holding a value at or above `limit`.
@inline(__always)
private func upperBound(_ postings: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, below limit: UInt32) -> Int {
    var low = start
    var high = end
    while low < high {
        let middle = (low + high) >> 1
        if postings[middle] < limit {
            low = middle + 1
        } else {
            high = middle
        }
    }
    return low
}

/// The per-problem facts a query reads for each candidate.
private struct Record {
    var termStart: Int
    var termCount: UInt32
    /// Sum of the weights of its shingles, as of the last compaction (or of its insertion).
    var norm: Float
    var unit: UInt32
    /// Days since 1970-01-01 (UTC), `Int32.min` when undated.
    var day: Int32
    var alive: Bool

    var terms: Range<Int> { termStart..<termStart + Int(termCount) }

    var date: Date? { day == Int32.min ? nil : Date(timeIntervalSince1970: Double(day) * 86_400) }
}

private struct TierOfUnit {
    var unit: UInt32
    var tier: SimilarityTier
}

private struct Scored {
    var ordinal: Int32
    var score: Float
    var shared: Int
    var tier: SimilarityTier
}

/// Sums of weights per ordinal in a small open-addressing table, for one query.
private struct Accumulator {
    let slots: UnsafeMutableBufferPointer<Int32>
    let sums: UnsafeMutableBufferPointer<Float>
    /// Slots in first-touch order, so reading the table back costs what was written, not its size.
    let touched: UnsafeMutableBufferPointer<Int32>
    let mask: Int
    private(set) var visited = 0
    private var distinct = 0
    private var highest: Float = 0

    init(
        slots: UnsafeMutableBufferPointer<Int32>, sums: UnsafeMutableBufferPointer<Float>,
        touched: UnsafeMutableBufferPointer<Int32>
    ) {
        slots.initialize(repeating: -1)
        self.slots = slots
        self.sums = sums
        self.touched = touched
        mask = slots.count - 1
    }

    @inline(__always)
    mutating func add(_ ordinal: UInt32, _ weight: Float) {
        visited += 1
        let wanted = Int32(bitPattern: ordinal)
        var slot = Int(truncatingIfNeeded: (UInt64(ordinal) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while true {
            let current = slots[slot]
            if current == wanted {
                sums[slot] += weight
                highest = max(highest, sums[slot])
                return
            }
            if current < 0 {
                slots[slot] = wanted
                sums[slot] = weight
                touched[distinct] = Int32(slot)
                distinct += 1
                highest = max(highest, weight)
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Ordinals whose sum is at least half the highest (candidates far behind on rare shingles cannot
    /// score well in full), best first (ties: newer first), at most `limit`.
    func best(_ limit: Int) -> [Int32] {
        let floor = highest * 0.5
        var kept: [UInt64] = []
        for index in 0..<distinct {
            let slot = Int(touched[index])
            guard sums[slot] >= floor else { continue }
            // Non-negative floats order like their bit patterns: pack (sum, ordinal) in one integer.
            kept.append(UInt64(sums[slot].bitPattern) << 32 | UInt64(UInt32(bitPattern: slots[slot])))
        }
        kept.sort(by: >)
        return kept.prefix(limit).map { Int32(bitPattern: UInt32(truncatingIfNeeded: $0)) }
    }
}
