import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// Refusals made at the edge (login, access, request shape), each with the sentence the user reads.
enum APIError: Error {
    case notLoggedIn
    case csrf
    case throttled(minutes: Int)
    case badCredentials
    case badRequest(String)
    case passwordChangeRequired
    case unsupportedType(String)

    var status: HTTPResponseStatus {
        switch self {
        case .notLoggedIn, .badCredentials: .unauthorized
        case .csrf, .passwordChangeRequired: .forbidden
        case .throttled: .tooManyRequests
        case .badRequest: .badRequest
        case .unsupportedType: .unsupportedMediaType
        }
    }

    var code: String {
        switch self {
        case .notLoggedIn: "not_logged_in"
        case .csrf: "csrf"
        case .throttled: "throttled"
        case .badCredentials: "bad_credentials"
        case .badRequest: "bad_request"
        case .passwordChangeRequired: "password_change_required"
        case .unsupportedType: "unsupported_media_type"
        }
    }

    var message: String {
        switch self {
        case .notLoggedIn: "请先登录。"
        case .csrf: "请求缺少有效的防伪令牌（CSRF），请刷新页面后重试。"
        case .throttled(let minutes): "登录失败次数过多，请 \(minutes) 分钟后再试。"
        case .badCredentials: "用户名或密码错误。"
        case .badRequest(let message), .unsupportedType(let message): message
        case .passwordChangeRequired: "首次登录（或密码被重置后）须先修改密码：PUT /api/v1/me/password，内容为 {\"current\", \"new\"}。"
        }
    }
}

struct ErrorBody: Content {
    struct Detail: Content {
        var code: String
        var message: String
    }
    var error: Detail
}

/// Turns every error into `{"error": {"code", "message"}}` with the right status; the log keeps the detail.
/// Not an `AsyncMiddleware`: that would start a task for every request only to pass it on; a task is
/// started only to answer an error.
struct APIErrorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { try await Self.answer(error, to: request) }
        }
    }

    static func answer(_ error: any Error, to request: Request) async throws -> Response {
        let (status, code, message) = describe(error)
        // A person who typed a wrong address gets the site's page, not a JSON answer meant for scripts.
        if !request.url.path.hasPrefix("/api/"), status == .notFound {
            return try await Pages.error(
                request, caller: nil, status: .notFound, message: "找不到这个页面：地址可能有误，或内容已被删除。")
        }
        if status.code >= 500 {
            request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
        } else {
            request.logger.info(
                "request refused", metadata: ["code": .string(code), "error": "\(String(reflecting: error))"])
        }
        let response = Response(status: status)
        try response.content.encode(ErrorBody(error: .init(code: code, message: message)))
        return response
    }

    static func describe(_ error: any Error) -> (HTTPResponseStatus, String, String) {
        switch error {
        case let error as APIError:
            return (error.status, error.code, error.message)
        case let error as StoreError:
            let status: HTTPResponseStatus =
                switch error.kind {
                case .notFound: .notFound
                case .invalid: .unprocessableEntity
                case .conflict: .conflict
                case .tooLarge: .payloadTooLarge
                }
            return (status, error.code, error.userMessage)
        case let error as WorkflowError:
            return (.conflict, "workflow", error.userMessage)
        case let error as PasswordError:
            return (.unprocessableEntity, "password", error.description)
        case let error as AccessDenied:
            return (.forbidden, "forbidden", error.userMessage)
        case let error as QueryError:
            return (.badRequest, "bad_query", error.userMessage)
        case let error as ConfigurationError:
            return (.internalServerError, "internal", error.description)
        case let error as DecodingError:
            return (.badRequest, "bad_request", Self.describe(decoding: error))
        case let error as any AbortError:
            switch error.status {
            case .payloadTooLarge:
                return (.payloadTooLarge, "too_large", "提交的内容过大。")
            case .notFound:
                return (.notFound, "not_found", "找不到该地址。")
            case .unsupportedMediaType:
                return (.unsupportedMediaType, "bad_request", "请求内容类型不受支持，请以 JSON 提交。")
            case .badRequest:
                return (.badRequest, "bad_request", "请求格式有误：请检查 JSON 是否完整、字段类型是否正确。")
            default:
                return (error.status, "error", "请求无法处理（\(error.status.code)）。")
            }
        default:
            return (.internalServerError, "internal", "服务器内部错误，已记录日志，请联系管理员。")
        }
    }

    static func describe(decoding error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
            return keys.isEmpty ? "请求内容" : "字段「\(keys.joined(separator: "."))」"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.map(\.stringValue)
            return "缺少字段「\((parent + [key.stringValue]).joined(separator: "."))」。"
        case .typeMismatch(_, let context): return "\(path(context))类型不正确。"
        case .valueNotFound(_, let context): return "\(path(context))不能为空。"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "请求内容不是有效的 JSON。" }
            return "\(path(context))取值无效：\(context.debugDescription)"
        @unknown default: return "请求内容无法解析。"
        }
    }
}
