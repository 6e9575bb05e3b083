public import Foundation

// What the store hands out and takes in. These are the wire and view types' source; the Fluent models
// never leave the store, so a form can never set a column the code did not mean it to.

public struct UnitNode: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: UnitKind
    public var parentID: UUID?
    public var path: String
    /// A retired unit stays in the tree and in history; nothing new is entered for it.
    public var retiredOn: LocalDate?

    public init(
        id: UUID, name: String, kind: UnitKind, parentID: UUID? = nil, path: String, retiredOn: LocalDate? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parentID = parentID
        self.path = path
        self.retiredOn = retiredOn
    }

    public var isRetired: Bool { retiredOn != nil }
    /// Depth in the tree: 0 for the county.
    public var depth: Int { max(0, path.split(separator: "/").count - 1) }
}

/// A person of the organisation, with or without a login: a 责任领导 or 责任人 is one of these. `userID`
/// links the person who signs in.
public struct Person: Codable, Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var unitID: UUID
    public var unitName: String
    public var unitPath: String
    /// 职务, as the organisation writes it (镇长、党政办主任…).
    public var title: String
    public var phone: String?
    public var userID: UUID?

    public init(
        id: UUID, name: String, unitID: UUID, unitName: String, unitPath: String, title: String, phone: String? = nil,
        userID: UUID? = nil
    ) {
        self.id = id
        self.name = name
        self.unitID = unitID
        self.unitName = unitName
        self.unitPath = unitPath
        self.title = title
        self.phone = phone
        self.userID = userID
    }
}

public struct User: Codable, Sendable, Equatable {
    public var id: UUID
    public var username: String
    public var displayName: String
    public var active: Bool
    public var grants: [Grant]
    /// A password the system printed (first start, demo, a reset) or an admin typed must be changed at once.
    public var mustChangePassword: Bool = false

    public struct Grant: Codable, Sendable, Equatable {
        public var role: Role
        public var unitID: UUID
        public var unitName: String
        public var unitPath: String

        public init(role: Role, unitID: UUID, unitName: String, unitPath: String) {
            self.role = role
            self.unitID = unitID
            self.unitName = unitName
            self.unitPath = unitPath
        }
    }

    public var principal: Principal {
        Principal(
            userID: id.uuidString,
            grants: grants.map { RoleGrant(role: $0.role, unitID: $0.unitID.uuidString, unitPath: $0.unitPath) })
    }

    public init(
        id: UUID, username: String, displayName: String, active: Bool, grants: [Grant],
        mustChangePassword: Bool = false
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.active = active
        self.grants = grants
        self.mustChangePassword = mustChangePassword
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

    public init(
        id: UUID, kind: SourceKind, title: String, issuer: String, round: Int? = nil, unitID: UUID, unitName: String,
        feedbackDate: LocalDate, reportDue: LocalDate, numberPrefix: String
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.issuer = issuer
        self.round = round
        self.unitID = unitID
        self.unitName = unitName
        self.feedbackDate = feedbackDate
        self.reportDue = reportDue
        self.numberPrefix = numberPrefix
    }
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
    /// The 责任领导's login, when the leader has one: the access rule "a leader edits what they lead" uses it.
    public var leaderID: UUID?
    public var leaderPersonID: UUID?
    public var leaderName: String?
    public var leadUnit: String
    public var supportingUnits: String
    /// The 责任人 as a person of the organisation; `assignee` is their name, or free text for someone outside
    /// the system (then `assigneePersonID` is nil and the page flags it).
    public var assigneePersonID: UUID?
    public var assignee: String
    public var deadline: LocalDate?
    public var status: TaskStatus
    /// The status word shown to people; derived, never stored.
    public var statusLabel: String { status.label(kind: kind) }
    public var completedOn: LocalDate?
    public var version: Int

    public init(
        id: UUID, problemID: UUID, measure: String, kind: RectificationKind, leaderID: UUID? = nil,
        leaderPersonID: UUID? = nil, leaderName: String? = nil, leadUnit: String, supportingUnits: String,
        assigneePersonID: UUID? = nil, assignee: String,
        deadline: LocalDate? = nil, status: TaskStatus, completedOn: LocalDate? = nil, version: Int
    ) {
        self.id = id
        self.problemID = problemID
        self.measure = measure
        self.kind = kind
        self.leaderID = leaderID
        self.leaderPersonID = leaderPersonID
        self.leaderName = leaderName
        self.leadUnit = leadUnit
        self.supportingUnits = supportingUnits
        self.assigneePersonID = assigneePersonID
        self.assignee = assignee
        self.deadline = deadline
        self.status = status
        self.completedOn = completedOn
        self.version = version
    }
}

public struct TaskFields: Codable, Sendable {
    public var measure: String
    public var kind: RectificationKind
    /// The 责任领导 as a person (preferred), or as a login (`leaderID`, kept for scripts written earlier).
    public var leaderPersonID: UUID?
    public var leaderID: UUID?
    public var leadUnit: String
    public var supportingUnits: String?
    /// The 责任人 as a person; without one, `assignee` is free text for someone outside the system.
    public var assigneePersonID: UUID?
    public var assignee: String
    public var deadline: LocalDate?

