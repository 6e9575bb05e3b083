import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

extension Store {
    static func validate(_ fields: TaskFields) throws(StoreError) {
        let measure = fields.measure.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !measure.isEmpty, measure.count <= 5_000 else {
            throw .invalid(field: "整改措施", message: "不能为空，且不超过 5000 字。")
        }
        guard !fields.leadUnit.trimmingCharacters(in: .whitespaces).isEmpty, fields.leadUnit.count <= 200 else {
            throw .invalid(field: "责任单位", message: "不能为空，且不超过 200 字。")
        }
        // A 责任人 may be left to be decided (a measure taken over from a document, assigned in bulk later).
        guard fields.assignee.count <= 100 else {
            throw .invalid(field: "责任人", message: "请从人员中选择；本系统以外的人员可直接填写姓名（不超过 100 字）。")
        }
        if (fields.supportingUnits ?? "").count > 500 {
            throw .invalid(field: "配合单位", message: "不超过 500 字。")
        }
        if fields.kind != .ongoing && fields.deadline == nil {
            throw .invalid(field: "完成时限", message: "立行立改和限期整改的任务须填写完成时限。")
        }
    }

    /// The 责任领导 and the 责任人 as people: the leader must be a person of the inspected unit (the source's
    /// unit or one below it), and so must a chosen 责任人; anyone else is refused the same way whether they
    /// exist or not, so a forged id learns nothing. A 责任人 outside the system stays as typed text.
    struct ResolvedPeople {
        var leaderPersonID: UUID?
        var leaderUserID: UUID?
        var assigneePersonID: UUID?
        var assignee: String
    }

    func resolvePeople(_ fields: TaskFields, problem: ProblemModel, tx: WriteTransaction) async throws
        -> ResolvedPeople
    {
        let database = tx.db
        guard let source = try await tx.source(problem.sourceID), let unit = try await tx.unit(source.unitID)
        else { throw StoreError.notFound(what: "来源") }
        func inside(_ person: PersonModel?) async throws -> PersonModel? {
            guard let person, let path = try await tx.unit(person.unitID)?.path,
                path.hasPrefix(unit.path)
            else { return nil }
            return person
        }
        var resolved = ResolvedPeople(assignee: fields.assignee.trimmingCharacters(in: .whitespacesAndNewlines))
        if let id = fields.leaderPersonID {
            guard let person = try await inside(try await PersonModel.find(id, on: database)) else {
                throw StoreError.invalid(field: "责任领导", message: "须是「\(unit.name)」或其下属单位的人员，请从列表中选择。")
            }
            resolved.leaderPersonID = person.id
            resolved.leaderUserID = person.userID
        } else if let userID = fields.leaderID {
            let person = try await PersonModel.query(on: database).filter(\.$userID == userID).first()
            guard let person = try await inside(person) else {
                throw StoreError.invalid(field: "责任领导", message: "须是「\(unit.name)」或其下属单位的人员，请从列表中选择。")
            }
            resolved.leaderPersonID = person.id
            resolved.leaderUserID = userID
        }
        if let id = fields.assigneePersonID {
            guard let person = try await inside(try await PersonModel.find(id, on: database)) else {
                throw StoreError.invalid(field: "责任人", message: "须是「\(unit.name)」或其下属单位的人员，请从列表中选择。")
            }
            resolved.assigneePersonID = person.id
            resolved.assignee = person.name
        }
        return resolved
    }

    /// The people who may be a problem's 责任领导 (the rule of `checkLeader`), for the pickers.
    public func leaderCandidates(problemID: UUID) async throws -> [User] {
        let problem = try await Self.problemModel(problemID, on: db)
        guard let source = try await SourceModel.find(problem.sourceID, on: db),
            let unit = try await UnitModel.find(source.unitID, on: db)
        else { throw StoreError.notFound(what: "来源") }
        return try await users(in: Scope(subtree: unit.path))
    }

    /// The people who may be named on a problem's tasks (责任领导 and 责任人), for the pickers.
    public func taskPeople(problemID: UUID) async throws -> [Person] {
        let problem = try await Self.problemModel(problemID, on: db)
        guard let source = try await SourceModel.find(problem.sourceID, on: db),
            let unit = try await UnitModel.find(source.unitID, on: db)
        else { throw StoreError.notFound(what: "来源") }
        return try await people(in: Scope(subtree: unit.path))
    }

