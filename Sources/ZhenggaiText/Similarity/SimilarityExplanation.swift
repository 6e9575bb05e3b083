/// Why two problems match: the phrases they share, with where each sits in both texts.
public struct SimilarityExplanation: Sendable, Hashable, Codable {
    /// The same weighted cosine the index ranks by.
    public var score: Double
    /// Shared phrases, heaviest first (ties: earlier in the query first).
    public var phrases: [SharedPhrase]

    /// Ranges in the query text to highlight, in UTF-16 code units, sorted.
    public var queryRanges: [Range<Int>] { phrases.flatMap(\.queryRanges).sorted { $0.lowerBound < $1.lowerBound } }
    /// Ranges in the matched text to highlight, in UTF-16 code units, sorted.
    public var matchRanges: [Range<Int>] { phrases.flatMap(\.matchRanges).sorted { $0.lowerBound < $1.lowerBound } }
}

/// A run of text covered by shingles both problems contain (boilerplate shingles never count).
public struct SharedPhrase: Sendable, Hashable, Codable {
    /// The phrase as written in the query.
    public var text: String
    /// Sum of the weights of the distinct shared shingles inside it.
    public var weight: Double
    /// Where it is in the query, in UTF-16 code units (`String.Index(utf16Offset:in:)` converts).
    public var queryRanges: [Range<Int>]
    /// Where the same shingles are in the matched text, in UTF-16 code units.
    public var matchRanges: [Range<Int>]
}

extension SimilarityIndex {
    /// Explains a match between `query` and `text`, weighting shingles as this index does.
    public func explain(_ query: String, against text: String) -> SimilarityExplanation {
        let length = configuration.shingleLength
        let left = SimilarityText(query, placeNames: placeNames, recordOffsets: true)
        let right = SimilarityText(text, placeNames: placeNames, recordOffsets: true)
        var leftShingles: [(key: UInt32, position: Int)] = []
        var rightShingles: [(key: UInt32, position: Int)] = []
        Shingles.forEach(in: left.scalars, length: length) { leftShingles.append(($0, $1)) }
        Shingles.forEach(in: right.scalars, length: length) { rightShingles.append(($0, $1)) }

        var weights: [UInt32: Float] = [:]
        for key in Set(leftShingles.map(\.key)).union(rightShingles.map(\.key)) {
            weights[key] = weight(ofKey: key)
        }
        let leftKeys = Set(leftShingles.map(\.key))
        let rightKeys = Set(rightShingles.map(\.key))
        let shared = leftKeys.intersection(rightKeys).filter { (weights[$0] ?? 0) > 0 }
        let leftNorm = leftKeys.reduce(Float(0)) { $0 + (weights[$1] ?? 0) }
        let rightNorm = rightKeys.reduce(Float(0)) { $0 + (weights[$1] ?? 0) }
        let sharedWeight = shared.reduce(Float(0)) { $0 + (weights[$1] ?? 0) }
        let denominator = (leftNorm * rightNorm).squareRoot()
        let score = denominator > 0 ? min(1, Double(sharedWeight / denominator)) : 0

        let leftRuns = Self.coveredRuns(leftShingles, shared: shared, length: length)
        let rightRuns = Self.coveredRuns(rightShingles, shared: shared, length: length)
        var phraseOfKey: [UInt32: Int] = [:]
        var phrases: [SharedPhrase] = []
        var phraseOfText: [String: Int] = [:]
        for run in leftRuns {
            let index = phrases.count
            var phraseWeight: Float = 0
            for key in run.keys where phraseOfKey[key] == nil {
                phraseOfKey[key] = index
                phraseWeight += weights[key] ?? 0
            }
            let range = Int(left.sourceStarts[run.start])..<Int(left.sourceEnds[run.end - 1])
            let scalars = left.scalars[run.start..<run.end].compactMap(Unicode.Scalar.init)
            var phraseText = String.UnicodeScalarView()
            phraseText.append(contentsOf: scalars)
            let sourceText = Self.slice(query, range) ?? String(phraseText)
            if let existing = phraseOfText[sourceText] {
                phrases[existing].queryRanges.append(range)
                for key in run.keys where phraseOfKey[key] == index {
                    phraseOfKey[key] = existing
                }
                continue
            }
            phraseOfText[sourceText] = index
            phrases.append(
                SharedPhrase(text: sourceText, weight: Double(phraseWeight), queryRanges: [range], matchRanges: [])
            )
        }
        for run in rightRuns {
            let range = Int(right.sourceStarts[run.start])..<Int(right.sourceEnds[run.end - 1])
            let owners = Set(run.keys.compactMap { phraseOfKey[$0] })
            for owner in owners.sorted() where phrases[owner].matchRanges.last != range {
                phrases[owner].matchRanges.append(range)
            }
        }
        phrases.removeAll { $0.weight <= 0 }
        for index in phrases.indices {
            phrases[index].weight = (phrases[index].weight * 1_000).rounded() / 1_000
        }
        phrases.sort {
            if $0.weight != $1.weight { return $0.weight > $1.weight }
            return ($0.queryRanges.first?.lowerBound ?? 0) < ($1.queryRanges.first?.lowerBound ?? 0)
        }
        return SimilarityExplanation(score: (score * 10_000).rounded() / 10_000, phrases: phrases)
    }

    /// Explains a match with a problem stored in the index (needs `keepsText`); `nil` for unknown ids.
    public func explain(_ query: String, matching id: String) -> SimilarityExplanation? {
        text(of: id).map { explain(query, against: $0) }
    }

    /// Maximal runs of normalised positions covered by shared shingles, with the shared keys in each.
    private static func coveredRuns(
        _ shingles: [(key: UInt32, position: Int)],
        shared: Set<UInt32>,
        length: Int
    ) -> [(start: Int, end: Int, keys: [UInt32])] {
        var runs: [(start: Int, end: Int, keys: [UInt32])] = []
        for shingle in shingles where shared.contains(shingle.key) {
            let end = shingle.position + length
            // Shingles never span a break, so overlapping ones lie in one clause.
            if let last = runs.last, shingle.position < last.end {
                runs[runs.count - 1].end = max(last.end, end)
                runs[runs.count - 1].keys.append(shingle.key)
            } else {
                runs.append((shingle.position, end, [shingle.key]))
            }
        }
        return runs
    }

    private static func slice(_ text: String, _ range: Range<Int>) -> String? {
        let utf16 = text.utf16
        guard range.lowerBound >= 0, range.upperBound <= utf16.count else { return nil }
        let start = utf16.index(utf16.startIndex, offsetBy: range.lowerBound)
        let end = utf16.index(utf16.startIndex, offsetBy: range.upperBound)
        return String(text[start..<end])
    }
}