    public init(
        measure: String, kind: RectificationKind, leaderPersonID: UUID? = nil, leaderID: UUID? = nil, leadUnit: String,
        supportingUnits: String? = nil, assigneePersonID: UUID? = nil, assignee: String = "", deadline: LocalDate?
    ) {
        self.measure = measure
        self.kind = kind
        self.leaderPersonID = leaderPersonID
        self.leaderID = leaderID
        self.leadUnit = leadUnit
        self.supportingUnits = supportingUnits
        self.assigneePersonID = assigneePersonID
        self.assignee = assignee
        self.deadline = deadline
    }

    // Decoded by hand so that every field but the measure, kind and lead unit may be left out of a body.
    enum CodingKeys: String, CodingKey {
        case measure, kind, leaderPersonID, leaderID, leadUnit, supportingUnits, assigneePersonID, assignee, deadline
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        measure = try c.decode(String.self, forKey: .measure)
        kind = try c.decode(RectificationKind.self, forKey: .kind)
        leaderPersonID = try c.decodeIfPresent(UUID.self, forKey: .leaderPersonID)
        leaderID = try c.decodeIfPresent(UUID.self, forKey: .leaderID)
        leadUnit = try c.decode(String.self, forKey: .leadUnit)
        supportingUnits = try c.decodeIfPresent(String.self, forKey: .supportingUnits)
        assigneePersonID = try c.decodeIfPresent(UUID.self, forKey: .assigneePersonID)
        assignee = try c.decodeIfPresent(String.self, forKey: .assignee) ?? ""
        deadline = try c.decodeIfPresent(LocalDate.self, forKey: .deadline)
    }
}

public struct ProgressEntry: Codable, Sendable, Equatable {
    public var id: UUID
    public var taskID: UUID
    public var date: LocalDate
    public var text: String
    public var authorName: String
    public var recordedAt: Date

    public init(id: UUID, taskID: UUID, date: LocalDate, text: String, authorName: String, recordedAt: Date) {
        self.id = id
        self.taskID = taskID
        self.date = date
        self.text = text
        self.authorName = authorName
        self.recordedAt = recordedAt
    }
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

    public init(
        id: UUID, problemID: UUID, taskID: UUID? = nil, fileName: String, contentType: String, size: Int,
        sha256: String, uploadedBy: String, uploadedAt: Date
    ) {
        self.id = id
        self.problemID = problemID
        self.taskID = taskID
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}

public struct ClosureEvent: Codable, Sendable, Equatable {
    public var kind: String
    public var label: String
    public var actorName: String
    public var note: String
    public var fromStatus: ProblemStatus
    public var toStatus: ProblemStatus
    public var at: Date

