import FluentKit
import SQLKit

// What the ledger page needs at 100,000 problems: a covering index for paging in number order, and each
// problem's earliest open deadline kept beside it, so "overdue" and "by deadline" read one indexed column
// instead of asking the tasks table once per row.
struct V3_LedgerSpeed: AsyncMigration {
    var name: String { "v3-ledger-speed" }

    func prepare(on database: any Database) async throws {
        try await database.schema("problems").field("next_deadline", .string).update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "problems_number_id").on("problems").column("number").column("id").run()
        try await sql.create(index: "problems_next_deadline").on("problems").column("next_deadline").run()
        try await sql.raw(
            """
            UPDATE problems SET next_deadline = (SELECT MIN(tasks.deadline) FROM tasks \
            WHERE tasks.problem_id = problems.id AND tasks.status = 'inProgress' AND tasks.kind <> 'ongoing')
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "problems_next_deadline").run()
        try await sql.drop(index: "problems_number_id").run()
        try await database.schema("problems").deleteField("next_deadline").update()
    }
}
