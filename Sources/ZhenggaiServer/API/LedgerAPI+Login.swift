import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

extension LedgerAPI {
    /// Answers with an HttpOnly, SameSite cookie for browsers and the same token for scripts
    /// (`Authorization: Bearer …`).
    func login(_ request: Request) async throws -> Response {
        // Only JSON: a page on another site can post a form or text/plain to us, but not application/json
        // without our consent, so it cannot sign a visitor in to an account of its choosing (login CSRF).
        guard request.headers.contentType == .json else {
            throw APIError.unsupportedType("登录接口只接受 JSON（Content-Type: application/json）。")
        }
        let body = try request.decode(Login.self)
        let session = try await startSession(username: body.username, password: body.password, request: request)
        let response = try Response.json(
            LoginRecord(token: session.token, csrfToken: session.csrfToken, user: UserRecord(session.user)))
        response.cookies[SessionCookie.name] = cookie(for: session)
        return response
    }

    /// The one login check, for the API and the login page alike.
    func startSession(username: String, password: String, request: Request) async throws -> SignIn.Session {
        let signIn = SignIn(
            store: store,
            policy: .init(
                maxFailures: settings.maxFailedLogins, lockoutMinutes: settings.lockoutMinutes,
                sessionHours: settings.sessionHours))
        do {
            return try await signIn.signIn(
                username: username, password: password, address: request.remoteAddress?.ipAddress ?? "unknown")
        } catch let refusal as SignIn.Refusal {
            switch refusal {
            case .throttled(let minutes): throw APIError.throttled(minutes: minutes)
            case .badCredentials: throw APIError.badCredentials
            }
        }
    }

    func cookie(for session: SignIn.Session) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: session.token, expires: session.expiresAt, path: "/", isSecure: settings.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
    }

    /// Logout ends every credential the request carries: the bearer token and the cookie alike.
    static func endSessions(_ request: Request, store: Store) async throws {
        let tokens = [request.headers.bearerAuthorization?.token, request.cookies[SessionCookie.name]?.string]
            .compactMap { $0 }.filter { !$0.isEmpty }
        try await store.deleteSessions(tokens: tokens)
    }

    static var expiredCookie: HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), path: "/", isHTTPOnly: true, sameSite: .lax)
    }
}
