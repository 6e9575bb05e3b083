import FluentKit
import Foundation
import SQLKit

// The other two ways to the public's rating (issue 13, requirement 4): a signed link the unit posts in the
// village's WeChat group, each opening of which gives that phone's browser its own code; and, for counties
// that want one rating per person, a code sent by SMS to a mobile number kept only as a keyed hash. The key
// signs the links and hashes the numbers; it lives in the database because app servers keep nothing.
struct V16_RatingLinks: AsyncMigration {
    var name: String { "v16-rating-links" }

    func prepare(on database: any Database) async throws {
        try await database.schema("rating_links")
            .id()
            .field("publication_id", .uuid, .required, .references("publications", "id"))
            .field("label", .string, .required)
            .field("issued_by_name", .string, .required)
            .field("issued_at", .double, .required)
            .field("expires_at", .double, .required)
            .field("revoked_at", .double)
            .create()
        // One column per statement: SQLite adds one at a time.
        try await database.schema("rating_codes").field("link_id", .uuid).update()
        try await database.schema("rating_codes").field("phone_hash", .string).update()
        try await database.schema("sms_challenges")
            .id()
            .field("publication_id", .uuid, .required)
            .field("phone_hash", .string, .required)
            .field("code_hash", .string, .required)
            .field("created_at", .double, .required)
            .field("attempts", .int, .required)
            .create()
        try await database.schema("signing_keys")
            .field("name", .string, .identifier(auto: false))
            .field("key", .string, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64EncodedString()
        try await sql.raw("INSERT INTO signing_keys (name, key) VALUES ('ratings', \(bind: key))").run()
        try await sql.raw("CREATE INDEX rating_links_publication ON rating_links (publication_id)").run()
        try await sql.raw("CREATE INDEX rating_codes_link ON rating_codes (link_id)").run()
        try await sql.raw("CREATE INDEX sms_challenges_phone ON sms_challenges (phone_hash, created_at)").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.drop(index: "rating_codes_link").run() }
        try await database.schema("signing_keys").delete()
        try await database.schema("sms_challenges").delete()
        try await database.schema("rating_codes").deleteField("phone_hash").update()
        try await database.schema("rating_codes").deleteField("link_id").update()
        try await database.schema("rating_links").delete()
    }
}
