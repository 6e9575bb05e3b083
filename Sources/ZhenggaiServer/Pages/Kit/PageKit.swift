import Foundation
import Leaf
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// What every page's context carries for the frame: who is logged in, the menu, the CSRF token for forms.
struct Layout: Encodable {
    struct Link: Encodable {
        var href: String
        var label: String
        var active: Bool
    }
    var title: String
    var userName: String
    var roles: String
    var csrf: String
    var nav: [Link]
    var notice: String?
    var home = SiteRoute.home.link()
    var logout = SiteRoute.logout.link()

    init(title: String, caller: Caller, section: SiteRoute?, notice: String? = nil) {
        self.title = title
        userName = caller.user.displayName
        roles = caller.user.grants.map { "\($0.unitName)·\($0.role.label)" }.joined(separator: "，")
        csrf = caller.csrfToken
        self.notice = notice
        var links: [(SiteRoute, String)] = [(.home, "首页"), (.ledger, "整改台账"), (.sources, "来源与轮次"), (.clusters, "共性问题")]
        let principal = caller.principal
        if AccessPolicy.allows(principal, .manageUnits, on: .anywhere) { links.append((.adminUnits, "单位")) }
        if AccessPolicy.allows(principal, .manageUsers, on: .anywhere) { links.append((.adminUsers, "用户")) }
        nav = links.map { Link(href: $0.0.link(), label: $0.1, active: $0.0 == section) }
    }
}

/// Outcomes of a form post, shown once on the page the post redirects to.
enum Notice: String {
    case saved, created, uploaded, closureRequested, approved, returned, reopened, progressAdded, taskCompleted

    var text: String {
        switch self {
        case .saved: "已保存。"
        case .created: "已新增。"
        case .uploaded: "佐证材料已上传。"
        case .closureRequested: "已申请销号，等待单位审核。"
        case .approved: "审核已通过。"
        case .returned: "已退回补正。"
        case .reopened: "已重新打开。"
        case .progressAdded: "整改进展已报送。"
        case .taskCompleted: "任务已标记完成。"
        }
    }
}

struct ErrorPage: Encodable {
    var layout: Layout?
    var status: Int
    var message: String
    var home = SiteRoute.home.link()
}

enum Pages {
    static func render(
        _ request: Request, _ template: String, _ context: some Encodable, status: HTTPResponseStatus = .ok
    )
        async throws -> Response
    {
        let view = try await request.view.render(template, context)
        let response = try await view.encodeResponse(for: request)
        response.status = status
        response.headers.replaceOrAdd(name: "Cache-Control", value: "no-store")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value:
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
        return response
    }

    static func error(_ request: Request, caller: Caller?, status: HTTPResponseStatus, message: String) async throws
        -> Response
    {
        let layout = caller.map { Layout(title: "出错了", caller: $0, section: nil) }
        return try await render(
            request, "error", ErrorPage(layout: layout, status: Int(status.code), message: message), status: status)
    }

    static func notice(_ request: Request) -> String? {
        (try? request.query.get(String.self, at: "notice")).flatMap(Notice.init(rawValue:))?.text
    }

    static func redirect(_ request: Request, to path: String, notice: Notice) -> Response {
        request.redirect(to: "\(path)\(path.contains("?") ? "&" : "?")notice=\(notice.rawValue)", redirectType: .normal)
    }
}

/// Form input as strings, read once, with helpers that turn a bad value into a message for its field.
struct FormInput {
    var values: [String: String]

    init(_ request: Request) {
        values = (try? request.content.decode([String: String].self)) ?? [:]
    }

    subscript(_ key: String) -> String { values[key]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    func optional(_ key: String) -> String? {
        let value = self[key]
        return value.isEmpty ? nil : value
    }

    func uuid(_ key: String) -> UUID? { UUID(uuidString: self[key]) }
}

/// Field-level messages for a re-rendered form, keyed by the form field's name, so each message stands
/// next to its field and everything typed is shown again.
struct FieldErrors: Encodable {
    var fields: [String: String] = [:]
    var summary: String?

    mutating func add(_ field: String, _ message: String) { fields[field] = message }

    /// Puts a store refusal next to the field it names (by its Chinese label), else above the form.
    mutating func add(_ error: any Error, labels: [String: String]) {
        if let error = error as? StoreError, case .invalid(let label, let message) = error, let field = labels[label] {
            fields[field] = "「\(label)」\(message)"
        } else {
            summary = APIErrorMiddleware.describe(error).2
        }
    }

    var isEmpty: Bool { fields.isEmpty && summary == nil }
}
