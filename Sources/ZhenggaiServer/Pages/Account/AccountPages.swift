import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// One's own account: changing the password (required after a password the system printed or an admin
/// set), and the list of one's sessions, each of which can be ended.
enum AccountPages {
    struct PasswordContext: Encodable {
        var layout: Layout
        var required: Bool
        var next: String
        var error: String?
        var action = SiteRoute.passwordChange.link()
        var minimum = Passwords.minimumLength
    }

    struct SessionsContext: Encodable {
        struct Row: Encodable {
            var kind: String
            var createdAt: String
            var expiresAt: String
            var current: Bool
            var endAction: String
        }
        var layout: Layout
        var sessions: [Row]
        var passwordLink = SiteRoute.passwordForm.link()
    }

    static func routes(store: Store, settings: AppConfiguration) -> [Handler] {
        let accounts = Accounts(store: store, bcryptCost: settings.bcryptCost)
        @Sendable func passwordPage(_ request: Request, _ caller: Caller, next: String, error: String?) async throws
            -> Response
        {
            let context = PasswordContext(
                layout: Layout(title: "修改密码", caller: caller, section: nil, notice: Pages.notice(request)),
                required: caller.user.mustChangePassword, next: next, error: error)
            return try await Pages.render(
                request, "password", context, status: error == nil ? .ok : .unprocessableEntity)
        }
        return [
            Handler(.passwordForm) { request, caller in
                try await passwordPage(
                    request, caller, next: LoginPage.safeNext((try? request.query.get(String.self, at: "next")) ?? "/"),
                    error: nil)
            },
            Handler(.passwordChange) { request, caller in
                let form = FormInput(request)
                let next = LoginPage.safeNext(form["next"])
                let new = form.values["new"] ?? ""
                guard new == (form.values["repeat"] ?? "") else {
                    return try await passwordPage(request, caller, next: next, error: "两次输入的新密码不一致。")
                }
                do {
                    try await accounts.changeOwnPassword(
                        user: caller.user, current: form.values["current"] ?? "", new: new, keeping: caller.token)
                } catch let error as PasswordError {
                    return try await passwordPage(request, caller, next: next, error: error.description)
                } catch let error as StoreError {
                    return try await passwordPage(request, caller, next: next, error: error.userMessage)
                }
                return Pages.redirect(request, to: next, notice: .passwordChanged)
            },
            Handler(.mySessions) { request, caller in
                let context = SessionsContext(
                    layout: Layout(title: "我的登录", caller: caller, section: nil, notice: Pages.notice(request)),
                    sessions: try await store.sessions(of: caller.user.id).map {
                        SessionsContext.Row(
                            kind: $0.kind == "login" ? "网页或接口登录" : $0.kind,
                            createdAt: LocalDate.chineseTime($0.createdAt),
                            expiresAt: LocalDate.chineseTime($0.expiresAt),
                            current: $0.id == caller.sessionID, endAction: SiteRoute.endMySession.link($0.id))
                    })
                return try await Pages.render(request, "sessions", context)
            },
            Handler(.endMySession) { request, caller in
                try await store.endSession(try request.id("sessionID"), of: caller.user.id, by: caller.actor)
                return Pages.redirect(request, to: SiteRoute.mySessions.link(), notice: .sessionEnded)
            },
        ]
    }
}