    public func createTask(problemID: UUID, _ fields: TaskFields, by actor: AuditActor) async throws
        -> RectificationTask
    {
        try Self.validate(fields)
        return try await write(actor) { tx in try await self.insertTask(problemID: problemID, fields, tx: tx) }
    }

    func insertTask(problemID: UUID, _ fields: TaskFields, tx: WriteTransaction) async throws -> RectificationTask {
        let problem = try await Self.problemModel(problemID, on: tx.db)
        let status = ProblemStatus(rawValue: problem.status) ?? .open
        guard status.isWorkable else { throw StoreError.workflow(.notWorkable(status)) }
        let people = try await resolvePeople(fields, problem: problem, tx: tx)
        let model = newTask(
            problemID: problemID, fields, people,
            position: try await TaskModel.query(on: tx.db).filter(\.$problemID == problemID).count() + 1, tx: tx)
        try await model.create(on: tx.db)
        try await Self.refreshNextDeadline(problemID, tx: tx)
        let task = try await self.task(model, on: tx.db)
        try await tx.record(
            "task.create", entity: "task", id: model.id!.uuidString, unitPath: problem.unitPath, before: nil,
            after: task)
        return task
    }

    func newTask(
        problemID: UUID, _ fields: TaskFields, _ people: ResolvedPeople, position: Int, tx: WriteTransaction
    ) -> TaskModel {
        let model = TaskModel()
        model.id = ids.next()
        model.problemID = problemID
        model.position = position
        Self.apply(fields, people, to: model)
        model.status = TaskStatus.inProgress.rawValue
        model.version = 1
        model.createdAt = tx.now
        model.updatedAt = tx.now
        return model
    }

    /// Every column of a task row, for inserts written without Fluent (`createProblems`).
    static let taskColumns = [
        "id", "problem_id", "measure", "kind", "leader_id", "leader_person_id", "lead_unit", "supporting_units",
        "assignee", "assignee_person_id", "deadline", "status", "completed_on", "position", "version", "created_at",
        "updated_at", "withdrawn_at", "withdrawn_reason",
    ]

    static func values(_ model: TaskModel) -> [any SQLExpression] {
        [
            SQLBind(model.id!), SQLBind(model.problemID), SQLBind(model.measure), SQLBind(model.kind),
            SQLBind(model.leaderID), SQLBind(model.leaderPersonID), SQLBind(model.leadUnit),
            SQLBind(model.supportingUnits), SQLBind(model.assignee), SQLBind(model.assigneePersonID),
            SQLBind(model.deadline), SQLBind(model.status), SQLBind(model.completedOn), SQLBind(model.position),
            SQLBind(model.version), SQLBind(model.createdAt), SQLBind(model.updatedAt), SQLBind(model.withdrawnAt),
            SQLBind(model.withdrawnReason),
        ]
    }

    /// Saves a task only if nobody saved it since `version` was read: the second of two people editing
    /// at once gets a conflict instead of silently overwriting the first.
    public func updateTask(_ id: UUID, version: Int, _ fields: TaskFields, by actor: AuditActor) async throws
        -> RectificationTask
    {
        try Self.validate(fields)
        return try await write(actor) { tx in
            let problemID = try await Self.taskModel(id, on: tx.db).problemID
            return try await self.updateTask(id, version: version, fields, problemID: problemID, tx: tx)
        }
    }

    /// The one task update, for the edit form, the API and the ledger import alike.
    @discardableResult
    func updateTask(_ id: UUID, version: Int, _ fields: TaskFields, problemID: UUID, tx: WriteTransaction)
        async throws -> RectificationTask
    {
        let model = try await Self.taskModel(id, on: tx.db)
        guard model.problemID == problemID else { throw StoreError.notFound(what: "该问题下的整改任务") }
        guard model.version == version else { throw StoreError.workflow(.versionConflict(current: model.version)) }
        let problem = try await Self.problemModel(model.problemID, on: tx.db)
        let status = ProblemStatus(rawValue: problem.status) ?? .open
        guard status.isWorkable else { throw StoreError.workflow(.notWorkable(status)) }
        if fields.kind == .ongoing && model.status == TaskStatus.completed.rawValue {
            throw StoreError.workflow(.ongoingTaskCannotComplete)
        }
        let people = try await resolvePeople(fields, problem: problem, tx: tx)
        let before = try await task(model, on: tx.db)
        Self.apply(fields, people, to: model)
        model.version += 1
        model.updatedAt = tx.now
        try await model.save(on: tx.db)
        try await Self.refreshNextDeadline(model.problemID, tx: tx)
        let after = try await task(model, on: tx.db)
        try await tx.record(
            "task.update", entity: "task", id: id.uuidString, unitPath: problem.unitPath, before: before, after: after)
        return after
    }

