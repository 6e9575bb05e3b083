import FluentKit
import FluentSQLiteDriver
public import Foundation
import SQLKit
public import ZhenggaiCore

/// A 督办单 (a written order to report by a date) or a 约谈 (a talk with a leader: when, who, outcome),
/// issued by a supervisor or the inspection office on an item, a leader, or a late appeal of the public.
public struct Pressing: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case order, talk

        public var label: String {
            switch self {
            case .order: "督办"
            case .talk: "约谈"
            }
        }
    }

    public var id: UUID
    public var kind: Kind
    public var problemID: UUID?
    public var problemNumber: String?
    public var personID: UUID?
    public var personName: String?
    /// A 督办 of an appeal (群众诉求): the department handling it answers.
    public var appealID: UUID?
    public var appealNumber: String?
    public var unitID: UUID
    public var unitPath: String
    public var unitName: String
    public var issuedByName: String
    public var issuedOn: LocalDate
    public var text: String
    /// A 督办单's date to answer by.
    public var answerDue: LocalDate?
    public var talkDate: LocalDate?
    public var participants: String?
    public var outcome: String?
    public var answeredOn: LocalDate?
    public var answer: String?
    public var answeredByName: String?

    public var isAnswered: Bool { answeredOn != nil }

    /// What was pressed, as the audit log names it.
    public var subject: (entity: String, id: String) {
        if let appealID { return ("appeal", appealID.uuidString) }
        if let problemID { return ("problem", problemID.uuidString) }
        return ("person", personID?.uuidString ?? unitID.uuidString)
    }

    /// An order not answered by its date.
    public func isOverdue(today: LocalDate) -> Bool {
        guard kind == .order, !isAnswered, let answerDue else { return false }
        return answerDue < today
    }
}

public struct NewPressing: Sendable {
    public var kind: Pressing.Kind
    public var problemID: UUID?
    public var personID: UUID?
    public var appealID: UUID?
    public var text: String
    public var answerDue: LocalDate?
    public var talkDate: LocalDate?
    public var participants: String?
    public var outcome: String?

    public init(
        kind: Pressing.Kind, problemID: UUID? = nil, personID: UUID? = nil, text: String, answerDue: LocalDate? = nil,
        talkDate: LocalDate? = nil, participants: String? = nil, outcome: String? = nil, appealID: UUID? = nil
    ) {
        self.kind = kind
        self.problemID = problemID
        self.personID = personID
        self.appealID = appealID
        self.text = text
        self.answerDue = answerDue
        self.talkDate = talkDate
        self.participants = participants
        self.outcome = outcome
    }
}

extension Store {
    /// Where a pressing lands: the problem's unit, the pressed leader's unit, or the department handling the
    /// appeal (its area while nobody has it).
    public func pressingTarget(problemID: UUID?, personID: UUID?, appealID: UUID? = nil) async throws -> (
        unitID: UUID, unitPath: String
    ) {
        if let appealID {
            let appeal = try await appeal(appealID)
            guard appeal.status.isOpen else {
                throw StoreError.invalid(field: "督办对象", message: "诉求已「\(appeal.status.label)」，无须督办。")
            }
            if let department = appeal.departmentID { return (department, try await unit(department).path) }
            return (appeal.areaID, appeal.areaPath)
        }
        if let problemID {
            let problem = try await Self.problemModel(problemID, on: db)
            return (problem.unitID, problem.unitPath)
        }
        if let personID {
            let person = try await person(personID)
            return (person.unitID, try await unit(person.unitID).path)
        }
        throw StoreError.invalid(field: "督办对象", message: "请指明督办的问题或约谈的领导。")
    }

