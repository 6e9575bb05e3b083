import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

/// What can be withdrawn (撤销) when it was entered by mistake: a problem (an import run twice), a task, a
/// progress entry, an evidence file.
public enum WithdrawalKind: String, Codable, Sendable, CaseIterable {
    case problem, task, progress, evidence

    public var label: String {
        switch self {
        case .problem: "问题"
        case .task: "整改任务"
        case .progress: "整改进展"
        case .evidence: "佐证材料"
        }
    }
}

/// Something withdrawn, as the problem page lists it for restoring.
public struct WithdrawnItem: Codable, Sendable, Equatable {
    public var kind: WithdrawalKind
    public var id: UUID
    public var text: String
    public var reason: String
    public var at: Date
}

extension Store {
    /// Withdraws an entry made by mistake. Only the one who entered it, or an admin of the unit
    /// (`asAdmin`, decided by the caller's grants), and only while nothing depends on it: never on an item
    /// under review or closed (a reviewed closure is not undone this way), never a problem others have worked
    /// on, never a task with progress. The row stays, marked; every list, count and report leaves it out; the
    /// audit log keeps both the entry and its withdrawal, and `restore` brings it back.
    public func withdraw(
        _ kind: WithdrawalKind, _ id: UUID, reason rawReason: String, asAdmin: Bool, by actor: AuditActor
    )
        async throws
    {
        let reason = rawReason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw StoreError.invalid(field: "撤销理由", message: "请写明撤销的理由（如“重复导入”），不超过 500 字。")
        }
        try await write(actor) { tx in
            let (problem, author) = try await self.withdrawalSubject(kind, id, on: tx.db)
            guard asAdmin || (author != nil && author == actor.id) else {
                throw StoreError.invalid(field: "撤销", message: "只有录入人或管理员可以撤销。")
            }
            let status = ProblemStatus(rawValue: problem.status) ?? .open
            guard status.isWorkable || (kind == .progress && status == .stageCompleted) else {
                throw StoreError.invalid(
                    field: "撤销", message: "该问题当前为「\(status.label)」，已进入审核或已销号，不能撤销其中的内容。")
            }
            switch kind {
            case .problem:
                let events = try await ClosureEventModel.query(on: tx.db).filter(\.$problemID == id).count()
                let progress = try await ProgressModel.query(on: tx.db).filter(\.$problemID == id)
                    .filter(\.$withdrawnAt == nil).count()
                let evidence = try await EvidenceModel.query(on: tx.db).filter(\.$problemID == id)
                    .filter(\.$withdrawnAt == nil).count()
                guard events == 0, progress == 0, evidence == 0 else {
                    throw StoreError.invalid(
                        field: "撤销", message: "该问题已有整改进展、佐证材料或销号记录，不能整条撤销；请逐项撤销或联系管理员。")
                }
                problem.withdrawnAt = tx.now
                problem.withdrawnReason = reason
                try await problem.save(on: tx.db)
            case .task:
                guard let task = try await TaskModel.find(id, on: tx.db) else {
                    throw StoreError.notFound(what: "整改任务")
                }
                let progress = try await ProgressModel.query(on: tx.db).filter(\.$taskID == id)
                    .filter(\.$withdrawnAt == nil).count()
                guard progress == 0 else {
                    throw StoreError.invalid(field: "撤销", message: "该任务已有 \(progress) 条整改进展，请先撤销进展。")
                }
                task.withdrawnAt = tx.now
                task.withdrawnReason = reason
                try await task.save(on: tx.db)
                try await Self.refreshNextDeadline(task.problemID, tx: tx)
            case .progress:
                guard let entry = try await ProgressModel.find(id, on: tx.db) else {
                    throw StoreError.notFound(what: "整改进展")
                }
                entry.withdrawnAt = tx.now
                entry.withdrawnReason = reason
                try await entry.save(on: tx.db)
            case .evidence:
                guard let file = try await EvidenceModel.find(id, on: tx.db) else {
                    throw StoreError.notFound(what: "佐证材料")
                }
                file.withdrawnAt = tx.now
                file.withdrawnReason = reason
                try await file.save(on: tx.db)
            }
            try await tx.record(
                "\(kind.rawValue).withdraw", entity: kind == .task ? "task" : "problem",
                id: kind == .task ? id.uuidString : problem.id!.uuidString, unitPath: problem.unitPath, before: nil,
                after: ["id": id.uuidString, "reason": reason])
        }
    }

    /// Brings a withdrawn entry back (the same people who may withdraw it).
    public func restore(_ kind: WithdrawalKind, _ id: UUID, asAdmin: Bool, by actor: AuditActor) async throws {
        try await write(actor) { tx in
            let (problem, author) = try await self.withdrawalSubject(kind, id, on: tx.db)
            guard asAdmin || (author != nil && author == actor.id) else {
                throw StoreError.invalid(field: "恢复", message: "只有录入人或管理员可以恢复。")
            }
            if kind != .problem, problem.withdrawnAt != nil {
                throw StoreError.invalid(field: "恢复", message: "所属问题已撤销，请先恢复问题。")
            }
            switch kind {
            case .problem:
                problem.withdrawnAt = nil
                problem.withdrawnReason = nil
                try await problem.save(on: tx.db)
            case .task:
                guard let task = try await TaskModel.find(id, on: tx.db) else {
                    throw StoreError.notFound(what: "整改任务")
                }
                task.withdrawnAt = nil
                task.withdrawnReason = nil
                try await task.save(on: tx.db)
                try await Self.refreshNextDeadline(task.problemID, tx: tx)
            case .progress:
                guard let entry = try await ProgressModel.find(id, on: tx.db) else {
                    throw StoreError.notFound(what: "整改进展")
                }
                entry.withdrawnAt = nil
                entry.withdrawnReason = nil
                try await entry.save(on: tx.db)
            case .evidence:
                guard let file = try await EvidenceModel.find(id, on: tx.db) else {
                    throw StoreError.notFound(what: "佐证材料")
                }
                file.withdrawnAt = nil
                file.withdrawnReason = nil
                try await file.save(on: tx.db)
            }
            try await tx.record(
                "\(kind.rawValue).restore", entity: kind == .task ? "task" : "problem",
                id: kind == .task ? id.uuidString : problem.id!.uuidString, unitPath: problem.unitPath, before: nil,
                after: ["id": id.uuidString])
        }
    }

    /// The problem an entry belongs to (for the access check and the rules), and who entered the entry.
    func withdrawalSubject(_ kind: WithdrawalKind, _ id: UUID, on database: any Database) async throws -> (
        ProblemModel, UUID?
    ) {
        switch kind {
        case .problem:
            let problem = try await Self.problemModel(id, on: database)
            let created = try await AuditEntryModel.query(on: database).filter(\.$entity == "problem")
                .filter(\.$entityID == id.uuidString).filter(\.$action == "problem.create").first()
            return (problem, created?.actorID)
        case .task:
            guard let task = try await TaskModel.find(id, on: database) else {
                throw StoreError.notFound(what: "整改任务")
            }
            let created = try await AuditEntryModel.query(on: database).filter(\.$entity == "task")
                .filter(\.$entityID == id.uuidString).filter(\.$action == "task.create").first()
            return (try await Self.problemModel(task.problemID, on: database), created?.actorID)
        case .progress:
            guard let entry = try await ProgressModel.find(id, on: database) else {
                throw StoreError.notFound(what: "整改进展")
            }
            return (try await Self.problemModel(entry.problemID, on: database), entry.authorID)
        case .evidence:
            guard let file = try await EvidenceModel.find(id, on: database) else {
                throw StoreError.notFound(what: "佐证材料")
            }
            return (try await Self.problemModel(file.problemID, on: database), file.uploadedBy)
        }
    }

    /// The problem an entry belongs to and its unit path, for the gate and the page to go back to.
    /// `leaderIDs` are the 责任领导 logins concerned (the task's own, or those of the problem's tasks for a
    /// progress entry or a file), for the leader's rule at the gate.
    public func withdrawalTarget(_ kind: WithdrawalKind, _ id: UUID) async throws -> (
        problemID: UUID, unitPath: String, leaderIDs: Set<String>
    ) {
        let problem = try await withdrawalSubject(kind, id, on: db).0
        var tasks = TaskModel.query(on: db).filter(\.$problemID == problem.id!)
        if kind == .task { tasks = tasks.filter(\.$id == id) }
        let leaders = try await tasks.all().compactMap { $0.leaderID?.uuidString }
        return (problem.id!, problem.unitPath, Set(leaders))
    }

    /// What was withdrawn on a problem, newest first, for restoring.
    public func withdrawnItems(of problemID: UUID) async throws -> [WithdrawnItem] {
        var items: [WithdrawnItem] = []
        for task in try await TaskModel.query(on: db).filter(\.$problemID == problemID).filter(\.$withdrawnAt != nil)
            .all()
        {
            items.append(
                WithdrawnItem(
                    kind: .task, id: task.id!, text: task.measure, reason: task.withdrawnReason ?? "",
                    at: task.withdrawnAt!))
        }
        for entry in try await ProgressModel.query(on: db).filter(\.$problemID == problemID)
            .filter(\.$withdrawnAt != nil).all()
        {
            items.append(
                WithdrawnItem(
                    kind: .progress, id: entry.id!, text: entry.text, reason: entry.withdrawnReason ?? "",
                    at: entry.withdrawnAt!))
        }
        for file in try await EvidenceModel.query(on: db).filter(\.$problemID == problemID)
            .filter(\.$withdrawnAt != nil).all()
        {
            items.append(
                WithdrawnItem(
                    kind: .evidence, id: file.id!, text: file.fileName, reason: file.withdrawnReason ?? "",
                    at: file.withdrawnAt!))
        }
        return items.sorted { ($0.at, $0.id.uuidString) > ($1.at, $1.id.uuidString) }
    }
}