    public func completeTask(_ id: UUID, version: Int, by actor: AuditActor) async throws -> RectificationTask {
        try await write(actor) { tx in
            let model = try await Self.taskModel(id, on: tx.db)
            guard model.version == version else { throw StoreError.workflow(.versionConflict(current: model.version)) }
            let problem = try await Self.problemModel(model.problemID, on: tx.db)
            let next: TaskStatus
            do {
                next = try ClosureWorkflow().completeTask(
                    problemStatus: ProblemStatus(rawValue: problem.status) ?? .open,
                    kind: RectificationKind(rawValue: model.kind) ?? .scheduled,
                    status: TaskStatus(rawValue: model.status) ?? .inProgress)
            } catch let error as WorkflowError { throw StoreError.workflow(error) }
            let before = try await self.task(model, on: tx.db)
            model.status = next.rawValue
            model.completedOn = LocalDate(tx.now).iso
            model.version += 1
            model.updatedAt = tx.now
            try await model.save(on: tx.db)
            try await Self.refreshNextDeadline(model.problemID, tx: tx)
            let after = try await self.task(model, on: tx.db)
            try await tx.record(
                "task.complete", entity: "task", id: id.uuidString, unitPath: problem.unitPath, before: before,
                after: after)
            return after
        }
    }

    public func task(_ id: UUID) async throws -> RectificationTask {
        try await task(try await Self.taskModel(id, on: db), on: db)
    }

    /// The problem a task belongs to, and its leader, for the access check before anything else happens.
    public func taskContext(_ id: UUID) async throws -> (problem: Problem, leaderID: UUID?) {
        let model = try await Self.taskModel(id, on: db)
        return (try await problem(model.problemID), model.leaderID)
    }

    /// Where a task's problem stands and who leads the task, in one statement: the gate asks this before
    /// every progress entry, and a burst of them before a 周调度 should not build three models each.
    public func taskAccess(_ id: UUID) async throws -> (unitPath: String, leaderID: UUID?) {
        guard
            let row = try await sql.raw(
                """
                SELECT p.unit_path, t.leader_id FROM tasks t JOIN problems p ON p.id = t.problem_id \
                WHERE t.id = \(bind: id)
                """
            ).first()
        else { throw StoreError.notFound(what: "整改任务") }
        return (
            try row.decode(column: "unit_path", as: String.self), try row.decode(column: "leader_id", as: UUID?.self)
        )
    }

    public func leaderIDs(ofProblem id: UUID) async throws -> Set<UUID> {
        Set(try await TaskModel.query(on: db).filter(\.$problemID == id).all().compactMap(\.leaderID))
    }

