/// A problem's permanent number: `XC2026-03-02-007` = source kind code, the year of the feedback,
/// the round (00 when the source has none), the source's ordinal within that kind, year and round,
/// and the problem's sequence within its source. Sequences only grow, so a number is never reused,
/// even after a problem is withdrawn. docs/numbering.md explains the choice.
public struct ProblemNumber: Hashable, Sendable, CustomStringConvertible {
    public var kind: SourceKind
    public var year: Int
    public var round: Int
    public var sourceOrdinal: Int
    public var sequence: Int

    public init(kind: SourceKind, year: Int, round: Int, sourceOrdinal: Int, sequence: Int) {
        self.kind = kind
        self.year = year
        self.round = round
        self.sourceOrdinal = sourceOrdinal
        self.sequence = sequence
    }

    public var description: String {
        "\(kind.code)\(year)-\(Self.pad(round, 2))-\(Self.pad(sourceOrdinal, 2))-\(Self.pad(sequence, 3))"
    }

    /// The prefix shared by all problems of one source.
    public var sourcePrefix: String {
        "\(kind.code)\(year)-\(Self.pad(round, 2))-\(Self.pad(sourceOrdinal, 2))"
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 4, parts[0].count == 6 else { return nil }
        let code = String(parts[0].prefix(2))
        guard let kind = SourceKind.allCases.first(where: { $0.code == code }),
            let year = Int(parts[0].dropFirst(2)), let round = Int(parts[1]),
            let ordinal = Int(parts[2]), let sequence = Int(parts[3])
        else { return nil }
        self.init(kind: kind, year: year, round: round, sourceOrdinal: ordinal, sequence: sequence)
    }

    public static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
