import FluentKit
import FluentSQL
import SQLKit

// A person's decision on a suggested match (similar or recurring problem), and the mark on an old
// closed problem that a later one showed to have come back.
struct V2_SimilarityDecisions: AsyncMigration {
    var name: String { "v2-similarity-decisions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("similarity_decisions")
            .id()
            .field("problem_id", .uuid, .required, .references("problems", "id"))
            .field("match_id", .uuid, .required, .references("problems", "id"))
            .field("score", .double, .required)
            .field("recurrence", .bool, .required)
            .field("decision", .string, .required)
            .field("decided_by", .uuid, .required, .references("users", "id"))
            .field("decided_at", .datetime, .required)
            .unique(on: "problem_id", "match_id")
            .constraint(.sql(unsafeRaw: "CHECK (decision IN ('confirmed','dismissed'))"))
            .create()
        try await database.schema("problems")
            .field("relapsed_by", .uuid)
            .update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "audit_action_seq").on("audit_entries").column("action").column("seq").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("problems").deleteField("relapsed_by").update()
        try await database.schema("similarity_decisions").delete()
    }
}
