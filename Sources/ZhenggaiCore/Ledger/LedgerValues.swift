public import Foundation

/// The filters every ledger view and report shares. All are optional; `scope` (the subtrees the user may
/// read) is not: it is applied to every query so nothing outside the user's scope is ever counted.
public struct LedgerFilter: Sendable, Hashable {
    public var scope: Scope
    public var sourceID: UUID?
    public var round: Int?
    public var unitPath: String?
    public var categoryCode: String?
    public var statuses: [ProblemStatus]
    public var leaderID: UUID?
    /// 只看我负责的: items where this user is the 责任领导 or the 责任人 of a task.
    public var responsibleUserID: UUID?
    /// Closure requests this user made (still under review, or returned to them).
    public var requestedBy: UUID?
    /// Problems with no task yet: a measure still has to be written.
    public var withoutTasks = false
    public var overdueOn: LocalDate?
    /// Only 逾期完成: closed, with a task done after its deadline.
    public var lateOnly = false
    public var text: String?

    public init(
        scope: Scope, sourceID: UUID? = nil, round: Int? = nil, unitPath: String? = nil, categoryCode: String? = nil,
        statuses: [ProblemStatus] = [], leaderID: UUID? = nil, overdueOn: LocalDate? = nil, text: String? = nil
    ) {
        self.scope = scope
        self.sourceID = sourceID
        self.round = round
        self.unitPath = unitPath
        self.categoryCode = categoryCode
        self.statuses = statuses
        self.leaderID = leaderID
        self.overdueOn = overdueOn
        self.text = text
    }
}

public enum LedgerSort: String, CaseIterable, Sendable, Hashable {
    case number, deadline, status, updated, category
}

public struct LedgerRow: Codable, Sendable {
    public var problem: Problem
    public var sourceTitle: String
    public var sourceKind: SourceKind
    public var round: Int?
    public var tasks: [RectificationTask]
    public var latestProgress: String?
    public var overdue: Bool
    /// 按期完成 / 逾期完成 / 逾期未完成 / 未到期.
    public var timeliness: Timeliness = .pending
    /// What a sheet said when the item was imported (「导入时填报」), apart from reviewed facts.
    public var imported: [ImportedNote] = []

    /// The one status text of a ledger row (StatusWords).
    public var statusText: String {
        StatusWords.describe(problem.status, kind: sourceKind, timeliness: timeliness)
    }

    public init(
        problem: Problem, sourceTitle: String, sourceKind: SourceKind, round: Int? = nil, tasks: [RectificationTask],
        latestProgress: String? = nil, overdue: Bool
    ) {
        self.problem = problem
        self.sourceTitle = sourceTitle
        self.sourceKind = sourceKind
        self.round = round
        self.tasks = tasks
        self.latestProgress = latestProgress
        self.overdue = overdue
    }
}

public struct LedgerPage: Codable, Sendable {
    public var rows: [LedgerRow]
    public var total: Int
    public var page: Int
    public var perPage: Int

    public init(rows: [LedgerRow], total: Int, page: Int, perPage: Int) {
        self.rows = rows
        self.total = total
        self.page = page
        self.perPage = perPage
    }
}

public struct LedgerCounts: Codable, Sendable {
    public struct Bucket: Codable, Sendable {
        public var key: String
        public var label: String
        public var counts: CompletionCounts
        public var rate: String

        public init(key: String, label: String, counts: CompletionCounts, rate: String) {
            self.key = key
            self.label = label
            self.counts = counts
            self.rate = rate
        }
    }
    public var total: Int
    public var completion: CompletionCounts
    public var rate: String
    public var byStatus: [Bucket]
    public var byCategory: [Bucket]
    public var bySource: [Bucket]
    public var byUnit: [Bucket]
    public var overdue: Int
    /// Closed (or closed in stages) after a task's deadline: 逾期完成, kept apart from 按期完成.
    public var lateDone: Int = 0

    public init(
        total: Int, completion: CompletionCounts, rate: String, byStatus: [Bucket], byCategory: [Bucket],
        bySource: [Bucket], byUnit: [Bucket], overdue: Int
    ) {
        self.total = total
        self.completion = completion
        self.rate = rate
        self.byStatus = byStatus
        self.byCategory = byCategory
        self.bySource = bySource
        self.byUnit = byUnit
        self.overdue = overdue
    }
}

/// A task that needs attention on the home page: due soon or overdue.
public struct DueTask: Sendable {
    public var task: RectificationTask
    public var problem: Problem
    public var daysLeft: Int

    public init(task: RectificationTask, problem: Problem, daysLeft: Int) {
        self.task = task
        self.problem = problem
        self.daysLeft = daysLeft
    }
}