    /// The tasks of many problems at once. Read with SQLKit, not as Fluent models: building a model runs
    /// reflection per row, which dominated reading a whole ledger (exports, large pages).
    func tasks(of problemIDs: [UUID]) async throws -> [UUID: [RectificationTask]] {
        guard !problemIDs.isEmpty else { return [:] }
        var rows: [any SQLRow] = []
        for start in stride(from: 0, to: problemIDs.count, by: 2_000) {
            let chunk = Array(problemIDs[start..<min(start + 2_000, problemIDs.count)])
            rows += try await sql.select()
                .columns(
                    "id", "problem_id", "measure", "kind", "leader_id", "leader_person_id", "lead_unit",
                    "supporting_units",
                    "assignee", "assignee_person_id", "deadline", "status", "completed_on", "version", "position",
                    "created_at"
                )
                .from("tasks").where("problem_id", .in, chunk).where("withdrawn_at", .is, SQLLiteral.null)
                .all()
        }
        struct Row {
            var problemID: UUID
            var position: Int
            var createdAt: Date
            var task: RectificationTask
        }
        var decoded: [Row] = []
        decoded.reserveCapacity(rows.count)
        var leaderIDs: Set<UUID> = []
        for row in rows {
            let kind = RectificationKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .scheduled
            let status = TaskStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .inProgress
            let leaderID = try row.decode(column: "leader_id", as: UUID?.self)
            let leaderPersonID = try row.decode(column: "leader_person_id", as: UUID?.self)
            if let leaderPersonID { leaderIDs.insert(leaderPersonID) }
            let problemID = try row.decode(column: "problem_id", as: UUID.self)
            decoded.append(
                Row(
                    problemID: problemID, position: try row.decode(column: "position", as: Int.self),
                    createdAt: try row.decode(column: "created_at", as: Date.self),
                    task: RectificationTask(
                        id: try row.decode(column: "id", as: UUID.self), problemID: problemID,
                        measure: try row.decode(column: "measure", as: String.self), kind: kind, leaderID: leaderID,
                        leaderPersonID: leaderPersonID, leaderName: nil,
                        leadUnit: try row.decode(column: "lead_unit", as: String.self),
                        supportingUnits: try row.decode(column: "supporting_units", as: String.self),
                        assigneePersonID: try row.decode(column: "assignee_person_id", as: UUID?.self),
                        assignee: try row.decode(column: "assignee", as: String.self),
                        deadline: try row.decode(column: "deadline", as: String?.self).flatMap(LocalDate.init(iso:)),
                        status: status,
                        completedOn: try row.decode(column: "completed_on", as: String?.self)
                            .flatMap(LocalDate.init(iso:)),
                        version: try row.decode(column: "version", as: Int.self))))
        }
        decoded.sort {
            ($0.position, $0.createdAt, $0.task.id.uuidString) < ($1.position, $1.createdAt, $1.task.id.uuidString)
        }
        let names = try await personNames(leaderIDs)
        var result: [UUID: [RectificationTask]] = [:]
        for var row in decoded {
            row.task.leaderName = row.task.leaderPersonID.flatMap { names[$0] }
            result[row.problemID, default: []].append(row.task)
        }
        return result
    }

    func task(_ model: TaskModel, on database: any Database) async throws -> RectificationTask {
        var leaderName: String?
        if let id = model.leaderPersonID { leaderName = try await PersonModel.find(id, on: database)?.name }
        return Self.task(model, leaderName: leaderName)
    }

    static func task(_ model: TaskModel, leaderName: String?) -> RectificationTask {
        let kind = RectificationKind(rawValue: model.kind) ?? .scheduled
        let status = TaskStatus(rawValue: model.status) ?? .inProgress
        return RectificationTask(
            id: model.id!, problemID: model.problemID, measure: model.measure, kind: kind, leaderID: model.leaderID,
            leaderPersonID: model.leaderPersonID, leaderName: leaderName, leadUnit: model.leadUnit,
            supportingUnits: model.supportingUnits, assigneePersonID: model.assigneePersonID, assignee: model.assignee,
            deadline: model.deadline.flatMap(LocalDate.init(iso:)), status: status,
            completedOn: model.completedOn.flatMap(LocalDate.init(iso:)),
            version: model.version)
    }

    /// Keeps a problem's earliest open deadline beside it (V3): every task write calls this in its transaction.
    static func refreshNextDeadline(_ problemID: UUID, tx: WriteTransaction) async throws {
        try await refreshNextDeadlines([problemID], tx: tx)
    }

    /// The same for many problems in one statement (a batch of new problems).
    static func refreshNextDeadlines(_ problemIDs: [UUID], tx: WriteTransaction) async throws {
        guard !problemIDs.isEmpty else { return }
        try await tx.sql.raw(
            """
            UPDATE problems SET next_deadline = (SELECT MIN(tasks.deadline) FROM tasks \
            WHERE tasks.problem_id = problems.id AND tasks.status = 'inProgress' AND tasks.kind <> 'ongoing') \
            WHERE id IN (\(binds: problemIDs))
            """
        ).run()
    }