    public func createPressing(_ new: NewPressing, by actor: AuditActor) async throws -> Pressing {
        let text = new.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 2_000 else {
            throw StoreError.invalid(field: new.kind == .order ? "督办事项" : "约谈内容", message: "不能为空，不超过 2000 字。")
        }
        let today = clock.today()
        switch new.kind {
        case .order:
            guard let due = new.answerDue, due >= today else {
                throw StoreError.invalid(field: "反馈时限", message: "督办须写明反馈时限，且不早于今天。")
            }
        case .talk:
            guard let date = new.talkDate, date <= today else {
                throw StoreError.invalid(field: "约谈日期", message: "约谈记录须写明约谈日期（已进行的约谈）。")
            }
            guard !(new.participants ?? "").trimmingCharacters(in: .whitespaces).isEmpty else {
                throw StoreError.invalid(field: "约谈对象", message: "请写明约谈了谁、谁参加。")
            }
        }
        let target = try await pressingTarget(
            problemID: new.problemID, personID: new.personID, appealID: new.appealID)
        let id = ids.next()
        let issuer = actor.id ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        try await write(actor) { tx in
            try await Self.requireActive(target.unitID, on: tx.db)
            try await tx.sql.raw(
                """
                INSERT INTO pressings (id, kind, problem_id, person_id, appeal_id, unit_id, unit_path, issued_by,
                  issued_by_name, issued_on, text, answer_due, talk_date, participants, outcome, created_at)
                VALUES (\(bind: id), \(bind: new.kind.rawValue), \(bind: new.problemID), \(bind: new.personID),
                  \(bind: new.appealID),
                  \(bind: target.unitID), \(bind: target.unitPath), \(bind: issuer), \(bind: actor.name), \(bind: today.iso),
                  \(bind: text), \(bind: new.answerDue?.iso), \(bind: new.talkDate?.iso),
                  \(bind: new.participants?.trimmingCharacters(in: .whitespaces)), \(bind: new.outcome?.trimmingCharacters(in: .whitespaces)),
                  \(bind: tx.now.timeIntervalSince1970))
                """
            ).run()
            let created = try await self.pressing(id, on: tx.sql)
            let (entity, entityID) = created.subject
            try await tx.record(
                "pressing.\(new.kind.rawValue)", entity: entity, id: entityID, unitPath: target.unitPath, before: nil,
                after: created)
        }
        return try await pressing(id)
    }

    /// The pressed unit answers a 督办单 (once).
    public func answerPressing(_ id: UUID, answer raw: String, by actor: AuditActor) async throws -> Pressing {
        let answer = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !answer.isEmpty, answer.count <= 5_000 else {
            throw StoreError.invalid(field: "督办反馈", message: "不能为空，不超过 5000 字。")
        }
        try await write(actor) { tx in
            let before = try await self.pressing(id, on: tx.sql)
            guard before.kind == .order else {
                throw StoreError.invalid(field: "督办反馈", message: "约谈记录无须反馈。")
            }
            guard !before.isAnswered else {
                throw StoreError.invalid(field: "督办反馈", message: "该督办已于\(before.answeredOn!.chinese)反馈。")
            }
            try await tx.sql.raw(
                """
                UPDATE pressings SET answered_on = \(bind: self.clock.today().iso), answer = \(bind: answer),
                  answered_by_name = \(bind: actor.name) WHERE id = \(bind: id)
                """
            ).run()
            let after = try await self.pressing(id, on: tx.sql)
            let (entity, entityID) = before.subject
            try await tx.record(
                "pressing.answer", entity: entity, id: entityID, unitPath: before.unitPath, before: before, after: after
            )
        }
        return try await pressing(id)
    }

    public func pressing(_ id: UUID) async throws -> Pressing { try await pressing(id, on: sql) }

    func pressing(_ id: UUID, on database: any SQLDatabase) async throws -> Pressing {
        guard let found = try await pressings(where: "p.id = ", id, on: database).first else {
            throw StoreError.notFound(what: "督办记录")
        }
        return found
    }

    public func pressings(ofProblem problemID: UUID) async throws -> [Pressing] {
        try await pressings(where: "p.problem_id = ", problemID, on: sql)
    }

    public func pressings(ofAppeal appealID: UUID) async throws -> [Pressing] {
        try await pressings(where: "p.appeal_id = ", appealID, on: sql)
    }

    /// Every pressing in the scope, newest first (the 督查清单 and 通报 read them per period).
    public func pressings(in scope: Scope) async throws -> [Pressing] {
        try await pressings(where: nil, nil, on: sql).filter { scope.contains($0.unitPath) }
    }

