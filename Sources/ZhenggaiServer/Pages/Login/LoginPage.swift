import Vapor
import ZhenggaiServices
import ZhenggaiStore

/// The login form. It posts to itself and sets the same HttpOnly session cookie as the API login.
enum LoginPage {
    struct Context: Encodable {
        var username: String
        var next: String
        var error: String?
        var action = SiteRoute.login.link()
    }

    static func routes(api: LedgerAPI) -> [Handler] {
        [
            Handler(open: .loginForm) { request, _ in
                let next = safeNext((try? request.query.get(String.self, at: "next")) ?? "/")
                return try await Pages.render(request, "login", Context(username: "", next: next, error: nil))
            },
            Handler(open: .login) { request, _ in
                let form = FormInput(request)
                let next = safeNext(form["next"])
                do {
                    let session = try await api.startSession(
                        username: form["username"], password: form.values["password"] ?? "", request: request)
                    let response = request.redirect(to: next, redirectType: .normal)
                    response.cookies[SessionCookie.name] = api.cookie(for: session)
                    return response
                } catch let error as APIError {
                    return try await Pages.render(
                        request, "login", Context(username: form["username"], next: next, error: error.message),
                        status: error.status)
                }
            },
            // Open: a visitor whose session already ended is simply sent to the login form.
            Handler(open: .logout) { request, caller in
                if let caller {
                    try Gate.checkCSRF(request, caller: caller)
                    try await LedgerAPI.endSessions(request, store: api.store)
                }
                let response = request.redirect(to: SiteRoute.loginForm.link(), redirectType: .normal)
                response.cookies[SessionCookie.name] = LedgerAPI.expiredCookie
                return response
            },
        ]
    }

    /// Only a path on this site, in printable ASCII: "//evil.example", "https://…", "/\tevil.example" (a
    /// browser drops the tab and reads "//") and any control character (a CR/LF would split the redirect's
    /// headers) all fall back to the home page.
    static func safeNext(_ next: String) -> String {
        let printable = next.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }
        return printable && next.hasPrefix("/") && !next.hasPrefix("//") ? next : "/"
    }
}
