import FluentKit
import FluentSQL
public import Foundation
import SQLKit
public import ZhenggaiCore

extension Store {
    func filtered(_ filter: LedgerFilter) async throws -> QueryBuilder<ProblemModel> {
        let query = ProblemModel.query(on: db)
        // A root that holds the only top-level unit covers every problem: filtering on it would only cost a
        // scan that the number index could otherwise skip.
        let tops = try await sql.select().column("path").from("units").where("parent_id", .is, SQLLiteral.null).limit(2)
            .all().map { try $0.decode(column: "path", as: String.self) }
        let coversAll = filter.scope.isEverything || (tops.count == 1 && filter.scope.roots.contains(tops[0]))
        if !coversAll {
            query.group(.or) { group in
                // No roots means no scope: match nothing rather than everything.
                if filter.scope.isEmpty { group.filter(.sql(unsafeRaw: "1 = 0")) }
                for root in filter.scope.roots { subtree(group, root) }
            }
        }
        // Withdrawn (撤销) items leave every list and count; they stay in the audit log and can be restored.
        query.filter(\.$withdrawnAt == nil)
        if let path = filter.unitPath { query.group(.and) { subtree($0, path) } }
        if let sourceID = filter.sourceID { query.filter(\.$sourceID == sourceID) }
        if let round = filter.round {
            query.filter(
                .sql(
                    embed:
                        "\(ident: "source_id") IN (SELECT \(ident: "id") FROM \(ident: "sources") WHERE \(ident: "round") = \(bind: round))"
                ))
        }
        if let code = filter.categoryCode { query.filter(\.$categoryCode == code) }
        if !filter.statuses.isEmpty { query.filter(\.$status ~~ filter.statuses.map(\.rawValue)) }
        if let leaderID = filter.leaderID {
            query.filter(
                .sql(
                    embed:
                        "\(ident: "problems").\(ident: "id") IN (SELECT \(ident: "problem_id") FROM \(ident: "tasks") WHERE \(ident: "leader_id") = \(bind: leaderID))"
                ))
        }
        if let userID = filter.requestedBy { query.filter(\.$requestedBy == userID) }
        if filter.withoutTasks {
            query.filter(
                .sql(
                    embed: """
                        NOT EXISTS (SELECT 1 FROM \(ident: "tasks") WHERE \(ident: "tasks").\(ident: "problem_id") = \
                        \(ident: "problems").\(ident: "id") AND \(ident: "tasks").\(ident: "withdrawn_at") IS NULL)
                        """))
        }
        if let userID = filter.responsibleUserID {
            query.filter(
                .sql(
                    embed: """
                        \(ident: "problems").\(ident: "id") IN (SELECT \(ident: "problem_id") FROM \(ident: "tasks") \
                        WHERE \(ident: "withdrawn_at") IS NULL AND (\(ident: "leader_id") = \(bind: userID) \
                        OR \(ident: "assignee_person_id") IN \
                        (SELECT \(ident: "id") FROM \(ident: "people") WHERE \(ident: "user_id") = \(bind: userID))))
                        """))
        }
        if filter.lateOnly {
            // 逾期完成: closed, but a task was done after its deadline.
            query.filter(\.$status ~~ [ProblemStatus.closed.rawValue, ProblemStatus.stageCompleted.rawValue])
            query.filter(
                .sql(
                    embed: """
                        \(ident: "problems").\(ident: "id") IN (SELECT \(ident: "problem_id") FROM \(ident: "tasks") \
                        WHERE \(ident: "withdrawn_at") IS NULL AND \(ident: "kind") <> 'ongoing' \
                        AND \(ident: "completed_on") > \(ident: "deadline"))
                        """))
        }
        if let today = filter.overdueOn {
            query.filter(\.$status ~~ Self.unfinishedStatuses.map(\.rawValue))
            // next_deadline: the earliest open deadline of the problem's tasks, kept by every task write (V3).
            query.filter(.sql(embed: "\(ident: "problems").\(ident: "next_deadline") < \(bind: today.iso)"))
        }
        if let text = filter.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            // The index chooses the candidates (Store+Search.swift); the substring test below decides.
            if let match = ProblemSearch.query(text, sqlite: isSQLite) {
                let candidates: SQLQueryString =
                    isSQLite
                    ? """
                    SELECT \(ident: "problem_id") FROM \(ident: "problem_search_keys") WHERE \(ident: "key") IN \
                    (SELECT rowid FROM \(ident: "problem_search") WHERE \(ident: "problem_search") MATCH \(bind: match))
                    """
                    : "SELECT \(ident: "problem_id") FROM \(ident: "problem_search") WHERE \(ident: "grams") @@ to_tsquery('simple', \(bind: match))"
                query.filter(.sql(embed: "\(ident: "problems").\(ident: "id") IN (\(candidates))"))
            }
            if ProblemSearch.isExact(text) {
                // The index alone answers: the substring test would only read every candidate's text again.
            } else if isSQLite {
                // instr is a plain substring search: no wildcards to escape, and faster than LIKE over a
                // scan of every problem's text. Numbers compare upper-cased, as LIKE would ignore case.
                query.filter(
                    .sql(
                        embed: """
                            (instr(\(ident: "problems").\(ident: "text"), \(bind: text)) > 0 \
                            OR instr(upper(\(ident: "problems").\(ident: "number")), \(bind: text.uppercased())) > 0)
                            """))
            } else {
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                let pattern = "%\(escaped)%"
                query.filter(
                    .sql(
                        embed: """
                            (\(ident: "problems").\(ident: "text") LIKE \(bind: pattern) ESCAPE '\\' \
                            OR \(ident: "problems").\(ident: "number") ILIKE \(bind: pattern) ESCAPE '\\')
                            """))
            }
        }
        return query
    }

    /// Units at or below `path`. Paths hold only hex digits, '-' and '/', so on SQLite a range up to
    /// path + "~" is the prefix and can use the index (its LIKE ignores case and cannot); PostgreSQL keeps
    /// LIKE, whose meaning does not depend on the database's collation.
    func subtree(_ group: QueryBuilder<ProblemModel>, _ path: String) {
        if isSQLite {
            group.group(.and) { $0.filter(\.$unitPath >= path).filter(\.$unitPath < path + "~") }
        } else {
            group.filter(\.$unitPath, .custom("LIKE"), "\(path)%")
        }
    }

    /// Statuses in which a task past its deadline is overdue; a closed or stage-closed item is not.
    static let unfinishedStatuses: [ProblemStatus] = [
        .open, .returned, .reopened, .pendingFirstReview, .pendingSecondReview,
    ]

    public func ledger(
        _ filter: LedgerFilter, paging: Paging, today: LocalDate, sort: LedgerSort = .number
    ) async throws -> LedgerPage {
        let page = paging.page
        let perPage = paging.perPage
        // One filter built once (it reads the units table): the count runs on a copy of it.
        let query = try await filtered(filter)
        let total = try await query.copy().count()
        let offset = (page - 1) * perPage
        // A page past the middle is read from the other end, in the reverse order: OFFSET steps over every row
        // it skips, so the last page of a province cost as much as reading all of it. Every order ends on the
        // number, which is unique, so the reverse order is exactly the forward one backwards.
        let fromEnd = offset < total && offset > total / 2
        let up: DatabaseQuery.Sort.Direction = fromEnd ? .descending : .ascending
        let down: DatabaseQuery.Sort.Direction = fromEnd ? .ascending : .descending
        switch sort {
        case .number: query.sort(\.$number, up)
        case .deadline:
            // Earliest open deadline first; items without one (ongoing, no task yet) last.
            query.sort(.sql(unsafeRaw: #"COALESCE("problems"."next_deadline", '9999-12-31')"#), up)
            query.sort(\.$number, up)
        case .status: query.sort(\.$status, up).sort(\.$number, up)
        case .updated: query.sort(\.$updatedAt, down).sort(\.$number, up)
        case .category: query.sort(\.$categoryCode, up).sort(\.$number, up)
        }
        // Ids first: the page is chosen on a covering index, then only its rows are read whole. Both as SQL
        // rows: a Fluent model per row reflects over its properties at run time, which cost more than the
        // queries themselves (docs/benchmarks.md).
        if fromEnd {
            let end = max(0, total - offset - perPage)
            query.field(\.$id).range(end..<(total - offset))
        } else {
            query.field(\.$id).range(offset..<(offset + perPage))
        }
        var ids = try await sql.raw("\(SQLQueryConverter(delegate: PlainConverter()).convert(query.query))").all()
            .map { try $0.decode(column: "problems_id", as: UUID.self) }
        if fromEnd { ids.reverse() }
        let byID = Dictionary(
            uniqueKeysWithValues: try await problems(ProblemModel.query(on: db).filter(\.$id ~~ ids)).map {
                ($0.id, $0)
            })
        let rows = try await rows(for: ids.compactMap { byID[$0] }, today: today)
        return LedgerPage(rows: rows, total: total, page: page, perPage: perPage)
    }

    /// Every row of the filtered ledger in number order, a chunk at a time from where the last chunk ended
    /// (keyset paging: each chunk costs the same however deep into the ledger it is). For exports.
    public func ledgerRows(_ filter: LedgerFilter, today: LocalDate, after number: String?, limit: Int) async throws
        -> [LedgerRow]
    {
        let query = try await filtered(filter)
        if let number { query.filter(\.$number > number) }
        query.sort(\.$number).limit(min(max(1, limit), 5_000))
        return try await rows(for: try await problems(query), today: today)
    }

    /// The problems a Fluent query selects, run as SQL and read row by row: no Fluent model per problem.
    func problems(_ query: QueryBuilder<ProblemModel>) async throws -> [Problem] {
        query.field(\.$id).field(\.$number).field(\.$sourceID).field(\.$unitID).field(\.$unitPath).field(\.$text)
            .field(\.$outlinePath).field(\.$categoryCode).field(\.$status).field(\.$recurrences)
            .field(\.$closureStatement).field(\.$requestedBy).field(\.$firstReviewedBy).field(\.$closedOn)
            .field(\.$relapsedBy).field(\.$createdAt).field(\.$version)
        let statement = SQLQueryConverter(delegate: PlainConverter()).convert(query.query)
        return try await sql.raw("\(statement)").all().map(Self.problem(row:))
    }

    func rows(for problems: [Problem], today: LocalDate) async throws -> [LedgerRow] {
        let ids = problems.map(\.id)
        let tasks = try await tasks(of: ids)
        let sourceModels = try await SourceModel.query(on: db).filter(\.$id ~~ Array(Set(problems.map(\.sourceID))))
            .all()
        let sources = Dictionary(uniqueKeysWithValues: sourceModels.map { ($0.id!, $0) })
        let names = try await unitNames(Set(problems.map(\.unitID)))
        var latest: [UUID: String] = [:]
        // SQLKit rows, not Fluent models, for the same reason as `tasks(of:)`.
        for start in stride(from: 0, to: ids.count, by: 2_000) {
            let chunk = Array(ids[start..<min(start + 2_000, ids.count)])
            // Only the latest entry of each problem is read, found by walking the progress_latest index (V11)
            // backwards: a problem pressed weekly for a year has fifty, and reading them all cost more than the
            // rest of the page (docs/benchmarks.md).
            let entries = try await sql.raw(
                """
                SELECT pe.problem_id, pe.on_date, pe.text FROM problems pr JOIN progress_entries pe ON pe.id = \
                (SELECT q.id FROM progress_entries q WHERE q.problem_id = pr.id AND q.withdrawn_at IS NULL \
                ORDER BY q.on_date DESC, q.created_at DESC LIMIT 1) WHERE pr.id IN (\(binds: chunk))
                """
            ).all()
            for entry in entries {
                let onDate = try entry.decode(column: "on_date", as: String.self)
                let day = LocalDate(iso: onDate)?.chinese ?? onDate
                latest[try entry.decode(column: "problem_id", as: UUID.self)] =
                    "\(day) \(try entry.decode(column: "text", as: String.self))"
            }
        }
        let notes = try await importedNotes(of: ids)
        return problems.map { problem -> LedgerRow in
            var problem = problem
            problem.unitName = names[problem.unitID] ?? ""
            let source = sources[problem.sourceID]
            let problemTasks = tasks[problem.id] ?? []
            let timeliness = Timeliness.of(problem.status, tasks: problemTasks, today: today)
            var row = LedgerRow(
                problem: problem, sourceTitle: source?.title ?? "",
                sourceKind: source.flatMap { SourceKind(rawValue: $0.kind) } ?? .inspection, round: source?.round,
                tasks: problemTasks, latestProgress: latest[problem.id], overdue: timeliness == .overdue)
            row.timeliness = timeliness
            row.imported = notes[problem.id] ?? []
            return row
        }
    }

    /// What imported sheets said about these problems, oldest first.
    public func importedNotes(of ids: [UUID]) async throws -> [UUID: [ImportedNote]] {
        var notes: [UUID: [ImportedNote]] = [:]
        for start in stride(from: 0, to: ids.count, by: 2_000) {
            let chunk = Array(ids[start..<min(start + 2_000, ids.count)])
            for model in try await ImportedNoteModel.query(on: db).filter(\.$problemID ~~ chunk)
                .sort(\.$importedAt).sort(\.$id).all()
            {
                guard let kind = ImportedNote.Kind(rawValue: model.kind) else { continue }
                notes[model.problemID, default: []].append(
                    ImportedNote(
                        kind: kind, text: model.text, importedAt: model.importedAt, importedBy: model.importedBy,
                        fileName: model.fileName))
            }
        }
        return notes
    }

    /// The counts every report needs, from one grouped query over the filtered problems.
    public func counts(_ filter: LedgerFilter, today: LocalDate) async throws -> LedgerCounts {
        let rows = try await filtered(filter)
            .field(\.$sourceID).field(\.$unitID).field(\.$categoryCode).field(\.$status)
            .all()
        var overdueFilter = filter
        overdueFilter.overdueOn = today
        let overdue = try await filtered(overdueFilter).count()
        // 逾期完成: closed, but a task was done after its deadline.
        var lateFilter = filter
        lateFilter.lateOnly = true
        let lateDone = try await filtered(lateFilter).count()
        var total = CompletionCounts()
        var byStatus: [String: CompletionCounts] = [:]
        var byCategory: [String: CompletionCounts] = [:]
        var bySource: [UUID: CompletionCounts] = [:]
        var byUnit: [UUID: CompletionCounts] = [:]
        for row in rows {
            let status = ProblemStatus(rawValue: row.status) ?? .open
            total.add(status.completion)
            byStatus[status.rawValue, default: .init()].add(status.completion)
            byCategory[row.categoryCode, default: .init()].add(status.completion)
            bySource[row.sourceID, default: .init()].add(status.completion)
            byUnit[row.unitID, default: .init()].add(status.completion)
        }
        let categories = Dictionary(uniqueKeysWithValues: try await self.categories().map { ($0.code, $0.name) })
        let sourceModels = try await SourceModel.query(on: db).filter(\.$id ~~ Array(bySource.keys)).all()
        let sourceTitles = Dictionary(uniqueKeysWithValues: sourceModels.map { ($0.id!, $0.title) })
        let unitNames = try await unitNames(Set(byUnit.keys))
        func buckets<K>(_ values: [K: CompletionCounts], key: (K) -> String, label: (K) -> String) -> [Bucket] {
            values.map { Bucket(key: key($0.key), label: label($0.key), counts: $0.value, rate: $0.value.rateText) }
                .sorted { ($0.key) < ($1.key) }
        }
        typealias Bucket = LedgerCounts.Bucket
        let statusOrder = ProblemStatus.allCases.map(\.rawValue)
        var counts = LedgerCounts(
            total: total.total, completion: total, rate: total.rateText,
            byStatus: buckets(byStatus, key: { $0 }, label: { ProblemStatus(rawValue: $0)?.label ?? $0 })
                .sorted { statusOrder.firstIndex(of: $0.key)! < statusOrder.firstIndex(of: $1.key)! },
            byCategory: buckets(byCategory, key: { $0 }, label: { categories[$0] ?? $0 }),
            bySource: buckets(bySource, key: { $0.uuidString }, label: { sourceTitles[$0] ?? "" })
                .sorted { ($0.label, $0.key) < ($1.label, $1.key) },
            byUnit: buckets(byUnit, key: { $0.uuidString }, label: { unitNames[$0] ?? "" })
                .sorted { ($0.label, $0.key) < ($1.label, $1.key) },
            overdue: overdue)
        counts.lateDone = lateDone
        return counts
    }
}

extension Store {
    /// Unfinished tasks with a deadline up to `horizon`, in the scope, optionally only those one leader leads;
    /// most urgent first.
    public func dueTasks(
        scope: Scope, responsibleUserID: UUID?, today: LocalDate, horizon: LocalDate, limit: Int = 50
    ) async throws -> [DueTask] {
        var filter = LedgerFilter(scope: scope, statuses: Self.unfinishedStatuses)
        filter.responsibleUserID = responsibleUserID
        let problemQuery = try await filtered(filter)
        let problems = try await problemQuery.all()
        guard !problems.isEmpty else { return [] }
        let byID = Dictionary(uniqueKeysWithValues: problems.map { ($0.id!, $0) })
        let query = TaskModel.query(on: db)
            .filter(\.$problemID ~~ Array(byID.keys))
            .filter(\.$withdrawnAt == nil)
            .filter(\.$status == TaskStatus.inProgress.rawValue)
            .filter(\.$kind != RectificationKind.ongoing.rawValue)
            .filter(\.$deadline <= horizon.iso)
            .sort(\.$deadline).sort(\.$id)
            .limit(limit)
        if let responsibleUserID {
            let personID = try await PersonModel.query(on: db).filter(\.$userID == responsibleUserID).first()?.id
            query.group(.or) { group in
                group.filter(\.$leaderID == responsibleUserID)
                if let personID { group.filter(\.$assigneePersonID == personID) }
            }
        }
        let models = try await query.all()
        let names = try await personNames(Set(models.compactMap(\.leaderPersonID)))
        let unitNames = try await unitNames(Set(problems.map(\.unitID)))
        return models.compactMap { model in
            guard let problemModel = byID[model.problemID], let deadline = model.deadline.flatMap(LocalDate.init(iso:))
            else { return nil }
            return DueTask(
                task: Self.task(model, leaderName: model.leaderPersonID.flatMap { names[$0] }),
                problem: Self.problem(problemModel, unitName: unitNames[problemModel.unitID] ?? ""),
                daysLeft: today.days(until: deadline))
        }
    }
}

/// Fluent's query → SQL conversion needs a delegate only for schema types, which queries never use.
struct PlainConverter: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? { nil }
    func nestedFieldExpression(_ column: String, _ path: [String]) -> any SQLExpression {
        SQLIdentifier(column)
    }
}

