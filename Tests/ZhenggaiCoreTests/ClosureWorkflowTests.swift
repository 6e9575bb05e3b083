import Testing

@testable import ZhenggaiCore

@Suite struct ClosureWorkflowTests {
    let workflow = ClosureWorkflow()
    typealias T = ClosureWorkflow.TaskSummary
    let done = T(kind: .scheduled, status: .completed)
    let ongoing = T(kind: .ongoing, status: .inProgress)

    @Test func closingRunsThroughTwoReviewsByTwoOtherPeople() throws {
        let asked = try workflow.requestClosure(status: .open, tasks: [done], evidenceCount: 1, statement: "已完成")
        #expect(asked == .pendingFirstReview)
        let round = ClosureWorkflow.Round(requesterID: "clerk")
        let first = try workflow.approve(
            stage: .first, status: asked, round: round, reviewerID: "secretary", tasks: [done])
        #expect(first == .pendingSecondReview)
        let second = try workflow.approve(
            stage: .second, status: first, round: .init(requesterID: "clerk", firstReviewerID: "secretary"),
            reviewerID: "inspector", tasks: [done])
        #expect(second == .closed)
        #expect(second.completion == .completed)
    }

    @Test func theAskerNeverApproves() {
        #expect(throws: WorkflowError.requesterCannotReview) {
            try workflow.approve(
                stage: .first, status: .pendingFirstReview, round: .init(requesterID: "u1"), reviewerID: "u1",
                tasks: [done])
        }
        #expect(throws: WorkflowError.requesterCannotReview) {
            try workflow.approve(
                stage: .second, status: .pendingSecondReview, round: .init(requesterID: "u1", firstReviewerID: "u2"),
                reviewerID: "u1", tasks: [done])
        }
    }

    @Test func oneReviewerCannotGiveBothApprovals() {
        #expect(throws: WorkflowError.sameReviewerTwice) {
            try workflow.approve(
                stage: .second, status: .pendingSecondReview, round: .init(requesterID: "u1", firstReviewerID: "u2"),
                reviewerID: "u2", tasks: [done])
        }
    }

    @Test func anOngoingItemClosesOnlyInStagesAndIsNeverCountedDone() throws {
        let result = try workflow.approve(
            stage: .second, status: .pendingSecondReview, round: .init(requesterID: "a", firstReviewerID: "b"),
            reviewerID: "c", tasks: [done, ongoing])
        #expect(result == .stageCompleted)
        #expect(result.completion == .basicallyCompleted)
        #expect(result.completion != .completed)
    }

    @Test func closureNeedsFinishedTasksAStatementAndProportionateEvidence() {
        #expect(throws: WorkflowError.tasksNotCompleted(count: 1)) {
            try workflow.requestClosure(
                status: .open, tasks: [T(kind: .scheduled, status: .inProgress)], evidenceCount: 1, statement: "x")
        }
        #expect(throws: WorkflowError.closureNeedsStatement) {
            try workflow.requestClosure(status: .open, tasks: [done], evidenceCount: 1, statement: "  \n")
        }
        #expect(throws: WorkflowError.closureNeedsTask) {
            try workflow.requestClosure(status: .open, tasks: [], evidenceCount: 1, statement: "x")
        }
        #expect(throws: WorkflowError.closureNeedsEvidence) {
            try workflow.requestClosure(status: .open, tasks: [done], evidenceCount: 0, statement: "x")
        }
        // Fixed on the spot: no evidence demanded.
        #expect(
            (try? workflow.requestClosure(
                status: .open, tasks: [T(kind: .immediate, status: .completed)], evidenceCount: 0, statement: "x"))
                == .pendingFirstReview)
    }

    @Test(arguments: [ProblemStatus.pendingFirstReview, .pendingSecondReview, .closed, .stageCompleted])
    func nothingIsAskedTwiceOrAfterClosing(status: ProblemStatus) {
        #expect(throws: WorkflowError.notWorkable(status)) {
            try workflow.requestClosure(status: status, tasks: [done], evidenceCount: 1, statement: "x")
        }
    }

    @Test func returnNeedsAReasonAndLeadsBackToWork() throws {
        let round = ClosureWorkflow.Round(requesterID: "a")
        #expect(throws: WorkflowError.returnNeedsReason) {
            try workflow.returnForCorrection(
                stage: .first, status: .pendingFirstReview, round: round, reviewerID: "b", reason: "")
        }
        let back = try workflow.returnForCorrection(
            stage: .second, status: .pendingSecondReview, round: round, reviewerID: "c", reason: "佐证材料不全")
        #expect(back == .returned)
        #expect(back.isWorkable)
    }

    @Test func aReviewForAStageTheItemHasLeftIsRefused() {
        let round = ClosureWorkflow.Round(requesterID: "a", firstReviewerID: "b")
        // A first review that lands after the item moved to the second stage must not become the second.
        #expect(throws: WorkflowError.stageMoved(expected: .first, current: .pendingSecondReview)) {
            try workflow.approve(
                stage: .first, status: .pendingSecondReview, round: round, reviewerID: "c", tasks: [done])
        }
        #expect(throws: WorkflowError.stageMoved(expected: .first, current: .pendingSecondReview)) {
            try workflow.returnForCorrection(
                stage: .first, status: .pendingSecondReview, round: round, reviewerID: "c", reason: "x")
        }
        #expect(throws: WorkflowError.stageMoved(expected: .second, current: .pendingFirstReview)) {
            try workflow.approve(
                stage: .second, status: .pendingFirstReview, round: round, reviewerID: "c", tasks: [done])
        }
    }

    @Test func reopenOnlyWhatWasClosedAndWithAReason() throws {
        #expect(throws: WorkflowError.notClosed(.open)) { try workflow.reopen(status: .open, reason: "x") }
        #expect(throws: WorkflowError.reopenNeedsReason) { try workflow.reopen(status: .closed, reason: " ") }
        #expect(try workflow.reopen(status: .stageCompleted, reason: "回头看发现反弹") == .reopened)
    }

    @Test func anOngoingTaskIsNeverMarkedDone() {
        #expect(throws: WorkflowError.ongoingTaskCannotComplete) {
            try workflow.completeTask(problemStatus: .open, kind: .ongoing, status: .inProgress)
        }
        #expect(throws: WorkflowError.notWorkable(.pendingFirstReview)) {
            try workflow.completeTask(problemStatus: .pendingFirstReview, kind: .scheduled, status: .inProgress)
        }
    }

    @Test(arguments: WorkflowError.allSamples)
    func everyRefusalSpeaksChinese(error: WorkflowError) {
        #expect(error.userMessage.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF })
    }
}

extension WorkflowError {
    static let allSamples: [WorkflowError] = [
        .notWorkable(.closed), .closureNeedsStatement, .closureNeedsTask, .tasksNotCompleted(count: 2),
        .closureNeedsEvidence, .notAwaitingReview(.open), .requesterCannotReview, .sameReviewerTwice,
        .returnNeedsReason, .notClosed(.open), .reopenNeedsReason, .ongoingTaskCannotComplete,
        .taskAlreadyCompleted, .versionConflict(current: 3),
    ]
}
