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
        var csrf: String
    }

    /// Before there is a session, the login form proves it is ours with a token in a cookie and the same
    /// token in the form (double submit): a page elsewhere can make a browser post the form, but cannot read
    /// or set our cookie, so it cannot sign the visitor in to an account of its own (login CSRF).
    static let formCookie = "zg_login"

    static func formToken(_ request: Request) -> (token: String, fresh: Bool) {
        if let existing = request.cookies[formCookie]?.string, existing.count >= 32 { return (existing, false) }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (token, true)
    }

    static func renderForm(
        _ request: Request, username: String, next: String, error: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let (token, fresh) = formToken(request)
        let response = try await Pages.render(
            request, "login", Context(username: username, next: next, error: error, csrf: token), status: status)
        if fresh {
            response.cookies[formCookie] = HTTPCookies.Value(
                string: token, expires: nil, path: "/login", isHTTPOnly: true, sameSite: .strict)
        }
        return response
    }

    static func routes(api: LedgerAPI) -> [Handler] {
        [
            Handler(open: .loginForm) { request, _ in
                let next = safeNext((try? request.query.get(String.self, at: "next")) ?? "/")
                return try await renderForm(request, username: "", next: next, error: nil)
            },
            Handler(open: .login) { request, _ in
                let form = FormInput(request)
                let next = safeNext(form["next"])
                guard let cookie = request.cookies[formCookie]?.string, !cookie.isEmpty,
                    Gate.constantTimeEqual(cookie, form["_csrf"])
                else {
                    return try await renderForm(
                        request, username: form["username"], next: next,
                        error: "登录页面已过期，请重新输入用户名和密码。", status: .forbidden)
                }
                do {
                    let session = try await api.startSession(
                        username: form["username"], password: form.values["password"] ?? "", request: request)
                    let response = request.redirect(to: next, redirectType: .normal)
                    response.cookies[SessionCookie.name] = api.cookie(for: session)
                    return response
                } catch let error as APIError {
                    return try await renderForm(
                        request, username: form["username"], next: next, error: error.message, status: error.status)
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