extension Store {
    /// A problem from a row of Fluent's own SELECT (columns aliased "problems_<field>").
    static func problem(row: any SQLRow) throws -> Problem {
        func column<T: Decodable>(_ name: String, _ type: T.Type) throws -> T {
            try row.decode(column: "problems_\(name)", as: T.self)
        }
        let status = ProblemStatus(rawValue: try column("status", String.self)) ?? .open
        let outlineText = try column("outline_path", String.self)
        let outline =
            outlineText == "[]" ? [] : (try? outlineDecoder.decode([String].self, from: Data(outlineText.utf8))) ?? []
        return Problem(
            id: try column("id", UUID.self), number: try column("number", String.self),
            sourceID: try column("source_id", UUID.self), unitID: try column("unit_id", UUID.self), unitName: "",
            unitPath: try column("unit_path", String.self), text: try column("text", String.self),
            outlinePath: outline, categoryCode: try column("category_code", String.self), status: status,
            completion: status.completion, recurrences: try column("recurrences", Int.self),
            closureStatement: try column("closure_statement", String?.self),
            closedOn: try column("closed_on", String?.self).flatMap(LocalDate.init(iso:)),
            requestedBy: try column("requested_by", UUID?.self),
            firstReviewedBy: try column("first_reviewed_by", UUID?.self),
            relapsedBy: try column("relapsed_by", UUID?.self), createdAt: try column("created_at", Date.self),
            version: try column("version", Int.self))
    }
}
