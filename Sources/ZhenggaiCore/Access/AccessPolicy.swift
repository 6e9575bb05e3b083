/// What a request wants to do. Every API route and page names exactly one action; docs/permissions.md
/// lists who may do each, and a test checks the two against each other.
public enum Action: String, CaseIterable, Sendable, Codable {
    case read  // see units, sources, problems, ledger, counts, evidence and an item's trail
    case manageUnits
    case manageUsers
    case editCategories
    case createSource
    case editProblem
    case createTask
    case editTask
    case addProgress
    case uploadEvidence
    case requestClosure
    case firstReview
    case secondReview
    case reopen
    case readAuditLog  // the whole chain, not one item's trail
    case supervise  // 督办 and 约谈: press an item or a leader
    case manageRhythm  // the county's deadlines, colours, who is told, and its 周调度/月督查/季通报
    case manageCalendar  // enter or correct the working-day calendar
    case manageReminders  // the group robots messages leave through, and the background jobs
    case publish  // prepare, withdraw a publication; hand out rating codes
    case approvePublication  // the secretary lets a prepared version go out
    case manageAppeals  // 群众诉求: register, dispatch, reject, merge, close, visit back
    case handleAppeals  // the department an appeal was sent to: progress, answer, dispute the dispatch
    case publishAppealFigures  // put a month's appeal figures before the public, correct or withdraw them

    /// The action as the predicate of a sentence: 「您没有权限在这个单位申请销号。」
    public var phrase: String {
        switch self {
        case .read: "查看这些内容"
        case .manageUnits: "管理单位"
        case .manageUsers: "管理用户和人员"
        case .editCategories: "维护问题类别"
        case .createSource: "录入来源"
        case .editProblem: "录入或修改问题"
        case .createTask: "制定整改任务"
        case .editTask: "修改整改任务"
        case .addProgress: "报送整改进展"
        case .uploadEvidence: "上传或撤销佐证材料"
        case .requestClosure: "申请或撤回销号"
        case .firstReview: "进行单位审核（审核1）"
        case .secondReview: "进行巡察办审核（审核2）"
        case .reopen: "重新打开已销号的问题"
        case .readAuditLog: "查看审计日志"
        case .supervise: "督办或约谈"
        case .manageRhythm: "设置整改时限、提醒和调度"
        case .manageCalendar: "维护工作日日历"
        case .manageReminders: "管理提醒渠道和后台任务"
        case .publish: "准备或撤回公开内容"
        case .approvePublication: "审核公开内容"
        case .manageAppeals: "受理、派单或办结群众诉求"
        case .handleAppeals: "办理群众诉求"
        case .publishAppealFigures: "公布群众诉求办理情况"
        }
    }

    public var label: String {
        switch self {
        case .read: "查看"
        case .manageUnits: "管理单位"
        case .manageUsers: "管理用户"
        case .editCategories: "维护问题类别"
        case .createSource: "录入来源"
        case .editProblem: "录入和修改问题"
        case .createTask: "制定整改任务"
        case .editTask: "修改整改任务"
        case .addProgress: "报送整改进展"
        case .uploadEvidence: "上传佐证材料"
        case .requestClosure: "申请销号"
        case .firstReview: "单位审核（审核1）"
        case .secondReview: "巡察办审核（审核2）"
        case .reopen: "重新打开（回头看）"
        case .readAuditLog: "查看审计日志"
        case .supervise: "督办、约谈"
        case .manageRhythm: "整改节奏设置"
        case .manageCalendar: "工作日日历"
        case .manageReminders: "提醒渠道和后台任务"
        case .publish: "公开公示"
        case .approvePublication: "审核公开"
        case .manageAppeals: "诉求受理派单"
        case .handleAppeals: "诉求办理"
        case .publishAppealFigures: "诉求情况公布"
        }
    }
}

/// A role held at a unit; `unitPath` is the unit's materialised path ("/id1/id2/"), so the subtree
/// is every unit whose path starts with it.
public struct RoleGrant: Hashable, Sendable, Codable {
    public var role: Role
    public var unitID: String
    public var unitPath: String

    public init(role: Role, unitID: String, unitPath: String) {
        self.role = role
        self.unitID = unitID
        self.unitPath = unitPath
    }

