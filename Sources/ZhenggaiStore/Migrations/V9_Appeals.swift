import FluentKit
import SQLKit

// The public's appeals desk (issue 14): categories (Open311 services) and the routing table, appeals with
// their loop's history, and the keys third-party platforms post with.
struct V9_Appeals: AsyncMigration {
    var name: String { "v9-appeals" }

    func prepare(on database: any Database) async throws {
        try await database.schema("appeal_categories")
            .field("code", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("keywords", .string, .required)
            .field("grp", .string, .required)
            .field("position", .int, .required)
            .create()
        try await database.schema("appeal_routes")
            .id()
            .field("category", .string, .required)
            // Nil: any area.
            .field("area_id", .uuid)
            .field("department_id", .uuid, .required)
            .create()
        try await database.schema("appeals")
            .id()
            .field("number", .string, .required)
            .field("channel", .string, .required)
            .field("kind", .string, .required)
            .field("urgent", .bool, .required)
            .field("category", .string, .required)
            .field("area_id", .uuid, .required)
            .field("area_path", .string, .required)
            .field("place", .string, .required)
            .field("text", .string, .required)
            .field("person_name", .string, .required)
            .field("person_phone", .string, .required)
            .field("status", .string, .required)
            .field("department_id", .uuid)
            .field("department_path", .string)
            .field("received_at", .double, .required)
            .field("dispatched_at", .double)
            .field("due_on", .string)
            .field("answered_at", .double)
            .field("answer", .string)
            .field("closed_at", .double)
            .field("reject_reason", .string)
            .field("dispute_reason", .string)
            .field("satisfaction", .int)
            .field("satisfaction_reason", .string)
            .field("merged_into", .uuid)
            .field("problem_id", .uuid)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("token", .string)
            .field("api_key_id", .uuid)
            .field("reopened", .int, .required)
            .field("version", .int, .required)
            .unique(on: "number")
            .create()
        try await database.schema("appeal_events")
            .id()
            .field("appeal_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("at", .double, .required)
            .field("actor_name", .string, .required)
            .field("note", .string, .required)
            .create()
        try await database.schema("open311_keys")
            .id()
            .field("name", .string, .required)
            .field("key_hash", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .double, .required)
            .unique(on: "key_hash")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX appeals_received ON appeals (received_at)").run()
        try await sql.raw("CREATE INDEX appeals_token ON appeals (token)").run()
        try await sql.raw("CREATE INDEX appeal_events_appeal ON appeal_events (appeal_id, at)").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["open311_keys", "appeal_events", "appeals", "appeal_routes", "appeal_categories"] {
            try await database.schema(table).delete()
        }
    }
}
