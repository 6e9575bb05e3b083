import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

extension Store {
    // MARK: Sources

    public func createSource(_ new: NewSource, by actor: AuditActor) async throws -> Source {
        try await write(actor) { tx in try await self.insertSource(new, id: nil, tx: tx) }
    }

    func insertSource(_ new: NewSource, id: UUID?, tx: WriteTransaction) async throws -> Source {
        let title = new.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let issuer = new.issuer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= 200 else {
            throw StoreError.invalid(field: "来源名称", message: "不能为空，且不超过 200 字。")
        }
        guard !issuer.isEmpty, issuer.count <= 100 else {
            throw StoreError.invalid(field: "反馈单位", message: "不能为空（如“县委第三巡察组”），且不超过 100 字。")
        }
        if let round = new.round, !(1...99).contains(round) {
            throw StoreError.invalid(field: "轮次", message: "应为 1 到 99 之间的整数。")
        }
        let months = new.reportMonths ?? 2
        guard (1...12).contains(months) else {
            throw StoreError.invalid(field: "报告期限", message: "应为 1 到 12 个月。")
        }
        guard let unit = try await UnitModel.find(new.unitID, on: tx.db) else {
            throw StoreError.notFound(what: "被巡察（检查）单位")
        }
        try await Self.requireActive(new.unitID, on: tx.db)
        let round = new.round ?? 0
        let key = "source:\(new.kind.code)\(new.feedbackDate.year)-\(round)"
        let ordinal = try await Self.next(counter: key, on: tx.db)
        let number = ProblemNumber(
            kind: new.kind, year: new.feedbackDate.year, round: round, sourceOrdinal: ordinal, sequence: 0)
        let model = SourceModel()
        model.id = id ?? self.ids.next()
        model.kind = new.kind.rawValue
        model.title = title
        model.issuer = issuer
        model.round = new.round
        model.unitID = new.unitID
        model.unitPath = unit.path
        model.feedbackDate = new.feedbackDate.iso
        model.reportDue = new.feedbackDate.adding(months: months).iso
        model.numberPrefix = number.sourcePrefix
        model.createdBy = tx.actor.id
        model.createdAt = tx.now
        model.version = 1
        try await model.create(on: tx.db)
        let source = Self.source(model, unitName: unit.name)
        try await tx.record(
            "source.create", entity: "source", id: model.id!.uuidString, unitPath: unit.path, before: nil,
            after: source)
        return source
    }

    public func source(_ id: UUID) async throws -> Source {
        guard let model = try await SourceModel.find(id, on: db) else { throw StoreError.notFound(what: "来源") }
        let unit = try await UnitModel.find(model.unitID, on: db)
        return Self.source(model, unitName: unit?.name ?? "")
    }

    public func sources(in scope: Scope) async throws -> [Source] {
        let roots = scope.roots
        guard !roots.isEmpty else { return [] }
        let models = try await SourceModel.query(on: db).group(.or) { group in
            for root in roots { group.filter(\.$unitPath, .custom("LIKE"), "\(root)%") }
        }.sort(\.$feedbackDate, .descending).sort(\.$numberPrefix).all()
        let names = try await unitNames(Set(models.map(\.unitID)))
        return models.map { Self.source($0, unitName: names[$0.unitID] ?? "") }
    }

    static func source(_ model: SourceModel, unitName: String) -> Source {
        Source(
            id: model.id!, kind: SourceKind(rawValue: model.kind) ?? .inspection, title: model.title,
            issuer: model.issuer, round: model.round, unitID: model.unitID, unitName: unitName,
            feedbackDate: LocalDate(iso: model.feedbackDate)!, reportDue: LocalDate(iso: model.reportDue)!,
            numberPrefix: model.numberPrefix)
    }

    // MARK: Problems

    public func createProblem(_ new: NewProblem, by actor: AuditActor) async throws -> Problem {
        let checked = try Self.validate(new)
        return try await write(actor) { tx in try await self.insert(checked, tx: tx) }
    }

