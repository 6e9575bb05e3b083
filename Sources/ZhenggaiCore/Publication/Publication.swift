public import Foundation

/// The five grounds on which an item may be kept out of what goes to the public (DOMAIN.md §2, step 9), in
/// that order: 1 state secrets, 2 cases under investigation not yet announced, 3 matters likely to cause
/// major negative hype, 4 matters that may trigger mass petitions, 5 other 重大敏感事项.
public enum ExemptionGround: Int, Codable, Sendable, CaseIterable {
    case stateSecret = 1
    case caseUnderInvestigation, negativeHype, massPetition, otherSensitive

    public var label: String {
        switch self {
        case .stateSecret: "涉及国家秘密"
        case .caseUnderInvestigation: "涉及正在查办、尚未公开的案件"
        case .negativeHype: "可能引发重大负面炒作"
        case .massPetition: "可能引发群体性上访"
        case .otherSensitive: "其他重大敏感事项"
        }
    }
}

/// One item as the public reads it: the words approved for publication (redacted), the measures and the
/// status words; nothing internal.
public struct PublishedItem: Codable, Sendable, Equatable {
    public var problemID: UUID
    public var number: String
    public var text: String
    public var measures: [String]
    public var status: String
    public var completion: Completion

    public init(
        problemID: UUID, number: String, text: String, measures: [String], status: String, completion: Completion
    ) {
        self.problemID = problemID
        self.number = number
        self.text = text
        self.measures = measures
        self.status = status
        self.completion = completion
    }
}

/// What a published version shows, frozen when it is approved: a later change in the ledger is a new
/// version (「更正」), never a silent edit.
public struct PublicationContent: Codable, Sendable, Equatable {
    public var title: String
    public var unitName: String
    public var sourceTitle: String
    public var issuer: String
    public var feedbackDate: LocalDate
    public var asOf: LocalDate
    public var items: [PublishedItem]
    public var total: Int
    public var completed: Int
    public var basicallyCompleted: Int
    public var notCompleted: Int
    public var rate: String

    public init(
        title: String, unitName: String, sourceTitle: String, issuer: String, feedbackDate: LocalDate, asOf: LocalDate,
        items: [PublishedItem]
    ) {
        self.title = title
        self.unitName = unitName
        self.sourceTitle = sourceTitle
        self.issuer = issuer
        self.feedbackDate = feedbackDate
        self.asOf = asOf
        self.items = items
        total = items.count
        completed = items.filter { $0.completion == .completed }.count
        basicallyCompleted = items.filter { $0.completion == .basicallyCompleted }.count
        notCompleted = items.filter { $0.completion == .notCompleted }.count
        let permille = total == 0 ? 0 : (completed * 1000 + total / 2) / total
        rate = "\(permille / 10).\(permille % 10)%"
    }
}

/// What stays inside: each exemption with its ground and reason, what redaction masked, and the runs the
/// approver must check by eye. Never rendered on a public page.
public struct PublicationInternal: Codable, Sendable, Equatable {
    public struct Exemption: Codable, Sendable, Equatable {
        public var problemID: UUID
        public var number: String
        public var ground: ExemptionGround
        public var reason: String

        public init(problemID: UUID, number: String, ground: ExemptionGround, reason: String) {
            self.problemID = problemID
            self.number = number
            self.ground = ground
            self.reason = reason
        }
    }

    public var exemptions: [Exemption]
    /// 「手机号 138****5678（问题 XC…-003）」: what was masked, for the preparer and the approver.
    public var masked: [String]
    /// Possible names typed in free text (after 联系人, 村民 …) that the system cannot know.
    public var toCheck: [String]

    public init(exemptions: [Exemption] = [], masked: [String] = [], toCheck: [String] = []) {
        self.exemptions = exemptions
        self.masked = masked
        self.toCheck = toCheck
    }
}

public struct Publication: Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Prepared, waiting for the secretary.
        case draft
        /// Public.
        case published
        /// Replaced by a later version; still readable, marked 「已更正」.
        case corrected
        case withdrawn
    }

    public var id: UUID
    public var sourceID: UUID
    public var unitID: UUID
    public var unitPath: String
    public var version: Int
    public var status: Status
    public var content: PublicationContent
    public var internalNotes: PublicationInternal
    public var preparedByName: String
    public var preparedBy: UUID?
    public var preparedAt: Date
    public var approvedByName: String?
    public var approvedAt: Date?
    public var correctedAt: Date?
    public var withdrawnAt: Date?
    public var withdrawnReason: String?

    public init(
        id: UUID, sourceID: UUID, unitID: UUID, unitPath: String, version: Int, status: Status,
        content: PublicationContent, internalNotes: PublicationInternal, preparedByName: String, preparedBy: UUID?,
        preparedAt: Date, approvedByName: String?, approvedAt: Date?, correctedAt: Date?, withdrawnAt: Date?,
        withdrawnReason: String?
    ) {
        self.id = id
        self.sourceID = sourceID
        self.unitID = unitID
        self.unitPath = unitPath
        self.version = version
        self.status = status
        self.content = content
        self.internalNotes = internalNotes
        self.preparedByName = preparedByName
        self.preparedBy = preparedBy
        self.preparedAt = preparedAt
        self.approvedByName = approvedByName
        self.approvedAt = approvedAt
        self.correctedAt = correctedAt
        self.withdrawnAt = withdrawnAt
        self.withdrawnReason = withdrawnReason
    }
}

/// The five levels of GB/T 39734 a resident rates with.
public enum RatingLevel: Int, Codable, Sendable, CaseIterable {
    case verySatisfied = 5
    case satisfied = 4
    case neutral = 3
    case dissatisfied = 2
    case veryDissatisfied = 1

    public var label: String {
        switch self {
        case .verySatisfied: "非常满意"
        case .satisfied: "满意"
        case .neutral: "一般"
        case .dissatisfied: "不满意"
        case .veryDissatisfied: "非常不满意"
        }
    }
}

/// The ratings of an item (or a publication) in a period: flagged ones (bursts, copied reasons) are counted
/// apart and kept out of the figures.
public struct RatingSummary: Codable, Sendable, Equatable {
    public var counts: [Int]  // by level 5…1
    public var flagged: Int

    public init(counts: [Int] = [0, 0, 0, 0, 0], flagged: Int = 0) {
        self.counts = counts
        self.flagged = flagged
    }

    public var total: Int { counts.reduce(0, +) }
    /// 满意率: 非常满意 and 满意 over all counted ratings, in tenths of a percent.
    public var satisfactionPermille: Int {
        total == 0 ? 0 : ((counts[0] + counts[1]) * 1000 + total / 2) / total
    }
    public var satisfaction: String { "\(satisfactionPermille / 10).\(satisfactionPermille % 10)%" }
    public var veryDissatisfied: Int { counts[4] }
}
