public import Foundation

/// A problem as the similarity index sees it.
public struct SimilarityProblem: Sendable, Hashable {
    /// The problem's stable id (the database key).
    public var id: String
    /// The unit the problem was found in.
    public var unit: String
    /// When it was found (feedback date); `nil` when unknown, then period filters never match it.
    public var date: Date?
    /// The problem as written.
    public var text: String
    /// The document that states it (巡察反馈意见, 审计报告 …), e.g. its database id; `nil` when unknown.
    /// A search whose scope names a source and a unit never returns the problems of that source in that
    /// unit: a document does not state one problem twice for one unit, so another of its problems for
    /// the same unit is never "the same problem" (for other units it may be: a 通报 can list one problem
    /// in three villages).
    public var source: String?

    public init(id: String, unit: String, date: Date?, text: String, source: String? = nil) {
        self.id = id
        self.unit = unit
        self.date = date
        self.text = text
        self.source = source
    }
}

/// How close a match sits to the query's unit in the unit tree. Results are ordered by tier first.
public enum SimilarityTier: Int, Sendable, Comparable, Codable {
    /// The query's own unit: a match here may be a recurrence (屡改屡犯).
    case sameUnit = 0
    /// Another unit under the same parent (the parent itself included).
    case parentSubtree = 1
    /// Anywhere else in the index.
    case elsewhere = 2

    public static func < (lhs: SimilarityTier, rhs: SimilarityTier) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a query comes from and what it may see. The caller knows the unit tree; the index does not.
public struct SimilarityScope: Sendable {
    /// The query's unit; `nil` puts every match in `.elsewhere` unless `isInParentSubtree` says otherwise.
    public var unit: String?
    /// Whether a unit lies in the subtree of the query unit's parent.
    public var isInParentSubtree: @Sendable (String) -> Bool
    /// Only problems dated inside this period are returned (undated ones never); `nil` for all.
    public var period: ClosedRange<Date>?
    /// The query's document (`SimilarityProblem.source`): problems of the same document in the query's
    /// own `unit` are never returned. `nil`: no such filter.
    public var source: String?

    public init(
        unit: String?,
        isInParentSubtree: @escaping @Sendable (String) -> Bool = { _ in false },
        period: ClosedRange<Date>? = nil,
        source: String? = nil
    ) {
        self.unit = unit
        self.isInParentSubtree = isInParentSubtree
        self.period = period
        self.source = source
    }

    /// - Parameter parentSubtree: ids of every unit under the query unit's parent (the parent included).
    public init(
        unit: String?, parentSubtree: Set<String>, period: ClosedRange<Date>? = nil, source: String? = nil
    ) {
        self.init(unit: unit, isInParentSubtree: { parentSubtree.contains($0) }, period: period, source: source)
    }

    /// No unit, no period: plain similarity over the whole index.
    public static let everywhere = SimilarityScope(unit: nil)
}

/// One earlier problem found similar to the query.
public struct SimilarityMatch: Sendable, Hashable, Codable {
    public var id: String
    public var unit: String
    public var date: Date?
    /// Weighted cosine of the two shingle sets, 0...1 (see docs/similarity.md).
    public var score: Double
    public var tier: SimilarityTier
    /// The change sequence at which the matched problem entered the index.
    public var sequence: UInt64
    /// How many distinct weighted shingles the two texts share.
    public var sharedShingles: Int
    /// How often a match of this tier at this score was the same problem on the labelled calibration
    /// corpora (`SimilarityCalibration`, docs/similarity.md), 0...1. For the UI: 「经测算，同单位中这一
    /// 相似度的匹配约 x% 是同一问题」.
    public var precision: Double
}

/// A change to apply, numbered by the database's change sequence; catching up with other servers'
/// writes means applying every change after `SimilarityIndex.watermark`, in order.
public enum SimilarityChange: Sendable, Hashable {
    /// Add a problem, or replace the one with the same id.
    case upsert(SimilarityProblem, sequence: UInt64)
    /// Remove a problem; unknown ids are ignored (the change still advances the watermark).
    case delete(id: String, sequence: UInt64)

