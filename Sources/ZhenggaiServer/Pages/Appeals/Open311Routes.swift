import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// `/open311/discovery.{json,xml}` and `/open311/v2/…`: the GeoReport v2 interface for hotline and city
/// platforms. Reading is open; posting needs an `api_key` (`zhenggai open311 key add NAME`), rate-limited and
/// audited per key.
enum Open311Routes {
    /// "services.json" → ("services", .json); an unknown suffix is a 400 in XML (the required format).
    static func split(_ file: String) throws -> (name: String, format: Open311.Format) {
        guard let dot = file.lastIndex(of: ".") else { throw Open311.Failure(400, "请求地址无效：缺少 .json 或 .xml") }
        guard let format = Open311.Format(rawValue: String(file[file.index(after: dot)...])) else {
            throw Open311.Failure(400, "请求地址无效：只支持 .json 和 .xml")
        }
        return (String(file[..<dot]), format)
    }

    static func answer(_ body: String, format: Open311.Format, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.contentType)
        return Response(status: status, headers: headers, body: .init(string: body))
    }

    /// Failures become the spec's error list, in the format asked for (XML when the format is the problem).
    static func guarded(_ request: Request, _ file: String, _ body: (Open311.Format) async throws -> Response) async
        -> Response
    {
        let format = (try? split(file).format) ?? .xml
        do {
            return try await body(format)
        } catch let failure as Open311.Failure {
            return answer(
                Open311.errors(failure, format: format), format: format,
                status: HTTPResponseStatus(statusCode: failure.status))
        } catch {
            request.logger.error("open311 failed", metadata: ["error": "\(String(reflecting: error))"])
            return answer(
                Open311.errors(Open311.Failure(500, "服务器内部错误"), format: format), format: format,
                status: .internalServerError)
        }
    }

    /// The county named by jurisdiction_id, when one is given: its name or id.
    static func checkJurisdiction(_ request: Request, store: Store) async throws {
        let given =
            (try? request.query.get(String.self, at: "jurisdiction_id"))
            ?? (request.method == .POST ? formFields(request)["jurisdiction_id"] : nil)
        guard let given, !given.isEmpty else { return }
        let tops = try await store.units(in: .everything).filter { $0.parentID == nil }
        guard tops.contains(where: { $0.name == given || $0.id.uuidString == given.uppercased() }) else {
            throw Open311.Failure(404, "jurisdiction_id 不存在：\(given)")
        }
    }

    /// The form as flat fields: GeoReport's `attribute[code]=v` (brackets percent-encoded or not) is a key
    /// of its own, not a nested structure; repeated keys keep the first value.
    static func formFields(_ request: Request) -> [String: String] {
        guard let body = request.body.string else { return [:] }
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            let key = decode(parts[0])
            if fields[key] == nil { fields[key] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    static func base(_ request: Request, settings: AppConfiguration) -> String {
        PublicPages.publicAddress(request, settings: settings) + "/open311/v2"
    }

    static func routes(store: Store, settings: AppConfiguration) -> [Handler] {
        [
            Handler(open: .open311Discovery) { request, _ in
                let file = request.parameters.get("discoveryFile") ?? ""
                return await guarded(request, file) { format in
                    guard try split(file).name == "discovery" else { throw Open311.Failure(404, "没有这个文档") }
                    let changeset = Date(timeIntervalSince1970: 1_764_633_600)  // the interface's last change
                    return answer(
                        Open311.render(
                            Open311.discovery(base: base(request, settings: settings), changeset: changeset),
                            root: "discovery", format: format), format: format)
                }
            },
            Handler(open: .open311Document) { request, _ in
                let file = request.parameters.get("document") ?? ""
                return await guarded(request, file) { format in
                    try await checkJurisdiction(request, store: store)
                    switch try split(file).name {
                    case "services":
                        return answer(
                            Open311.render(
                                Open311.services(try await store.appealCategories()), root: "services", format: format),
                            format: format)
                    case "requests":
                        return try await list(request, format: format, store: store)
                    default: throw Open311.Failure(404, "没有这个文档")
                    }
                }
            },
            Handler(open: .open311Post, bodyLimit: "64kb") { request, _ in
                let file = request.parameters.get("document") ?? ""
                return await guarded(request, file) { format in
                    guard try split(file).name == "requests" else { throw Open311.Failure(404, "没有这个文档") }
                    let form = formFields(request)
                    guard let given = form["api_key"], !given.isEmpty,
                        let key = try await store.open311Key(matching: given)
                    else { throw Open311.Failure(403, "api_key 无效或缺失") }
                    try await checkJurisdiction(request, store: store)
                    if try await store.countAttempt(key: "open311:\(key.id)", window: 3_600, limit: 2_000) > 2_000 {
                        throw Open311.Failure(429, "该 api_key 请求过于频繁，请稍后再试")
                    }
                    let new = try Open311.newAppeal(
                        form, categories: try await store.appealCategories(),
                        units: try await store.units(in: .everything),
                        keyID: key.id)
                    let appeal = try await AppealDesk.register(
                        new, store: store, by: AuditActor(id: nil, name: "Open311：\(key.name)"))
                    return answer(
                        Open311.render(
                            .list(element: "request", [.object([("token", .text(appeal.token))])]),
                            root: "service_requests", format: format), format: format)
                }
            },
            Handler(open: .open311Service) { request, _ in
                let file = request.parameters.get("serviceFile") ?? ""
                return await guarded(request, file) { format in
                    try await checkJurisdiction(request, store: store)
                    let code = try split(file).name
                    guard let category = try await store.appealCategories().first(where: { $0.code == code }) else {
                        throw Open311.Failure(404, "service_code 不存在：\(code)")
                    }
                    return answer(
                        Open311.render(Open311.definition(category), root: "service_definition", format: format),
                        format: format)
                }
            },
            Handler(open: .open311Request) { request, _ in
                let file = request.parameters.get("requestFile") ?? ""
                return await guarded(request, file) { format in
                    try await checkJurisdiction(request, store: store)
                    let number = try split(file).name
                    guard let appeal = try await store.appeal(number: number) else {
                        throw Open311.Failure(404, "service_request_id 不存在：\(number)")
                    }
                    let redactor = try await Publishing.redactor(store: store)
                    let categories = try await store.appealCategories()
                    return answer(
                        Open311.render(
                            .list(
                                element: "request",
                                [Open311.request(appeal, categories: categories, redactor: redactor)]),
                            root: "service_requests", format: format), format: format)
                }
            },
            Handler(open: .open311Token) { request, _ in
                let file = request.parameters.get("tokenFile") ?? ""
                return await guarded(request, file) { format in
                    try await checkJurisdiction(request, store: store)
                    let token = try split(file).name
                    guard let appeal = try await store.appeal(token: token) else {
                        throw Open311.Failure(404, "token 不存在：\(token)")
                    }
                    return answer(
                        Open311.render(
                            .list(
                                element: "request",
                                [.object([("service_request_id", .text(appeal.number)), ("token", .text(token))])]),
                            root: "service_requests", format: format), format: format)
                }
            },
        ]
    }

    /// GET requests: by ids (which override everything else), else by service, dates and status; by default
    /// the last 90 days, at most 1,000.
    static func list(_ request: Request, format: Open311.Format, store: Store) async throws -> Response {
        func query(_ name: String) -> String? {
            (try? request.query.get(String.self, at: name)).flatMap { $0.isEmpty ? nil : $0 }
        }
        let redactor = try await Publishing.redactor(store: store)
        let categories = try await store.appealCategories()
        var found: [Appeal] = []
        if let ids = query("service_request_id") {
            for number in ids.split(separator: ",").prefix(1_000) {
                if let appeal = try await store.appeal(number: number.trimmingCharacters(in: .whitespaces)) {
                    found.append(appeal)
                }
            }
        } else {
            func date(_ name: String) throws -> Date? {
                guard let text = query(name) else { return nil }
                guard let value = try? Date(text, strategy: .iso8601) else {
                    throw Open311.Failure(400, "\(name) 应为 W3C 日期时间，如 2026-12-01T00:00:00Z")
                }
                return value
            }
            let end = try date("end_date") ?? Date.distantFuture
            let start =
                try date("start_date") ?? (try date("end_date") ?? store.clock.now()).addingTimeInterval(-90 * 86_400)
            let codes = query("service_code").map { Set($0.split(separator: ",").map(String.init)) }
            let statuses = query("status").map { Set($0.split(separator: ",").map(String.init)) }
            found = try await store.appeals(in: .everything, from: start, to: end, limit: 1_000).filter { appeal in
                (codes?.contains(appeal.category) ?? true)
                    && (statuses?.contains(appeal.status.isOpen ? "open" : "closed") ?? true)
            }
        }
        return answer(
            Open311.render(
                .list(
                    element: "request", found.map { Open311.request($0, categories: categories, redactor: redactor) }),
                root: "service_requests", format: format), format: format)
    }
}