    /// Problems with their tasks, in one transaction: all are stored or none (imports, benchmarks). The same
    /// checks, rows and audit entries as `createProblem` and `createTask` one by one, written a few hundred rows
    /// to a statement: an import of a thousand problems is otherwise eight thousand statements.
    public func createProblems(_ items: [(problem: NewProblem, tasks: [TaskFields])], by actor: AuditActor)
        async throws -> [Problem]
    {
        let checked = try items.map { item in
            for task in item.tasks { try Self.validate(task) }
            return (try Self.validate(item.problem), item.tasks)
        }
        let perSource = Dictionary(grouping: checked, by: \.0.sourceID).mapValues(\.count)
        return try await write(actor) { tx in
            tx.cacheBatchReads()
            var nextNumber: [UUID: Int] = [:]
            var problems: [ProblemModel] = []
            var tasks: [TaskModel] = []
            var created: [Problem] = []
            created.reserveCapacity(checked.count)
            for (new, fields) in checked {
                let (model, source, unit) = try await self.prepare(new, tx: tx)
                if nextNumber[source.id!] == nil {
                    // The whole batch's numbers for this source at once: counters only grow, so they stay unique.
                    nextNumber[source.id!] = try await Self.next(
                        counter: Self.problemCounter(source), count: perSource[new.sourceID] ?? 1, on: tx.db)
                }
                Self.number(model, source: source, sequence: nextNumber[source.id!]!)
                nextNumber[source.id!]! += 1
                let problem = Self.problem(model, unitName: unit.name)
                try await tx.record(
                    "problem.create", entity: "problem", id: model.id!.uuidString, unitPath: unit.path, before: nil,
                    after: problem)
                var own: [TaskModel] = []
                for task in fields {
                    // A new problem is open (workable) and has no tasks yet: positions count from one.
                    let people = try await self.resolvePeople(task, problem: model, tx: tx)
                    let taskModel = self.newTask(problemID: model.id!, task, people, position: own.count + 1, tx: tx)
                    own.append(taskModel)
                    try await tx.record(
                        "task.create", entity: "task", id: taskModel.id!.uuidString, unitPath: unit.path,
                        before: nil, after: try await self.task(taskModel, on: tx.db))
                }
                problems.append(model)
                tasks += own
                created.append(problem)
            }
            for start in stride(from: 0, to: problems.count, by: WriteTransaction.rowsPerStatement) {
                let chunk = Array(problems[start..<min(start + WriteTransaction.rowsPerStatement, problems.count)])
                try await tx.insert(into: ProblemModel.schema, Self.problemColumns, chunk.map(Self.values))
                try await Self.indexSearch(chunk.map { ($0.id!, $0.text, $0.number) }, on: tx.db)
            }
            try await tx.insert(into: TaskModel.schema, Self.taskColumns, tasks.map(Self.values))
            for start in stride(from: 0, to: problems.count, by: WriteTransaction.rowsPerStatement) {
                let chunk = problems[start..<min(start + WriteTransaction.rowsPerStatement, problems.count)]
                try await Self.refreshNextDeadlines(chunk.map { $0.id! }, tx: tx)
            }
            return created
        }
    }

