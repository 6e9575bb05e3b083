import Vapor
import ZhenggaiStore

extension LedgerAPI {
    /// Bcrypt check, throttled by user name and by address; answers with an HttpOnly, SameSite cookie for
    /// browsers and the same token for scripts (`Authorization: Bearer …`).
    func login(_ request: Request) async throws -> Response {
        let body = try request.decode(Login.self)
        let session = try await startSession(username: body.username, password: body.password, request: request)
        let response = try Response.json(
            LoginAnswer(token: session.token, csrfToken: session.csrfToken, user: session.user))
        response.cookies[SessionCookie.name] = session.cookie
        return response
    }

    struct StartedSession {
        var token: String
        var csrfToken: String
        var user: User
        var cookie: HTTPCookies.Value
    }

    /// The one login check, for the API and the login page alike.
    func startSession(username rawUsername: String, password: String, request: Request) async throws
        -> StartedSession
    {
        let username = rawUsername.trimmingCharacters(in: .whitespacesAndNewlines)
        let address = request.remoteAddress?.ipAddress ?? "unknown"
        let window = TimeInterval(settings.lockoutMinutes * 60)
        let failures = try await store.recentFailures(username: username, address: address, within: window)
        if failures >= settings.maxFailedLogins { throw APIError.throttled(minutes: settings.lockoutMinutes) }
        let found = try await store.credentials(username: username)
        // Verify even for an unknown name, so the answer's timing does not tell which names exist.
        let hash = found?.passwordHash ?? Self.decoyHash
        let matches = (try? await request.password.async.verify(password, created: hash)) ?? false
        guard let found, matches else {
            try await store.recordLoginAttempt(username: username, address: address, succeeded: false)
            throw APIError.badCredentials
        }
        try await store.recordLoginAttempt(username: username, address: address, succeeded: true)
        let lifetime = TimeInterval(settings.sessionHours * 3600)
        let session = try await store.createSession(userID: found.user.id, kind: "login", lifetime: lifetime)
        let cookie = HTTPCookies.Value(
            string: session.token, expires: Date().addingTimeInterval(lifetime), path: "/",
            isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return StartedSession(token: session.token, csrfToken: session.csrfToken, user: found.user, cookie: cookie)
    }

    /// A bcrypt hash of a random string, to spend the same time on unknown names.
    static let decoyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhu3Ad6iBbhDqkqSxeQfjDbQOUHUdDkEGy"
}
