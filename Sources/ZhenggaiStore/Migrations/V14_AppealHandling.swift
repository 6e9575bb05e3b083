import FluentKit
import SQLKit

// What the appeals desk lacked beside the loop (issue 14, requirement 1): files kept with an appeal — the
// photo or letter at 受理, the evidence of the handling — stored like a problem's evidence (content-addressed,
// on disk or in the database); 首接负责制, where one department leads and others assist (协办), each of which
// sees and reports on the appeal; and 督办 of a late appeal as a pressing record like a problem's.
struct V14_AppealHandling: AsyncMigration {
    var name: String { "v14-appeal-handling" }

    func prepare(on database: any Database) async throws {
        try await database.schema("appeal_files")
            .id()
            .field("appeal_id", .uuid, .required, .references("appeals", "id"))
            .field("stage", .string, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_by_name", .string, .required)
            .field("created_at", .double, .required)
            .create()
        try await database.schema("appeal_assists")
            .field("appeal_id", .uuid, .required, .references("appeals", "id"))
            .field("department_id", .uuid, .required, .references("units", "id"))
            .field("department_path", .string, .required)
            .unique(on: "appeal_id", "department_id")
            .create()
        try await database.schema("pressings").field("appeal_id", .uuid).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX appeal_files_appeal ON appeal_files (appeal_id)").run()
        try await sql.raw("CREATE INDEX pressings_appeal ON pressings (appeal_id)").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "pressings_appeal").run() }
        try await database.schema("pressings").deleteField("appeal_id").update()
        try await database.schema("appeal_assists").delete()
        try await database.schema("appeal_files").delete()
    }
}
