import Foundation

/// The 销号 state machine. It sees identities, not roles: who may act at all is the access policy's
/// business; that the asker never approves and the two reviews come from two people is this rule's.
public struct ClosureWorkflow: Sendable {
    public struct TaskSummary: Sendable {
        public var kind: RectificationKind
        public var status: TaskStatus
        public init(kind: RectificationKind, status: TaskStatus) {
            self.kind = kind
            self.status = status
        }
    }

    /// The review in progress: who asked, and who gave the first approval.
    public struct Round: Equatable, Sendable {
        public var requesterID: String
        public var firstReviewerID: String?
        public init(requesterID: String, firstReviewerID: String? = nil) {
            self.requesterID = requesterID
            self.firstReviewerID = firstReviewerID
        }
    }

    /// The review a reviewer means to give. It is named by whoever acts (the route they called, the
    /// button they pressed) and checked against the item's state at the moment of the write, so a first
    /// review that lands after another reviewer moved the item on is refused instead of becoming a second.
    public enum Stage: String, Sendable, CaseIterable, Codable {
        case first, second

        public var status: ProblemStatus { self == .first ? .pendingFirstReview : .pendingSecondReview }
        public var label: String { self == .first ? "单位审核（审核1）" : "巡察办审核（审核2）" }
    }

    public init() {}

    public func requestClosure(
        status: ProblemStatus, tasks: [TaskSummary], evidenceCount: Int, statement: String
    ) throws(WorkflowError) -> ProblemStatus {
        guard status.isWorkable else { throw .notWorkable(status) }
        guard !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .closureNeedsStatement
        }
        guard !tasks.isEmpty else { throw .closureNeedsTask }
        let unfinished = tasks.filter { $0.kind != .ongoing && $0.status != .completed }.count
        guard unfinished == 0 else { throw .tasksNotCompleted(count: unfinished) }
        // Evidence is proportionate (DOMAIN.md §2.5): an item fixed on the spot needs none.
        let needsEvidence = tasks.contains { $0.kind != .immediate }
        if needsEvidence && evidenceCount == 0 { throw .closureNeedsEvidence }
        return .pendingFirstReview
    }

    public func approve(
        stage: Stage, status: ProblemStatus, round: Round, reviewerID: String, tasks: [TaskSummary]
    ) throws(WorkflowError) -> ProblemStatus {
        guard status.isUnderReview else { throw .notAwaitingReview(status) }
        guard status == stage.status else { throw .stageMoved(expected: stage, current: status) }
        guard reviewerID != round.requesterID else { throw .requesterCannotReview }
        if status == .pendingFirstReview { return .pendingSecondReview }
        guard reviewerID != round.firstReviewerID else { throw .sameReviewerTwice }
        return tasks.contains { $0.kind == .ongoing } ? .stageCompleted : .closed
    }

    /// The asker takes the request back while it still waits for the first review; the item is as before.
    public func withdraw(status: ProblemStatus, round: Round, actorID: String, previous: ProblemStatus)
        throws(WorkflowError)
        -> ProblemStatus
    {
        guard status == .pendingFirstReview else { throw .notAwaitingReview(status) }
        guard actorID == round.requesterID else { throw .onlyRequesterWithdraws }
        return previous.isWorkable ? previous : .open
    }

    public func returnForCorrection(
        stage: Stage, status: ProblemStatus, round: Round, reviewerID: String, reason: String
    ) throws(WorkflowError) -> ProblemStatus {
        guard status.isUnderReview else { throw .notAwaitingReview(status) }
        guard status == stage.status else { throw .stageMoved(expected: stage, current: status) }
        guard reviewerID != round.requesterID else { throw .requesterCannotReview }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .returnNeedsReason }
        return .returned
    }

    public func reopen(status: ProblemStatus, reason: String) throws(WorkflowError) -> ProblemStatus {
        guard status == .closed || status == .stageCompleted else { throw .notClosed(status) }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reopenNeedsReason }
        return .reopened
    }

    public func completeTask(
        problemStatus: ProblemStatus, kind: RectificationKind, status: TaskStatus
    ) throws(WorkflowError) -> TaskStatus {
        guard problemStatus.isWorkable else { throw .notWorkable(problemStatus) }
        guard kind != .ongoing else { throw .ongoingTaskCannotComplete }
        guard status != .completed else { throw .taskAlreadyCompleted }
        return .completed
    }
}
