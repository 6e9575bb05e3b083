public import Foundation
public import ZhenggaiCore

// What the store hands out and takes in. These are the wire and view types' source; the Fluent models
// never leave the store, so a form can never set a column the code did not mean it to.

public struct UnitNode: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: UnitKind
    public var parentID: UUID?
    public var path: String
}

public struct User: Codable, Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var active: Bool
    public var grants: [Grant]

    public struct Grant: Codable, Sendable, Equatable {
        public var role: Role
        public var unitID: UUID
        public var unitName: String
        public var unitPath: String
    }

    public var principal: Principal {
        Principal(
            userID: id.uuidString,
            grants: grants.map { RoleGrant(role: $0.role, unitID: $0.unitID.uuidString, unitPath: $0.unitPath) })
    }
}

/// Who did something, for the audit log. `id` is nil for the command line acting as the system.
public struct AuditActor: Sendable {
    public var id: UUID?
    public var name: String
    public init(id: UUID?, name: String) {
        self.id = id
        self.name = name
    }
    public init(_ user: User) { self.init(id: user.id, name: user.displayName) }
    public static let commandLine = AuditActor(id: nil, name: "命令行")
}

public struct Source: Codable, Sendable, Equatable {
    public var id: UUID
    public var kind: SourceKind
    public var title: String
    public var issuer: String
    public var round: Int?
    public var unitID: UUID
    public var unitName: String
    public var feedbackDate: LocalDate
    public var reportDue: LocalDate
    public var numberPrefix: String
}

public struct NewSource: Codable, Sendable {
    public var kind: SourceKind
    public var title: String
    public var issuer: String
    public var round: Int?
    public var unitID: UUID
    public var feedbackDate: LocalDate
    /// Months after feedback until the 整改情况报告 is due: 2 by the 巡视工作条例, some units use 3.
    public var reportMonths: Int?

    public init(
        kind: SourceKind, title: String, issuer: String, round: Int?, unitID: UUID, feedbackDate: LocalDate,
        reportMonths: Int? = nil
    ) {
        self.kind = kind
        self.title = title
        self.issuer = issuer
        self.round = round
        self.unitID = unitID
        self.feedbackDate = feedbackDate
        self.reportMonths = reportMonths
    }
}

public struct RectificationTask: Codable, Sendable, Equatable {
    public var id: UUID
    public var problemID: UUID
    public var measure: String
    public var kind: RectificationKind
    public var leaderID: UUID?
    public var leaderName: String?
    public var leadUnit: String
    public var supportingUnits: String
    public var assignee: String
    public var deadline: LocalDate?
    public var status: TaskStatus
    public var statusLabel: String
    public var completedOn: LocalDate?
    public var version: Int
}

public struct TaskFields: Codable, Sendable {
    public var measure: String
    public var kind: RectificationKind
    public var leaderID: UUID?
    public var leadUnit: String
    public var supportingUnits: String?
    public var assignee: String
    public var deadline: LocalDate?

    public init(
        measure: String, kind: RectificationKind, leaderID: UUID?, leadUnit: String, supportingUnits: String? = nil,
        assignee: String, deadline: LocalDate?
    ) {
        self.measure = measure
        self.kind = kind
        self.leaderID = leaderID
        self.leadUnit = leadUnit
        self.supportingUnits = supportingUnits
        self.assignee = assignee
        self.deadline = deadline
    }
}

public struct ProgressEntry: Codable, Sendable, Equatable {
    public var id: UUID
    public var taskID: UUID
    public var date: LocalDate
    public var text: String
    public var authorName: String
    public var recordedAt: Date
}

public struct Evidence: Codable, Sendable, Equatable {
    public var id: UUID
    public var problemID: UUID
    public var taskID: UUID?
    public var fileName: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var uploadedBy: String
    public var uploadedAt: Date
}

public struct ClosureEvent: Codable, Sendable, Equatable {
    public var kind: String
    public var label: String
    public var actorName: String
    public var note: String
    public var fromStatus: ProblemStatus
    public var toStatus: ProblemStatus
    public var at: Date
}

public struct Problem: Codable, Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var sourceID: UUID
    public var unitID: UUID
    public var unitName: String
    public var unitPath: String
    public var text: String
    public var outlinePath: [String]
    public var categoryCode: String
    public var status: ProblemStatus
    public var statusLabel: String
    public var completion: Completion
    public var recurrences: Int
    public var closureStatement: String?
    public var closedOn: LocalDate?
    /// Who asked to close and who gave the first approval in the review under way, so pages can hide
    /// the buttons the workflow would refuse.
    public var requestedBy: UUID?
    public var firstReviewedBy: UUID?
    /// Set on a closed problem when a later one was confirmed as its recurrence (屡改屡犯).
    public var relapsedBy: UUID?
    public var createdAt: Date
    public var version: Int
}

public struct NewProblem: Codable, Sendable {
    public var sourceID: UUID
    /// The unit the problem is about; defaults to the source's unit, may be a unit inside it (a village).
    public var unitID: UUID?
    public var text: String
    public var outlinePath: [String]?
    public var categoryCode: String

    public init(sourceID: UUID, unitID: UUID? = nil, text: String, outlinePath: [String]? = nil, categoryCode: String) {
        self.sourceID = sourceID
        self.unitID = unitID
        self.text = text
        self.outlinePath = outlinePath
        self.categoryCode = categoryCode
    }
}

public struct ProblemDetail: Codable, Sendable {
    public var problem: Problem
    public var source: Source
    public var tasks: [RectificationTask]
    public var progress: [ProgressEntry]
    public var evidence: [Evidence]
    public var closureHistory: [ClosureEvent]
}

public struct AuditEntry: Codable, Sendable, Equatable {
    public var seq: Int
    public var at: String
    public var actorName: String
    public var action: String
    public var entity: String
    public var entityID: String
    public var before: String?
    public var after: String?
}