    private func pressings(where condition: String?, _ value: UUID?, on database: any SQLDatabase) async throws
        -> [Pressing]
    {
        var query = SQLQueryString(
            """
            SELECT p.*, u.name AS unit_name, pr.number AS problem_number, pe.name AS person_name,
              ap.number AS appeal_number
            FROM pressings p JOIN units u ON u.id = p.unit_id
            LEFT JOIN problems pr ON pr.id = p.problem_id LEFT JOIN people pe ON pe.id = p.person_id
            LEFT JOIN appeals ap ON ap.id = p.appeal_id
            """)
        if let condition, let value {
            query.appendLiteral(" WHERE \(condition)")
            query.appendInterpolation(bind: value)
        }
        query.appendLiteral(" ORDER BY p.issued_on DESC, p.created_at DESC")
        return try await database.raw(query).all().compactMap { row in
            guard let kind = Pressing.Kind(rawValue: try row.decode(column: "kind", as: String.self)),
                let issued = LocalDate(iso: try row.decode(column: "issued_on", as: String.self))
            else { return nil }
            func date(_ column: String) throws -> LocalDate? {
                try row.decode(column: column, as: String?.self).flatMap(LocalDate.init(iso:))
            }
            return Pressing(
                id: try row.decode(column: "id", as: UUID.self), kind: kind,
                problemID: try row.decode(column: "problem_id", as: UUID?.self),
                problemNumber: try row.decode(column: "problem_number", as: String?.self),
                personID: try row.decode(column: "person_id", as: UUID?.self),
                personName: try row.decode(column: "person_name", as: String?.self),
                appealID: try row.decode(column: "appeal_id", as: UUID?.self),
                appealNumber: try row.decode(column: "appeal_number", as: String?.self),
                unitID: try row.decode(column: "unit_id", as: UUID.self),
                unitPath: try row.decode(column: "unit_path", as: String.self),
                unitName: try row.decode(column: "unit_name", as: String.self),
                issuedByName: try row.decode(column: "issued_by_name", as: String.self), issuedOn: issued,
                text: try row.decode(column: "text", as: String.self), answerDue: try date("answer_due"),
                talkDate: try date("talk_date"), participants: try row.decode(column: "participants", as: String?.self),
                outcome: try row.decode(column: "outcome", as: String?.self), answeredOn: try date("answered_on"),
                answer: try row.decode(column: "answer", as: String?.self),
                answeredByName: try row.decode(column: "answered_by_name", as: String?.self))
        }
    }
}

/// Audit entries as they are read, one row after the other (on the database's thread for SQLite, where a
/// row cannot throw: the first failure is kept and thrown by the reader).
final class FactCollector: @unchecked Sendable {
    let prefixes: [String]
    var facts: [AuditFact] = []
    var failure: (any Error)?
    let chunkSize: Int
    let onChunk: (@Sendable (Int, [AuditFact]) -> Void)?
    private var handedOut = 0

    init(prefixes: [String], chunkSize: Int, onChunk: (@Sendable (Int, [AuditFact]) -> Void)?) {
        self.prefixes = prefixes
        self.chunkSize = max(1, chunkSize)
        self.onChunk = onChunk
    }

    /// Hands the entries read since the last chunk to the reader, which may work on them while the rest is
    /// read (a copy: the slice would make every later append copy the whole list).
    func handOut(final: Bool = false) {
        guard let onChunk, facts.count > handedOut, final || facts.count - handedOut >= chunkSize else { return }
        onChunk(handedOut, Array(facts[handedOut...]))
        handedOut = facts.count
    }

    func keep(_ text: (String) throws -> String?) {
        guard failure == nil else { return }
        do {
            guard let action = try text("action"), prefixes.contains(where: { action.hasPrefix($0) }) else { return }
            guard let entity = try text("entity"), let entityID = try text("entity_id"), let at = try text("at") else {
                throw StoreError.invalid(field: "审计日志", message: "第 \(facts.count + 1) 条记录不完整。")
            }
            facts.append(
                AuditFact(
                    action: action, entity: entity, entityID: entityID, at: at, before: try text("before"),
                    after: try text("after")))
            handOut()
        } catch {
            failure = error
        }
    }
}

/// One audit entry as history: what happened to which entity, when, and the record before and after.
public struct AuditFact: Sendable {
    public var action: String
    public var entity: String
    public var entityID: String
    /// UTC, "2026-09-20T01:00:00.000Z": compared as text.
    public var at: String
    public var before: String?
    public var after: String?
}

extension Store {
    /// The audit log's timestamp for an instant, to compare with `AuditFact.at`.
    public static func auditTimestamp(_ date: Date) -> String { WriteTransaction.timestamp(date) }

