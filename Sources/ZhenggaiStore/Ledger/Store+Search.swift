import FluentKit
import Foundation
import SQLKit

/// The index behind the ledger's text search (issue 15). Chinese has no spaces and users type two-character
/// words (白条, 公车), so neither SQLite's trigram tokenizer nor pg_trgm can answer the common query from an
/// index: both need three characters. Instead every problem's text is indexed by its character pairs, each
/// spelled as an ASCII token the stock tokenizers keep whole (SQLite FTS5, PostgreSQL `simple` full-text
/// search). A query's pairs, all required, choose the candidates; the substring test the scan used before
/// then decides on those alone, so the results are exactly the scan's.
enum ProblemSearch {
    /// Distinct pairs of a text, in the order they first appear. Text pairs are case-sensitive (as the
    /// substring test on text is); number pairs are upper-cased ASCII (as the number test ignores case).
    static func textPairs(_ text: String) -> [String] { pairs(Array(text.unicodeScalars), prefix: "g") }

    static func numberPairs(_ number: String) -> [String] {
        pairs(Array(asciiUppercased(number).unicodeScalars), prefix: "n")
    }

    static func asciiUppercased(_ value: String) -> String {
        String(
            String.UnicodeScalarView(
                value.unicodeScalars.map { $0.isASCII ? Unicode.Scalar(UInt8(ascii: $0).uppercased) : $0 }))
    }

    static func pairs(_ scalars: [Unicode.Scalar], prefix: String) -> [String] {
        guard scalars.count >= 2 else { return [] }
        var seen = Set<String>()
        var tokens: [String] = []
        for index in 1..<scalars.count {
            let token = prefix + hex(scalars[index - 1].value) + hex(scalars[index].value)
            if seen.insert(token).inserted { tokens.append(token) }
        }
        return tokens
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// What a problem is indexed under: its text's pairs and its number's.
    static func document(text: String, number: String) -> String {
        (textPairs(text) + numberPairs(number)).joined(separator: " ")
    }

    /// A query of two characters is one pair, so its candidates are exactly the problems whose text holds it
    /// or whose number holds it upper-cased (numbers are ASCII): the commonest search needs no substring test.
    static func isExact(_ text: String) -> Bool { text.unicodeScalars.count == 2 }

    /// Candidates for a query: every pair of the text, or every pair of the upper-cased number. Nil when the
    /// query is a single character, which only the scan can answer. The first 32 pairs choose enough.
    static func query(_ text: String, sqlite: Bool) -> String? {
        let textTokens = Array(textPairs(text).prefix(32))
        let numberTokens = Array(numberPairs(text).prefix(32))
        guard !textTokens.isEmpty else { return nil }
        let and = sqlite ? " AND " : " & "
        let or = sqlite ? " OR " : " | "
        return "(" + textTokens.joined(separator: and) + ")" + or + "(" + numberTokens.joined(separator: and) + ")"
    }
}

extension UInt8 {
    fileprivate var uppercased: UInt8 { (0x61...0x7A).contains(self) ? self - 0x20 : self }
}

extension Store {
    /// Indexes (again) problems' texts and numbers, inside the write that changed them, in one statement per
    /// step for any number of problems (a batch import indexes hundreds at once).
    static func indexSearch(_ entries: [(problemID: UUID, text: String, number: String)], on database: any Database)
        async throws
    {
        guard let sql = database as? any SQLDatabase, !entries.isEmpty else { return }
        let documents = entries.map { ProblemSearch.document(text: $0.text, number: $0.number) }
        let ids = entries.map(\.problemID)
        if sql.dialect.name == "sqlite" {
            // Keyed by rowid (V10_Search): old entries, if any, go by their keys, and the new ones take them.
            let keys = SQLList(ids.map { SQLGroupExpression(SQLBind($0)) })
            try await sql.raw(
                "INSERT INTO problem_search_keys (problem_id) VALUES \(keys) ON CONFLICT (problem_id) DO NOTHING"
            ).run()
            try await sql.raw(
                "DELETE FROM problem_search WHERE rowid IN (SELECT key FROM problem_search_keys WHERE problem_id IN (\(binds: ids)))"
            ).run()
            let rows = SQLList(zip(ids, documents).map { SQLGroupExpression([SQLBind($0.0), SQLBind($0.1)]) })
            try await sql.raw(
                """
                INSERT INTO problem_search (rowid, grams) SELECT k.key, v.column2 FROM (VALUES \(rows)) AS v \
                JOIN problem_search_keys k ON k.problem_id = v.column1
                """
            ).run()
        } else {
            let rows = SQLList(
                zip(ids, documents).map {
                    SQLGroupExpression([
                        SQLBind($0.0) as any SQLExpression,
                        SQLFunction("to_tsvector", args: SQLLiteral.string("simple"), SQLBind($0.1)),
                    ])
                })
            try await sql.raw(
                """
                INSERT INTO problem_search (problem_id, grams) VALUES \(rows) \
                ON CONFLICT (problem_id) DO UPDATE SET grams = EXCLUDED.grams
                """
            ).run()
        }
    }
}
