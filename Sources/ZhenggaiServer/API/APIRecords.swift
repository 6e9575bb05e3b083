import Foundation
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// What the JSON API sends: records of the edge, mapped from the domain's values field by field, so a
/// change inside the system never changes the wire by accident and nothing internal (materialised paths,
/// hashes) leaks out. `Response.json` takes only these. docs/openapi.json describes each one; the only
/// display words they carry (`statusLabel`, `kindLabel`) are documented there for scripts that print them.
protocol APIRecord: Encodable, Sendable {}

extension Array: APIRecord where Element: APIRecord {}

struct OKRecord: APIRecord {
    var ok = true
}

struct UnitRecord: APIRecord {
    var id: UUID
    var name: String
    var kind: UnitKind
    var parentID: UUID?

    init(_ unit: UnitNode) {
        id = unit.id
        name = unit.name
        kind = unit.kind
        parentID = unit.parentID
    }
}

struct UserRecord: APIRecord {
    struct Grant: Encodable, Sendable {
        var role: Role
        var unitID: UUID
        var unitName: String
    }
    var id: UUID
    var username: String
    var displayName: String
    var active: Bool
    var mustChangePassword: Bool
    var grants: [Grant]

    init(_ user: User) {
        mustChangePassword = user.mustChangePassword
        id = user.id
        username = user.username
        displayName = user.displayName
        active = user.active
        grants = user.grants.map { Grant(role: $0.role, unitID: $0.unitID, unitName: $0.unitName) }
    }
}

struct CategoryRecord: APIRecord {
    var code: String
    var name: String
    var group: String

    init(_ category: ZhenggaiCore.Category) {
        code = category.code
        name = category.name
        group = category.group
    }
}

struct SourceRecord: APIRecord {
    var id: UUID
    var kind: SourceKind
    var title: String
    var issuer: String
    var round: Int?
    var unitID: UUID
    var unitName: String
    var feedbackDate: LocalDate
    var reportDue: LocalDate
    var numberPrefix: String

    init(_ source: Source) {
        id = source.id
        kind = source.kind
        title = source.title
        issuer = source.issuer
        round = source.round
        unitID = source.unitID
        unitName = source.unitName
        feedbackDate = source.feedbackDate
        reportDue = source.reportDue
        numberPrefix = source.numberPrefix
    }
}

struct ProblemRecord: APIRecord {
    var id: UUID
    var number: String
    var sourceID: UUID
    var unitID: UUID
    var unitName: String
    var text: String
    var outlinePath: [String]
    var categoryCode: String
    var status: ProblemStatus
    var statusLabel: String
    var completion: Completion
    var recurrences: Int
    var closureStatement: String?
    var closedOn: LocalDate?
    var requestedBy: UUID?
    var firstReviewedBy: UUID?
    var relapsedBy: UUID?
    var createdAt: Date
    var version: Int

    init(_ problem: Problem) {
        id = problem.id
        number = problem.number
        sourceID = problem.sourceID
        unitID = problem.unitID
        unitName = problem.unitName
        text = problem.text
        outlinePath = problem.outlinePath
        categoryCode = problem.categoryCode
        status = problem.status
        statusLabel = problem.status.label
        completion = problem.completion
        recurrences = problem.recurrences
        closureStatement = problem.closureStatement
        closedOn = problem.closedOn
        requestedBy = problem.requestedBy
        firstReviewedBy = problem.firstReviewedBy
        relapsedBy = problem.relapsedBy
        createdAt = problem.createdAt
        version = problem.version
    }
}

struct TaskRecord: APIRecord {
    var id: UUID
    var problemID: UUID
    var measure: String
    var kind: RectificationKind
    var kindLabel: String
    var leaderID: UUID?
    var leaderPersonID: UUID?
    var leaderName: String?
    var leadUnit: String
    var supportingUnits: String
    var assigneePersonID: UUID?
    var assignee: String
    var deadline: LocalDate?
    var status: TaskStatus
    var statusLabel: String
    var completedOn: LocalDate?
    var version: Int

    init(_ task: RectificationTask) {
        id = task.id
        problemID = task.problemID
        measure = task.measure
        kind = task.kind
        kindLabel = task.kind.label
        leaderID = task.leaderID
        leaderPersonID = task.leaderPersonID
        leaderName = task.leaderName
        leadUnit = task.leadUnit
        supportingUnits = task.supportingUnits
        assigneePersonID = task.assigneePersonID
        assignee = task.assignee
        deadline = task.deadline
        status = task.status
        statusLabel = task.statusLabel
        completedOn = task.completedOn
        version = task.version
    }
}

struct ProgressRecord: APIRecord {
    var id: UUID
    var taskID: UUID
    var date: LocalDate
    var text: String
    var authorName: String
    var recordedAt: Date

    init(_ entry: ProgressEntry) {
        id = entry.id
        taskID = entry.taskID
        date = entry.date
        text = entry.text
        authorName = entry.authorName
        recordedAt = entry.recordedAt
    }
}

struct EvidenceRecord: APIRecord {
    var id: UUID
    var problemID: UUID
    var taskID: UUID?
    var fileName: String
    var contentType: String
    var size: Int
    var sha256: String
    var uploadedBy: String
    var uploadedAt: Date

    init(_ evidence: Evidence) {
        id = evidence.id
        problemID = evidence.problemID
        taskID = evidence.taskID
        fileName = evidence.fileName
        contentType = evidence.contentType
        size = evidence.size
        sha256 = evidence.sha256
        uploadedBy = evidence.uploadedBy
        uploadedAt = evidence.uploadedAt
    }
}

