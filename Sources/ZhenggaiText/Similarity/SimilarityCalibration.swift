/// How often a match is the same problem, by tier and score, as measured on labelled corpora.
///
/// A score alone says little to a user: two township reports restating "理论学习不深入" score 0.3, two
/// project problems that differ only in the project score 0.7. What a person needs is "how often is a
/// match like this one right?". `measured` answers that for each tier (same unit, the parent's subtree,
/// elsewhere), from the calibration corpora of docs/similarity.md (never from the corpora the figures
/// there are reported on). Each tier's curve is a step function of the score that never falls as the
/// score rises (an isotonic fit), so "shown when precision ≥ p" is "shown when score ≥ a threshold".
public struct SimilarityCalibration: Sendable, Hashable {
    /// One tier's measured precision: from `scores[i]` (inclusive) up to `scores[i + 1]`, matches were the
    /// same problem `precisions[i]` of the time. Below `scores[0]`: `precisions[0]`.
    public struct Curve: Sendable, Hashable {
        public let scores: [Double]
        public let precisions: [Double]

        /// - Parameters:
        ///   - scores: ascending step starts.
        ///   - precisions: one per step, each in 0...1, never falling.
        public init(scores: [Double], precisions: [Double]) {
            precondition(!scores.isEmpty && scores.count == precisions.count, "one precision per step")
            precondition(zip(scores, scores.dropFirst()).allSatisfy { $0 < $1 }, "ascending steps")
            precondition(zip(precisions, precisions.dropFirst()).allSatisfy { $0 <= $1 }, "never falling")
            self.scores = scores
            self.precisions = precisions.map { min(1, max(0, $0)) }
        }

        /// The measured precision of a match at `score`.
        public func precision(at score: Double) -> Double {
            var low = 0
            var high = scores.count
            // Last step whose start is at or below the score.
            while high - low > 1 {
                let middle = (low + high) / 2
                if scores[middle] <= score {
                    low = middle
                } else {
                    high = middle
                }
            }
            return precisions[low]
        }

        /// The lowest score from which the precision is at least `target`; `nil` when it never is.
        public func threshold(precision target: Double) -> Double? {
            guard let step = precisions.firstIndex(where: { $0 >= target }) else { return nil }
            return step == 0 ? 0 : scores[step]
        }
    }

    public var sameUnit: Curve
    public var parentSubtree: Curve
    public var elsewhere: Curve

    public init(sameUnit: Curve, parentSubtree: Curve, elsewhere: Curve) {
        self.sameUnit = sameUnit
        self.parentSubtree = parentSubtree
        self.elsewhere = elsewhere
    }

    public subscript(tier: SimilarityTier) -> Curve {
        switch tier {
        case .sameUnit: sameUnit
        case .parentSubtree: parentSubtree
        case .elsewhere: elsewhere
        }
    }

    /// The measured precision of a match of `tier` at `score`.
    public func precision(score: Double, tier: SimilarityTier) -> Double {
        self[tier].precision(at: score)
    }

    /// In each tier, the lowest score whose measured precision is at least `target`. A tier whose
    /// precision never reaches it gets `Double.infinity`: it shows nothing.
    public func minimumScores(precision target: Double) -> MinimumScores {
        MinimumScores(
            sameUnit: sameUnit.threshold(precision: target) ?? .infinity,
            parentSubtree: parentSubtree.threshold(precision: target) ?? .infinity,
            elsewhere: elsewhere.threshold(precision: target) ?? .infinity)
    }

    /// The precision a match must have to be shown by default.
    public static let shownPrecision = 0.5

    /// `measured.minimumScores(precision: shownPrecision)`: the default `MinimumScores`.
    public static let measuredThresholds = measured.minimumScores(precision: shownPrecision)
}
