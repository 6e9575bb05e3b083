/// Whether the work was done by its 时限. Lateness is kept after the work is done: a task finished 12 days
/// after its deadline is 逾期完成 in every ledger, report and count, never plain 已完成.
public enum Timeliness: String, Codable, Sendable, CaseIterable {
    /// Not done yet, not past any deadline (or no deadline).
    case pending
    /// Not done, and past a deadline: 逾期未完成.
    case overdue
    /// Done by the deadline: 按期完成.
    case onTime
    /// Done after the deadline: 逾期完成.
    case late

    public var label: String {
        switch self {
        case .pending: "未到期"
        case .overdue: "逾期未完成"
        case .onTime: "按期完成"
        case .late: "逾期完成"
        }
    }

    /// One task: an ongoing (长期坚持) task has no deadline to miss or meet.
    public static func of(_ task: RectificationTask, today: LocalDate) -> Timeliness {
        guard task.kind != .ongoing, let deadline = task.deadline else { return .pending }
        if task.status == .completed {
            guard let done = task.completedOn else { return .onTime }
            return done > deadline ? .late : .onTime
        }
        return deadline < today ? .overdue : .pending
    }

    /// A problem: done only when closed (or closed in stages); late when any of its tasks was done late;
    /// overdue while any task is past its deadline and the problem is not closed.
    public static func of(_ status: ProblemStatus, tasks: [RectificationTask], today: LocalDate) -> Timeliness {
        let each = tasks.map { of($0, today: today) }
        if status.completion != .notCompleted { return each.contains(.late) ? .late : .onTime }
        return each.contains(.overdue) ? .overdue : .pending
    }
}

/// The words one ledger uses for where an item stands: the completion words of its source kind (巡察:
/// 完成整改 / 基本完成并持续整改 / 未完成; 审计: 已整改 / 持续整改 / 未整改 — docs/status-words.md maps
/// them), then, in brackets, only what adds to them: the review stage, 退回补正, 重新整改, 逾期.
public enum StatusWords {
    public static func describe(_ status: ProblemStatus, kind: SourceKind, timeliness: Timeliness) -> String {
        let (word, notes) = parts(status, kind: kind, timeliness: timeliness)
        return notes.isEmpty ? word : "\(word)（\(notes.joined(separator: "，"))）"
    }

    /// The completion word and what is added to it, for text that is already in brackets (a report line).
    public static func parts(_ status: ProblemStatus, kind: SourceKind, timeliness: Timeliness) -> (
        word: String, notes: [String]
    ) {
        var notes: [String] = []
        switch status {
        case .pendingFirstReview, .pendingSecondReview, .returned, .reopened: notes.append(status.label)
        case .open, .closed, .stageCompleted: break
        }
        // 未完成（逾期）, 完成整改（逾期完成）: the word already says whether it is done.
        if timeliness == .overdue { notes.append("逾期") }
        if timeliness == .late { notes.append(timeliness.label) }
        return (status.completion.label(for: kind), notes)
    }
}
