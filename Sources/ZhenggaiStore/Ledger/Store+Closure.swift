import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

extension Store {
    // MARK: Evidence

    public func addEvidence(
        problemID: UUID, taskID: UUID?, fileName rawName: String, data: Data, by actor: AuditActor
    ) async throws -> Evidence {
        let fileName = EvidenceFiles.cleanName(rawName)
        let contentType = try EvidenceFiles.check(
            name: fileName, data: data, limit: configuration.evidenceLimitBytes)
        guard let uploaderID = actor.id else { throw StoreError.invalid(field: "上传人", message: "须由具名用户上传。") }
        let digest = EvidenceFiles.sha256(data)
        // The file is on disk (and synced) before the row that names it commits: a crash in between leaves
        // an unreferenced file, never a row without its file.
        if !configuration.evidenceInDatabase { try writeEvidenceFile(digest, data) }
        return try await write(actor) { tx in
            let problem = try await Self.problemModel(problemID, on: tx.db)
            if let taskID {
                let task = try await Self.taskModel(taskID, on: tx.db)
                guard task.problemID == problemID else {
                    throw StoreError.invalid(field: "整改任务", message: "该任务不属于这个问题。")
                }
            }
            try await self.keepBlob(digest, data, tx: tx)
            let model = EvidenceModel()
            model.id = self.ids.next()
            model.problemID = problemID
            model.taskID = taskID
            model.fileName = fileName
            model.contentType = contentType
            model.size = data.count
            model.sha256 = digest
            model.uploadedBy = uploaderID
            model.createdAt = tx.now
            try await model.create(on: tx.db)
            let evidence = Self.evidence(model, uploader: actor.name)
            try await tx.record(
                "evidence.add", entity: "problem", id: problemID.uuidString, unitPath: problem.unitPath, before: nil,
                after: evidence)
            return evidence
        }
    }

    public func evidence(_ id: UUID) async throws -> Evidence {
        guard let model = try await EvidenceModel.find(id, on: db) else { throw StoreError.notFound(what: "佐证材料") }
        let names = try await userNames([model.uploadedBy])
        return Self.evidence(model, uploader: names[model.uploadedBy] ?? "")
    }

    /// The bytes, from disk or from the database (a restored backup carries its files inside).
    public func evidenceData(_ evidence: Evidence) async throws -> Data { try await fileData(evidence.sha256) }

    /// The bytes of a stored file (a problem's evidence or an appeal's file: one content-addressed store).
    func fileData(_ digest: String) async throws -> Data {
        let path = evidenceFile(digest)
        if let data = FileManager.default.contents(atPath: path.path) { return data }
        if let blob = try await EvidenceBlobModel.find(digest, on: db) { return blob.data }
        logger.error("evidence file missing", metadata: ["sha256": .string(digest)])
        throw StoreError.notFound(what: "佐证材料文件")
    }

    /// With the files kept in the database (several app servers, no shared disk), the bytes are written in
    /// the transaction that names them; on disk they were written and synced before it began.
    func keepBlob(_ digest: String, _ data: Data, tx: WriteTransaction) async throws {
        guard configuration.evidenceInDatabase, try await EvidenceBlobModel.find(digest, on: tx.db) == nil else {
            return
        }
        let blob = EvidenceBlobModel()
        blob.id = digest
        blob.data = data
        blob.size = data.count
        try await blob.create(on: tx.db)
    }

    func evidenceFile(_ digest: String) -> URL {
        evidenceDirectory.appendingPathComponent(String(digest.prefix(2))).appendingPathComponent(digest)
    }

    func writeEvidenceFile(_ digest: String, _ data: Data) throws {
        let target = evidenceFile(digest)
        if FileManager.default.fileExists(atPath: target.path) { return }
        let folder = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(digest).\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw StoreError.invalid(field: "佐证材料", message: "服务器无法写入文件，请联系管理员。")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        do {
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            // Another upload of the same content won the race: its file is the same bytes.
            try? FileManager.default.removeItem(at: temporary)
            if !FileManager.default.fileExists(atPath: target.path) { throw error }
        }
    }

    static func evidence(_ model: EvidenceModel, uploader: String) -> Evidence {
        Evidence(
            id: model.id!, problemID: model.problemID, taskID: model.taskID, fileName: model.fileName,
            contentType: model.contentType, size: model.size, sha256: model.sha256, uploadedBy: uploader,
            uploadedAt: model.createdAt)
    }

    // MARK: Closing (销号)

