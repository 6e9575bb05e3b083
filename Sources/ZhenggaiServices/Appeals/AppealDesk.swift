public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore
import ZhenggaiText

/// The appeals desk (群众诉求闭环, DOMAIN.md §6): 受理 → 派单 → 办理 → 答复 → 办结 → 回访, with 不予受理, 派单异议
/// (the dispatcher decides), 并单 (merged appeals share one handling and each person gets the answer), reopening
/// when a person is dissatisfied for cause, and the step from appeals to the rectification ledger. Time limits
/// count working days on the calendar.
public enum AppealDesk {
    static func refuse(_ message: String) -> StoreError { .invalid(field: "诉求办理", message: message) }

    /// 受理, then 派单 by the routing table when it names a department (the dispatcher can change it).
    public static func register(_ new: NewAppeal, store: Store, by actor: AuditActor) async throws -> Appeal {
        let appeal = try await store.registerAppeal(new, by: actor)
        guard let department = try await store.appealRoute(category: appeal.category, areaPath: appeal.areaPath) else {
            return appeal
        }
        return try await dispatch(appeal.id, to: department, store: store, by: actor, note: "按派单规则自动派单")
    }

    /// 派单 (or 改派 after a dispute): the answer is due in the kind's working days from today. An appeal that
    /// needs several departments has one lead (首接负责制: it answers to the person) and assisting ones (协办),
    /// which see it and report what they did; a new dispatch replaces them.
    public static func dispatch(
        _ id: UUID, to department: UUID, assisting: [UUID] = [], store: Store, by actor: AuditActor, note: String = ""
    ) async throws -> Appeal {
        guard assisting.count <= 10 else { throw refuse("协办单位最多 10 个。") }
        let appeal = try await store.appeal(id)
        let rules = try await store.rhythmSettings(at: appeal.areaPath).settings
        let calendar = try await store.calendar()
        let due = calendar.adding(
            workdays: rules.appealLimits.days(for: appeal.kind, urgent: appeal.urgent), to: store.clock.today())
        let name = try await store.unit(department).name
        let assistNames = try await assisting.filter { $0 != department }.asyncMap { try await store.unit($0).name }
        let assists = assistNames.isEmpty ? "" : "（主办），\(assistNames.joined(separator: "、"))协办"
        return try await store.updateAppeal(id, event: "dispatch", by: actor, assists: assisting) { appeal, now in
            guard appeal.status == .registered || appeal.status == .disputed || appeal.status == .dispatched else {
                throw refuse("当前为「\(appeal.status.label)」，不能派单。")
            }
            appeal.status = .dispatched
            appeal.departmentID = department
            appeal.dispatchedAt = now
            appeal.dueOn = due
            appeal.disputeReason = nil
            return "派单至\(name)\(assists)，\(due.chinese)前答复" + (note.isEmpty ? "" : "（\(note)）")
        }
    }

