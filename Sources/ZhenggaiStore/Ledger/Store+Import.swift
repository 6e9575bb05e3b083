import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

/// One problem of an imported ledger sheet, resolved against the database: a new problem with its tasks,
/// or changes to an existing one (matched by its number). Versions are the ones the preview read, so a
/// change made by someone else between preview and confirm is a conflict, not a silent overwrite.
public struct LedgerImportItem: Sendable {
    public enum Target: Sendable {
        case new(NewProblem)
        case existing(id: UUID, version: Int, changes: Store.ProblemChanges?)
    }

    public enum TaskChange: Sendable {
        case create(TaskFields)
        case update(id: UUID, version: Int, TaskFields)
    }

    public var target: Target
    public var tasks: [TaskChange]
    /// What the sheet said about progress and completion, kept as 「导入时填报」 (never a closure).
    public var notes: [(kind: ImportedNote.Kind, text: String)] = []

    public init(target: Target, tasks: [TaskChange]) {
        self.target = target
        self.tasks = tasks
    }
}

/// What an import creates before its rows: a source proposed from the sheet's title or 来源 column, and
/// the people it names who are not yet in the system. Their ids are chosen in the preview, so rows can
/// refer to them.
public struct LedgerImportSetup: Sendable {
    public struct PlannedSource: Sendable {
        public var id: UUID
        public var source: NewSource
        public init(id: UUID, source: NewSource) {
            self.id = id
            self.source = source
        }
    }
    public struct PlannedPerson: Sendable {
        public var id: UUID
        public var person: NewPerson
        public init(id: UUID, person: NewPerson) {
            self.id = id
            self.person = person
        }
    }
    public var sources: [PlannedSource] = []
    public var people: [PlannedPerson] = []
    public var fileName = ""
    public init() {}
}

public struct LedgerImportResult: Codable, Sendable, Equatable {
    public var problemsCreated = 0
    public var problemsUpdated = 0
    public var tasksCreated = 0
    public var tasksUpdated = 0
    public var sourcesCreated = 0
    public var peopleCreated = 0
    /// Cells about progress and completion kept as 「导入时填报」.
    public var notesKept = 0

    public init() {}
}

/// A problem as an import compares it: its current state and its tasks in creation order.
public struct ExistingProblem: Sendable {
    public var problem: Problem
    public var tasks: [RectificationTask]
}

extension Store {
    /// Problems by their numbers (问题编号), with their tasks; numbers not found are absent.
    public func problems(numbers: [String]) async throws -> [String: ExistingProblem] {
        let wanted = Array(Set(numbers.filter { !$0.isEmpty })).sorted()
        guard !wanted.isEmpty else { return [:] }
        var models: [ProblemModel] = []
        // Chunked so a large sheet never builds one enormous IN list.
        for start in stride(from: 0, to: wanted.count, by: 500) {
            let chunk = Array(wanted[start..<min(start + 500, wanted.count)])
            models += try await ProblemModel.query(on: db).filter(\.$number ~~ chunk).all()
        }
        let names = try await unitNames(Set(models.map(\.unitID)))
        var tasks: [UUID: [RectificationTask]] = [:]
        let ids = models.compactMap(\.id)
        for start in stride(from: 0, to: ids.count, by: 500) {
            tasks.merge(try await self.tasks(of: Array(ids[start..<min(start + 500, ids.count)]))) { $1 }
        }
        var result: [String: ExistingProblem] = [:]
        for model in models {
            result[model.number] = ExistingProblem(
                problem: Self.problem(model, unitName: names[model.unitID] ?? ""), tasks: tasks[model.id!] ?? [])
        }
        return result
    }

