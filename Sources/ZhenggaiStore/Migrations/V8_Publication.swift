import FluentKit
import SQLKit

// Rectification in the open (issue 13): numbered publication versions with their frozen content and what
// stays internal, the one-time codes residents rate with, and the ratings.
struct V8_Publication: AsyncMigration {
    var name: String { "v8-publication" }

    func prepare(on database: any Database) async throws {
        try await database.schema("publications")
            .id()
            .field("source_id", .uuid, .required)
            .field("unit_id", .uuid, .required)
            .field("unit_path", .string, .required)
            .field("version", .int, .required)
            .field("status", .string, .required)
            .field("content", .string, .required)
            .field("internal", .string, .required)
            .field("prepared_by", .uuid)
            .field("prepared_by_name", .string, .required)
            .field("prepared_at", .double, .required)
            .field("approved_by", .uuid)
            .field("approved_by_name", .string)
            .field("approved_at", .double)
            .field("corrected_at", .double)
            .field("withdrawn_at", .double)
            .field("withdrawn_reason", .string)
            .create()
        try await database.schema("rating_codes")
            .field("code_hash", .string, .identifier(auto: false))
            .field("publication_id", .uuid, .required)
            .field("issued_by_name", .string, .required)
            .field("issued_at", .double, .required)
            .create()
        try await database.schema("ratings")
            .id()
            .field("publication_id", .uuid, .required)
            // The problem rated, or "all" for the publication as a whole.
            .field("item", .string, .required)
            .field("period", .string, .required)
            .field("code_hash", .string, .required)
            .field("level", .int, .required)
            .field("reason", .string, .required)
            .field("address_hash", .string, .required)
            .field("created_at", .double, .required)
            .field("flag", .string)
            // One rating per code (a person) per item per rating period.
            .unique(on: "code_hash", "item", "period")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX publications_source ON publications (source_id, version)").run()
        try await sql.raw("CREATE INDEX ratings_item ON ratings (item, period)").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["ratings", "rating_codes", "publications"] { try await database.schema(table).delete() }
    }
}