    static func validate(_ new: NewProblem) throws(StoreError) -> NewProblem {
        var checked = new
        checked.text = new.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !checked.text.isEmpty else { throw .invalid(field: "问题描述", message: "不能为空。") }
        guard checked.text.count <= 5_000 else { throw .invalid(field: "问题描述", message: "不能超过 5000 字。") }
        let outline = (new.outlinePath ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard outline.count <= 8, outline.allSatisfy({ $0.count <= 200 }) else {
            throw .invalid(field: "所在章节", message: "层级不超过 8 级，每级不超过 200 字。")
        }
        checked.outlinePath = outline
        guard !new.categoryCode.isEmpty else { throw .invalid(field: "问题类别", message: "不能为空，请选择。") }
        return checked
    }

    func insert(_ new: NewProblem, tx: WriteTransaction) async throws -> Problem {
        let (model, source, unit) = try await prepare(new, tx: tx)
        Self.number(
            model, source: source, sequence: try await Self.next(counter: Self.problemCounter(source), on: tx.db))
        try await model.create(on: tx.db)
        try await Self.indexSearch([(model.id!, model.text, model.number)], on: tx.db)
        let problem = Self.problem(model, unitName: unit.name)
        try await tx.record(
            "problem.create", entity: "problem", id: model.id!.uuidString, unitPath: unit.path, before: nil,
            after: problem)
        return problem
    }

    /// A new problem checked against its source, category and unit, not yet numbered or stored.
    func prepare(_ new: NewProblem, tx: WriteTransaction) async throws -> (ProblemModel, SourceModel, UnitModel) {
        guard let source = try await tx.source(new.sourceID) else {
            throw StoreError.notFound(what: "来源")
        }
        guard try await tx.categoryExists(new.categoryCode) else {
            throw StoreError.invalid(field: "问题类别", message: "「\(new.categoryCode)」不在问题类别表中。")
        }
        let unitID = new.unitID ?? source.unitID
        guard let unit = try await tx.unit(unitID) else { throw StoreError.notFound(what: "单位") }
        try Self.requireActive(unit)
        guard unit.path.hasPrefix(source.unitPath) else {
            throw StoreError.invalid(field: "所属单位", message: "问题所属单位须为来源所针对的单位或其下属单位。")
        }
        let model = ProblemModel()
        model.id = self.ids.next()
        model.sourceID = source.id!
        model.unitID = unitID
        model.unitPath = unit.path
        model.text = new.text
        model.outlinePath = try WriteTransaction.snapshot(new.outlinePath ?? [])
        model.categoryCode = new.categoryCode
        model.status = ProblemStatus.open.rawValue
        model.recurrences = 0
        model.version = 1
        model.createdAt = tx.now
        model.updatedAt = tx.now
        return (model, source, unit)
    }

    static func problemCounter(_ source: SourceModel) -> String { "problem:\(source.id!.uuidString)" }

    static func number(_ model: ProblemModel, source: SourceModel, sequence: Int) {
        model.sequence = sequence
        model.number = "\(source.numberPrefix)-\(ProblemNumber.pad(sequence, 3))"
    }

    /// Every column of a problem row but `next_deadline` (which `refreshNextDeadlines` sets from the tasks), for
    /// inserts written without Fluent (`createProblems`).
    static let problemColumns = [
        "id", "number", "source_id", "unit_id", "unit_path", "sequence", "text", "outline_path", "category_code",
        "status", "recurrences", "closure_statement", "requested_by", "first_reviewed_by", "closed_on", "relapsed_by",
        "version", "created_at", "updated_at", "withdrawn_at", "withdrawn_reason",
    ]

    static func values(_ model: ProblemModel) -> [any SQLExpression] {
        [
            SQLBind(model.id!), SQLBind(model.number), SQLBind(model.sourceID), SQLBind(model.unitID),
            SQLBind(model.unitPath), SQLBind(model.sequence), SQLBind(model.text), SQLBind(model.outlinePath),
            SQLBind(model.categoryCode), SQLBind(model.status), SQLBind(model.recurrences),
            SQLBind(model.closureStatement), SQLBind(model.requestedBy), SQLBind(model.firstReviewedBy),
            SQLBind(model.closedOn), SQLBind(model.relapsedBy), SQLBind(model.version), SQLBind(model.createdAt),
            SQLBind(model.updatedAt), SQLBind(model.withdrawnAt), SQLBind(model.withdrawnReason),
        ]
    }

    public struct ProblemChanges: Codable, Sendable {
        public var text: String?
        public var categoryCode: String?
        public var outlinePath: [String]?
        public init(text: String? = nil, categoryCode: String? = nil, outlinePath: [String]? = nil) {
            self.text = text
            self.categoryCode = categoryCode
            self.outlinePath = outlinePath
        }
    }

    public func updateProblem(_ id: UUID, version: Int, _ changes: ProblemChanges, by actor: AuditActor) async throws
        -> Problem
    {
        if let text = changes.text {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, trimmed.count <= 5_000 else {
                throw StoreError.invalid(field: "问题描述", message: "不能为空，且不超过 5000 字。")
            }
        }
        return try await write(actor) { tx in
            let model = try await Self.problemModel(id, on: tx.db)
            guard model.version == version else { throw StoreError.workflow(.versionConflict(current: model.version)) }
            let unitName = try await UnitModel.find(model.unitID, on: tx.db)?.name ?? ""
            let before = Self.problem(model, unitName: unitName)
            if let text = changes.text { model.text = text.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let code = changes.categoryCode {
                guard try await CategoryModel.find(code, on: tx.db) != nil else {
                    throw StoreError.invalid(field: "问题类别", message: "「\(code)」不在问题类别表中。")
                }
                model.categoryCode = code
            }
            if let outline = changes.outlinePath { model.outlinePath = try WriteTransaction.snapshot(outline) }
            model.version += 1
            model.updatedAt = tx.now
            try await model.save(on: tx.db)
            if changes.text != nil {
                try await Self.indexSearch([(id, model.text, model.number)], on: tx.db)
            }
            let after = Self.problem(model, unitName: unitName)
            try await tx.record(
                "problem.update", entity: "problem", id: id.uuidString, unitPath: model.unitPath, before: before,
                after: after)
            return after
        }
    }

    public func problem(_ id: UUID) async throws -> Problem {
        let model = try await Self.problemModel(id, on: db)
        let unitName = try await UnitModel.find(model.unitID, on: db)?.name ?? ""
        return Self.problem(model, unitName: unitName)
    }

    public func problemDetail(_ id: UUID) async throws -> ProblemDetail {
        let problem = try await self.problem(id)
        let source = try await self.source(problem.sourceID)
        let tasks = try await self.tasks(of: [id])[id] ?? []
        let progressModels = try await ProgressModel.query(on: db).filter(\.$problemID == id)
            .filter(\.$withdrawnAt == nil).sort(\.$onDate).sort(\.$createdAt).all()
        let evidenceModels = try await EvidenceModel.query(on: db).filter(\.$problemID == id)
            .filter(\.$withdrawnAt == nil).sort(\.$createdAt).all()
        let events = try await ClosureEventModel.query(on: db).filter(\.$problemID == id).sort(\.$at).all()
        let names = try await userNames(
            Set(progressModels.map(\.authorID) + evidenceModels.map(\.uploadedBy) + events.map(\.actorID)))
        return ProblemDetail(
            problem: problem, source: source, tasks: tasks,
            progress: progressModels.map {
                ProgressEntry(
                    id: $0.id!, taskID: $0.taskID, date: LocalDate(iso: $0.onDate)!, text: $0.text,
                    authorName: names[$0.authorID] ?? "", recordedAt: $0.createdAt)
            },
            evidence: evidenceModels.map { Self.evidence($0, uploader: names[$0.uploadedBy] ?? "") },
            closureHistory: events.map {
                ClosureEvent(
                    kind: $0.kind, label: Self.closureLabel($0.kind), actorName: names[$0.actorID] ?? "",
                    note: $0.note, fromStatus: ProblemStatus(rawValue: $0.fromStatus) ?? .open,
                    toStatus: ProblemStatus(rawValue: $0.toStatus) ?? .open, at: $0.at)
            })
    }

    static func closureLabel(_ kind: String) -> String {
        switch kind {
        case "request": "申请销号"
        case "approveFirst": "单位审核通过"
        case "approveSecond": "巡察办审核通过"
        case "return": "退回补正"
        case "reopen": "重新打开"
        case "withdraw": "撤回销号申请"
        default: kind
        }
    }

    /// One decoder for every row: making one per problem was a measurable share of reading a large ledger.
    static let outlineDecoder = JSONDecoder()

    static func problemModel(_ id: UUID, on database: any Database) async throws -> ProblemModel {
        guard let model = try await ProblemModel.find(id, on: database) else { throw StoreError.notFound(what: "问题") }
        return model
    }

    static func problem(_ model: ProblemModel, unitName: String) -> Problem {
        let status = ProblemStatus(rawValue: model.status) ?? .open
        let outline =
            model.outlinePath == "[]"
            ? [] : (try? outlineDecoder.decode([String].self, from: Data(model.outlinePath.utf8))) ?? []
        return Problem(
            id: model.id!, number: model.number, sourceID: model.sourceID, unitID: model.unitID, unitName: unitName,
            unitPath: model.unitPath, text: model.text, outlinePath: outline, categoryCode: model.categoryCode,
            status: status, completion: status.completion, recurrences: model.recurrences,
            closureStatement: model.closureStatement, closedOn: model.closedOn.flatMap(LocalDate.init(iso:)),
            requestedBy: model.requestedBy, firstReviewedBy: model.firstReviewedBy, relapsedBy: model.relapsedBy,
            withdrawnReason: model.withdrawnAt == nil ? nil : (model.withdrawnReason ?? ""), createdAt: model.createdAt,
            version: model.version)
    }

    /// Counters only grow, inside the caller's write transaction (which already serialises writers),
    /// so a number once given is never given again. Takes `count` numbers and returns the first.
    static func next(counter key: String, count: Int = 1, on database: any Database) async throws -> Int {
        let sql = database as! any SQLDatabase
        guard
            let row = try await sql.raw(
                """
                INSERT INTO number_counters (\(ident: "key"), value) VALUES (\(bind: key), \(bind: count)) \
                ON CONFLICT (\(ident: "key")) DO UPDATE SET value = number_counters.value + \(bind: count) RETURNING value
                """
            ).first()
        else { throw StoreError.notFound(what: "编号计数器") }
        return try row.decode(column: "value", as: Int.self) - count + 1
    }

    func unitNames(_ ids: Set<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        // SQL rows rather than models: asked on every ledger page (Store.units(in:) says why).
        let rows = try await sql.select().columns("id", "name").from("units").where("id", .in, Array(ids)).all()
        return Dictionary(
            uniqueKeysWithValues: try rows.map {
                (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self))
            })
    }

    func userNames(_ ids: Set<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let models = try await UserModel.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(uniqueKeysWithValues: models.map { ($0.id!, $0.displayName) })
    }

    // MARK: Categories

    public func categories() async throws -> [Category] {
        try await sql.select().columns("code", "name", "group_name").from("categories").orderBy("sort").orderBy("code")
            .all().map {
                Category(
                    code: try $0.decode(column: "code", as: String.self),
                    name: try $0.decode(column: "name", as: String.self),
                    group: try $0.decode(column: "group_name", as: String.self))
            }
    }

    public func saveCategory(_ category: Category, by actor: AuditActor) async throws -> Category {
        guard Category.isWellFormedCode(category.code) else {
            throw StoreError.invalid(field: "类别代码", message: "应为一个大写字母加数字，如 B4。")
        }
        let name = category.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 60 else {
            throw StoreError.invalid(field: "类别名称", message: "不能为空，且不超过 60 字。")
        }
        return try await write(actor) { tx in
            let existing = try await CategoryModel.find(category.code, on: tx.db)
            let before = existing.map { Category(code: $0.id!, name: $0.name, group: $0.groupName) }
            let model = existing ?? CategoryModel()
            if existing == nil {
                model.id = category.code
                model.sort = (try await CategoryModel.query(on: tx.db).max(\.$sort) ?? 0) + 1
            }
            model.name = name
            model.groupName = category.group
            try await model.save(on: tx.db)
            let after = Category(code: category.code, name: name, group: category.group)
            try await tx.record(
                "category.save", entity: "category", id: category.code, unitPath: nil, before: before, after: after)
            return after
        }
    }
}
