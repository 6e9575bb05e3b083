import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The caller of a request, once authenticated.
struct Caller: Sendable {
    var user: User
    var csrfToken: String
    var viaCookie: Bool
    var sessionID: UUID
    /// The credential this request came with, so a password change can keep this session and end the others.
    var token: String
    /// The store's change stamp as read with the session (`SessionInfo.changeStamp`).
    var changeStamp = 0
    /// Unread inbox messages, for the page header (read only for page requests).
    var unread = 0

    var principal: Principal { user.principal }

    /// An admin whose subtree holds `path`: may withdraw and restore what others entered there.
    func isAdmin(at path: String) -> Bool {
        user.grants.contains { $0.role == .admin && path.hasPrefix($0.unitPath) }
    }
    var actor: AuditActor { AuditActor(user) }
    var scope: Scope { Scope(principal) }
}

package enum SessionCookie {
    package static let name = "zg_session"
}

/// The one gate every route passes: who is calling, may they do this action there, and did a
/// cookie-authenticated write carry its CSRF token.
enum Gate {
    /// The caller, from a bearer token or the session cookie. An API read may take the session as this
    /// server read it a moment ago (`SessionCache`); writes and pages read it afresh, pages with the unread
    /// messages for their header.
    static func authenticate(_ request: Request, store: Store, sessions: SessionCache, route: SiteRoute)
        async throws -> Caller?
    {
        let credential: (token: String, viaCookie: Bool)
        if let bearer = request.headers.bearerAuthorization?.token {
            credential = (bearer, false)
        } else if let cookie = request.cookies[SessionCookie.name]?.string {
            credential = (cookie, true)
        } else {
            return nil
        }
        let read = request.method == .GET || request.method == .HEAD
        let found =
            route.isAPI && read
            ? try await sessions.session(token: credential.token, store: store)
            : try await store.session(token: credential.token, withUnread: read)
        guard let session = found else { return nil }
        return Caller(
            user: session.user, csrfToken: session.csrfToken, viaCookie: credential.viaCookie, sessionID: session.id,
            token: credential.token, changeStamp: session.changeStamp, unread: session.unread)
    }

    /// A browser sends cookies by itself, so a write authenticated by cookie must prove it came from our
    /// own page: the token is in a header (API) or a form field (pages). A bearer token is never sent
    /// automatically, so it needs no such proof.
    static func checkCSRF(_ request: Request, caller: Caller) throws {
        guard caller.viaCookie, request.method != .GET, request.method != .HEAD else { return }
        let sent = request.headers.first(name: "X-CSRF-Token") ?? (try? request.content.get(String.self, at: "_csrf"))
        guard let sent, constantTimeEqual(sent, caller.csrfToken) else { throw APIError.csrf }
    }

    static func authorize(_ caller: Caller, _ action: Action, _ target: AccessTarget) throws {
        try AccessPolicy.check(caller.principal, action, on: target)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    func id(_ name: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else {
            throw APIError.badRequest("地址中的编号「\(parameters.get(name) ?? "")」格式不正确。")
        }
        return id
    }
}

extension Response {
    /// Only records of the edge go out (APIRecords.swift), never a domain value as it is.
    static func json(_ value: some APIRecord, status: HTTPResponseStatus = .ok) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: try APICoding.encoder.encode(value)))
    }
}

enum APICoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension Request {
    /// The query string as the one reader of query parameters sees it (`+` is a space, as forms send it;
    /// a repeated name keeps its last value).
    var queryParameters: QueryParameters {
        var values: [String: String] = [:]
        var components = URLComponents()
        components.percentEncodedQuery = url.query?.replacingOccurrences(of: "+", with: "%20")
        for item in components.queryItems ?? [] { values[item.name] = item.value ?? "" }
        return QueryParameters(values)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let buffer = body.data else { throw APIError.badRequest("请求内容为空，请以 JSON 提交。") }
        return try APICoding.decoder.decode(T.self, from: Data(buffer: buffer))
    }
}
