import FluentKit
import SQLKit

// A task's place among its problem's tasks, so tasks entered together (an import, a document) keep the
// order they were listed in: they share one timestamp, and ids are random.
struct V4_TaskPosition: AsyncMigration {
    var name: String { "v4-task-position" }

    func prepare(on database: any Database) async throws {
        try await database.schema("tasks").field("position", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tasks").deleteField("position").update()
    }
}
