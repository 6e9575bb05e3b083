public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): hotline and city platforms list services,
/// post requests with a key, poll a token and read requests back, in JSON or XML. JSON follows the Spark
/// convention (root dropped: lists are bare arrays). Our richer states map onto `open` / `closed` with
/// `status_notes` and `agency_responsible`; the person, their phone and anything private never leave.
public enum Open311 {
    public enum Format: String, Sendable {
        case json, xml

        public var contentType: String {
            self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8"
        }
    }

    /// A value of a GeoReport document: text, number, boolean, null, a list or an ordered object.
    public indirect enum Node: Sendable {
        case text(String?)
        case number(Double)
        case bool(Bool)
        case list(element: String, [Node])
        case object([(String, Node)])
    }

    public struct Failure: Error, Sendable {
        public var status: Int
        public var description: String

        public init(_ status: Int, _ description: String) {
            self.status = status
            self.description = description
        }
    }

    // MARK: Writing

    /// `root` names the XML document element; in JSON a list's root is dropped (Spark).
    public static func render(_ node: Node, root: String, format: Format) -> String {
        switch format {
        case .json: return json(node)
        case .xml: return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml(node, name: root)
        }
    }

    static func json(_ node: Node) -> String {
        switch node {
        case .text(let value): return value.map(jsonString) ?? "null"
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let value): return value ? "true" : "false"
        case .list(_, let items): return "[" + items.map(json).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.map { jsonString($0.0) + ":" + json($0.1) }.joined(separator: ",") + "}"
        }
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func xml(_ node: Node, name: String) -> String {
        switch node {
        case .text(let value): return "<\(name)>\(escape(value ?? ""))</\(name)>"
        case .number: return "<\(name)>\(json(node))</\(name)>"
        case .bool(let value): return "<\(name)>\(value ? "true" : "false")</\(name)>"
        case .list(let element, let items):
            return "<\(name)>" + items.map { xml($0, name: element) }.joined() + "</\(name)>"
        case .object(let fields): return "<\(name)>" + fields.map { xml($0.1, name: $0.0) }.joined() + "</\(name)>"
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 has no place for other control characters.
                if scalar.value >= 0x20 || scalar == "\n" || scalar == "\t" || scalar == "\r" {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    public static func errors(_ failure: Failure, format: Format) -> String {
        render(
            .list(
                element: "error",
                [.object([("code", .number(Double(failure.status))), ("description", .text(failure.description))])]),
            root: "errors", format: format)
    }

    /// W3C date-time with the zone, in China time.
    static func dateTime(_ date: Date?) -> Node {
        guard let date else { return .text(nil) }
        var style = Date.ISO8601FormatStyle(timeZone: LocalDate.timeZone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        return .text(style.format(date))
    }

    // MARK: Documents

    public static func discovery(base: String, changeset: Date) -> Node {
        .object([
            ("changeset", dateTime(changeset)), ("contact", .text("所在县（市、区）群众诉求受理中心")),
            ("key_service", .text("向所在县（市、区）群众诉求受理中心申请 api_key（zhenggai open311 key add）")),
            (
                "endpoints",
                .list(
                    element: "endpoint",
                    [
                        .object([
                            ("specification", .text("http://wiki.open311.org/GeoReport_v2")), ("url", .text(base)),
                            ("changeset", dateTime(changeset)), ("type", .text("production")),
                            ("formats", .list(element: "format", [.text("text/xml"), .text("application/json")])),
                        ])
                    ])
            ),
        ])
    }

    public static func services(_ categories: [AppealCategory]) -> Node {
        .list(
            element: "service",
            categories.map { category in
                .object([
                    ("service_code", .text(category.code)), ("service_name", .text(category.name)),
                    ("description", .text(category.description)), ("metadata", .bool(true)), ("type", .text("batch")),
                    ("keywords", .text(category.keywords)), ("group", .text(category.group)),
                ])
            })
    }

    /// One attribute: the kind of appeal (咨询 … 举报), which sets its time limit.
    public static func definition(_ category: AppealCategory) -> Node {
        .object([
            ("service_code", .text(category.code)),
            (
                "attributes",
                .list(
                    element: "attribute",
                    [
                        .object([
                            ("variable", .bool(true)), ("code", .text("kind")), ("datatype", .text("singlevaluelist")),
                            ("required", .bool(false)), ("datatype_description", .text("诉求类型，决定办理时限；不填为求助")),
                            ("order", .number(1)), ("description", .text("诉求类型")),
                            (
                                "values",
                                .list(
                                    element: "value",
                                    Appeal.Kind.allCases.map {
                                        .object([("key", .text($0.rawValue)), ("name", .text($0.label))])
                                    })
                            ),
                        ])
                    ])
            ),
        ])
    }

    /// A request as anyone may read it: status, what it is about (masked), where (the village, coordinates
    /// rounded to about 100 m), who is handling it — never who asked.
    public static func request(_ appeal: Appeal, categories: [AppealCategory], redactor: Redactor) -> Node {
        let notes: String =
            switch appeal.status {
            case .closed: appeal.answer.map { "已办结：\($0)" } ?? "已办结"
            case .rejected: "不予受理：\(appeal.rejectReason ?? "")"
            case .merged: "已并入其他诉求办理"
            case .answered: appeal.answer.map { "已答复：\($0)" } ?? "已答复"
            default: appeal.status.label
            }
        let updated = [appeal.closedAt, appeal.answeredAt, appeal.dispatchedAt, appeal.receivedAt].compactMap { $0 }
            .max()
        func rounded(_ value: Double?) -> Node { value.map { .number(($0 * 1000).rounded() / 1000) } ?? .text(nil) }
        return .object([
            ("service_request_id", .text(appeal.number)), ("status", .text(appeal.status.isOpen ? "open" : "closed")),
            ("status_notes", .text(redactor.redact(notes).text)),
            ("service_name", .text(categories.first { $0.code == appeal.category }?.name ?? appeal.category)),
            ("service_code", .text(appeal.category)), ("description", .text(redactor.redact(appeal.text).text)),
            ("agency_responsible", .text(appeal.departmentName)), ("service_notice", .text(nil)),
            ("requested_datetime", dateTime(appeal.receivedAt)), ("updated_datetime", dateTime(updated)),
            ("expected_datetime", dateTime(appeal.dueOn?.adding(days: 1).date.addingTimeInterval(-1))),
            ("address", .text(appeal.areaName)), ("address_id", .text(nil)), ("zipcode", .text(nil)),
            ("lat", rounded(appeal.latitude)), ("long", rounded(appeal.longitude)), ("media_url", .text(nil)),
        ])
    }

    // MARK: Reading a post

    /// The fields of a form-encoded POST, validated as GeoReport v2 says: service_code required (unknown:
    /// 404), a location (lat and long together, or address_string, or address_id), a description of at most
    /// 4,000 characters.
    public static func newAppeal(
        _ form: [String: String], categories: [AppealCategory], units: [UnitNode], keyID: UUID
    ) throws(Failure) -> NewAppeal {
        guard let code = form["service_code"], !code.isEmpty else { throw Failure(400, "缺少 service_code") }
        guard categories.contains(where: { $0.code == code }) else { throw Failure(404, "service_code 不存在：\(code)") }
        let latitude = form["lat"].flatMap(Double.init)
        let longitude = form["long"].flatMap(Double.init)
        if (form["lat"] != nil) != (form["long"] != nil)
            || (form["lat"] != nil && (latitude == nil || longitude == nil))
        {
            throw Failure(400, "lat 和 long 须同时提供，且为数字")
        }
        let address = form["address_string"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard latitude != nil || !address.isEmpty || !(form["address_id"] ?? "").isEmpty else {
            throw Failure(400, "须提供位置：lat 与 long，或 address_string，或 address_id")
        }
        let description = form["description"] ?? ""
        guard description.count <= 4_000 else { throw Failure(400, "description 超过 4000 字") }
        guard !description.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Failure(400, "缺少 description")
        }
        let kind = (form["attribute[kind]"]).flatMap(Appeal.Kind.init(rawValue:)) ?? .help
        // The area: the deepest unit the address names, else the top of the tree.
        let area =
            units.filter { !address.isEmpty && address.contains($0.name) }.max { $0.path.count < $1.path.count }
            ?? units.filter { $0.parentID == nil }.first
        guard let area else { throw Failure(400, "系统中尚无单位") }
        let name = [form["last_name"], form["first_name"]].compactMap { $0 }.joined()
        return NewAppeal(
            channel: .transfer, kind: kind, category: code, areaID: area.id, place: address, text: description,
            personName: name, personPhone: form["phone"] ?? "", latitude: latitude, longitude: longitude,
            token: UUID().uuidString.lowercased(), apiKeyID: keyID)
    }
}