    public init(
        kind: String, label: String, actorName: String, note: String, fromStatus: ProblemStatus,
        toStatus: ProblemStatus, at: Date
    ) {
        self.kind = kind
        self.label = label
        self.actorName = actorName
        self.note = note
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.at = at
    }
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
    /// The status word shown to people; derived, never stored.
    public var statusLabel: String { status.label }
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
    /// Set when the problem was withdrawn (撤销) as entered by mistake: it leaves every list and count.
    public var withdrawnReason: String?
    public var createdAt: Date
    public var version: Int

    public init(
        id: UUID, number: String, sourceID: UUID, unitID: UUID, unitName: String, unitPath: String, text: String,
        outlinePath: [String], categoryCode: String, status: ProblemStatus, completion: Completion,
        recurrences: Int, closureStatement: String? = nil, closedOn: LocalDate? = nil, requestedBy: UUID? = nil,
        firstReviewedBy: UUID? = nil, relapsedBy: UUID? = nil, withdrawnReason: String? = nil, createdAt: Date,
        version: Int
    ) {
        self.id = id
        self.number = number
        self.sourceID = sourceID
        self.unitID = unitID
        self.unitName = unitName
        self.unitPath = unitPath
        self.text = text
        self.outlinePath = outlinePath
        self.categoryCode = categoryCode
        self.status = status
        self.completion = completion
        self.recurrences = recurrences
        self.closureStatement = closureStatement
        self.closedOn = closedOn
        self.requestedBy = requestedBy
        self.firstReviewedBy = firstReviewedBy
        self.relapsedBy = relapsedBy
        self.withdrawnReason = withdrawnReason
        self.createdAt = createdAt
        self.version = version
    }
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

    public init(
        problem: Problem, source: Source, tasks: [RectificationTask], progress: [ProgressEntry], evidence: [Evidence],
        closureHistory: [ClosureEvent]
    ) {
        self.problem = problem
        self.source = source
        self.tasks = tasks
        self.progress = progress
        self.evidence = evidence
        self.closureHistory = closureHistory
    }
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

    public init(
        seq: Int, at: String, actorName: String, action: String, entity: String, entityID: String,
        before: String? = nil, after: String? = nil
    ) {
        self.seq = seq
        self.at = at
        self.actorName = actorName
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.before = before
        self.after = after
    }
}

public struct NewGrant: Codable, Sendable {
    public var role: Role
    public var unitID: UUID
    public init(role: Role, unitID: UUID) {
        self.role = role
        self.unitID = unitID
    }
}

extension UnitNode {
    /// Units in the order of the tree: each parent followed by its subtree, siblings by name. Units whose
    /// parent is not in the list start a tree of their own.
    public static func treeOrder(_ units: [UnitNode]) -> [UnitNode] {
        let present = Set(units.map(\.id))
        var children: [UUID?: [UnitNode]] = [:]
        for unit in units {
            let parent = unit.parentID.flatMap { present.contains($0) ? $0 : nil }
            children[parent, default: []].append(unit)
        }
        for key in children.keys {
            children[key]?.sort { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
        }
        var ordered: [UnitNode] = []
        func visit(_ parent: UUID?) {
            for unit in children[parent] ?? [] {
                ordered.append(unit)
                visit(unit.id)
            }
        }
        visit(nil)
        return ordered
    }
}

/// A cell of an imported ledger sheet about progress or completion, kept word for word and shown as
/// 「导入时填报」: what the sheet claimed, not a reviewed closure nor a progress entry by a named person.
public struct ImportedNote: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case progress, completion, closedOn, evidence, remarks

        public var label: String {
            switch self {
            case .progress: "整改进展"
            case .completion: "完成情况"
            case .closedOn: "销号日期"
            case .evidence: "佐证材料"
            case .remarks: "备注"
            }
        }
    }
    public var kind: Kind
    public var text: String
    public var importedAt: Date
    public var importedBy: String
    public var fileName: String

    public init(kind: Kind, text: String, importedAt: Date, importedBy: String, fileName: String) {
        self.kind = kind
        self.text = text
        self.importedAt = importedAt
        self.importedBy = importedBy
        self.fileName = fileName
    }
}
