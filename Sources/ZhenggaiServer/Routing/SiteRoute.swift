import Foundation
public import Vapor
public import ZhenggaiCore

/// Every route of the site in one table: pages, forms, files and the JSON API. Each names its method, its
/// path and who may call it. The gate registers routes from it (`RoutesBuilder.register`), every link and
/// redirect is built from it (`link`), and the authorization tests walk it against docs/permissions.md,
/// so a route cannot exist without a rule, and a link cannot point at a path that is not a route.
public enum SiteRoute: String, CaseIterable, Sendable {
    // MARK: Pages and forms
    case loginForm, login, logout
    case home
    case ledger, ledgerExport, ledgerImportForm, ledgerImportPreview, ledgerImportConfirm, ledgerAssign
    case clusters
    case sources, sourceForm, sourceCreate, source
    case problemForm, problemCreate
    case documentImportForm, documentPreview, documentAccept
    case problem, problemEdit, taskCreate, taskEditForm, taskEdit, taskComplete, progressAdd
    case evidenceUpload, evidenceFile
    case closureRequest, closureWithdraw, reviewFirst, reviewSecond, reopenProblem, similarDecision
    case problemWithdraw, problemRestore, taskWithdraw, taskRestore, progressWithdraw, progressRestore
    case evidenceWithdraw, evidenceRestore
    case reportForm, reportCreate
    case adminUnits, adminUnitCreate, adminUsers, adminUserCreate
    case adminUnit, adminUnitRename, adminUnitMove, adminUnitRetire, adminUnitRestore
    case adminUser, adminUserReset, adminUserDeactivate, adminUserActivate, adminUserGrant, adminUserRevoke
    case adminPeople, adminPersonCreate
    case organisationImportForm, organisationImportPreview, organisationImportConfirm, organisationTemplate
    case passwordForm, passwordChange, mySessions, endMySession
    case inbox, inboxRead
    case adminRhythm, adminRhythmSave, adminCalendar, adminCalendarSet, adminCalendarYear
    case adminChannels, adminChannelCreate, adminChannel, adminChannelTest, adminChannelActive, adminJobs
    case pressingCreate, pressingAnswer
    case periods, period, periodExport
    case publicIndex, publicPublication, publicNotice, publicQR, publicRateForm, publicRate, publicRatePhone
    case publicationForm, publicationPrepare, publicationView, publicationApprove, publicationWithdraw
    case publicationCodes, publicationLinks, ratingsReport
    case open311Discovery, open311Document, open311Post, open311Service, open311Request, open311Token
    case appeals, appealRegister, appeal, appealManage, appealHandle, appealStatistics, publicAppeals
    case appealImportForm, appealImportPreview, appealImportConfirm, appealStatisticsPublish, appealStatisticsWithdraw
    case appealFiles, appealFile, appealPress

    // MARK: JSON API (docs/openapi.json)
    case apiLogin, apiLogout, apiMe
    case apiListUnits, apiCreateUnit, apiGetUnit
    case apiListUsers, apiCreateUser, apiGetUser
    case apiListCategories, apiSaveCategory
    case apiListSources, apiCreateSource, apiGetSource
    case apiCreateProblem, apiGetProblem, apiUpdateProblem, apiProblemTrail
    case apiCreateTask, apiGetTask, apiUpdateTask, apiCompleteTask, apiAddProgress
    case apiUploadEvidence, apiDownloadEvidence
    case apiRequestClosure, apiWithdrawClosure, apiFirstReview, apiSecondReview, apiReopen
    case apiLedger, apiCounts, apiAuditLog
    case apiChangePassword, apiMySessions, apiEndMySession
    case apiWithdrawProblem, apiRestoreProblem, apiWithdrawTask, apiRestoreTask, apiWithdrawProgress
    case apiRestoreProgress, apiWithdrawEvidence, apiRestoreEvidence
    case apiResetPassword, apiDeactivateUser, apiActivateUser, apiAddGrant, apiRemoveGrant
    case apiMyInbox, apiCreatePressing, apiAnswerPressing

    /// Who may call a route.
    public enum Access: Sendable, Equatable {
        /// No login: the login form, and the public pages to come.
        case open
        /// Any signed-in user, acting on their own session.
        case signedIn
        /// The action, checked by `AccessPolicy` against the unit subtree of the route's target.
        case action(Action)
    }

    public var isAPI: Bool { rawValue.hasPrefix("api") }