    static func apply(_ fields: TaskFields, _ people: ResolvedPeople, to model: TaskModel) {
        model.measure = fields.measure.trimmingCharacters(in: .whitespacesAndNewlines)
        model.kind = fields.kind.rawValue
        model.leaderPersonID = people.leaderPersonID
        model.leaderID = people.leaderUserID
        model.leadUnit = fields.leadUnit.trimmingCharacters(in: .whitespacesAndNewlines)
        model.supportingUnits = (fields.supportingUnits ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        model.assigneePersonID = people.assigneePersonID
        model.assignee = people.assignee
        model.deadline = fields.deadline?.iso
    }

    static func taskModel(_ id: UUID, on database: any Database) async throws -> TaskModel {
        guard let model = try await TaskModel.find(id, on: database) else { throw StoreError.notFound(what: "整改任务") }
        return model
    }

    // MARK: Progress

    public func addProgress(taskID: UUID, date: LocalDate, text rawText: String, by actor: AuditActor) async throws
        -> ProgressEntry
    {
        let text = rawText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 5_000 else {
            throw StoreError.invalid(field: "整改进展", message: "请写明做了什么，不超过 5000 字。")
        }
        guard let authorID = actor.id else { throw StoreError.invalid(field: "报送人", message: "须由具名用户报送。") }
        return try await write(actor) { tx in
            guard date <= LocalDate(tx.now) else {
                throw StoreError.invalid(field: "进展日期", message: "不能晚于今天。")
            }
            let id = self.ids.next()
            // The task's problem is read, checked and the entry inserted in one statement on PostgreSQL (one
            // round trip while the audit head is held, which every writer waits for); in two on SQLite, whose
            // statements cost no trip. Only the INSERT's own fields are Fluent-free SQL in both.
            let row: any SQLRow
            let inserted: Bool
            if tx.sql.dialect.name == "postgresql" {
                let workable = ProblemStatus.allCases.filter { $0.isWorkable || $0 == .stageCompleted }.map(\.rawValue)
                guard
                    let found = try await tx.sql.raw(
                        """
                        WITH src AS (SELECT p.id, p.status, p.unit_path FROM tasks t JOIN problems p \
                        ON p.id = t.problem_id WHERE t.id = \(bind: taskID)), \
                        ins AS (INSERT INTO progress_entries (id, task_id, problem_id, on_date, text, author_id, \
                        created_at) SELECT \(bind: id), \(bind: taskID), src.id, \(bind: date.iso), \(bind: text), \
                        \(bind: authorID), \(bind: tx.now) FROM src WHERE src.status IN (\(binds: workable)) RETURNING 1) \
                        SELECT src.id, src.status, src.unit_path, (SELECT COUNT(*) FROM ins) AS inserted FROM src
                        """
                    ).first()
                else { throw StoreError.notFound(what: "整改任务") }
                row = found
                inserted = try found.decode(column: "inserted", as: Int.self) > 0
            } else {
                guard
                    let found = try await tx.sql.raw(
                        """
                        SELECT p.id, p.status, p.unit_path FROM tasks t JOIN problems p ON p.id = t.problem_id \
                        WHERE t.id = \(bind: taskID)
                        """
                    ).first()
                else { throw StoreError.notFound(what: "整改任务") }
                row = found
                inserted = false
            }
            let problemID = try row.decode(column: "id", as: UUID.self)
            let status = ProblemStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
            // An ongoing item stays open to progress even after its stage is closed.
            guard status.isWorkable || status == .stageCompleted else {
                throw StoreError.workflow(.notWorkable(status))
            }
            if !inserted {
                try await tx.sql.insert(into: ProgressModel.schema)
                    .columns("id", "task_id", "problem_id", "on_date", "text", "author_id", "created_at")
                    .values(
                        SQLBind(id), SQLBind(taskID), SQLBind(problemID), SQLBind(date.iso), SQLBind(text),
                        SQLBind(authorID), SQLBind(tx.now)
                    )
                    .run()
            }
            let entry = ProgressEntry(
                id: id, taskID: taskID, date: date, text: text, authorName: actor.name, recordedAt: tx.now)
            try await tx.record(
                "progress.add", entity: "problem", id: problemID.uuidString,
                unitPath: try row.decode(column: "unit_path", as: String.self), before: nil, after: entry)
            return entry
        }
    }
}

/// The fields set for many problems at once after a document import: only what is given changes.
public struct BulkAssignment: Sendable {
    public var leaderPersonID: UUID?
    public var leadUnit: String?
    public var supportingUnits: String?
    public var assigneePersonID: UUID?
    public var assignee: String?
    public var deadline: LocalDate?
    /// For a problem without a task: the measure of the task to create (required then).
    public var measure: String?

