import FluentKit
import Foundation
import SQLKit

// The public pages are kept rendered by each app server (issue 13: heavy traffic from a WeChat group). What
// they show changes only when something is published, corrected or withdrawn; those writes replace one
// stamp, and a server keeps a page only as long as the stamp it was rendered under is the database's. A
// random stamp, not a counter: a restored backup brings back a stamp that stood for exactly that state.
struct V15_PublicStamp: AsyncMigration {
    var name: String { "v15-public-stamp" }

    func prepare(on database: any Database) async throws {
        try await database.schema("public_stamp")
            .field("id", .int, .identifier(auto: false))
            .field("stamp", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("INSERT INTO public_stamp (id, stamp) VALUES (1, \(bind: UUID().uuidString))").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("public_stamp").delete()
    }
}