    public func reaches(_ path: String) -> Bool { path.hasPrefix(unitPath) }
    /// A strict ancestor: the grant sits above the unit, not at it.
    public func isAbove(_ path: String) -> Bool { path.hasPrefix(unitPath) && path != unitPath }
}

public struct Principal: Sendable {
    public var userID: String
    public var grants: [RoleGrant]

    public init(userID: String, grants: [RoleGrant]) {
        self.userID = userID
        self.grants = grants
    }
}

/// What the action is aimed at. `unitPath` is nil for actions aimed at nothing in the tree (listing
/// what one may see); `taskLeaderIDs` are the 责任领导 of the task(s) concerned, for the leader's rule.
public struct AccessTarget: Sendable {
    public var unitPath: String?
    public var taskLeaderIDs: Set<String>

    public init(unitPath: String?, taskLeaderIDs: Set<String> = []) {
        self.unitPath = unitPath
        self.taskLeaderIDs = taskLeaderIDs
    }

    public static let anywhere = AccessTarget(unitPath: nil)
}

/// The one place that says who may do what where. Identity rules of the workflow (the asker never
/// approves) live in `ClosureWorkflow`; this decides role × subtree × action.
public enum AccessPolicy {
    /// Roles that may take an action at all, before looking at where. Kept as data so the permissions
    /// document and its test read the same table.
    public static func roles(for action: Action) -> Set<Role> {
        switch action {
        case .read: Set(Role.allCases)
        case .manageUnits, .manageUsers: [.admin]
        case .editCategories: [.admin, .inspector]
        case .createSource, .editProblem: [.admin, .inspector, .secretary, .clerk]
        case .createTask, .requestClosure: [.admin, .secretary, .clerk]
        case .editTask, .addProgress, .uploadEvidence: [.admin, .secretary, .clerk, .leader]
        case .firstReview: [.secretary]
        case .secondReview: [.inspector, .secretary]
        case .reopen: [.inspector]
        case .readAuditLog: [.admin, .inspector, .supervisor]
        // The supervisor's rights are exactly these: read, the audit log, and pressing (督办, 约谈).
        case .supervise: [.supervisor, .inspector]
        case .manageRhythm: [.admin, .inspector]
        case .manageCalendar, .manageReminders: [.admin]
        case .publish: [.admin, .secretary, .clerk]
        case .approvePublication: [.secretary]
        case .manageAppeals: [.admin, .secretary, .clerk]
        case .handleAppeals: [.admin, .secretary, .clerk, .leader]
        // What goes before the public is answered for by a secretary (or the county's administrator, who
        // keeps the desk), never by the clerk who registers the appeals.
        case .publishAppealFigures: [.admin, .secretary]
        }
    }

    public static func allows(_ principal: Principal, _ action: Action, on target: AccessTarget) -> Bool {
        principal.grants.contains { grant in allows(grant, principal: principal, action, on: target) }
    }

    static func allows(_ grant: RoleGrant, principal: Principal, _ action: Action, on target: AccessTarget) -> Bool {
        guard roles(for: action).contains(grant.role) else { return false }
        // An action aimed at nothing in particular (a list) is filtered by scope afterwards.
        guard let path = target.unitPath else { return true }
        guard grant.reaches(path) else { return false }
        switch (action, grant.role) {
        case (.editTask, .leader), (.addProgress, .leader), (.uploadEvidence, .leader):
            // A leader edits only the items they lead.
            return target.taskLeaderIDs.contains(principal.userID)
        case (.secondReview, .secretary):
            // The superior leader: a secretary above the unit, never the unit's own secretary.
            return grant.isAbove(path)
        default:
            return true
        }
    }
}

/// A refusal by the access policy. It names the action, never the target: the answer must not tell the
/// caller anything about a unit outside their scope.
public struct AccessDenied: Error, Equatable, Sendable {
    public var action: Action
    public init(_ action: Action) { self.action = action }
    public var userMessage: String { "您没有权限在这个单位\(action.phrase)。如确需办理，请联系本单位的系统管理员。" }
}

extension AccessPolicy {
    public static func check(_ principal: Principal, _ action: Action, on target: AccessTarget) throws(AccessDenied) {
        guard allows(principal, action, on: target) else { throw AccessDenied(action) }
    }
}
