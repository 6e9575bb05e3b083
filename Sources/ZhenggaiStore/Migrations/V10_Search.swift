import FluentKit
import Foundation
import SQLKit

// The ledger's text search on an index (issue 15; Store+Search.swift says why character pairs): an FTS5
// table on SQLite, a tsvector with a GIN index on PostgreSQL, filled from the problems already stored.
struct V10_Search: AsyncMigration {
    var name: String { "v10-search" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let sqlite = sql.dialect.name == "sqlite"
        if sqlite {
            // An FTS5 row is found fast only by its rowid: each problem gets an integer key, so rewriting one
            // problem's entry is a lookup, not a scan of the whole index (a column of an FTS5 table has no
            // index of its own). detail=none: only which problems hold a pair; queries are AND/OR of pairs.
            try await sql.raw(
                "CREATE TABLE problem_search_keys (key INTEGER PRIMARY KEY, problem_id BLOB NOT NULL UNIQUE)"
            ).run()
            try await sql.raw(
                "CREATE VIRTUAL TABLE problem_search USING fts5(grams, tokenize = 'ascii', detail = none)"
            ).run()
        } else {
            try await sql.raw("CREATE TABLE problem_search (problem_id UUID PRIMARY KEY, grams TSVECTOR NOT NULL)")
                .run()
            try await sql.raw("CREATE INDEX problem_search_grams ON problem_search USING GIN (grams)").run()
        }
        var after: String? = nil
        while true {
            var query = sql.select().columns("id", "number", "text").from("problems").orderBy("number").limit(2_000)
            if let after { query = query.where("number", .greaterThan, after) }
            let rows = try await query.all()
            guard !rows.isEmpty else { break }
            try await Store.indexSearch(
                rows.map {
                    (
                        try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "text", as: String.self),
                        try $0.decode(column: "number", as: String.self)
                    )
                }, on: database)
            after = try rows.last!.decode(column: "number", as: String.self)
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE problem_search").run()
        if sql.dialect.name == "sqlite" { try await sql.raw("DROP TABLE problem_search_keys").run() }
    }
}