    public func requestClosure(problemID: UUID, statement: String, by actor: AuditActor) async throws -> Problem {
        try await transition(problemID, kind: "request", note: statement, by: actor) { model, tx in
            let tasks = try await TaskModel.query(on: tx.db).filter(\.$problemID == problemID).all()
            let evidenceCount = try await EvidenceModel.query(on: tx.db).filter(\.$problemID == problemID).count()
            let next = try ClosureWorkflow().requestClosure(
                status: Self.status(model), tasks: tasks.map(Self.summary), evidenceCount: evidenceCount,
                statement: statement)
            try await self.requireReviewers(for: model, asker: actor.id, on: tx.db)
            model.closureStatement = statement.trimmingCharacters(in: .whitespacesAndNewlines)
            model.requestedBy = actor.id
            model.firstReviewedBy = nil
            return next
        }
    }

    /// Approves the named review. The stage is checked against the row read inside the write transaction,
    /// which holds the writer's lock: two reviews racing are serialised, and the later one finds the stage moved.
    public func approveClosure(problemID: UUID, stage: ClosureWorkflow.Stage, by actor: AuditActor) async throws
        -> Problem
    {
        let kind = stage == .first ? "approveFirst" : "approveSecond"
        return try await transition(problemID, kind: kind, note: "", by: actor) { model, tx in
            let tasks = try await TaskModel.query(on: tx.db).filter(\.$problemID == problemID).all()
            let status = Self.status(model)
            let next = try ClosureWorkflow().approve(
                stage: stage, status: status, round: Self.round(model), reviewerID: actor.id?.uuidString ?? "",
                tasks: tasks.map(Self.summary))
            if status == .pendingFirstReview { model.firstReviewedBy = actor.id }
            if next == .closed || next == .stageCompleted { model.closedOn = LocalDate(tx.now).iso }
            return next
        }
    }

    /// The asker withdraws a request nobody has reviewed yet.
    public func withdrawClosure(problemID: UUID, by actor: AuditActor) async throws -> Problem {
        try await transition(problemID, kind: "withdraw", note: "", by: actor) { model, tx in
            // The state before the request, from the request's own audit entry: the chain's order is total,
            // where two events in one millisecond would tie on their timestamps.
            struct Before: Decodable { var status: ProblemStatus }
            let entry = try await AuditEntryModel.query(on: tx.db).filter(\.$entity == "problem")
                .filter(\.$entityID == problemID.uuidString).filter(\.$action == "closure.request")
                .sort(\.$id, .descending).first()
            let previous =
                entry?.before.flatMap { try? JSONDecoder().decode(Before.self, from: Data($0.utf8)).status } ?? .open
            let next = try ClosureWorkflow().withdraw(
                status: Self.status(model), round: Self.round(model), actorID: actor.id?.uuidString ?? "",
                previous: previous)
            model.requestedBy = nil
            model.firstReviewedBy = nil
            return next
        }
    }

    /// No request may leave an item nobody may review: someone other than the asker must be able to give the
    /// first review (a secretary at the unit or above it), and someone the second (an inspector, or a secretary
    /// above the unit). Checked inside the request's transaction, against the accounts as they are now.
    func requireReviewers(for problem: ProblemModel, asker: UUID?, on database: any Database) async throws {
        let path = problem.unitPath
        let rows = try await (database as! any SQLDatabase).raw(
            """
            SELECT g.user_id AS user_id, g.role AS role, n.path AS path
            FROM role_grants g JOIN units n ON n.id = g.unit_id JOIN users u ON u.id = g.user_id
            WHERE u.active = \(bind: true) AND g.role IN ('secretary', 'inspector')
            """
        ).all()
        var first = false
        var second = false
        var askerIsSecretary = false
        for row in rows {
            let userID = try row.decode(column: "user_id", as: UUID.self)
            let role = try row.decode(column: "role", as: String.self)
            let grantPath = try row.decode(column: "path", as: String.self)
            guard path.hasPrefix(grantPath) else { continue }
            if userID == asker {
                if role == "secretary" { askerIsSecretary = true }
                continue
            }
            if role == "secretary" { first = true }
            if role == "inspector" || (role == "secretary" && grantPath != path) { second = true }
        }
        guard first else { throw StoreError.workflow(.noFirstReviewer(askerIsSecretary: askerIsSecretary)) }
        guard second else { throw StoreError.workflow(.noSecondReviewer) }
    }

