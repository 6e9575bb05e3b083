public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore
public import ZhenggaiText

/// The in-memory similarity index of one app server. Built from the database at start; before every
/// search it reads the audit log past its watermark, so it catches up with what this server and any
/// other server on the same database wrote (no messages between servers needed).
public actor SimilarityService {
    public struct Suggestion: Sendable {
        public var match: Problem
        public var source: Source?
        public var score: Double
        public var tier: SimilarityTier
        /// A closed item of the same unit came back: a 屡改屡犯 candidate.
        public var recurrence: Bool
        /// The tier's measured precision at this score (≥ 0.5 with the calibrated floors).
        public var precision: Double
        public var explanation: SimilarityExplanation
    }

    let store: Store
    var index: SimilarityIndex
    var units: [UUID: UnitNode] = [:]
    var built = false

    /// The engine's calibrated defaults: a match is shown only where its tier's measured precision at that
    /// score is at least 0.5 (docs/similarity.md). A person still confirms each match.
    public static let configuration = SimilarityConfiguration()

    public init(store: Store) {
        self.store = store
        index = SimilarityIndex(configuration: Self.configuration)
    }

    public var count: Int { index.count }
    public var watermark: UInt64 { index.watermark }

    /// Loads every problem (once) and then whatever was written since.
    public func refresh() async throws {
        if !built {
            let unitList = try await store.units(in: .everything)
            units = Dictionary(uniqueKeysWithValues: unitList.map { ($0.id, $0) })
            var configuration = Self.configuration
            configuration.placeNames = PlaceNames(unitList.map(\.name))
            var builder = SimilarityIndex.Builder(configuration: configuration)
            for problem in try await store.allProblemsForIndex() {
                builder.add(
                    SimilarityProblem(
                        id: problem.id.uuidString, unit: problem.unitID.uuidString, date: problem.date,
                        text: problem.text, source: problem.sourceID.uuidString),
                    sequence: problem.sequence)
            }
            index = builder.build()
            built = true
        }
        try await catchUp(from: index.watermark)
    }

    func catchUp(from watermark: UInt64) async throws {
        var mark = watermark
        while true {
            let changes = try await store.problemChanges(after: mark)
            guard let last = changes.last else { break }
            let newUnits = Set(changes.map(\.unitID)).subtracting(units.keys)
            if !newUnits.isEmpty {
                for unit in try await store.units(in: .everything) { units[unit.id] = unit }
            }
            index.apply(
                changes.map {
                    .upsert(
                        SimilarityProblem(
                            id: $0.id.uuidString, unit: $0.unitID.uuidString, date: $0.date, text: $0.text,
                            source: $0.sourceID.uuidString),
                        sequence: $0.sequence)
                })
            mark = last.sequence
            if changes.count < 5_000 { break }
        }
    }

    /// Earlier problems like this one, in the reader's scope: the same unit first, then the parent's
    /// subtree, then elsewhere.
    public func suggestions(for problem: Problem, scope: Scope, limit: Int = 8) async throws -> [Suggestion] {
        // "Earlier" by entry time (the index's own sequences say only when this server learnt of a problem);
        // two entered in the same millisecond are ordered by their place in the audit log.
        let found = try await search(
            problem.text, unitID: problem.unitID, sourceID: problem.sourceID, scope: scope, limit: limit,
            excluding: problem.id, enteredBefore: problem.createdAt.addingTimeInterval(0.001))
        let own = try await store.creationSequence(of: problem.id) ?? .max
        var earlier: [Suggestion] = []
        for suggestion in found {
            if suggestion.match.createdAt < problem.createdAt {
                earlier.append(suggestion)
            } else if let sequence = try await store.creationSequence(of: suggestion.match.id), sequence < own {
                earlier.append(suggestion)
            }
        }
        return earlier
    }

    /// `sourceID`: the query's own document, whose other problems of the same unit are never suggested.
    public func search(
        _ text: String, unitID: UUID?, sourceID: UUID? = nil, scope: Scope, limit: Int = 10, excluding: UUID? = nil,
        enteredBefore: Date? = nil
    ) async throws -> [Suggestion] {
        try await refresh()
        var ranking = SimilarityScope.everywhere
        if let unitID, let unit = units[unitID] {
            let parentPath = unit.parentID.flatMap { units[$0]?.path } ?? unit.path
            let subtree = Set(units.values.filter { $0.path.hasPrefix(parentPath) }.map(\.id.uuidString))
            ranking = SimilarityScope(unit: unitID.uuidString, parentSubtree: subtree, source: sourceID?.uuidString)
        }
        // Ask for more than shown: matches outside the reader's scope are dropped afterwards.
        let raw = index.search(text, in: ranking, limit: limit * 4, excluding: excluding?.uuidString)
        let readable = raw.filter { match in
            if let enteredBefore, let date = match.date, date >= enteredBefore { return false }
            guard let id = UUID(uuidString: match.unit), let unit = units[id] else { return false }
            return scope.contains(unit.path)
        }.prefix(limit)
        let problems = try await store.problems(readable.compactMap { UUID(uuidString: $0.id) })
        let byID = Dictionary(uniqueKeysWithValues: problems.map { ($0.id.uuidString, $0) })
        let sources = try await store.sourcesByID(Set(problems.map(\.sourceID)))
        return readable.compactMap { match in
            guard let problem = byID[match.id] else { return nil }
            let recurrence =
                match.tier == .sameUnit && (problem.status == .closed || problem.status == .stageCompleted)
            return Suggestion(
                match: problem, source: sources[problem.sourceID], score: match.score, tier: match.tier,
                recurrence: recurrence, precision: match.precision,
                explanation: index.explain(text, against: problem.text))
        }
    }

    /// 共性问题: problems of many units that say the same thing, within the reader's scope and period.
    public func clusters(scope: Scope, since: Date?, minimumUnits: Int) async throws -> [ProblemCluster] {
        try await refresh()
        let filter = LedgerFilter(scope: scope)
        let rows = try await store.clusterCandidates(filter, since: since)
        let problems = rows.map {
            ClusterProblem(
                id: $0.id.uuidString, unit: $0.unitID.uuidString, round: $0.round, date: $0.date, text: $0.text)
        }
        return SimilarityClustering.clusters(
            of: problems, minimumUnits: minimumUnits, minimumScore: 0.3, configuration: Self.configuration)
    }

    public func unitName(_ id: String) -> String {
        UUID(uuidString: id).flatMap { units[$0]?.name } ?? ""
    }
}
