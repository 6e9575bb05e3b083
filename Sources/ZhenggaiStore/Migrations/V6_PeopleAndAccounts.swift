import FluentKit
import Foundation
import SQLKit

// A county's first month (issue 10): people as records (with or without a login) that tasks point to as
// 责任领导 and 责任人; passwords a person must change; units that are retired but kept; withdrawal (撤销)
// of what was entered by mistake; the history a ledger sheet brought in, kept apart from reviewed facts.
struct V6_PeopleAndAccounts: AsyncMigration {
    var name: String { "v6-people-and-accounts" }

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await database.schema("users")
            .field("must_change_password", .bool, .required, .sql(.default(false)))
            .update()
        try await database.schema("units").field("retired_on", .string).update()

        try await database.schema("people")
            .id()
            .field("name", .string, .required)
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("title", .string, .required)
            .field("phone", .string)
            .field("user_id", .uuid, .references("users", "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "user_id")
            .unique(on: "unit_id", "name")
            .create()
        try await sql.raw("CREATE INDEX people_unit ON people (unit_id)").run()

        try await database.schema("tasks")
            .field("leader_person_id", .uuid, .references("people", "id"))
            .update()
        try await database.schema("tasks")
            .field("assignee_person_id", .uuid, .references("people", "id"))
            .update()
        for table in ["problems", "tasks", "progress_entries", "evidence"] {
            try await database.schema(table).field("withdrawn_at", .datetime).update()
            try await database.schema(table).field("withdrawn_reason", .string).update()
        }

        // What a ledger sheet said about an item's progress or completion, kept as it was written and shown
        // as 「导入时填报」: never a reviewed closure, never a progress entry by a named person.
        try await database.schema("imported_notes")
            .id()
            .field("problem_id", .uuid, .required, .references("problems", "id"))
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .string, .required)
            .field("file_name", .string, .required)
            .constraint(.sql(unsafeRaw: "CHECK (kind IN ('progress','completion','closedOn','evidence','remarks'))"))
            .create()
        try await sql.raw("CREATE INDEX imported_notes_problem ON imported_notes (problem_id)").run()

        // Every user is a person of the unit of their first grant; tasks led by a user point to that person.
        let grants = try await sql.raw(
            """
            SELECT g.user_id AS user_id, g.unit_id AS unit_id, n.path AS path, u.display_name AS name,
              u.created_at AS created_at
            FROM role_grants g JOIN units n ON n.id = g.unit_id JOIN users u ON u.id = g.user_id
            """
        ).all()
        // The highest unit a user holds a role at (the shortest path), ties broken by id.
        var first: [UUID: (unitID: UUID, path: String, name: String, createdAt: Date)] = [:]
        for row in grants {
            let userID = try row.decode(column: "user_id", as: UUID.self)
            let candidate = (
                unitID: try row.decode(column: "unit_id", as: UUID.self),
                path: try row.decode(column: "path", as: String.self),
                name: try row.decode(column: "name", as: String.self),
                createdAt: try row.decode(column: "created_at", as: Date.self)
            )
            if let kept = first[userID],
                (kept.path.count, kept.unitID.uuidString) <= (candidate.path.count, candidate.unitID.uuidString)
            {
                continue
            }
            first[userID] = candidate
        }
        var taken = Set<String>()
        for userID in first.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
            let grant = first[userID]!
            var name = grant.name
            // Two users of one unit may share a display name; people of a unit may not.
            while taken.contains("\(grant.unitID)|\(name)") { name += "（\(userID.uuidString.prefix(4))）" }
            taken.insert("\(grant.unitID)|\(name)")
            try await sql.insert(into: "people")
                .columns("id", "name", "unit_id", "title", "user_id", "created_at")
                .values(
                    SQLBind(UUID()), SQLBind(name), SQLBind(grant.unitID), SQLBind(""), SQLBind(userID),
                    SQLBind(grant.createdAt)
                )
                .run()
        }
        try await sql.raw(
            """
            UPDATE tasks SET leader_person_id = (SELECT p.id FROM people p WHERE p.user_id = tasks.leader_id)
            WHERE leader_id IS NOT NULL
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("imported_notes").delete()
        for table in ["problems", "tasks", "progress_entries", "evidence"] {
            try await database.schema(table).deleteField("withdrawn_reason").update()
            try await database.schema(table).deleteField("withdrawn_at").update()
        }
        try await database.schema("tasks").deleteField("assignee_person_id").update()
        try await database.schema("tasks").deleteField("leader_person_id").update()
        try await database.schema("people").delete()
        try await database.schema("units").deleteField("retired_on").update()
        try await database.schema("users").deleteField("must_change_password").update()
    }
}
