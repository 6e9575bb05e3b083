import FluentKit
import SQLKit

// Appeals that arrive in bulk from a hotline platform (the 12345 work-order sheet) keep the platform's own
// number, so importing the same sheet, or next week's sheet that repeats some orders, adds nothing twice:
// one appeal per external number, enforced by the database rather than by a read before the insert.
struct V12_AppealReferences: AsyncMigration {
    var name: String { "v12-appeal-references" }

    func prepare(on database: any Database) async throws {
        try await database.schema("appeals").field("external_ref", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            "CREATE UNIQUE INDEX appeals_external_ref ON appeals (external_ref) WHERE external_ref IS NOT NULL"
        ).run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "appeals_external_ref").run() }
        try await database.schema("appeals").deleteField("external_ref").update()
    }
}