    /// What a signed-in user whose password must be changed may still do: change it, read who they are,
    /// leave.
    public var allowedBeforePasswordChange: Bool {
        switch self {
        case .passwordForm, .passwordChange, .logout, .loginForm, .login, .apiLogin, .apiLogout, .apiMe,
            .apiChangePassword:
            true
        default: false
        }
    }

    public var method: HTTPMethod {
        switch self {
        case .loginForm, .home, .ledger, .ledgerExport, .ledgerImportForm, .clusters, .sources, .sourceForm, .source,
            .problemForm, .documentImportForm, .problem, .taskEditForm, .evidenceFile, .reportForm, .adminUnits,
            .adminUsers, .adminUnit, .adminUser, .adminPeople, .organisationImportForm, .organisationTemplate,
            .passwordForm, .mySessions, .apiMySessions, .apiMe, .inbox, .apiMyInbox, .adminRhythm, .adminCalendar,
            .adminChannels, .adminChannel, .adminJobs, .periods, .period, .periodExport,
            .publicIndex, .publicPublication, .publicNotice, .publicQR, .publicRateForm, .publicationForm,
            .publicationView, .ratingsReport, .open311Discovery, .open311Document, .open311Service, .open311Request,
            .open311Token, .appeals, .appeal, .appealStatistics, .publicAppeals, .appealImportForm, .appealFile,
            .apiListUnits, .apiGetUnit, .apiListUsers, .apiGetUser, .apiListCategories,
            .apiListSources, .apiGetSource, .apiGetProblem, .apiProblemTrail, .apiGetTask, .apiDownloadEvidence,
            .apiLedger, .apiCounts, .apiAuditLog:
            .GET
        case .apiUpdateProblem: .PATCH
        case .apiUpdateTask, .apiSaveCategory, .apiChangePassword: .PUT
        case .apiEndMySession, .apiRemoveGrant: .DELETE
        default: .POST
        }
    }