    public var sequence: UInt64 {
        switch self {
        case .upsert(_, let sequence), .delete(_, let sequence): sequence
        }
    }
}

/// The lowest score reported for a match in each tier.
///
/// The defaults are calibrated (`SimilarityCalibration.measured`, docs/similarity.md): in each tier, the
/// lowest score from which at least half the matches were the same problem on the labelled calibration
/// corpora. Below it a suggestion is more often wrong than right, so it is not shown.
public struct MinimumScores: Sendable, Hashable {
    public var sameUnit: Double
    public var parentSubtree: Double
    public var elsewhere: Double

    /// The calibrated thresholds, `SimilarityCalibration.measured.minimumScores(precision: 0.5)`.
    public static let calibrated = MinimumScores(
        sameUnit: SimilarityCalibration.measuredThresholds.sameUnit,
        parentSubtree: SimilarityCalibration.measuredThresholds.parentSubtree,
        elsewhere: SimilarityCalibration.measuredThresholds.elsewhere)

    public init(
        sameUnit: Double = SimilarityCalibration.measuredThresholds.sameUnit,
        parentSubtree: Double = SimilarityCalibration.measuredThresholds.parentSubtree,
        elsewhere: Double = SimilarityCalibration.measuredThresholds.elsewhere
    ) {
        self.sameUnit = sameUnit
        self.parentSubtree = parentSubtree
        self.elsewhere = elsewhere
    }

    /// One threshold everywhere.
    public init(all value: Double) {
        self.init(sameUnit: value, parentSubtree: value, elsewhere: value)
    }

    public subscript(tier: SimilarityTier) -> Double {
        switch tier {
        case .sameUnit: sameUnit
        case .parentSubtree: parentSubtree
        case .elsewhere: elsewhere
        }
    }

    package var lowest: Double { min(sameUnit, parentSubtree, elsewhere) }
}

/// Tuning of the index. The defaults are what the benchmarks in docs/similarity.md measured: the
/// minimum scores and the relative cut are calibrated (docs/similarity.md, "Calibration").
public struct SimilarityConfiguration: Sendable {
    /// Characters per shingle.
    public var shingleLength: Int
    /// The lowest score reported, by tier: by default the calibrated ones (`MinimumScores.calibrated`),
    /// where the measured precision of the tier reaches `SimilarityCalibration.shownPrecision` (0.5).
    public var minimumScore: MinimumScores
    /// Matches scoring below this fraction of the best match of their tier are not reported (0.8: chosen
    /// on the calibration corpora so that false suggestions per problem stay below datasketch's; see
    /// docs/similarity.md).
    public var relativeScore: Double
    /// How many postings (problem numbers under the query's rarest shingles) a query may visit:
    /// the bound that keeps a query's time flat as the index grows.
    public var postingsBudget: Int
    /// How many of the best candidates by rare shingles are scored in full.
    public var candidatesScored: Int
    /// Measured precision by tier and score, copied into each match (`SimilarityMatch.precision`).
    public var calibration: SimilarityCalibration
    /// Names of places and units, treated like `XX`.
    public var placeNames: PlaceNames
    /// Whether the index keeps each problem's text (needed for `explain(_:matching:)` by id).
    public var keepsText: Bool

    public init(
        shingleLength: Int = 2,
        minimumScore: MinimumScores = MinimumScores(),
        relativeScore: Double = 0.8,
        postingsBudget: Int = 500,
        candidatesScored: Int = 8,
        placeNames: PlaceNames = PlaceNames([]),
        keepsText: Bool = true,
        calibration: SimilarityCalibration = .measured
    ) {
        self.calibration = calibration
        self.shingleLength = max(1, min(shingleLength, 8))
        self.minimumScore = minimumScore
        self.relativeScore = relativeScore
        self.postingsBudget = max(64, postingsBudget)
        self.candidatesScored = max(1, candidatesScored)
        self.placeNames = placeNames
        self.keepsText = keepsText
    }
}
