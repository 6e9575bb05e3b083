public import Foundation

/// A query parameter that cannot be read: which parameter, and what is wrong with it, in Chinese.
/// The edge answers 400 (API) or shows the message above the list (pages); a bad value is never ignored.
public struct QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    public var parameter: String
    public var message: String

    public init(_ parameter: String, _ message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var userMessage: String { "参数「\(parameter)」\(message)" }
    public var description: String { userMessage }
}

/// Query parameters as a request carries them, with readers that refuse a bad value by name.
public struct QueryParameters: Sendable {
    public var values: [String: String]

    public init(_ values: [String: String]) { self.values = values }

    /// The value, trimmed; nil when absent or empty.
    public func string(_ name: String, maxLength: Int = 200) throws(QueryError) -> String? {
        guard let raw = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
        guard raw.count <= maxLength else { throw QueryError(name, "过长（不超过 \(maxLength) 个字）。") }
        guard !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw QueryError(name, "含有控制字符。")
        }
        return raw
    }

    public func uuid(_ name: String) throws(QueryError) -> UUID? {
        guard let raw = try string(name) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw QueryError(name, "不是有效的编号。") }
        return id
    }

    public func int(_ name: String, in range: ClosedRange<Int>) throws(QueryError) -> Int? {
        guard let raw = try string(name) else { return nil }
        guard let value = Int(raw) else { throw QueryError(name, "应为整数。") }
        guard range.contains(value) else {
            throw QueryError(name, "应在 \(range.lowerBound) 到 \(range.upperBound) 之间（收到 \(value)）。")
        }
        return value
    }

    /// `1`/`true`/`on` or `0`/`false`/`off`; anything else is refused, so a typo never silently means "no".
    public func bool(_ name: String) throws(QueryError) -> Bool {
        guard let raw = try string(name) else { return false }
        switch raw.lowercased() {
        case "1", "true", "on", "yes": return true
        case "0", "false", "off", "no": return false
        default: throw QueryError(name, "应为 1 或 0（收到「\(raw)」）。")
        }
    }

    public func date(_ name: String) throws(QueryError) -> LocalDate? {
        guard let raw = try string(name) else { return nil }
        guard let date = LocalDate(iso: raw) else { throw QueryError(name, "应为 年-月-日 格式的日期（如 2026-08-01）。") }
        return date
    }
}

/// A page of a list: which page and how many rows, validated once for every list.
public struct Paging: Sendable, Hashable {
    public let page: Int
    public let perPage: Int

    public static let maximumPage = 1_000_000

    public init(page: Int = 1, perPage: Int = 50, maximumPerPage: Int = 500) throws(QueryError) {
        guard (1...Self.maximumPage).contains(page) else { throw QueryError("page", "应在 1 到 \(Self.maximumPage) 之间。") }
        guard (1...maximumPerPage).contains(perPage) else {
            throw QueryError("per", "应在 1 到 \(maximumPerPage) 之间（收到 \(perPage)）。")
        }
        self.page = page
        self.perPage = perPage
    }

    public var offset: Int { (page - 1) * perPage }
}

/// The audit log read as a feed: entries after a sequence number, at most `limit` of them.
public struct AuditQuery: Sendable, Equatable {
    public static let maximumLimit = 1_000
    public let after: Int
    public let limit: Int

    public init(after: Int = 0, limit: Int = 100) throws(QueryError) {
        guard after >= 0 else { throw QueryError("after", "不能为负数。") }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw QueryError("limit", "应在 1 到 \(Self.maximumLimit) 之间（收到 \(limit)）。")
        }
        self.after = after
        self.limit = limit
    }

    public init(_ parameters: QueryParameters) throws(QueryError) {
        try self.init(
            after: try parameters.int("after", in: 0...Int(Int32.max)) ?? 0,
            limit: try parameters.int("limit", in: Int.min...Int.max) ?? 100)
    }
}

/// The ledger's filters, sort and page as the API, the ledger page and the export all read them from the
/// query string: one parser, one set of rules (docs/openapi.json lists the parameters).
public struct LedgerQuery: Sendable, Equatable {
    public var source: UUID?
    public var round: Int?
    public var unit: UUID?
    public var category: String?
    public var statuses: [ProblemStatus] = []
    public var leader: UUID?
    /// 只看我负责的: the caller's own items.
    public var mine = false
    /// 我提出的销号申请.
    public var askedByMe = false
    /// 尚无整改措施的问题.
    public var withoutTasks = false
    public var overdue = false
    /// 逾期完成.
    public var late = false
    public var text: String?
    public var sort: LedgerSort = .number
    public var paging: Paging

    public static let perPageDefault = 50

    public init(paging: Paging? = nil) {
        self.paging = paging ?? (try! Paging())  // the defaults are within every bound
    }

    public init(_ parameters: QueryParameters, maximumPerPage: Int = 500) throws(QueryError) {
        self.init()
        source = try parameters.uuid("source")
        round = try parameters.int("round", in: 1...999)
        unit = try parameters.uuid("unit")
        category = try parameters.string("category", maxLength: 10)
        if let raw = try parameters.string("status") {
            var statuses: [ProblemStatus] = []
            for value in raw.split(separator: ",") {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                guard let status = ProblemStatus(rawValue: trimmed) else {
                    throw QueryError(
                        "status",
                        "的取值「\(trimmed)」无效，应为 \(ProblemStatus.allCases.map(\.rawValue).joined(separator: "、")) 之一。")
                }
                if !statuses.contains(status) { statuses.append(status) }
            }
            self.statuses = statuses
        }
        leader = try parameters.uuid("leader")
        mine = try parameters.bool("mine")
        askedByMe = try parameters.bool("asked")
        withoutTasks = try parameters.bool("nomeasure")
        overdue = try parameters.bool("overdue")
        late = try parameters.bool("late")
        text = try parameters.string("q", maxLength: 100)
        if let raw = try parameters.string("sort") {
            guard let sort = LedgerSort(rawValue: raw) else {
                throw QueryError("sort", "应为 \(LedgerSort.allCases.map(\.rawValue).joined(separator: "、")) 之一。")
            }
            self.sort = sort
        }
        paging = try Paging(
            page: try parameters.int("page", in: 1...Paging.maximumPage) ?? 1,
            perPage: try parameters.int("per", in: Int.min...Int.max) ?? Self.perPageDefault,
            maximumPerPage: maximumPerPage)
    }

    /// The query string that reads back as this query (for paging, print and export links), keeping only
    /// what differs from the defaults, in a fixed order.
    public func parameters(page: Int? = nil, includingPaging: Bool = true) -> [(String, String)] {
        var items: [(String, String)] = []
        if let source { items.append(("source", source.uuidString)) }
        if let round { items.append(("round", String(round))) }
        if let unit { items.append(("unit", unit.uuidString)) }
        if let category { items.append(("category", category)) }
        if !statuses.isEmpty { items.append(("status", statuses.map(\.rawValue).joined(separator: ","))) }
        if let leader { items.append(("leader", leader.uuidString)) }
        if mine { items.append(("mine", "1")) }
        if askedByMe { items.append(("asked", "1")) }
        if withoutTasks { items.append(("nomeasure", "1")) }
        if overdue { items.append(("overdue", "1")) }
        if late { items.append(("late", "1")) }
        if let text { items.append(("q", text)) }
        if sort != .number { items.append(("sort", sort.rawValue)) }
        if includingPaging {
            let page = page ?? paging.page
            if page > 1 { items.append(("page", String(page))) }
            if paging.perPage != Self.perPageDefault { items.append(("per", String(paging.perPage))) }
        }
        return items
    }
}
