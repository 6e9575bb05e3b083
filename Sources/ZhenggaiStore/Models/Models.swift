import FluentKit
import Foundation

// Persistence types stay inside the store: the server and pages see the value types in Records.swift.
// Days are stored as ISO text ("2026-09-30"): it sorts, compares and reads the same on SQLite and PostgreSQL.

final class UnitModel: Model, @unchecked Sendable {
    static let schema = "units"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "path") var path: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "retired_on") var retiredOn: String?
    init() {}
}

final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @OptionalField(key: "phone") var phone: String?
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "must_change_password") var mustChangePassword: Bool
    init() {}
}

final class PersonModel: Model, @unchecked Sendable {
    static let schema = "people"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "title") var title: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class ImportedNoteModel: Model, @unchecked Sendable {
    static let schema = "imported_notes"
    @ID(key: .id) var id: UUID?
    @Field(key: "problem_id") var problemID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "text") var text: String
    @Field(key: "imported_at") var importedAt: Date
    @Field(key: "imported_by") var importedBy: String
    @Field(key: "file_name") var fileName: String
    init() {}
}

final class RoleGrantModel: Model, @unchecked Sendable {
    static let schema = "role_grants"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "role") var role: String
    @Field(key: "unit_id") var unitID: UUID
    init() {}
}

final class SessionModel: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "kind") var kind: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
}

final class LoginAttemptModel: Model, @unchecked Sendable {
    static let schema = "login_attempts"
    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "address") var address: String
    @Field(key: "succeeded") var succeeded: Bool
    @Field(key: "at") var at: Date
    init() {}
}

final class CategoryModel: Model, @unchecked Sendable {
    static let schema = "categories"
    @ID(custom: "code", generatedBy: .user) var id: String?
    @Field(key: "name") var name: String
    @Field(key: "group_name") var groupName: String
    @Field(key: "sort") var sort: Int
    init() {}
}

final class CounterModel: Model, @unchecked Sendable {
    static let schema = "number_counters"
    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: Int
    init() {}
}

final class SourceModel: Model, @unchecked Sendable {
    static let schema = "sources"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "issuer") var issuer: String
    @OptionalField(key: "round") var round: Int?
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "unit_path") var unitPath: String
    @Field(key: "feedback_date") var feedbackDate: String
    @Field(key: "report_due") var reportDue: String
    @Field(key: "number_prefix") var numberPrefix: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "version") var version: Int
    init() {}
}

final class ProblemModel: Model, @unchecked Sendable {
    static let schema = "problems"
    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "source_id") var sourceID: UUID
    @Field(key: "unit_id") var unitID: UUID
    @Field(key: "unit_path") var unitPath: String
    @Field(key: "sequence") var sequence: Int
    @Field(key: "text") var text: String
    @Field(key: "outline_path") var outlinePath: String
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "status") var status: String
    @Field(key: "recurrences") var recurrences: Int
    @OptionalField(key: "closure_statement") var closureStatement: String?
    @OptionalField(key: "requested_by") var requestedBy: UUID?
    @OptionalField(key: "first_reviewed_by") var firstReviewedBy: UUID?
    @OptionalField(key: "closed_on") var closedOn: String?
    @OptionalField(key: "relapsed_by") var relapsedBy: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?
    init() {}
}

final class TaskModel: Model, @unchecked Sendable {
    static let schema = "tasks"
    @ID(key: .id) var id: UUID?
    @Field(key: "problem_id") var problemID: UUID
    @Field(key: "measure") var measure: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "leader_id") var leaderID: UUID?
    @OptionalField(key: "leader_person_id") var leaderPersonID: UUID?
    @Field(key: "lead_unit") var leadUnit: String
    @Field(key: "supporting_units") var supportingUnits: String
    @Field(key: "assignee") var assignee: String
    @OptionalField(key: "assignee_person_id") var assigneePersonID: UUID?
    @OptionalField(key: "deadline") var deadline: String?
    @Field(key: "status") var status: String
    @OptionalField(key: "completed_on") var completedOn: String?
    @Field(key: "position") var position: Int
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?
    init() {}
}

final class ProgressModel: Model, @unchecked Sendable {
    static let schema = "progress_entries"
    @ID(key: .id) var id: UUID?
    @Field(key: "task_id") var taskID: UUID
    @Field(key: "problem_id") var problemID: UUID
    @Field(key: "on_date") var onDate: String
    @Field(key: "text") var text: String
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?
    init() {}
}

final class EvidenceModel: Model, @unchecked Sendable {
    static let schema = "evidence"
    @ID(key: .id) var id: UUID?
    @Field(key: "problem_id") var problemID: UUID
    @OptionalField(key: "task_id") var taskID: UUID?
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "uploaded_by") var uploadedBy: UUID
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?
    init() {}
}

final class EvidenceBlobModel: Model, @unchecked Sendable {
    static let schema = "evidence_blobs"
    @ID(custom: "sha256", generatedBy: .user) var id: String?
    @Field(key: "data") var data: Data
    @Field(key: "size") var size: Int
    init() {}
}

final class ClosureEventModel: Model, @unchecked Sendable {
    static let schema = "closure_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "problem_id") var problemID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "actor_id") var actorID: UUID
    @Field(key: "note") var note: String
    @Field(key: "from_status") var fromStatus: String
    @Field(key: "to_status") var toStatus: String
    @Field(key: "at") var at: Date
    init() {}
}

final class AuditEntryModel: Model, @unchecked Sendable {
    static let schema = "audit_entries"
    @ID(custom: "seq", generatedBy: .user) var id: Int?
    @Field(key: "at") var at: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "entity") var entity: String
    @Field(key: "entity_id") var entityID: String
    @OptionalField(key: "unit_path") var unitPath: String?
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @Field(key: "prev_hash") var prevHash: String
    @Field(key: "hash") var hash: String
    init() {}
}

final class AuditHeadModel: Model, @unchecked Sendable {
    static let schema = "audit_head"
    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "seq") var seq: Int
    @Field(key: "hash") var hash: String
    @Field(key: "touched") var touched: Int
    init() {}
}

final class SimilarityDecisionModel: Model, @unchecked Sendable {
    static let schema = "similarity_decisions"
    @ID(key: .id) var id: UUID?
    @Field(key: "problem_id") var problemID: UUID
    @Field(key: "match_id") var matchID: UUID
    @Field(key: "score") var score: Double
    @Field(key: "recurrence") var recurrence: Bool
    @Field(key: "decision") var decision: String
    @Field(key: "decided_by") var decidedBy: UUID
    @Field(key: "decided_at") var decidedAt: Date
    init() {}
}
