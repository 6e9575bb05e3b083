import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// What a route does, split so the gate runs between finding where the action lands and doing the work:
/// `target` only reads what is needed to say where (the unit of the resource in the address), `handle`
/// runs after the gate said yes.
struct Handler: Sendable {
    var route: SiteRoute
    var bodyLimit: ByteCount?
    var target: @Sendable (Request, Caller) async throws -> AccessTarget
    var handle: @Sendable (Request, Caller?) async throws -> Response

    /// A route that needs a signed-in caller (`.signedIn` or `.action`).
    init(
        _ route: SiteRoute, bodyLimit: ByteCount? = nil,
        target: @escaping @Sendable (Request, Caller) async throws -> AccessTarget = { _, _ in .anywhere },
        handle: @escaping @Sendable (Request, Caller) async throws -> Response
    ) {
        self.route = route
        self.bodyLimit = bodyLimit
        self.target = target
        self.handle = { request, caller in
            guard let caller else { throw APIError.notLoggedIn }
            return try await handle(request, caller)
        }
    }

    /// A route open to visitors without a session (`.open`); the caller is there when one is signed in.
    init(
        open route: SiteRoute, bodyLimit: ByteCount? = nil,
        handle: @escaping @Sendable (Request, Caller?) async throws -> Response
    ) {
        self.route = route
        self.bodyLimit = bodyLimit
        self.target = { _, _ in .anywhere }
        self.handle = handle
    }
}

extension RoutesBuilder {
    /// The one gate every route passes: who is calling, whether the route needs a session, the CSRF token of
    /// a cookie-authenticated write, and `AccessPolicy` on the target. API routes answer refusals as JSON
    /// (through `APIErrorMiddleware`); pages answer with the error page, and a visitor without a session who
    /// asks for a page is sent to the login page.
    func register(_ handler: Handler, store: Store, sessions: SessionCache) {
        let route = handler.route
        let body: HTTPBodyStreamStrategy = handler.bodyLimit.map { .collect(maxSize: $0) } ?? .collect
        on(route.method, route.vaporPath, body: body) { request async throws -> Response in
            let caller = try await Gate.authenticate(request, store: store, sessions: sessions, route: route)
            if caller == nil && route.access != .open {
                if route.isAPI { throw APIError.notLoggedIn }
                if request.method == .GET {
                    return request.redirect(to: SiteRoute.loginForm.link(query: [("next", request.url.string)]))
                }
                return try await Pages.error(request, caller: nil, status: .unauthorized, message: "登录已过期，请重新登录。")
            }
            // A password the system printed or an admin set is changed before anything else is done.
            if let caller, caller.user.mustChangePassword, !route.allowedBeforePasswordChange {
                if route.isAPI { throw APIError.passwordChangeRequired }
                if request.method == .GET {
                    return request.redirect(to: SiteRoute.passwordForm.link(query: [("next", request.url.string)]))
                }
                return try await Pages.error(
                    request, caller: caller, status: .forbidden, message: "请先修改初始密码，再进行其他操作。")
            }
            do {
                if let caller { try Gate.checkCSRF(request, caller: caller) }
                if let caller, let action = route.action {
                    try Gate.authorize(caller, action, try await handler.target(request, caller))
                }
                return try await handler.handle(request, caller)
            } catch  where !route.isAPI {
                let (status, _, message) = APIErrorMiddleware.describe(error)
                if status.code >= 500 {
                    request.logger.error("page failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                return try await Pages.error(request, caller: caller, status: status, message: message)
            }
        }
    }
}
