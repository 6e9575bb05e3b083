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
    private var sourceNumbers: [String: UInt32] = [:]

    // Postings for ordinals below `postedCount`, then the tail.
    private var postingStarts: [Int] = [0]
    private var postings: [UInt32] = []
    private var postedCount = 0
    private var tail: [UInt32: [UInt32]] = [:]
    private var deletedCount = 0
    private let scratch = SearchScratch()

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
        let source = problem.source.map { sourceNumber($0) } ?? .max
        records.append(
            Record(
                termStart: termStart, termCount: UInt32(terms.count), norm: norm, unit: unitNumber(problem.unit),
                day: problem.date.map(Self.day(of:)) ?? Int32.min, source: source,
                alive: true))
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

    private mutating func sourceNumber(_ source: String) -> UInt32 {
        if let number = sourceNumbers[source] {
            return number
        }
        let number = UInt32(sourceNumbers.count)
        sourceNumbers[source] = number
        return number
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

    package func search(
        _ text: String,
        in scope: SimilarityScope,
        limit: Int,
        before: UInt64?,
        excluding: String?,
        minimumScore: MinimumScores,
        relativeScore: Double
    ) -> [SimilarityMatch] {
        guard limit > 0, !ids.isEmpty else { return [] }
        // The shared buffers when they are free; a search running at the same time on another thread
        // (through a copy of this index) uses buffers of its own.
        let owned = scratch.lock.try()
        let buffers = owned ? scratch.buffers : SearchBuffers()
        defer {
            buffers.clearQueryWeights()
            if owned {
                scratch.lock.unlock()
            }
        }
        let norm = queryTerms(text, into: buffers)
        guard norm > 0 else { return [] }
        let cut = before.map(ordinalCut(before:)) ?? ids.count
        // At least `limit` candidates (up to 256), so a large limit can be filled.
        let scored = max(configuration.candidatesScored, min(limit, 256))
        rareShingleCandidates(cut: cut, scored: scored, buffers: buffers)
        return rank(
            queryNorm: norm, scope: scope, limit: limit, excluding: excluding,
            minimumScore: minimumScore, relativeScore: Float(relativeScore), buffers: buffers)
    }

    /// First ordinal whose sequence is at or above `sequence` (sequences rise with ordinals).
    private func ordinalCut(before sequence: UInt64) -> Int {
        sequences.withUnsafeBufferPointer { sequences in
            lowerBound(sequences, 0, sequences.count) { $0 < sequence }
        }
    }

    /// Normalises and shingles the query into `buffers`: its known terms with weight > 0 sorted by
    /// term number, their weights, and the same by term number. Returns the query's norm.
    private func queryTerms(_ text: String, into buffers: SearchBuffers) -> Float {
        SimilarityText.normalise(text, placeNames: placeNames, into: &buffers.scalars, letters: &buffers.letters)
        // (term, weight bits) packed so that sorting integers sorts by term; unknown keys are kept
        // apart. One sort, then duplicates (a shingle seen twice) are skipped.
        var pairs: [UInt64] = []
        var unknown: [UInt32] = []
        swap(&pairs, &buffers.pairs)
        swap(&unknown, &buffers.unknown)
        defer {
            swap(&pairs, &buffers.pairs)
            swap(&unknown, &buffers.unknown)
        }
        pairs.removeAll(keepingCapacity: true)
        unknown.removeAll(keepingCapacity: true)
        Shingles.forEach(in: buffers.scalars, length: configuration.shingleLength) { key, _ in
            if let term = termTable.term(for: key) {
                pairs.append(UInt64(term) << 32 | UInt64(weight(of: term).bitPattern))
            } else if !boilerplateKeys.contains(key) {
                unknown.append(key)
            }
        }
        // By term only: the weight below it is the term's, so equal terms make equal keys.
        sortKeys(&pairs, spare: &buffers.spare, fromBit: 32)
        var norm: Float = 0
        var terms: [UInt32] = []
        var weights: [Float] = []
        swap(&terms, &buffers.terms)
        swap(&weights, &buffers.weights)
        terms.removeAll(keepingCapacity: true)
        weights.removeAll(keepingCapacity: true)
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
        // Query weights by term number, for scoring candidates without a hash lookup per term;
        // `search` puts the zeros back when it is done.
        let termCount = documentFrequency.count
        if buffers.queryWeights.count < termCount {
            buffers.queryWeights.append(contentsOf: repeatElement(0, count: termCount - buffers.queryWeights.count))
        }
        buffers.queryWeights.withUnsafeMutableBufferPointer { dense in
            for (term, weight) in zip(terms, weights) {
                dense[Int(term)] = weight
            }
        }
        swap(&terms, &buffers.terms)
        swap(&weights, &buffers.weights)
        if !unknown.isEmpty {
            // Unknown to the index: they can match nothing, but they make the query more specific.
            unknown.sort()
            var distinct = 0
            var last: UInt32?
            for key in unknown where key != last {
                distinct += 1
                last = key
            }
            norm += Float(distinct) * SimilarityIndex.idf(documentFrequency: 0, count: count)
        }
        return norm
    }

    /// Accumulates, per ordinal below `cut`, the weight of the query's rare shingles it contains,
    /// visiting the rarest shingles' postings first and the newest problems first, within the budget;
    /// leaves in `buffers.candidates` those whose sum is at least half the best one, best first,
    /// at most `scored`.
    private func rareShingleCandidates(cut: Int, scored: Int, buffers: SearchBuffers) {
        // Rarest first: sort (frequency, position) packed in one integer, no closure calls.
        var order: [UInt64] = []
        swap(&order, &buffers.order)
        defer { swap(&order, &buffers.order) }
        order.removeAll(keepingCapacity: true)
        documentFrequency.withUnsafeBufferPointer { frequency in
            for (position, term) in buffers.terms.enumerated() {
                order.append(UInt64(frequency[Int(term)]) << 32 | UInt64(position))
            }
        }
        sortKeys(&order, spare: &buffers.spare)
        let budget = configuration.postingsBudget
        let hashed = buffers.prepareAccumulator(budget: budget, ordinals: ids.count)
        let posted = postedCount
        let terms = buffers.terms
        let weights = buffers.weights
        buffers.sums.withUnsafeMutableBufferPointer { sums in
            buffers.slotOrdinals.withUnsafeMutableBufferPointer { slotOrdinals in
                buffers.touched.withUnsafeMutableBufferPointer { touched in
                    var sums = Accumulator(
                        sums: sums, slotOrdinals: hashed ? slotOrdinals : nil, touched: touched)
                    postings.withUnsafeBufferPointer { postings in
                        postingStarts.withUnsafeBufferPointer { starts in
                            for packed in order where sums.visited < budget {
                                let position = Int(truncatingIfNeeded: packed & 0xFFFF_FFFF)
                                let term = Int(terms[position])
                                let weight = weights[position]
                                if term + 1 < starts.count {
                                    let start = starts[term]
                                    var end = starts[term + 1]
                                    if cut < posted {
                                        // Ordinals spread fairly evenly over a term's postings: start
                                        // where `cut` would sit if they were even, which is also where
                                        // the visit below begins reading.
                                        let guess = start + (end - start) * cut / posted
                                        end = postingsBelow(postings, start, end, UInt32(cut), from: guess)
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
                    sums.best(scored, into: &buffers.kept, passing: &buffers.spare)
                }
            }
        }
        buffers.candidates.removeAll(keepingCapacity: true)
        for packed in buffers.kept {
            buffers.candidates.append(Int32(bitPattern: UInt32(truncatingIfNeeded: packed)))
        }
    }

    /// Scores candidates in full, applies scope and cut-offs, and orders them by tier then score.
    private func rank(
        queryNorm: Float,
        scope: SimilarityScope,
        limit: Int,
        excluding: String?,
        minimumScore: MinimumScores,
        relativeScore: Float,
        buffers: SearchBuffers
    ) -> [SimilarityMatch] {
        let floors = (
            sameUnit: Float(minimumScore.sameUnit), parentSubtree: Float(minimumScore.parentSubtree),
            elsewhere: Float(minimumScore.elsewhere)
        )
        let lowest = min(floors.sameUnit, floors.parentSubtree, floors.elsewhere)
        let period = scope.period.map { Self.day(of: $0.lowerBound)...Self.day(of: $0.upperBound) }
        let scopeUnit = scope.unit.flatMap { unitNumbers[$0] }
        // A source the index has never seen excludes nothing (no record carries UInt32.max - 1).
        let scopeSource = scope.source.map { sourceNumbers[$0] ?? UInt32.max - 1 } ?? UInt32.max - 1
        var gathered: [Record] = []
        var tiers: [TierOfUnit] = []
        var scored: [Scored] = []
        swap(&gathered, &buffers.gathered)
        swap(&tiers, &buffers.tiers)
        swap(&scored, &buffers.scored)
        defer {
            swap(&gathered, &buffers.gathered)
            swap(&tiers, &buffers.tiers)
            swap(&scored, &buffers.scored)
        }
        gathered.removeAll(keepingCapacity: true)
        tiers.removeAll(keepingCapacity: true)
        scored.removeAll(keepingCapacity: true)
        // Read every candidate's record first: independent loads that the processor overlaps, where
        // reading each inside the scoring loop below would wait for one cache miss after another.
        records.withUnsafeBufferPointer { records in
            for candidate in buffers.candidates {
                gathered.append(records[Int(candidate)])
            }
        }
        let candidates = buffers.candidates
        documentTerms.withUnsafeBufferPointer { terms in
            // Likewise touch each candidate's terms, one load per cache line, before scoring any.
            var touched: UInt32 = 0
            for record in gathered {
                var position = record.termStart
                let end = position + Int(record.termCount)
                while position < end {
                    touched ^= terms[position]
                    position += 16
                }
            }
            buffers.touchedTerms = touched
            buffers.queryWeights.withUnsafeBufferPointer { weights in
                for (position, record) in gathered.enumerated() {
                    let ordinal = Int(candidates[position])
                    // Another problem of the query's own document in the query's own unit: a document does
                    // not state one problem twice for one unit (it may for several units: a 通报 listing
                    // the same problem in three villages).
                    guard record.alive, record.source != scopeSource || record.unit != scopeUnit else { continue }
                    if let period, !period.contains(record.day) {
                        continue
                    }
                    let (shared, count) = sharedWeight(weights, terms, record.terms)
                    // Tail problems were weighed when they came in; weigh them as of now, like the query.
                    let norm = ordinal >= postedCount ? currentNorm(of: record) : record.norm
                    let denominator = (queryNorm * norm).squareRoot()
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
                    let floor =
                        switch tier {
                        case .sameUnit: floors.sameUnit
                        case .parentSubtree: floors.parentSubtree
                        case .elsewhere: floors.elsewhere
                        }
                    guard score >= floor else { continue }
                    scored.append(
                        Scored(ordinal: Int32(ordinal), score: score, shared: count, tier: tier, record: record))
                }
            }
        }
        // The relative cut is per tier: a same-unit recurrence at 0.4 is shown even when a problem
        // elsewhere says the same thing word for word.
        guard !scored.isEmpty else { return [] }
        var best: (Float, Float, Float) = (0, 0, 0)
        for item in scored {
            switch item.tier {
            case .sameUnit: best.0 = max(best.0, item.score)
            case .parentSubtree: best.1 = max(best.1, item.score)
            case .elsewhere: best.2 = max(best.2, item.score)
            }
        }
        scored.removeAll { item in
            let tierBest =
                switch item.tier {
                case .sameUnit: best.0
                case .parentSubtree: best.1
                case .elsewhere: best.2
                }
            return item.score < tierBest * relativeScore
        }
        // The ids alone, so that the comparison does not copy the whole index into its context.
        let identifiers = ids
        scored.sort {
            if $0.tier != $1.tier { return $0.tier < $1.tier }
            if $0.score != $1.score { return $0.score > $1.score }
            return identifiers[Int($0.ordinal)] < identifiers[Int($1.ordinal)]
        }
        return scored.prefix(limit).map { item in
            let ordinal = Int(item.ordinal)
            let score = (Double(item.score) * 10_000).rounded() / 10_000
            return SimilarityMatch(
                id: ids[ordinal],
                unit: unitNames[Int(item.record.unit)],
                date: item.record.date,
                score: score,
                tier: item.tier,
                sequence: sequences[ordinal],
                sharedShingles: item.shared,
                precision: configuration.calibration.precision(score: score, tier: item.tier)
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

    /// Sum of query weights over the shingles the problem shares with the query, in the problem's
    /// term order, and how many they are. Terms not in the query weigh 0, so each term costs one load
    /// and no branch (whether a term is shared is unpredictable).
    @inline(__always)
    private func sharedWeight(
        _ queryWeights: UnsafeBufferPointer<Float>,
        _ terms: UnsafeBufferPointer<UInt32>,
        _ range: Range<Int>
    ) -> (Float, Int) {
        var sum: Float = 0
        var count = 0
        for position in range {
            let weight = queryWeights[Int(terms[position])]
            sum += weight
            count &+= isPositive(weight)
        }
        return (sum, count)
    }
}

/// Sorts keys ascending by their bits from `lowestBit` up (keys equal there keep their order), by a
/// radix sort over the bytes that differ between keys: a query's few dozen keys take two or three
/// passes without a data-dependent branch, where a comparison sort's mispredictions and dependent
/// loads cost more than the rest of building the query.
private func sortKeys(_ keys: inout [UInt64], spare: inout [UInt64], fromBit lowestBit: Int = 0) {
    let count = keys.count
    guard count > 1 else { return }
    var anySet: UInt64 = 0
    var allSet: UInt64 = ~0
    for key in keys {
        anySet |= key
        allSet &= key
    }
    let varying = (anySet ^ allSet) >> UInt64(lowestBit)
    if spare.count < count {
        spare = Array(repeating: 0, count: count)
    }
    var sortedInSpare = false
    keys.withUnsafeMutableBufferPointer { keys in
        spare.withUnsafeMutableBufferPointer { spare in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
                var source = keys
                var target = UnsafeMutableBufferPointer(rebasing: spare[0..<count])
                var digit = 0
                while lowestBit + digit < 64 {
                    defer { digit += 8 }
                    guard (varying >> UInt64(digit)) & 0xFF != 0 else { continue }
                    let shift = UInt64(lowestBit + digit)
                    counts.initialize(repeating: 0)
                    for key in source {
                        counts[Int(truncatingIfNeeded: (key >> shift) & 0xFF)] += 1
                    }
                    var total = 0
                    for bucket in 0..<256 {
                        let size = counts[bucket]
                        counts[bucket] = total
                        total += size
                    }
                    for key in source {
                        let bucket = Int(truncatingIfNeeded: (key >> shift) & 0xFF)
                        target[counts[bucket]] = key
                        counts[bucket] += 1
                    }
                    swap(&source, &target)
                    sortedInSpare.toggle()
                }
                if sortedInSpare {
                    for index in 0..<count {
                        keys[index] = spare[index]
                    }
                }
            }
        }
    }
}

/// 1 when `value` (never negative here) is above 0, else 0, by arithmetic on its bits: written as a
/// comparison, the compiler emits a branch, mispredicted whenever the outcome is unpredictable.
@inline(__always)
private func isPositive(_ value: Float) -> Int {
    Int(truncatingIfNeeded: (value.bitPattern &+ 0x7FFF_FFFF) >> 31)
}

/// First position in `postings[start..<end]` (ascending) holding a value at or above `limit`, found by
/// galloping from `guess` (a few nearby cache lines when the guess is good, where a binary search over
/// the whole range reads far-apart ones), then searching the bracketed range.
@inline(__always)
private func postingsBelow(
    _ postings: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, _ limit: UInt32, from guess: Int
) -> Int {
    // Invariant: every position below `low` holds a value below `limit`; none from `high` on does.
    var low = start
    var high = end
    var probe = min(max(guess, start), end)
    var step = 1
    if probe < end && postings[probe] < limit {
        low = probe + 1
        while true {
            let next = probe + step
            if next >= end {
                break
            }
            if postings[next] < limit {
                low = next + 1
                probe = next
                step <<= 1
            } else {
                high = next
                break
            }
        }
    } else {
        high = probe
        while true {
            let next = probe - step
            if next < start {
                break
            }
            if postings[next] >= limit {
                high = next
                probe = next
                step <<= 1
            } else {
                low = next + 1
                break
            }
        }
    }
    return postingsBelow(postings, low, high, limit)
}

/// First position in `postings[start..<end]` (ascending) holding a value at or above `limit`, without
/// a branch per step: the comparisons of a binary search are unpredictable by nature, and a query
/// makes one search per shingle it visits.
@inline(__always)
private func postingsBelow(_ postings: UnsafeBufferPointer<UInt32>, _ start: Int, _ end: Int, _ limit: UInt32) -> Int {
    var base = start
    var length = end - start
    guard length > 0 else { return start }
    while length > 1 {
        let half = length >> 1
        // 1 when the value is below the limit (the difference of two 32-bit values wraps below 0):
        // arithmetic, so that the compiler does not turn it back into a branch.
        let below = Int(truncatingIfNeeded: (UInt64(postings[base + half]) &- UInt64(limit)) >> 63)
        base &+= half &* below
        length -= half
    }
    return base + Int(truncatingIfNeeded: (UInt64(postings[base]) &- UInt64(limit)) >> 63)
}

/// First position in `values[start..<end]` whose value is not `isBelow` (the values are ascending),
/// without a branch per step: the comparisons of a binary search are unpredictable by nature.
@inline(__always)
private func lowerBound<T>(
    _ values: UnsafeBufferPointer<T>, _ start: Int, _ end: Int, _ isBelow: (T) -> Bool
) -> Int {
    var base = start
    var length = end - start
    guard length > 0 else { return start }
    while length > 1 {
        let half = length >> 1
        base = isBelow(values[base + half]) ? base + half : base
        length -= half
    }
    return isBelow(values[base]) ? base + 1 : base
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
    /// The source's number, `UInt32.max` when unknown.
    var source: UInt32
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
    var record: Record
}

/// Buffers a search reuses, so that a query allocates next to nothing. Copies of an index share one
/// (it holds no state between searches); a search that finds it busy uses fresh buffers instead.
private final class SearchScratch: @unchecked Sendable {
    let lock = NSLock()
    let buffers = SearchBuffers()
}

/// What one search writes as it goes (see `SimilarityIndex.search`); only touched under `lock`.
private final class SearchBuffers {
    var scalars: [UInt32] = []
    var letters: [UInt32] = []
    var pairs: [UInt64] = []
    var unknown: [UInt32] = []
    /// The query's known terms with weight > 0, sorted by term number, and their weights.
    var terms: [UInt32] = []
    var weights: [Float] = []
    /// The weights of `terms` by term number, 0 for every other term.
    var queryWeights: [Float] = []
    var order: [UInt64] = []
    var spare: [UInt64] = []
    /// The accumulator's sums (by ordinal, or by slot of `slotOrdinals`), all 0 between searches.
    var sums: [Float] = []
    /// For a large index, the ordinal in each slot of a small hash table (-1 when empty).
    var slotOrdinals: [Int32] = []
    var touched: [Int32] = []
    var kept: [UInt64] = []
    var candidates: [Int32] = []
    var gathered: [Record] = []
    var tiers: [TierOfUnit] = []
    var scored: [Scored] = []
    /// Where the loads that bring candidates' terms into the cache leave their result, so that the
    /// compiler keeps them.
    var touchedTerms: UInt32 = 0

    func clearQueryWeights() {
        queryWeights.withUnsafeMutableBufferPointer { dense in
            for term in terms where Int(term) < dense.count {
                dense[Int(term)] = 0
            }
        }
    }

    /// Sizes the accumulator: sums by ordinal while they fit in the processor's cache (no hashing),
    /// a small hash table beyond (a query touches at most `budget` ordinals).
    /// - Returns: whether the hash table is used.
    func prepareAccumulator(budget: Int, ordinals: Int) -> Bool {
        if touched.count != budget + 1 {
            touched = Array(repeating: 0, count: budget + 1)
        }
        if ordinals <= 1 << 18 {
            if sums.count < ordinals || !slotOrdinals.isEmpty {
                sums = Array(repeating: 0, count: max(ordinals, sums.count))
                slotOrdinals = []
            }
            return false
        }
        // A quarter full at most, so that nearly every posting finds its slot at the first probe.
        var capacity = 64
        while capacity < budget * 4 {
            capacity <<= 1
        }
        if slotOrdinals.count != capacity {
            sums = Array(repeating: 0, count: capacity)
            slotOrdinals = Array(repeating: -1, count: capacity)
        }
        return true
    }
}

/// Sums of weights per ordinal, for one query: a flat array indexed by ordinal (no hashing, no
/// branch per posting) or, for a large index, a small open-addressing table (which stays in the
/// cache); of either, only the touched entries are read back and reset.
private struct Accumulator {
    /// 0 for ordinals not seen (weights visited are > 0), so a new ordinal and a known one are summed
    /// alike.
    let sums: UnsafeMutableBufferPointer<Float>
    /// The ordinal in each slot, -1 when empty; `nil` when `sums` is indexed by ordinal.
    let slotOrdinals: UnsafeMutableBufferPointer<Int32>?
    /// Indices of `sums` in first-touch order, so reading back costs what was written.
    let touched: UnsafeMutableBufferPointer<Int32>
    private(set) var visited = 0
    private var distinct = 0
    private var highest: Float = 0

    init(
        sums: UnsafeMutableBufferPointer<Float>, slotOrdinals: UnsafeMutableBufferPointer<Int32>?,
        touched: UnsafeMutableBufferPointer<Int32>
    ) {
        self.sums = sums
        self.slotOrdinals = slotOrdinals
        self.touched = touched
    }

    @inline(__always)
    mutating func add(_ ordinal: UInt32, _ weight: Float) {
        visited += 1
        var index = Int(ordinal)
        if let slotOrdinals {
            let wanted = Int32(bitPattern: ordinal)
            let mask = slotOrdinals.count - 1
            index = Int(truncatingIfNeeded: (UInt64(ordinal) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
            var current = slotOrdinals[index]
            while current != wanted && current >= 0 {
                index = (index + 1) & mask
                current = slotOrdinals[index]
            }
            slotOrdinals[index] = wanted
        }
        let old = sums[index]
        let sum = old + weight
        sums[index] = sum
        highest = max(highest, sum)
        // Always written, counted only when new: whether it is new is unpredictable.
        touched[distinct] = Int32(truncatingIfNeeded: index)
        distinct &+= 1 &- isPositive(old)
    }

    /// Ordinals whose sum is at least half the highest (candidates far behind on rare shingles cannot
    /// score well in full), packed with their sums, best first (ties: newer first), at most `limit`.
    /// Puts the zeros back for the next search.
    func best(_ limit: Int, into kept: inout [UInt64], passing: inout [UInt64]) {
        // Non-negative floats order like their bit patterns: pack (sum, ordinal) in one integer, and
        // compare the floor the same way.
        let floor = UInt64((highest * 0.5).bitPattern) << 32
        if passing.count < distinct {
            passing = Array(repeating: 0, count: distinct)
        }
        // First the sums at or above the floor, without a branch on each (often few pass).
        var passed = 0
        passing.withUnsafeMutableBufferPointer { passing in
            for position in 0..<distinct {
                let index = Int(touched[position])
                var ordinal = index
                if let slotOrdinals {
                    ordinal = Int(slotOrdinals[index])
                    slotOrdinals[index] = -1
                }
                let packed = UInt64(sums[index].bitPattern) << 32 | UInt64(UInt32(truncatingIfNeeded: ordinal))
                sums[index] = 0
                passing[passed] = packed
                passed &+= 1 &- Int(truncatingIfNeeded: (packed &- floor) >> 63)
            }
        }
        kept.removeAll(keepingCapacity: true)
        for packed in passing[0..<passed] {
            // The best `limit` so far, in descending order: `limit` is small, an insertion is cheap.
            if kept.count == limit {
                guard let last = kept.last, packed > last else { continue }
                kept.removeLast()
            }
            var position = kept.count
            while position > 0 && kept[position - 1] < packed {
                position -= 1
            }
            kept.insert(packed, at: position)
        }
    }
}