    /// The path with `{name}` placeholders, as OpenAPI and docs/permissions.md write it.
    public var path: String {
        switch self {
        case .loginForm, .login: "/login"
        case .logout: "/logout"
        case .home: "/"
        case .ledger: "/ledger"
        case .ledgerExport: "/ledger/export"
        case .ledgerImportForm, .ledgerImportPreview: "/ledger/import"
        case .ledgerImportConfirm: "/ledger/import/confirm"
        case .ledgerAssign: "/ledger/assign"
        case .clusters: "/clusters"
        case .sources: "/sources"
        case .sourceForm, .sourceCreate: "/sources/new"
        case .source: "/sources/{sourceID}"
        case .problemForm, .problemCreate: "/sources/{sourceID}/problems/new"
        case .documentImportForm, .documentPreview: "/sources/{sourceID}/import"
        case .documentAccept: "/sources/{sourceID}/import/accept"
        case .problem: "/problems/{problemID}"
        case .problemEdit: "/problems/{problemID}/edit"
        case .taskCreate: "/problems/{problemID}/tasks"
        case .taskEditForm, .taskEdit: "/tasks/{taskID}/edit"
        case .taskComplete: "/tasks/{taskID}/complete"
        case .progressAdd: "/tasks/{taskID}/progress"
        case .evidenceUpload: "/problems/{problemID}/evidence"
        case .evidenceFile: "/evidence/{evidenceID}"
        case .closureRequest: "/problems/{problemID}/closure"
        case .closureWithdraw: "/problems/{problemID}/closure/withdraw"
        case .problemWithdraw: "/problems/{problemID}/withdraw"
        case .problemRestore: "/problems/{problemID}/restore"
        case .taskWithdraw: "/tasks/{taskID}/withdraw"
        case .taskRestore: "/tasks/{taskID}/restore"
        case .progressWithdraw: "/progress/{progressID}/withdraw"
        case .progressRestore: "/progress/{progressID}/restore"
        case .evidenceWithdraw: "/evidence/{evidenceID}/withdraw"
        case .evidenceRestore: "/evidence/{evidenceID}/restore"
        case .reviewFirst: "/problems/{problemID}/review/first"
        case .reviewSecond: "/problems/{problemID}/review/second"
        case .reopenProblem: "/problems/{problemID}/reopen"
        case .similarDecision: "/problems/{problemID}/similar/{matchID}"
        case .reportForm: "/reports/new"
        case .reportCreate: "/reports"
        case .adminUnits, .adminUnitCreate: "/admin/units"
        case .adminUsers, .adminUserCreate: "/admin/users"
        case .adminUnit: "/admin/units/{unitID}"
        case .adminUnitRename: "/admin/units/{unitID}/rename"
        case .adminUnitMove: "/admin/units/{unitID}/move"
        case .adminUnitRetire: "/admin/units/{unitID}/retire"
        case .adminUnitRestore: "/admin/units/{unitID}/restore"
        case .adminUser: "/admin/users/{userID}"
        case .adminUserReset: "/admin/users/{userID}/reset"
        case .adminUserDeactivate: "/admin/users/{userID}/deactivate"
        case .adminUserActivate: "/admin/users/{userID}/activate"
        case .adminUserGrant: "/admin/users/{userID}/grants"
        case .adminUserRevoke: "/admin/users/{userID}/grants/remove"
        case .adminPeople, .adminPersonCreate: "/admin/people"
        case .organisationImportForm, .organisationImportPreview: "/admin/import"
        case .organisationImportConfirm: "/admin/import/confirm"
        case .organisationTemplate: "/admin/import/template.xlsx"
        case .passwordForm, .passwordChange: "/me/password"
        case .mySessions: "/me/sessions"
        case .endMySession: "/me/sessions/{sessionID}/end"

        case .apiLogin: "/api/v1/login"
        case .apiLogout: "/api/v1/logout"
        case .apiMe: "/api/v1/me"
        case .apiListUnits, .apiCreateUnit: "/api/v1/units"
        case .apiGetUnit: "/api/v1/units/{unitID}"
        case .apiListUsers, .apiCreateUser: "/api/v1/users"
        case .apiGetUser: "/api/v1/users/{userID}"
        case .apiListCategories: "/api/v1/categories"
        case .apiSaveCategory: "/api/v1/categories/{code}"
        case .apiListSources, .apiCreateSource: "/api/v1/sources"
        case .apiGetSource: "/api/v1/sources/{sourceID}"
        case .apiCreateProblem: "/api/v1/problems"
        case .apiGetProblem, .apiUpdateProblem: "/api/v1/problems/{problemID}"
        case .apiProblemTrail: "/api/v1/problems/{problemID}/audit"
        case .apiCreateTask: "/api/v1/problems/{problemID}/tasks"
        case .apiGetTask, .apiUpdateTask: "/api/v1/tasks/{taskID}"
        case .apiCompleteTask: "/api/v1/tasks/{taskID}/complete"
        case .apiAddProgress: "/api/v1/tasks/{taskID}/progress"
        case .apiUploadEvidence: "/api/v1/problems/{problemID}/evidence"
        case .apiDownloadEvidence: "/api/v1/evidence/{evidenceID}"
        case .apiRequestClosure: "/api/v1/problems/{problemID}/closure"
        case .apiWithdrawClosure: "/api/v1/problems/{problemID}/closure/withdraw"
        case .apiFirstReview: "/api/v1/problems/{problemID}/closure/first-review"
        case .apiSecondReview: "/api/v1/problems/{problemID}/closure/second-review"
        case .apiReopen: "/api/v1/problems/{problemID}/reopen"
        case .apiLedger: "/api/v1/ledger"
        case .apiCounts: "/api/v1/counts"
        case .apiAuditLog: "/api/v1/audit"
        case .apiChangePassword: "/api/v1/me/password"
        case .apiWithdrawProblem: "/api/v1/problems/{problemID}/withdraw"
        case .apiRestoreProblem: "/api/v1/problems/{problemID}/restore"
        case .apiWithdrawTask: "/api/v1/tasks/{taskID}/withdraw"
        case .apiRestoreTask: "/api/v1/tasks/{taskID}/restore"
        case .apiWithdrawProgress: "/api/v1/progress/{progressID}/withdraw"
        case .apiRestoreProgress: "/api/v1/progress/{progressID}/restore"
        case .apiWithdrawEvidence: "/api/v1/evidence/{evidenceID}/withdraw"
        case .apiRestoreEvidence: "/api/v1/evidence/{evidenceID}/restore"
        case .apiMySessions: "/api/v1/me/sessions"
        case .apiEndMySession: "/api/v1/me/sessions/{sessionID}"
        case .apiResetPassword: "/api/v1/users/{userID}/password-reset"
        case .apiDeactivateUser: "/api/v1/users/{userID}/deactivate"
        case .apiActivateUser: "/api/v1/users/{userID}/activate"
        case .apiAddGrant: "/api/v1/users/{userID}/grants"
        case .apiRemoveGrant: "/api/v1/users/{userID}/grants/{role}/{unitID}"
        case .inbox: "/inbox"
        case .inboxRead: "/inbox/read"
        case .apiMyInbox: "/api/v1/me/inbox"
        case .adminRhythm, .adminRhythmSave: "/admin/rhythm"
        case .adminCalendar, .adminCalendarSet: "/admin/calendar"
        case .adminCalendarYear: "/admin/calendar/year"
        case .adminChannels, .adminChannelCreate: "/admin/channels"
        case .adminChannel: "/admin/channels/{channelID}"
        case .adminChannelTest: "/admin/channels/{channelID}/test"
        case .adminChannelActive: "/admin/channels/{channelID}/active"
        case .adminJobs: "/admin/jobs"
        case .pressingCreate: "/problems/{problemID}/pressings"
        case .pressingAnswer: "/pressings/{pressingID}/answer"
        case .apiCreatePressing: "/api/v1/problems/{problemID}/pressings"
        case .apiAnswerPressing: "/api/v1/pressings/{pressingID}/answer"
        case .periods: "/rhythm"
        case .period: "/rhythm/{cadence}/{start}"
        case .periodExport: "/rhythm/{cadence}/{start}/export"
        case .publicIndex: "/public"
        case .publicPublication: "/public/publications/{publicationID}"
        case .publicNotice: "/public/publications/{publicationID}/notice"
        case .publicQR: "/public/publications/{publicationID}/qr.svg"
        case .publicRateForm, .publicRate: "/public/publications/{publicationID}/rate"
        case .publicationForm, .publicationPrepare: "/sources/{sourceID}/publish"
        case .publicationView: "/publications/{publicationID}"
        case .publicationApprove: "/publications/{publicationID}/approve"
        case .publicationWithdraw: "/publications/{publicationID}/withdraw"
        case .publicationCodes: "/publications/{publicationID}/codes"
        case .publicationLinks: "/publications/{publicationID}/links"
        case .publicRatePhone: "/public/publications/{publicationID}/rate/phone"
        case .ratingsReport: "/ratings"
        case .open311Discovery: "/open311/{discoveryFile}"
        case .open311Document, .open311Post: "/open311/v2/{document}"
        case .open311Service: "/open311/v2/services/{serviceFile}"
        case .open311Request: "/open311/v2/requests/{requestFile}"
        case .open311Token: "/open311/v2/tokens/{tokenFile}"
        case .appeals, .appealRegister: "/appeals"
        case .appeal: "/appeals/{appealID}"
        case .appealManage: "/appeals/{appealID}/manage"
        case .appealHandle: "/appeals/{appealID}/handle"
        case .appealStatistics: "/appeals/statistics"
        case .publicAppeals: "/public/appeals"
        case .appealImportForm, .appealImportPreview: "/appeals/import"
        case .appealImportConfirm: "/appeals/import/confirm"
        case .appealStatisticsPublish: "/appeals/statistics/publish"
        case .appealStatisticsWithdraw: "/appeals/statistics/withdraw"
        case .appealFiles: "/appeals/{appealID}/files"
        case .appealFile: "/appeal-files/{appealFileID}"
        case .appealPress: "/appeals/{appealID}/pressings"
        }
    }