    /// How many evidence files each problem has, for the ledger's 佐证材料 column.
    public func evidenceCounts(_ problemIDs: [UUID]) async throws -> [UUID: Int] {
        var counts: [UUID: Int] = [:]
        for start in stride(from: 0, to: problemIDs.count, by: 2_000) {
            let chunk = Array(problemIDs[start..<min(start + 2_000, problemIDs.count)])
            let rows = try await sql.select().column("problem_id")
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("evidence").where("problem_id", .in, chunk).groupBy("problem_id").all()
            for row in rows {
                counts[try row.decode(column: "problem_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }

    /// Applies a whole imported sheet in one write transaction: every problem and task is stored, with its
    /// audit entry, or nothing is (a failure on row 900 leaves rows 1–899 unstored too).
    public func importLedger(
        _ items: [LedgerImportItem], setup: LedgerImportSetup = LedgerImportSetup(), by actor: AuditActor
    ) async throws -> LedgerImportResult {
        for item in items {
            if case .new(let problem) = item.target { _ = try Self.validate(problem) }
            for change in item.tasks {
                switch change {
                case .create(let fields), .update(_, _, let fields): try Self.validate(fields)
                }
            }
        }
        return try await write(actor) { tx in
            var result = LedgerImportResult()
            for planned in setup.sources {
                _ = try await self.insertSource(planned.source, id: planned.id, tx: tx)
                result.sourcesCreated += 1
            }
            for planned in setup.people {
                _ = try await self.insertPerson(planned.person, id: planned.id, userID: nil, tx: tx)
                result.peopleCreated += 1
            }
            for item in items {
                let problemID: UUID
                switch item.target {
                case .new(let new):
                    problemID = try await self.insert(try Self.validate(new), tx: tx).id
                    result.problemsCreated += 1
                case .existing(let id, let version, let changes):
                    problemID = id
                    if let changes {
                        try await self.updateProblem(id, version: version, changes, tx: tx)
                        result.problemsUpdated += 1
                    } else {
                        let model = try await Self.problemModel(id, on: tx.db)
                        guard model.version == version else {
                            throw StoreError.workflow(.versionConflict(current: model.version))
                        }
                    }
                }
                if !item.notes.isEmpty {
                    let known = try await ImportedNoteModel.query(on: tx.db).filter(\.$problemID == problemID).all()
                    for note in item.notes
                    where !known.contains(where: { $0.kind == note.kind.rawValue && $0.text == note.text }) {
                        let model = ImportedNoteModel()
                        model.id = self.ids.next()
                        model.problemID = problemID
                        model.kind = note.kind.rawValue
                        model.text = String(note.text.prefix(5_000))
                        model.importedAt = tx.now
                        model.importedBy = tx.actor.name
                        model.fileName = String(setup.fileName.prefix(200))
                        try await model.create(on: tx.db)
                        result.notesKept += 1
                    }
                    let unitPath = try await Self.problemModel(problemID, on: tx.db).unitPath
                    try await tx.record(
                        "problem.importNotes", entity: "problem", id: problemID.uuidString, unitPath: unitPath,
                        before: nil, after: item.notes.map { "\($0.kind.label)：\($0.text)" })
                }
                for change in item.tasks {
                    switch change {
                    case .create(let fields):
                        _ = try await self.insertTask(problemID: problemID, fields, tx: tx)
                        result.tasksCreated += 1
                    case .update(let id, let version, let fields):
                        try await self.updateTask(id, version: version, fields, problemID: problemID, tx: tx)
                        result.tasksUpdated += 1
                    }
                }
            }
            return result
        }
    }

    func updateProblem(_ id: UUID, version: Int, _ changes: ProblemChanges, tx: WriteTransaction) async throws {
        let model = try await Self.problemModel(id, on: tx.db)
        guard model.version == version else { throw StoreError.workflow(.versionConflict(current: model.version)) }
        let status = ProblemStatus(rawValue: model.status) ?? .open
        guard status.isWorkable else { throw StoreError.workflow(.notWorkable(status)) }
        let unitName = try await UnitModel.find(model.unitID, on: tx.db)?.name ?? ""
        let before = Self.problem(model, unitName: unitName)
        if let text = changes.text {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 5_000 else {
                throw StoreError.invalid(field: "问题描述", message: "不能为空，且不超过 5000 字。")
            }
            model.text = trimmed
        }
        if let code = changes.categoryCode {
            guard try await CategoryModel.find(code, on: tx.db) != nil else {
                throw StoreError.invalid(field: "问题类别", message: "「\(code)」不在问题类别表中。")
            }
            model.categoryCode = code
        }
        model.version += 1
        model.updatedAt = tx.now
        try await model.save(on: tx.db)
        if changes.text != nil {
            try await Self.indexSearch([(id, model.text, model.number)], on: tx.db)
        }
        try await tx.record(
            "problem.update", entity: "problem", id: id.uuidString, unitPath: model.unitPath, before: before,
            after: Self.problem(model, unitName: unitName))
    }
}