    public init(
        leaderPersonID: UUID? = nil, leadUnit: String? = nil, supportingUnits: String? = nil,
        assigneePersonID: UUID? = nil, assignee: String? = nil, deadline: LocalDate? = nil, measure: String? = nil
    ) {
        self.leaderPersonID = leaderPersonID
        self.leadUnit = leadUnit
        self.supportingUnits = supportingUnits
        self.assigneePersonID = assigneePersonID
        self.assignee = assignee
        self.deadline = deadline
        self.measure = measure
    }

    public var isEmpty: Bool {
        leaderPersonID == nil && leadUnit == nil && supportingUnits == nil && assigneePersonID == nil && assignee == nil
            && deadline == nil && measure == nil
    }
}

extension Store {
    /// Sets the given fields on every task of the chosen problems, and gives a problem without a task one
    /// (when a measure is given), all in one transaction: every problem or none. A problem under review or
    /// closed is refused by number, as are people outside a problem's inspected unit.
    public func assign(_ bulk: BulkAssignment, to problemIDs: [UUID], by actor: AuditActor) async throws -> (
        updated: Int, created: Int
    ) {
        guard !bulk.isEmpty else {
            throw StoreError.invalid(field: "批量指定", message: "请至少填写一项（责任领导、责任单位、配合单位、责任人或时限）。")
        }
        guard !problemIDs.isEmpty else { throw StoreError.invalid(field: "批量指定", message: "请先勾选问题。") }
        return try await write(actor) { tx in
            var updated = 0
            var created = 0
            for problemID in problemIDs {
                let problem = try await Self.problemModel(problemID, on: tx.db)
                let status = ProblemStatus(rawValue: problem.status) ?? .open
                guard status.isWorkable, problem.withdrawnAt == nil else {
                    throw StoreError.invalid(
                        field: "批量指定", message: "问题 \(problem.number) 当前为「\(status.label)」，不能修改整改任务，本次未作任何修改。")
                }
                let tasks = try await TaskModel.query(on: tx.db).filter(\.$problemID == problemID)
                    .filter(\.$withdrawnAt == nil).sort(\.$position).all()
                if tasks.isEmpty {
                    guard let measure = bulk.measure, !measure.isEmpty else {
                        throw StoreError.invalid(
                            field: "整改措施", message: "问题 \(problem.number) 尚无整改任务：请填写整改措施，以便一并新建。")
                    }
                    let unitName = try await UnitModel.find(problem.unitID, on: tx.db)?.name ?? ""
                    let fields = TaskFields(
                        measure: measure, kind: .scheduled, leaderPersonID: bulk.leaderPersonID,
                        leadUnit: bulk.leadUnit ?? unitName, supportingUnits: bulk.supportingUnits,
                        assigneePersonID: bulk.assigneePersonID, assignee: bulk.assignee ?? "", deadline: bulk.deadline)
                    try Self.validate(fields)
                    _ = try await self.insertTask(problemID: problemID, fields, tx: tx)
                    created += 1
                    continue
                }
                for task in tasks {
                    let current = Self.task(task, leaderName: nil)
                    var fields = TaskFields(
                        measure: current.measure, kind: current.kind, leaderPersonID: current.leaderPersonID,
                        leadUnit: current.leadUnit, supportingUnits: current.supportingUnits,
                        assigneePersonID: current.assigneePersonID,
                        assignee: current.assigneePersonID == nil ? current.assignee : "", deadline: current.deadline)
                    if let value = bulk.leaderPersonID { fields.leaderPersonID = value }
                    if let value = bulk.leadUnit { fields.leadUnit = value }
                    if let value = bulk.supportingUnits { fields.supportingUnits = value }
                    if let value = bulk.assigneePersonID {
                        fields.assigneePersonID = value
                        fields.assignee = ""
                    } else if let value = bulk.assignee {
                        fields.assigneePersonID = nil
                        fields.assignee = value
                    }
                    if let value = bulk.deadline, current.kind != .ongoing { fields.deadline = value }
                    try Self.validate(fields)
                    _ = try await self.updateTask(
                        task.id!, version: task.version, fields, problemID: problemID, tx: tx)
                    updated += 1
                }
            }
            return (updated, created)
        }
    }
}
