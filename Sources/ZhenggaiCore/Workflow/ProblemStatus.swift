/// Where a problem stands in the closing (销号) workflow of DOMAIN.md §2.6.
public enum ProblemStatus: String, Codable, CaseIterable, Sendable {
    case open  // 整改中
    case returned  // 退回补正: a reviewer sent the closure request back with a reason
    case pendingFirstReview  // 待单位审核 (审核1, the unit's secretary)
    case pendingSecondReview  // 待巡察办审核 (审核2, the inspection office or the superior leader)
    case closed  // 已销号
    case stageCompleted  // 阶段性完成: closed as far as an ongoing (长期坚持) item can be; still ongoing
    case reopened  // 重新整改: a follow-up check (回头看) found it back

    public var label: String {
        switch self {
        case .open: "整改中"
        case .returned: "退回补正"
        case .pendingFirstReview: "待单位审核"
        case .pendingSecondReview: "待巡察办审核"
        case .closed: "已销号"
        case .stageCompleted: "阶段性完成"
        case .reopened: "重新整改"
        }
    }

    /// The states in which the unit is still working on it; tasks and progress may change only here.
    public var isWorkable: Bool {
        switch self {
        case .open, .returned, .reopened: true
        case .pendingFirstReview, .pendingSecondReview, .closed, .stageCompleted: false
        }
    }

    public var isUnderReview: Bool { self == .pendingFirstReview || self == .pendingSecondReview }

    /// What a disclosure reports (DOMAIN.md §2): only a fully closed item counts as done. An ongoing item
    /// closed in stages is "基本完成并持续整改", never "完成".
    public var completion: Completion {
        switch self {
        case .closed: .completed
        case .stageCompleted: .basicallyCompleted
        default: .notCompleted
        }
    }
}

/// The three words of public disclosures, and audit's own three.
public enum Completion: String, Codable, CaseIterable, Sendable {
    case completed, basicallyCompleted, notCompleted

    public var label: String {
        switch self {
        case .completed: "完成整改"
        case .basicallyCompleted: "基本完成并持续整改"
        case .notCompleted: "未完成"
        }
    }

    public var auditLabel: String {
        switch self {
        case .completed: "已整改"
        case .basicallyCompleted: "持续整改"
        case .notCompleted: "未整改"
        }
    }

    public func label(for kind: SourceKind) -> String { kind == .audit ? auditLabel : label }
}

public enum TaskStatus: String, Codable, CaseIterable, Sendable {
    case inProgress  // 推进中
    case completed  // 已完成

    public func label(kind: RectificationKind) -> String {
        switch (self, kind) {
        case (_, .ongoing): "长期坚持"
        case (.inProgress, _): "推进中"
        case (.completed, _): "已完成"
        }
    }
}
