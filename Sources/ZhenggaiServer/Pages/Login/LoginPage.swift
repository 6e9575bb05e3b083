import Vapor
import ZhenggaiStore

/// The login form. It posts to itself and sets the same HttpOnly session cookie as the API login.
enum LoginPage {
    struct Context: Encodable {
        var username: String
        var next: String
        var error: String?
    }

    static func register(_ routes: any RoutesBuilder, api: LedgerAPI) {
        routes.get("login") { request async throws -> Response in
            let next = safeNext((try? request.query.get(String.self, at: "next")) ?? "/")
            return try await Pages.render(request, "login", Context(username: "", next: next, error: nil))
        }
        routes.post("login") { request async throws -> Response in
            let form = FormInput(request)
            let next = safeNext(form["next"])
            do {
                let session = try await api.startSession(
                    username: form["username"], password: form.values["password"] ?? "", request: request)
                let response = request.redirect(to: next, redirectType: .normal)
                response.cookies[SessionCookie.name] = session.cookie
                return response
            } catch let error as APIError {
                return try await Pages.render(
                    request, "login", Context(username: form["username"], next: next, error: error.message),
                    status: error.status)
            }
        }
        routes.post("logout") { request async throws -> Response in
            if let caller = try await Gate.authenticate(request, store: api.store) {
                try Gate.checkCSRF(request, caller: caller)
                if let token = request.cookies[SessionCookie.name]?.string {
                    try await api.store.deleteSession(token: token)
                }
            }
            let response = request.redirect(to: "/login", redirectType: .normal)
            response.cookies[SessionCookie.name] = HTTPCookies.Value(
                string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true, sameSite: .lax)
            return response
        }
    }

    /// Only a path on this site: a `next` of "//evil.example" or "https://…" would send the user away.
    static func safeNext(_ next: String) -> String {
        next.hasPrefix("/") && !next.hasPrefix("//") && !next.contains("\\") ? next : "/"
    }
}
