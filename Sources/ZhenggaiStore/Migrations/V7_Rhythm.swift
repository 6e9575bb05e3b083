import FluentKit
import SQLKit

// The rhythm of rectification (issue 12): the working-day calendar an admin corrects, the county's own
// settings, 督办 and 约谈 records, the inbox and the channels messages leave through with their delivery
// log, and the closed periods of 周调度 / 月督查 / 季通报 whose figures never change afterwards.
struct V7_Rhythm: AsyncMigration {
    var name: String { "v7-rhythm" }

    func prepare(on database: any Database) async throws {
        try await database.schema("calendar_days")
            .field("date", .string, .identifier(auto: false))
            .field("workday", .bool, .required)
            .field("name", .string)
            .field("updated_by", .string, .required)
            .field("updated_at", .double, .required)
            .create()
        try await database.schema("calendar_years")
            .field("year", .int, .identifier(auto: false))
            .field("confirmed_by", .string, .required)
            .field("confirmed_at", .double, .required)
            .create()
        try await database.schema("county_settings")
            .field("unit_id", .uuid, .identifier(auto: false))
            .field("body", .string, .required)
            .field("updated_at", .double, .required)
            .create()
        try await database.schema("pressings")
            .id()
            .field("kind", .string, .required)
            .field("problem_id", .uuid)
            .field("person_id", .uuid)
            .field("unit_id", .uuid, .required)
            .field("unit_path", .string, .required)
            .field("issued_by", .uuid, .required)
            .field("issued_by_name", .string, .required)
            .field("issued_on", .string, .required)
            .field("text", .string, .required)
            .field("answer_due", .string)
            .field("talk_date", .string)
            .field("participants", .string)
            .field("outcome", .string)
            .field("answered_on", .string)
            .field("answer", .string)
            .field("answered_by_name", .string)
            .field("created_at", .double, .required)
            .create()
        try await database.schema("notifications")
            .id()
            .field("user_id", .uuid, .required)
            .field("day", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string, .required)
            .field("created_at", .double, .required)
            .field("read_at", .double)
            // One digest per person per day (and per urgent item): a job run twice adds nothing.
            .field("dedupe_key", .string, .required)
            .unique(on: "dedupe_key")
            .create()
        try await database.schema("channels")
            .id()
            .field("unit_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("target", .string, .required)
            .field("secret", .string)
            .field("active", .bool, .required)
            .field("created_at", .double, .required)
            .create()
        try await database.schema("deliveries")
            .id()
            .field("channel_id", .uuid, .required)
            .field("dedupe_key", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .double, .required)
            .field("last_error", .string)
            .field("payload", .string, .required)
            .field("created_at", .double, .required)
            .field("sent_at", .double)
            .unique(on: "channel_id", "dedupe_key")
            .create()
        try await database.schema("period_reports")
            .id()
            .field("cadence", .string, .required)
            .field("unit_id", .uuid, .required)
            .field("period_start", .string, .required)
            .field("period_end", .string, .required)
            .field("created_at", .double, .required)
            .field("figures", .string, .required)
            .unique(on: "cadence", "unit_id", "period_start")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX notifications_user ON notifications (user_id, read_at)").run()
        try await sql.raw("CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at)").run()
        try await sql.raw("CREATE INDEX pressings_problem ON pressings (problem_id)").run()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "period_reports", "deliveries", "channels", "notifications", "pressings", "county_settings",
            "calendar_years", "calendar_days",
        ] {
            try await database.schema(table).delete()
        }
    }
}