struct ClosureEventRecord: Encodable, Sendable {
    var kind: String
    var actorName: String
    var note: String
    var fromStatus: ProblemStatus
    var toStatus: ProblemStatus
    var at: Date

    init(_ event: ClosureEvent) {
        kind = event.kind
        actorName = event.actorName
        note = event.note
        fromStatus = event.fromStatus
        toStatus = event.toStatus
        at = event.at
    }
}

struct ProblemDetailRecord: APIRecord {
    var problem: ProblemRecord
    var source: SourceRecord
    var tasks: [TaskRecord]
    var progress: [ProgressRecord]
    var evidence: [EvidenceRecord]
    var closureHistory: [ClosureEventRecord]

    init(_ detail: ProblemDetail) {
        problem = ProblemRecord(detail.problem)
        source = SourceRecord(detail.source)
        tasks = detail.tasks.map(TaskRecord.init)
        progress = detail.progress.map(ProgressRecord.init)
        evidence = detail.evidence.map(EvidenceRecord.init)
        closureHistory = detail.closureHistory.map(ClosureEventRecord.init)
    }
}

struct LedgerPageRecord: APIRecord {
    struct Row: Encodable, Sendable {
        var problem: ProblemRecord
        var sourceTitle: String
        var sourceKind: SourceKind
        var round: Int?
        var tasks: [TaskRecord]
        var latestProgress: String?
        var overdue: Bool
    }
    var rows: [Row]
    var total: Int
    var page: Int
    var perPage: Int

    init(_ page: ZhenggaiCore.LedgerPage) {
        rows = page.rows.map {
            Row(
                problem: ProblemRecord($0.problem), sourceTitle: $0.sourceTitle, sourceKind: $0.sourceKind,
                round: $0.round, tasks: $0.tasks.map(TaskRecord.init), latestProgress: $0.latestProgress,
                overdue: $0.overdue)
        }
        total = page.total
        self.page = page.page
        perPage = page.perPage
    }
}

struct CountsRecord: APIRecord {
    struct Bucket: Encodable, Sendable {
        var key: String
        var label: String
        var total: Int
        var completed: Int
        var basicallyCompleted: Int
        var notCompleted: Int
        var rate: String
    }
    var total: Int
    var completed: Int
    var basicallyCompleted: Int
    var notCompleted: Int
    var rate: String
    var overdue: Int
    var byStatus: [Bucket]
    var byCategory: [Bucket]
    var bySource: [Bucket]
    var byUnit: [Bucket]

    init(_ counts: LedgerCounts) {
        func bucket(_ b: LedgerCounts.Bucket) -> Bucket {
            Bucket(
                key: b.key, label: b.label, total: b.counts.total, completed: b.counts.completed,
                basicallyCompleted: b.counts.basicallyCompleted, notCompleted: b.counts.notCompleted, rate: b.rate)
        }
        total = counts.total
        completed = counts.completion.completed
        basicallyCompleted = counts.completion.basicallyCompleted
        notCompleted = counts.completion.notCompleted
        rate = counts.rate
        overdue = counts.overdue
        byStatus = counts.byStatus.map(bucket)
        byCategory = counts.byCategory.map(bucket)
        bySource = counts.bySource.map(bucket)
        byUnit = counts.byUnit.map(bucket)
    }
}

struct AuditEntryRecord: APIRecord {
    var seq: Int
    var at: String
    var actorName: String
    var action: String
    var entity: String
    var entityID: String
    var before: String?
    var after: String?

    init(_ entry: AuditEntry) {
        seq = entry.seq
        at = entry.at
        actorName = entry.actorName
        action = entry.action
        entity = entry.entity
        entityID = entry.entityID
        before = entry.before
        after = entry.after
    }
}

struct SessionRecord: APIRecord {
    var id: UUID
    var kind: String
    var createdAt: Date
    var expiresAt: Date
    var current: Bool
}

struct PasswordRecord: APIRecord {
    /// Shown once: the system keeps only its hash.
    var password: String
    var mustChangePassword = true
}

struct LoginRecord: APIRecord {
    var token: String
    var csrfToken: String
    var user: UserRecord
}

struct InboxRecord: APIRecord {
    var id: UUID
    var day: String
    var kind: String
    var title: String
    var body: String
    var link: String
    var read: Bool

    init(_ message: InboxMessage) {
        id = message.id
        day = message.day.iso
        kind = message.kind
        title = message.title
        body = message.body
        link = message.link
        read = message.read
    }
}

struct PressingRecord: APIRecord {
    var id: UUID
    var kind: String
    var problemID: UUID?
    var unitID: UUID
    var issuedBy: String
    var issuedOn: String
    var text: String
    var answerDue: String?
    var talkDate: String?
    var participants: String?
    var outcome: String?
    var answeredOn: String?
    var answer: String?

    init(_ press: Pressing) {
        id = press.id
        kind = press.kind.rawValue
        problemID = press.problemID
        unitID = press.unitID
        issuedBy = press.issuedByName
        issuedOn = press.issuedOn.iso
        text = press.text
        answerDue = press.answerDue?.iso
        talkDate = press.talkDate?.iso
        participants = press.participants
        outcome = press.outcome
        answeredOn = press.answeredOn?.iso
        answer = press.answer
    }
}
