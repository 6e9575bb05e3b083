import FluentKit
import SQLKit

// Every ledger page counts the problems it pages through. Withdrawn (撤销) items never count, so the count
// reads "withdrawn_at IS NULL" and, without this index, read every problem row whole (their text included):
// 54 ms a page at 50,000 problems on SQLite (docs/benchmarks.md). The partial index holds only live items
// and their unit path, so a count over the county or one township's subtree reads the index alone. The
// columns withdrawn_at (always NULL there) and id (Fluent counts COUNT(id)) are in it too: SQLite calls an
// index covering only if it holds every column the query names, and otherwise looked up each row in the
// table, which was slower than the scan it replaced. Leading with withdrawn_at instead made SQLite page in
// number order by sorting every live problem.
// progress_latest lets the ledger read each problem's latest progress entry by walking back from its end,
// not by reading every entry the problem ever had.
struct V11_LedgerReads: AsyncMigration {
    var name: String { "v11-ledger-reads" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            "CREATE INDEX problems_live ON problems (unit_path, status, withdrawn_at, id) WHERE withdrawn_at IS NULL"
        ).run()
        try await sql.raw("CREATE INDEX progress_latest ON progress_entries (problem_id, on_date, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "progress_latest").run()
        try await sql.drop(index: "problems_live").run()
    }
}
