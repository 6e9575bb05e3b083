import FluentKit
import SQLKit

// A month's appeal figures go before the public as an act, like a publication (issue 13's machinery): who
// published them and when, numbered versions, a correction is a new version that leaves the old one
// readable as 「已更正」, a withdrawal is recorded. The figures are stored as published, so the public page
// never changes under a reader when an appeal is answered later.
struct V13_AppealMonthReports: AsyncMigration {
    var name: String { "v13-appeal-month-reports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("appeal_month_reports")
            .id()
            .field("month", .string, .required)
            .field("version", .int, .required)
            .field("issuer", .string, .required)
            .field("figures", .string, .required)
            .field("published_at", .double, .required)
            .field("published_by", .string, .required)
            .field("superseded_at", .double)
            .field("withdrawn_at", .double)
            .field("withdrawn_by", .string)
            .unique(on: "month", "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("appeal_month_reports").delete()
    }
}