    /// Every entry written under `unitPath` (as the path was when it was written) before `end`, in chain
    /// order, of the actions starting with one of `prefixes`: the ledger's history, from which figures as of
    /// a past day are recomputed. `before` is read for closure steps only (the one place it is compared), `after`
    /// for all but progress (whose entries count by their date).
    /// `onChunk` receives the entries in chunks as they are read (its position in the whole, the entries), so
    /// a caller can work on them on another core meanwhile; every entry is handed out once, before the return.
    public func auditFacts(
        under unitPath: String, before end: Date, actions prefixes: [String], chunkSize: Int = 20_000,
        onChunk: (@Sendable (Int, [AuditFact]) -> Void)? = nil
    ) async throws -> [AuditFact] {
        let pattern = unitPath.replacingOccurrences(of: "%", with: "") + "%"
        let stamp = Self.auditTimestamp(end)
        let select = """
            SELECT action, entity, entity_id, at, CASE WHEN action LIKE 'closure.%' THEN before END AS before,
              CASE WHEN action LIKE 'progress.%' THEN NULL ELSE after END AS after
            FROM audit_entries WHERE unit_path LIKE
            """
        let collector = FactCollector(prefixes: prefixes, chunkSize: chunkSize, onChunk: onChunk)
        // A county's history is hundreds of thousands of rows. On SQLite each row is taken where SQLite steps
        // to it, on the database thread: the pooled query hands every row to the event loop one by one, and
        // SQLKit decodes every column through a `Decoder` — together most of the 通报's time (docs/benchmarks.md).
        if let sqlite = db as? any SQLiteDatabase {
            try await sqlite.withConnection { connection in
                try await connection.query(
                    select + " ?1 AND at < ?2 ORDER BY seq", [.text(pattern), .text(stamp)]
                ) { row in collector.keep { row.column($0)?.string } }
            }
        } else {
            var query = SQLQueryString(select + " ")
            query.appendInterpolation(bind: pattern)
            query.appendLiteral(" AND at < ")
            query.appendInterpolation(bind: stamp)
            query.appendLiteral(" ORDER BY seq")
            for row in try await sql.raw(query).all() {
                collector.keep { try row.decode(column: $0, as: String?.self) }
            }
        }
        if let failure = collector.failure { throw failure }
        collector.handOut(final: true)
        return collector.facts
    }

    // MARK: Closed periods

    /// Stores a period's figures once: a second store of the same period keeps the first (its figures
    /// never change after the period is closed). Answers the stored figures.
    public func freezePeriod(cadence: String, unitID: UUID, start: LocalDate, end: LocalDate, figures: String)
        async throws -> String
    {
        try await sql.raw(
            """
            INSERT INTO period_reports (id, cadence, unit_id, period_start, period_end, created_at, figures)
            VALUES (\(bind: ids.next()), \(bind: cadence), \(bind: unitID), \(bind: start.iso), \(bind: end.iso),
              \(bind: clock.now().timeIntervalSince1970), \(bind: figures))
            ON CONFLICT (cadence, unit_id, period_start) DO NOTHING
            """
        ).run()
        return try await frozenPeriod(cadence: cadence, unitID: unitID, start: start) ?? figures
    }

    public func frozenPeriod(cadence: String, unitID: UUID, start: LocalDate) async throws -> String? {
        try await sql.raw(
            """
            SELECT figures FROM period_reports WHERE cadence = \(bind: cadence) AND unit_id = \(bind: unitID)
              AND period_start = \(bind: start.iso)
            """
        ).first()?.decode(column: "figures", as: String.self)
    }

    /// Closed periods of a cadence at a unit, newest first.
    public func frozenPeriods(cadence: String, unitID: UUID) async throws -> [(start: LocalDate, end: LocalDate)] {
        try await sql.raw(
            """
            SELECT period_start, period_end FROM period_reports WHERE cadence = \(bind: cadence)
              AND unit_id = \(bind: unitID) ORDER BY period_start DESC
            """
        ).all().compactMap { row in
            guard let start = LocalDate(iso: try row.decode(column: "period_start", as: String.self)),
                let end = LocalDate(iso: try row.decode(column: "period_end", as: String.self))
            else { return nil }
            return (start, end)
        }
    }
}
