public import Foundation

/// A problem offered to clustering: what `SimilarityProblem` has, plus where it came from.
public struct ClusterProblem: Sendable, Hashable {
    public var id: String
    public var unit: String
    /// The source or round that found it (e.g. "县委第三巡察组 2023年第1轮", "2023年审计").
    public var round: String
    public var date: Date?
    public var text: String

    public init(id: String, unit: String, round: String, date: Date?, text: String) {
        self.id = id
        self.unit = unit
        self.round = round
        self.date = date
        self.text = text
    }
}

/// Problems that many units share (共性问题): one candidate for a campaign (专项治理).
public struct ProblemCluster: Sendable, Hashable, Codable {
    /// The member most similar to the others; its text names the cluster.
    public var representative: String
    /// Member ids, by date (undated last) then id.
    public var members: [String]
    /// Distinct units, sorted.
    public var units: [String]
    /// Distinct rounds or sources, sorted.
    public var rounds: [String]
    /// Phrases at least half of the members share with the representative, most shared first.
    public var commonPhrases: [String]
    public var firstDate: Date?
    public var lastDate: Date?
}

public enum SimilarityClustering {
    /// Clusters of similar problems across units.
    ///
    /// Two problems are linked when each is among the other's `neighbours` most similar problems with
    /// a score of at least `minimumScore` (mutual neighbours: one generic problem cannot chain unrelated
    /// ones together); clusters are the connected groups with at least `minimumUnits` distinct units.
    /// Sorted by number of units, then of members (both descending), then representative id.
    public static func clusters(
        of problems: [ClusterProblem],
        in period: ClosedRange<Date>? = nil,
        minimumUnits: Int = 3,
        minimumScore: Double = 0.5,
        neighbours: Int = 10,
        configuration: SimilarityConfiguration = SimilarityConfiguration()
    ) -> [ProblemCluster] {
        var seenIDs = Set<String>()
        let chosen =
            problems
            .filter { problem in
                guard let period else { return true }
                return problem.date.map { period.contains($0) } ?? false
            }
            .sorted { ($0.date ?? .distantFuture, $0.id) < ($1.date ?? .distantFuture, $1.id) }
            .filter { seenIDs.insert($0.id).inserted }
        guard !chosen.isEmpty else { return [] }

        var builder = SimilarityIndex.Builder(configuration: configuration)
        for (position, problem) in chosen.enumerated() {
            builder.add(
                SimilarityProblem(id: problem.id, unit: problem.unit, date: problem.date, text: problem.text),
                sequence: UInt64(position + 1))
        }
        let index = builder.build()
        let position = Dictionary(uniqueKeysWithValues: chosen.enumerated().map { ($1.id, $0) })

        var near: [[Int: Double]] = Array(repeating: [:], count: chosen.count)
        for (number, problem) in chosen.enumerated() {
            let matches = index.search(
                problem.text, in: .everywhere, limit: max(1, neighbours), before: nil, excluding: problem.id,
                minimumScore: MinimumScores(all: minimumScore), relativeScore: 0)
            for match in matches {
                if let other = position[match.id] {
                    near[number][other] = match.score
                }
            }
        }

        var groups = UnionFind(count: chosen.count)
        for number in chosen.indices {
            for other in near[number].keys where other > number && near[other][number] != nil {
                groups.union(number, other)
            }
        }
        var membersOfRoot: [Int: [Int]] = [:]
        for number in chosen.indices {
            membersOfRoot[groups.find(number), default: []].append(number)
        }

        var clusters: [ProblemCluster] = []
        for members in membersOfRoot.values where members.count >= 2 {
            let units = Set(members.map { chosen[$0].unit })
            guard units.count >= minimumUnits else { continue }
            clusters.append(describe(members.sorted(), of: chosen, near: near, index: index))
        }
        return clusters.sorted {
            if $0.units.count != $1.units.count { return $0.units.count > $1.units.count }
            if $0.members.count != $1.members.count { return $0.members.count > $1.members.count }
            return $0.representative < $1.representative
        }
    }

    /// Members are positions in `chosen`, ascending, i.e. by date then id.
    private static func describe(
        _ members: [Int],
        of chosen: [ClusterProblem],
        near: [[Int: Double]],
        index: SimilarityIndex
    ) -> ProblemCluster {
        let memberSet = Set(members)
        let representative =
            members.max { left, right in
                let leftSum = near[left].filter { memberSet.contains($0.key) }.values.reduce(0, +)
                let rightSum = near[right].filter { memberSet.contains($0.key) }.values.reduce(0, +)
                return leftSum != rightSum ? leftSum < rightSum : chosen[left].id > chosen[right].id
            } ?? members[0]

        // Explaining every member against the representative is bounded: the first 50 suffice to find
        // what most of them share.
        var phraseCounts: [String: Int] = [:]
        let sample = members.filter { $0 != representative }.prefix(50)
        for member in sample {
            let explanation = index.explain(chosen[representative].text, against: chosen[member].text)
            for phrase in Set(explanation.phrases.map(\.text)) {
                phraseCounts[phrase, default: 0] += 1
            }
        }
        let needed = max(1, (sample.count + 1) / 2)
        let common = phraseCounts.filter { $0.value >= needed }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map(\.key)

        let dates = members.compactMap { chosen[$0].date }
        return ProblemCluster(
            representative: chosen[representative].id,
            members: members.map { chosen[$0].id },
            units: Set(members.map { chosen[$0].unit }).sorted(),
            rounds: Set(members.map { chosen[$0].round }).sorted(),
            commonPhrases: common,
            firstDate: dates.min(),
            lastDate: dates.max()
        )
    }
}

private struct UnionFind {
    private var parent: [Int]

    init(count: Int) {
        parent = Array(0..<count)
    }

    mutating func find(_ node: Int) -> Int {
        var root = node
        while parent[root] != root {
            root = parent[root]
        }
        var current = node
        while parent[current] != root {
            let next = parent[current]
            parent[current] = root
            current = next
        }
        return root
    }

    /// Joins two groups under the smaller root, so roots do not depend on the order of unions.
    mutating func union(_ left: Int, _ right: Int) {
        let a = find(left)
        let b = find(right)
        guard a != b else { return }
        parent[max(a, b)] = min(a, b)
    }
}
