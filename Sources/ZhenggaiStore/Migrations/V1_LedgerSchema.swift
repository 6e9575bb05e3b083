import FluentKit
import FluentSQL
import Foundation
import SQLKit
import ZhenggaiCore

// Migrations are history: once released they are never edited, and they name tables literally
// instead of through the models, so renaming a model cannot rewrite the past.
struct V1_LedgerSchema: AsyncMigration {
    var name: String { "v1-ledger-schema" }

    func prepare(on database: any Database) async throws {
        try await database.schema("units")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references("units", "id"))
            .field("path", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "path")
            .unique(on: "parent_id", "name")
            .constraint(.sql(unsafeRaw: "CHECK (kind IN ('county','township','department','village','community'))"))
            .create()

        try await database.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("phone", .string)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "username")
            .create()

        try await database.schema("role_grants")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .unique(on: "user_id", "role", "unit_id")
            .constraint(
                .sql(
                    unsafeRaw:
                        "CHECK (role IN ('admin','inspector','supervisor','secretary','leader','clerk'))")
            )
            .create()

        try await database.schema("sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("kind", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()

        try await database.schema("login_attempts")
            .id()
            .field("username", .string, .required)
            .field("address", .string, .required)
            .field("succeeded", .bool, .required)
            .field("at", .datetime, .required)
            .create()

        try await database.schema("categories")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("group_name", .string, .required)
            .field("sort", .int, .required)
            .create()

        try await database.schema("number_counters")
            .field("key", .string, .identifier(auto: false))
            .field("value", .int, .required)
            .create()

        try await database.schema("sources")
            .id()
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("issuer", .string, .required)
            .field("round", .int)
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("unit_path", .string, .required)
            .field("feedback_date", .string, .required)
            .field("report_due", .string, .required)
            .field("number_prefix", .string, .required)
            .field("created_by", .uuid, .references("users", "id"))
            .field("created_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "number_prefix")
            .create()

        try await database.schema("problems")
            .id()
            .field("number", .string, .required)
            .field("source_id", .uuid, .required, .references("sources", "id"))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("unit_path", .string, .required)
            .field("sequence", .int, .required)
            .field("text", .string, .required)
            .field("outline_path", .string, .required)
            .field("category_code", .string, .required, .references("categories", "code"))
            .field("status", .string, .required)
            .field("recurrences", .int, .required)
            .field("closure_statement", .string)
            .field("requested_by", .uuid, .references("users", "id"))
            .field("first_reviewed_by", .uuid, .references("users", "id"))
            .field("closed_on", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "number")
            .unique(on: "source_id", "sequence")
            .constraint(
                .sql(
                    unsafeRaw: """
                        CHECK (status IN ('open','returned','pendingFirstReview','pendingSecondReview',\
                        'closed','stageCompleted','reopened'))
                        """)
            )
            .create()

        try await database.schema("tasks")
            .id()
            .field("problem_id", .uuid, .required, .references("problems", "id"))
            .field("measure", .string, .required)
            .field("kind", .string, .required)
            .field("leader_id", .uuid, .references("users", "id"))
            .field("lead_unit", .string, .required)
            .field("supporting_units", .string, .required)
            .field("assignee", .string, .required)
            .field("deadline", .string)
            .field("status", .string, .required)
            .field("completed_on", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .constraint(.sql(unsafeRaw: "CHECK (kind IN ('immediate','scheduled','ongoing'))"))
            .constraint(.sql(unsafeRaw: "CHECK (status IN ('inProgress','completed'))"))
            .constraint(.sql(unsafeRaw: "CHECK (kind <> 'ongoing' OR status = 'inProgress')"))
            .create()

        try await database.schema("progress_entries")
            .id()
            .field("task_id", .uuid, .required, .references("tasks", "id"))
            .field("problem_id", .uuid, .required, .references("problems", "id"))
            .field("on_date", .string, .required)
            .field("text", .string, .required)
            .field("author_id", .uuid, .required, .references("users", "id"))
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("evidence_blobs")
            .field("sha256", .string, .identifier(auto: false))
            .field("data", .data, .required)
            .field("size", .int, .required)
            .create()

        try await database.schema("evidence")
            .id()
            .field("problem_id", .uuid, .required, .references("problems", "id"))
            .field("task_id", .uuid, .references("tasks", "id"))
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by", .uuid, .required, .references("users", "id"))
            .field("created_at", .datetime, .required)
            .create()

        try await database.schema("closure_events")
            .id()
            .field("problem_id", .uuid, .required, .references("problems", "id"))
            .field("kind", .string, .required)
            .field("actor_id", .uuid, .required, .references("users", "id"))
            .field("note", .string, .required)
            .field("from_status", .string, .required)
            .field("to_status", .string, .required)
            .field("at", .datetime, .required)
            .create()

        try await database.schema("audit_entries")
            .field("seq", .int64, .identifier(auto: false))
            .field("at", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("unit_path", .string)
            .field("before", .string)
            .field("after", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()

        try await database.schema("audit_head")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .field("touched", .int64, .required)
            .create()

        guard let sql = database as? any SQLDatabase else { return }
        let indexes: [(String, String, [String])] = [
            ("problems_unit_path", "problems", ["unit_path"]),
            ("problems_source", "problems", ["source_id", "sequence"]),
            ("problems_status", "problems", ["status"]),
            ("problems_category", "problems", ["category_code"]),
            ("tasks_problem", "tasks", ["problem_id"]),
            ("tasks_leader", "tasks", ["leader_id"]),
            ("tasks_deadline", "tasks", ["deadline"]),
            ("progress_task", "progress_entries", ["task_id"]),
            ("progress_problem", "progress_entries", ["problem_id"]),
            ("evidence_problem", "evidence", ["problem_id"]),
            ("closure_events_problem", "closure_events", ["problem_id"]),
            ("audit_entity", "audit_entries", ["entity", "entity_id"]),
            ("login_attempts_user", "login_attempts", ["username", "at"]),
            ("login_attempts_address", "login_attempts", ["address", "at"]),
            ("sources_unit_path", "sources", ["unit_path"]),
            ("role_grants_user", "role_grants", ["user_id"]),
        ]
        for (name, table, columns) in indexes {
            var builder = sql.create(index: name).on(table)
            for column in columns { builder = builder.column(column) }
            try await builder.run()
        }

        try await database.transaction { tx in
            for (index, category) in Category.defaults.enumerated() {
                let model = CategoryModel()
                model.id = category.code
                model.name = category.name
                model.groupName = category.group
                model.sort = index
                try await model.create(on: tx)
            }
            let head = AuditHeadModel()
            head.id = 1
            head.seq = 0
            head.hash = AuditChain.genesis
            head.touched = 0
            try await head.create(on: tx)
        }
    }

    func revert(on database: any Database) async throws {
        for table in [
            "audit_head", "audit_entries", "closure_events", "evidence", "evidence_blobs", "progress_entries",
            "tasks", "problems", "sources", "number_counters", "categories", "login_attempts", "sessions",
            "role_grants", "users", "units",
        ] {
            try await database.schema(table).delete()
        }
    }
}
