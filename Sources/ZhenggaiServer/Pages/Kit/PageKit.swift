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
    var account = SiteRoute.passwordForm.link()
    var sessions = SiteRoute.mySessions.link()
    var inbox = SiteRoute.inbox.link()
    var unread: Int

    init(title: String, caller: Caller, section: SiteRoute?, notice: String? = nil) {
        self.title = title
        userName = caller.user.displayName
        roles = caller.user.grants.map { "\($0.unitName)·\($0.role.label)" }.joined(separator: "，")
        csrf = caller.csrfToken
        self.notice = notice
        unread = caller.unread
        var links: [(SiteRoute, String)] = [
            (.home, "首页"), (.ledger, "整改台账"), (.sources, "来源与轮次"), (.periods, "调度通报"), (.appeals, "群众诉求"),
            (.ratingsReport, "群众评价"),
            (.clusters, "共性问题"),
        ]
        let principal = caller.principal
        if AccessPolicy.allows(principal, .manageUnits, on: .anywhere) { links.append((.adminUnits, "单位")) }
        if AccessPolicy.allows(principal, .manageUsers, on: .anywhere) { links.append((.adminUsers, "用户")) }
        if AccessPolicy.allows(principal, .manageRhythm, on: .anywhere) {
            links.append((.adminRhythm, "节奏与提醒"))
        } else if AccessPolicy.allows(principal, .manageReminders, on: .anywhere) {
            links.append((.adminChannels, "提醒渠道"))
        }
        nav = links.map { Link(href: $0.0.link(), label: $0.1, active: $0.0 == section) }
    }
}

/// Outcomes of a form post, shown once on the page the post redirects to.
enum Notice: String {
    case saved, created, uploaded, closureRequested, approved, returned, reopened, progressAdded, taskCompleted
    case retired, restored, deactivated, activated, passwordChanged, sessionEnded, withdrawn, imported
    case closureWithdrawn, assigned, testSent, pressed, published

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
        case .retired: "单位已撤销：保留在组织树和历史记录中，不能再录入新的事项。"
        case .restored: "单位已恢复。"
        case .deactivated: "账号已停用，该用户的所有登录已立即失效。"
        case .activated: "账号已启用。"
        case .passwordChanged: "密码已修改，您在其他设备上的登录已退出。"
        case .sessionEnded: "该登录已退出。"
        case .withdrawn: "已撤销。撤销的内容不再出现在台账和报告中，审计日志中仍有记录，可以恢复。"
        case .imported: "已导入。"
        case .closureWithdrawn: "已撤回销号申请，可以继续整改后再申请。"
        case .assigned: "已为勾选的问题批量指定，修改已记入审计日志。"
        case .testSent: "测试消息已发送（结果见下方发送记录）。"
        case .pressed: "已发出，并已提醒责任单位。"
        case .published: "已审核公开：群众可通过公示页面和二维码查看。"
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

/// The options of the pickers every form shares: units as the tree they are, people with their unit.
enum Pickers {
    /// Units in tree order, indented by depth below the shallowest shown; retired units only when asked.
    static func units(_ units: [UnitNode], selected: String, includeRetired: Bool = false) -> [LedgerPage.Option] {
        let shown = UnitNode.treeOrder(units.filter { includeRetired || !$0.isRetired })
        let top = shown.map(\.depth).min() ?? 0
        return shown.map { unit in
            let indent = String(repeating: "　", count: max(0, unit.depth - top))
            let retired = unit.isRetired ? "（已撤销）" : ""
            return LedgerPage.Option(
                value: unit.id.uuidString, label: "\(indent)\(unit.name)\(retired)",
                selected: unit.id.uuidString == selected)
        }
    }

    /// People as 「姓名（单位·职务）」, by unit then name.
    static func people(_ people: [Person], selected: String) -> [LedgerPage.Option] {
        people.map { person in
            let detail = [person.unitName, person.title].filter { !$0.isEmpty }.joined(separator: "·")
            return LedgerPage.Option(
                value: person.id.uuidString, label: "\(person.name)（\(detail)）",
                selected: person.id.uuidString == selected)
        }
    }
}
