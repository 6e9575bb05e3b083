import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The 整改台账 as users know it from Excel, with filters, sorting, search, paging and a print layout.
enum LedgerPage {
    struct Context: Encodable {
        var layout: Layout
        var rows: [Row]
        var total: Int
        var page: Int
        var pages: Int
        var previous: String?
        var next: String?
        var filters: Filters
        var sources: [Option]
        var categories: [Option]
        var statuses: [Option]
        var units: [Option]
        var sorts: [Option]
        var printLink: String
        var exportLink: String
        var exportCSVLink: String
        var links = ["ledger": SiteRoute.ledger.link(), "importLedger": SiteRoute.ledgerImportForm.link()]
    }

    struct Filters: Encodable {
        var source: String
        var category: String
        var status: String
        var unit: String
        var q: String
        var overdue: Bool
        var mine: Bool
        var sort: String
    }

    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Row: Encodable {
        var index: Int
        var link: String
        var number: String
        var source: String
        var category: String
        var text: String
        var measures: String
        var leaders: String
        var leadUnits: String
        var assignees: String
        var deadlines: String
        var kinds: String
        var progress: String
        var status: String
        var statusClass: String
        var overdue: Bool
    }

    static func route(store: Store) -> Handler {
        Handler(
            .ledger, target: { _, _ in .anywhere }
        ) { request, caller in
            let today = store.clock.today()
            let parameters = request.queryParameters
            let printing = try parameters.bool("print")
            var query = try LedgerQuery(parameters)
            let perPage = printing ? 500 : query.paging.perPage
            let page = printing ? 1 : query.paging.page
            query.paging = try Paging(page: page, perPage: perPage)
            let filters = Filters(
                source: query.source?.uuidString ?? "", category: query.category ?? "",
                status: query.statuses.first?.rawValue ?? "", unit: query.unit?.uuidString ?? "", q: query.text ?? "",
                overdue: query.overdue, mine: query.mine, sort: query.sort.rawValue)
            let filter = try await LedgerReading.filter(
                query, reader: caller.principal, readerID: caller.user.id, store: store, today: today)
            let result = try await store.ledger(filter, paging: query.paging, today: today, sort: query.sort)
            let categories = try await store.categories()
            let categoryNames = Dictionary(uniqueKeysWithValues: categories.map { ($0.code, $0.name) })
            let pages = max(1, (result.total + perPage - 1) / perPage)
            func link(page: Int, print: Bool = false, route: SiteRoute = .ledger, extra: [(String, String)] = [])
                -> String
            {
                var items = query.parameters(page: print ? 1 : page)
                if print { items.append(("print", "1")) }
                return route.link(query: items + extra)
            }
            let sources = try await store.sources(in: caller.scope)
            let units = try await store.units(in: caller.scope)
            let rows = result.rows.enumerated().map { offset, row in
                let tasks = row.tasks
                func joined(_ values: [String]) -> String {
                    let present = values.filter { !$0.isEmpty }
                    if present.count <= 1 { return present.first ?? "" }
                    return present.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
                }
                let status = row.problem.status
                return Row(
                    index: (page - 1) * perPage + offset + 1, link: SiteRoute.problem.link(row.problem.id),
                    number: row.problem.number,
                    source: row.round.map { "\(row.sourceTitle)（第\($0)轮）" } ?? row.sourceTitle,
                    category: "\(row.problem.categoryCode) \(categoryNames[row.problem.categoryCode] ?? "")",
                    text: row.problem.text, measures: joined(tasks.map(\.measure)),
                    leaders: Array(Set(tasks.compactMap(\.leaderName))).sorted().joined(separator: "、"),
                    leadUnits: Array(Set(tasks.map(\.leadUnit))).sorted().joined(separator: "、"),
                    assignees: Array(Set(tasks.map(\.assignee))).sorted().joined(separator: "、"),
                    deadlines: joined(tasks.map { $0.deadline?.chinese ?? ($0.kind == .ongoing ? "长期" : "") }),
                    kinds: Array(Set(tasks.map(\.kind.label))).sorted().joined(separator: "、"),
                    progress: row.latestProgress ?? "",
                    status: "\(status.completion.label(for: row.sourceKind))（\(status.label)）",
                    statusClass: row.overdue ? "red" : status.rawValue, overdue: row.overdue)
            }
            let context = Context(
                layout: Layout(title: "整改台账", caller: caller, section: .ledger),
                rows: rows, total: result.total, page: page, pages: pages,
                previous: page > 1 ? link(page: page - 1) : nil, next: page < pages ? link(page: page + 1) : nil,
                filters: filters,
                sources: sources.map {
                    Option(value: $0.id.uuidString, label: $0.title, selected: $0.id.uuidString == filters.source)
                },
                categories: categories.map {
                    Option(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == filters.category)
                },
                statuses: ProblemStatus.allCases.map {
                    Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filters.status)
                },
                units: units.map {
                    Option(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == filters.unit)
                },
                sorts: [
                    ("number", "按编号"), ("deadline", "按时限（最紧的在前）"), ("status", "按状态"), ("category", "按类别"),
                    ("updated", "按最近更新"),
                ].map { Option(value: $0.0, label: $0.1, selected: $0.0 == filters.sort) },
                printLink: link(page: 1, print: true), exportLink: link(page: 1, route: .ledgerExport),
                exportCSVLink: link(page: 1, route: .ledgerExport, extra: [("format", "csv")]))
            return try await Pages.render(request, printing ? "ledger-print" : "ledger", context)
        }
    }
}