    public func returnClosure(
        problemID: UUID, stage: ClosureWorkflow.Stage, reason: String, by actor: AuditActor
    ) async throws -> Problem {
        try await transition(problemID, kind: "return", note: reason, by: actor) { model, _ in
            try ClosureWorkflow().returnForCorrection(
                stage: stage, status: Self.status(model), round: Self.round(model),
                reviewerID: actor.id?.uuidString ?? "", reason: reason)
        }
    }

    /// A follow-up check (回头看) found the problem back: the same item, same number, reopened with its
    /// history kept and the recurrence counted.
    public func reopen(problemID: UUID, reason: String, by actor: AuditActor) async throws -> Problem {
        try await transition(problemID, kind: "reopen", note: reason, by: actor) { model, _ in
            let next = try ClosureWorkflow().reopen(status: Self.status(model), reason: reason)
            model.recurrences += 1
            model.closedOn = nil
            model.requestedBy = nil
            model.firstReviewedBy = nil
            return next
        }
    }

    private func transition(
        _ problemID: UUID, kind: String, note: String, by actor: AuditActor,
        _ decide: @escaping @Sendable (ProblemModel, WriteTransaction) async throws -> ProblemStatus
    ) async throws -> Problem {
        guard let actorID = actor.id else { throw StoreError.invalid(field: "操作人", message: "须由具名用户操作。") }
        return try await write(actor) { tx in
            let model = try await Self.problemModel(problemID, on: tx.db)
            let unitName = try await UnitModel.find(model.unitID, on: tx.db)?.name ?? ""
            let before = Self.problem(model, unitName: unitName)
            let next: ProblemStatus
            do { next = try await decide(model, tx) } catch let error as WorkflowError {
                throw StoreError.workflow(error)
            }
            let event = ClosureEventModel()
            event.id = self.ids.next()
            event.problemID = problemID
            event.kind = kind
            event.actorID = actorID
            event.note = note.trimmingCharacters(in: .whitespacesAndNewlines)
            event.fromStatus = model.status
            event.toStatus = next.rawValue
            event.at = tx.now
            try await event.create(on: tx.db)
            model.status = next.rawValue
            model.version += 1
            model.updatedAt = tx.now
            try await model.save(on: tx.db)
            let after = Self.problem(model, unitName: unitName)
            try await tx.record(
                "closure.\(kind)", entity: "problem", id: problemID.uuidString, unitPath: model.unitPath,
                before: before, after: after)
            return after
        }
    }

    static func status(_ model: ProblemModel) -> ProblemStatus { ProblemStatus(rawValue: model.status) ?? .open }

    static func round(_ model: ProblemModel) -> ClosureWorkflow.Round {
        ClosureWorkflow.Round(
            requesterID: model.requestedBy?.uuidString ?? "", firstReviewerID: model.firstReviewedBy?.uuidString)
    }

    static func summary(_ task: TaskModel) -> ClosureWorkflow.TaskSummary {
        .init(
            kind: RectificationKind(rawValue: task.kind) ?? .scheduled,
            status: TaskStatus(rawValue: task.status) ?? .inProgress)
    }

    /// The item's own trail: the problem's entries and those of its tasks.
    public func problemTrail(_ problemID: UUID) async throws -> [AuditEntry] {
        let taskIDs = try await TaskModel.query(on: db).filter(\.$problemID == problemID).all().compactMap {
            $0.id?.uuidString
        }
        return try await AuditEntryModel.query(on: db).group(.or) { group in
            group.group(.and) { $0.filter(\.$entity == "problem").filter(\.$entityID == problemID.uuidString) }
            if !taskIDs.isEmpty {
                group.group(.and) { $0.filter(\.$entity == "task").filter(\.$entityID ~~ taskIDs) }
            }
        }.sort(\.$id).all().map(Self.record)
    }

    /// The latest closure event of a kind for each problem (the reason of the last return, say).
    public func latestClosureEvents(kind: String, of problemIDs: [UUID]) async throws -> [UUID: ClosureEvent] {
        guard !problemIDs.isEmpty else { return [:] }
        let models = try await ClosureEventModel.query(on: db).filter(\.$problemID ~~ problemIDs)
            .filter(\.$kind == kind).sort(\.$at).all()
        let names = try await userNames(Set(models.map(\.actorID)))
        var latest: [UUID: ClosureEvent] = [:]
        for model in models {
            latest[model.problemID] = ClosureEvent(
                kind: model.kind, label: model.kind, actorName: names[model.actorID] ?? "", note: model.note,
                fromStatus: ProblemStatus(rawValue: model.fromStatus) ?? .open,
                toStatus: ProblemStatus(rawValue: model.toStatus) ?? .open, at: model.at)
        }
        return latest
    }
}