    public var access: Access {
        switch self {
        case .loginForm, .login, .logout, .apiLogin: .open
        case .publicIndex, .publicPublication, .publicNotice, .publicQR, .publicRateForm, .publicRate, .publicRatePhone:
            .open
        case .open311Discovery, .open311Document, .open311Post, .open311Service, .open311Request, .open311Token,
            .publicAppeals:
            .open
        case .apiLogout, .apiMe, .apiChangePassword, .apiMySessions, .apiEndMySession, .passwordForm, .passwordChange,
            .mySessions, .endMySession, .inbox, .inboxRead, .apiMyInbox:
            .signedIn
        case .home, .ledger, .ledgerExport, .clusters, .sources, .source, .problem, .evidenceFile, .reportForm,
            .reportCreate, .apiListUnits, .apiGetUnit, .apiListCategories, .apiListSources, .apiGetSource,
            .apiGetProblem, .apiProblemTrail, .apiGetTask, .apiDownloadEvidence, .apiLedger, .apiCounts:
            .action(.read)
        case .ledgerImportForm, .ledgerImportPreview, .ledgerImportConfirm, .problemForm, .problemCreate,
            .documentImportForm, .documentPreview, .documentAccept, .problemEdit, .similarDecision, .apiCreateProblem,
            .apiUpdateProblem:
            .action(.editProblem)
        case .sourceForm, .sourceCreate, .apiCreateSource: .action(.createSource)
        case .problemWithdraw, .problemRestore, .apiWithdrawProblem, .apiRestoreProblem: .action(.editProblem)
        case .taskWithdraw, .taskRestore, .apiWithdrawTask, .apiRestoreTask: .action(.editTask)
        case .progressWithdraw, .progressRestore, .apiWithdrawProgress, .apiRestoreProgress: .action(.addProgress)
        case .evidenceWithdraw, .evidenceRestore, .apiWithdrawEvidence, .apiRestoreEvidence:
            .action(.uploadEvidence)
        case .taskCreate, .apiCreateTask, .ledgerAssign: .action(.createTask)
        case .taskEditForm, .taskEdit, .taskComplete, .apiUpdateTask, .apiCompleteTask: .action(.editTask)
        case .progressAdd, .apiAddProgress: .action(.addProgress)
        case .evidenceUpload, .apiUploadEvidence: .action(.uploadEvidence)
        case .closureRequest, .apiRequestClosure, .closureWithdraw, .apiWithdrawClosure: .action(.requestClosure)
        case .reviewFirst, .apiFirstReview: .action(.firstReview)
        case .reviewSecond, .apiSecondReview: .action(.secondReview)
        case .reopenProblem, .apiReopen: .action(.reopen)
        case .adminUnits, .adminUnitCreate, .apiCreateUnit, .adminUnit, .adminUnitRename, .adminUnitMove,
            .adminUnitRetire, .adminUnitRestore:
            .action(.manageUnits)
        case .adminUsers, .adminUserCreate, .apiListUsers, .apiCreateUser, .apiGetUser, .adminUser, .adminUserReset,
            .adminUserDeactivate, .adminUserActivate, .adminUserGrant, .adminUserRevoke, .adminPeople,
            .adminPersonCreate, .organisationImportForm, .organisationImportPreview, .organisationImportConfirm,
            .organisationTemplate, .apiResetPassword, .apiDeactivateUser, .apiActivateUser, .apiAddGrant,
            .apiRemoveGrant:
            .action(.manageUsers)
        case .apiSaveCategory: .action(.editCategories)
        case .adminRhythm, .adminRhythmSave: .action(.manageRhythm)
        case .adminCalendar, .adminCalendarSet, .adminCalendarYear: .action(.manageCalendar)
        case .adminChannels, .adminChannelCreate, .adminChannel, .adminChannelTest, .adminChannelActive, .adminJobs:
            .action(.manageReminders)
        case .pressingCreate, .apiCreatePressing: .action(.supervise)
        case .pressingAnswer, .apiAnswerPressing: .action(.addProgress)
        case .periods, .period, .periodExport: .action(.read)
        case .publicationForm, .publicationPrepare, .publicationWithdraw, .publicationCodes, .publicationLinks:
            .action(.publish)
        case .publicationView, .ratingsReport: .action(.read)
        case .publicationApprove: .action(.approvePublication)
        case .appeals, .appeal, .appealStatistics, .appealFile: .action(.read)
        case .appealRegister, .appealManage, .appealImportForm, .appealImportPreview, .appealImportConfirm:
            .action(.manageAppeals)
        case .appealHandle, .appealFiles: .action(.handleAppeals)
        case .appealPress: .action(.supervise)
        case .appealStatisticsPublish, .appealStatisticsWithdraw: .action(.publishAppealFigures)
        case .apiAuditLog: .action(.readAuditLog)
        }
    }

    /// The action of an `.action` route, for the authorization check and the tests.
    public var action: Action? {
        if case .action(let action) = access { return action }
        return nil
    }

    /// The names of the path's placeholders, in order.
    public var parameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
    }

    /// The path with its placeholders filled in order, and a query string whose values are percent-encoded.
    /// Every link and redirect of the site is built here. A wrong number of values is a programming error
    /// that the route table test finds; it yields the home page rather than a broken link.
    public func link(_ values: any CustomStringConvertible..., query: [(String, String)] = []) -> String {
        link(values: values, query: query)
    }

    public func link(values: [any CustomStringConvertible], query: [(String, String)] = []) -> String {
        let names = parameters
        guard names.count == values.count else { return "/" }
        var filled = path
        for (name, value) in zip(names, values) {
            filled = filled.replacingOccurrences(of: "{\(name)}", with: Links.encode(value.description))
        }
        return Links.path(filled, query: query)
    }

    var vaporPath: [PathComponent] {
        path.split(separator: "/").map { segment in
            segment.hasPrefix("{") ? .parameter(String(segment.dropFirst().dropLast())) : .constant(String(segment))
        }
    }
}
