import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// Withdrawing (撤销) what was entered by mistake, and restoring it: a form on the problem page and the same
/// over the API. The gate checks the action of the kind of entry on its problem's unit; the store checks that
/// the caller entered it (or is an admin there) and that nothing depends on it.
enum WithdrawalRoutes {
    static let kinds:
        [(
            WithdrawalKind, parameter: String, page: SiteRoute, restore: SiteRoute, api: SiteRoute,
            apiRestore: SiteRoute
        )] = [
            (.problem, "problemID", .problemWithdraw, .problemRestore, .apiWithdrawProblem, .apiRestoreProblem),
            (.task, "taskID", .taskWithdraw, .taskRestore, .apiWithdrawTask, .apiRestoreTask),
            (.progress, "progressID", .progressWithdraw, .progressRestore, .apiWithdrawProgress, .apiRestoreProgress),
            (.evidence, "evidenceID", .evidenceWithdraw, .evidenceRestore, .apiWithdrawEvidence, .apiRestoreEvidence),
        ]

    struct Reason: Codable { var reason: String }

    static func routes(store: Store, settings: AppConfiguration, similarity: SimilarityService) -> [Handler] {
        kinds.flatMap { entry -> [Handler] in
            let (kind, parameter) = (entry.0, entry.parameter)
            @Sendable func target(_ request: Request) async throws -> AccessTarget {
                let found = try await store.withdrawalTarget(kind, try request.id(parameter))
                return AccessTarget(unitPath: found.unitPath, taskLeaderIDs: found.leaderIDs)
            }
            @Sendable func act(_ request: Request, _ caller: Caller, restore: Bool, reason: String) async throws {
                let id = try request.id(parameter)
                let asAdmin = caller.isAdmin(at: try await store.withdrawalTarget(kind, id).unitPath)
                if restore {
                    try await store.restore(kind, id, asAdmin: asAdmin, by: caller.actor)
                } else {
                    try await store.withdraw(kind, id, reason: reason, asAdmin: asAdmin, by: caller.actor)
                }
            }
            @Sendable func page(_ request: Request, _ caller: Caller, restore: Bool) async throws -> Response {
                let problem = try await store.withdrawalTarget(kind, try request.id(parameter)).problemID
                do {
                    try await act(request, caller, restore: restore, reason: FormInput(request)["reason"])
                } catch let error as StoreError {
                    var forms = ProblemPage.Forms()
                    forms.withdrawError = error.userMessage
                    return try await ProblemPage.render(
                        request, caller, store: store, settings: settings, similarity: similarity, id: problem,
                        forms: forms,
                        status: .unprocessableEntity)
                }
                // A withdrawn problem has left the ledger: the ledger is where its clerk goes next.
                if kind == .problem && !restore {
                    return Pages.redirect(request, to: SiteRoute.ledger.link(), notice: .withdrawn)
                }
                return Pages.redirect(
                    request, to: SiteRoute.problem.link(problem), notice: restore ? .saved : .withdrawn)
            }
            return [
                Handler(entry.page, target: { r, _ in try await target(r) }) { r, c in
                    try await page(r, c, restore: false)
                },
                Handler(entry.restore, target: { r, _ in try await target(r) }) { r, c in
                    try await page(r, c, restore: true)
                },
                Handler(entry.api, target: { r, _ in try await target(r) }) { request, caller in
                    try await act(request, caller, restore: false, reason: try request.decode(Reason.self).reason)
                    return try .json(OKRecord())
                },
                Handler(entry.apiRestore, target: { r, _ in try await target(r) }) { request, caller in
                    try await act(request, caller, restore: true, reason: "")
                    return try .json(OKRecord())
                },
            ]
        }
    }
}
