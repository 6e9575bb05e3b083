/// Every refused transition is a value with a sentence the user reads; the edge maps it to 409/422.
public enum WorkflowError: Error, Equatable, Sendable {
    case notWorkable(ProblemStatus)
    case closureNeedsStatement
    case closureNeedsTask
    case tasksNotCompleted(count: Int)
    case closureNeedsEvidence
    case notAwaitingReview(ProblemStatus)
    case stageMoved(expected: ClosureWorkflow.Stage, current: ProblemStatus)
    case requesterCannotReview
    case noFirstReviewer(askerIsSecretary: Bool)
    case noSecondReviewer
    case onlyRequesterWithdraws
    case sameReviewerTwice
    case returnNeedsReason
    case notClosed(ProblemStatus)
    case reopenNeedsReason
    case ongoingTaskCannotComplete
    case taskAlreadyCompleted
    case versionConflict(current: Int)

    public var userMessage: String {
        switch self {
        case .notWorkable(let status):
            "该问题当前状态为「\(status.label)」，不能修改整改任务或进展；如需修改，请先由审核人退回。"
        case .closureNeedsStatement: "申请销号须填写整改结果说明。"
        case .closureNeedsTask: "该问题尚无整改任务，不能申请销号。"
        case .tasksNotCompleted(let count): "还有 \(count) 项整改任务未完成，不能申请销号。"
        case .closureNeedsEvidence: "限期整改和长期坚持的问题申请销号须附佐证材料。"
        case .notAwaitingReview(let status): "该问题当前状态为「\(status.label)」，不在待审核环节。"
        case .stageMoved(let expected, let current):
            "该问题已不在「\(expected.label)」环节（当前为「\(current.label)」），可能已被他人审核；本次操作未生效，请刷新后查看。"
        case .requesterCannotReview: "销号申请人不能审核自己的申请。"
        case .noFirstReviewer(let askerIsSecretary):
            askerIsSecretary
                ? "您是本单位唯一可做单位审核（审核1）的党组织书记，自己申请将无人能审核。请由经办人申请销号，由您审核。"
                : "本单位还没有可做单位审核（审核1）的党组织书记账号，申请后将无人能审核。请先请管理员为书记开通账号。"
        case .noSecondReviewer: "还没有可做巡察办审核（审核2）的巡察办或上级党组织书记账号，申请后将无人能审核。请先请管理员开通。"
        case .onlyRequesterWithdraws: "只有提出销号申请的人可以撤回申请。"
        case .sameReviewerTwice: "同一人不能同时完成单位审核和巡察办审核。"
        case .returnNeedsReason: "退回补正须写明理由。"
        case .notClosed(let status): "该问题当前状态为「\(status.label)」，尚未销号，无需重新打开。"
        case .reopenNeedsReason: "重新打开须写明理由（如回头看发现的问题反弹情况）。"
        case .ongoingTaskCannotComplete: "长期坚持类任务不能标记为已完成，只能持续报送进展。"
        case .taskAlreadyCompleted: "该任务已标记为完成。"
        case .versionConflict(let current):
            "该记录已被他人修改（当前版本 \(current)），为免覆盖他人的修改，本次保存未生效。请刷新后重新修改。"
        }
    }
}