    /// 不予受理: out of jurisdiction, in litigation, unlawful — the reason is told to the person.
    public static func reject(_ id: UUID, reason: String, store: Store, by actor: AuditActor) async throws -> Appeal {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw refuse("不予受理须写明理由（将告知诉求人）。") }
        return try await store.updateAppeal(id, event: "reject", by: actor) { appeal, now in
            guard appeal.status == .registered || appeal.status == .disputed else {
                throw refuse("当前为「\(appeal.status.label)」，不能不予受理。")
            }
            appeal.status = .rejected
            appeal.rejectReason = reason
            appeal.closedAt = now
            return "不予受理：\(reason)"
        }
    }

    /// 派单异议: the department says the appeal is not theirs; it goes back to the dispatcher.
    public static func dispute(_ id: UUID, reason: String, store: Store, by actor: AuditActor) async throws -> Appeal {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw refuse("派单异议须写明理由。") }
        return try await store.updateAppeal(id, event: "dispute", by: actor) { appeal, _ in
            guard appeal.status == .dispatched else { throw refuse("只有办理中的诉求可以提出派单异议。") }
            appeal.status = .disputed
            appeal.disputeReason = reason
            return "派单异议：\(reason)"
        }
    }

    /// A dated step of the handling (办理过程), kept in the history.
    public static func progress(_ id: UUID, note: String, store: Store, by actor: AuditActor) async throws -> Appeal {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw refuse("请填写办理情况。") }
        return try await store.updateAppeal(id, event: "progress", by: actor) { appeal, _ in
            guard appeal.status == .dispatched else { throw refuse("只有办理中的诉求可以报送办理情况。") }
            return note
        }
    }

    /// 答复: the answer given to the person; appeals merged into this one get the same answer.
    public static func answer(_ id: UUID, text: String, store: Store, by actor: AuditActor) async throws -> Appeal {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw refuse("请填写答复内容。") }
        let answered = try await store.updateAppeal(id, event: "answer", by: actor) { appeal, now in
            guard appeal.status == .dispatched else { throw refuse("当前为「\(appeal.status.label)」，不能答复。") }
            appeal.status = .answered
            appeal.answer = text
            appeal.answeredAt = now
            return "答复：\(text)"
        }
        for merged in try await mergedInto(id, store: store) where merged.status == .merged {
            _ = try await store.updateAppeal(merged.id, event: "answer", by: actor) { appeal, now in
                appeal.answer = text
                appeal.answeredAt = now
                return "并单答复（主诉求 \(answered.number)）：\(text)"
            }
        }
        return answered
    }

    /// 办结; merged appeals are closed with it.
    public static func close(_ id: UUID, store: Store, by actor: AuditActor) async throws -> Appeal {
        let closed = try await store.updateAppeal(id, event: "close", by: actor) { appeal, now in
            guard appeal.status == .answered else { throw refuse("答复后才能办结。") }
            appeal.status = .closed
            appeal.closedAt = now
            return "办结"
        }
        for merged in try await mergedInto(id, store: store) where merged.closedAt == nil {
            _ = try await store.updateAppeal(merged.id, event: "close", by: actor) { appeal, now in
                appeal.closedAt = now
                return "随主诉求 \(closed.number) 办结"
            }
        }
        return closed
    }

    /// 回访: the person's satisfaction on the five levels; dissatisfied for cause reopens the appeal, sent back
    /// to the same department with a new time limit.
    public static func visit(
        _ id: UUID, level: RatingLevel, reason: String, reopen: Bool, store: Store, by actor: AuditActor
    ) async throws -> Appeal {
        let current = try await store.appeal(id)
        guard current.status == .closed || (current.status == .merged && current.closedAt != nil) else {
            throw refuse("办结后才能回访。")
        }
        let visited = try await store.updateAppeal(id, event: "visit", by: actor) { appeal, _ in
            appeal.satisfaction = level.rawValue
            appeal.satisfactionReason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            return "回访：\(level.label)" + (reason.isEmpty ? "" : "（\(reason)）")
        }
        guard reopen else { return visited }
        guard level.rawValue <= RatingLevel.dissatisfied.rawValue, !reason.trimmingCharacters(in: .whitespaces).isEmpty,
            let department = visited.departmentID, visited.status == .closed
        else { throw refuse("不满意并写明理由的，才能重新办理。") }
        _ = try await store.updateAppeal(id, event: "reopen", by: actor) { appeal, _ in
            appeal.status = .dispatched
            appeal.reopened += 1
            appeal.closedAt = nil
            // The earlier answer stays in the history; the appeal waits for a new one.
            appeal.answer = nil
            appeal.answeredAt = nil
            return "诉求人不满意，重新办理：\(reason)"
        }
        let assisting = try await store.appealAssists(id).map(\.departmentID)
        return try await dispatch(
            id, to: department, assisting: assisting, store: store, by: actor, note: "回访不满意，重新办理")
    }

    /// 并单: this appeal is about a matter already open; it is handled there and gets that answer.
    public static func merge(_ id: UUID, into target: UUID, store: Store, by actor: AuditActor) async throws -> Appeal {
        guard id != target else { throw refuse("不能与自身并单。") }
        let main = try await store.appeal(target)
        guard main.status.isOpen, main.mergedInto == nil else { throw refuse("主诉求须是未办结的诉求。") }
        return try await store.updateAppeal(id, event: "merge", by: actor) { appeal, _ in
            guard appeal.status == .registered || appeal.status == .dispatched || appeal.status == .disputed else {
                throw refuse("当前为「\(appeal.status.label)」，不能并单。")
            }
            appeal.status = .merged
            appeal.mergedInto = target
            return "并入 \(main.number) 办理"
        }
    }

    static func mergedInto(_ id: UUID, store: Store) async throws -> [Appeal] {
        try await store.appeals(in: .everything, limit: 100_000).filter { $0.mergedInto == id }
    }

    /// Open appeals of the same area (the area's parent subtree) that say the same thing: proposed for 并单, a
    /// person decides. The similarity engine's calibrated floors apply.
    public static func mergeCandidates(for appeal: Appeal, store: Store) async throws -> [(
        appeal: Appeal, score: Double
    )] {
        let area = try await store.unit(appeal.areaID)
        let parentPath = try await area.parentID.asyncMap { try await store.unit($0).path } ?? area.path
        let open = try await store.appeals(in: Scope(subtree: parentPath), limit: 5_000).filter {
            $0.id != appeal.id && $0.status.isOpen && $0.status != .merged
        }
        guard !open.isEmpty else { return [] }
        var builder = SimilarityIndex.Builder(configuration: SimilarityConfiguration())
        for (index, other) in open.enumerated() {
            builder.add(
                SimilarityProblem(
                    id: other.id.uuidString, unit: other.areaID.uuidString, date: other.receivedAt, text: other.text),
                sequence: UInt64(index + 1))
        }
        let index = builder.build()
        let found = index.search(
            appeal.text,
            in: SimilarityScope(unit: appeal.areaID.uuidString, parentSubtree: Set(open.map(\.areaID.uuidString))),
            limit: 5, excluding: appeal.id.uuidString)
        return found.compactMap { match in
            open.first { $0.id.uuidString == match.id }.map { ($0, match.score) }
        }
    }

    /// From appeals to the ledger: a problem in the area's township, in its 「群众诉求」 source (made on first
    /// use), linked both ways; closing the problem answers the appeals.
    public static func toProblem(
        _ ids: [UUID], text: String, categoryCode: String, store: Store, by actor: AuditActor
    ) async throws -> Problem {
        let appeals = try await ids.asyncMap { try await store.appeal($0) }
        guard let first = appeals.first else { throw refuse("请选择诉求。") }
        guard appeals.allSatisfy({ $0.problemID == nil }) else { throw refuse("所选诉求已转入整改台账。") }
        // The township (or the area itself when it is one) keeps the problem.
        let units = try await store.units(in: .everything)
        let area = try await store.unit(first.areaID)
        let township =
            units.filter { area.path.hasPrefix($0.path) && ($0.kind == .township || $0.kind == .department) }
            .max { $0.path.count < $1.path.count } ?? area
        let title = "群众诉求反映的问题（\(township.name)）"
        let source = try await store.sources(in: Scope(subtree: township.path)).first {
            $0.kind == .appeals && $0.unitID == township.id
        }
        let target: Source
        if let source {
            target = source
        } else {
            target = try await store.createSource(
                NewSource(
                    kind: .appeals, title: title, issuer: "群众诉求", round: nil, unitID: township.id,
                    feedbackDate: store.clock.today()), by: actor)
        }
        let problem = try await store.createProblem(
            NewProblem(sourceID: target.id, unitID: area.id, text: text, categoryCode: categoryCode), by: actor)
        for appeal in appeals {
            _ = try await store.updateAppeal(appeal.id, event: "ledger", by: actor) { value, _ in
                value.problemID = problem.id
                return "转入整改台账：问题 \(problem.number)"
            }
        }
        return problem
    }

    /// The problem was closed (销号): its appeals are answered with the closure statement and closed.
    public static func problemClosed(_ problem: Problem, store: Store, by actor: AuditActor) async throws {
        let linked = try await store.appeals(in: .everything, limit: 100_000).filter {
            $0.problemID == problem.id && $0.status == .dispatched
        }
        for appeal in linked {
            _ = try await answer(
                appeal.id, text: "已作为整改问题 \(problem.number) 整改销号：\(problem.closureStatement ?? "已完成整改。")",
                store: store, by: actor)
            _ = try await close(appeal.id, store: store, by: actor)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
