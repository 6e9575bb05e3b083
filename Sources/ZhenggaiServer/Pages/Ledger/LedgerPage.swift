import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The 整改台账 as users know it from Excel, with filters, sorting, search, paging and a print layout.
enum LedgerPage {
    struct Context: Encodable {
        var layout: Layout
        /// The rows for the print layout; the screen page takes `table`, written in Swift.
        var rows: [Row]
        var rowCount: Int
        var table: String
        var total: Int
        var page: Int
        var pages: Int
        var previous: String?
        var next: String?
        var filters: Filters
        /// The pickers' `<option>`s as HTML (`HTML.options`): a province's unit picker has thousands.
        var sourceOptions: String
        var categoryOptions: String
        var statuses: [Option]
        var unitOptions: String
        var sorts: [Option]
        var printLink: String
        var exportLink: String
        var exportCSVLink: String
        var links = [
            "ledger": SiteRoute.ledger.link(), "importLedger": SiteRoute.ledgerImportForm.link(),
            "assign": SiteRoute.ledgerAssign.link(),
        ]
        /// Bulk assignment (批量指定) for those who keep the ledger: people to choose from, the way back.
        var canAssign: Bool
        var peopleOptions: String
        var returnTo: String
        var assignError: String?
        /// Filters a link from the home page set that the filter form has no field for, named so the reader
        /// knows the list is narrowed.
        var narrowedTo: [String] = []
    }

    struct Filters: Encodable {
        var source: String
        var category: String
        var status: String
        var unit: String
        var q: String
        var overdue: Bool
        var late: Bool
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
        var id: String
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

    /// What a page shows that is the same for everyone with the same scope and filters: its rows and the
    /// pickers (a province's unit picker alone is thousands of options), kept under the change stamp.
    struct Shared: Sendable {
        var rows: [Row]
        var total: Int
        var table: String
        var sourceOptions: String
        var categoryOptions: String
        var unitOptions: String
        var peopleOptions: String

        /// About the bytes it holds, for the cache's bound.
        var cost: Int {
            let rowBytes = rows.reduce(0) {
                $0 + 300 + $1.text.utf8.count + $1.measures.utf8.count + $1.progress.utf8.count
            }
            return rowBytes + table.utf8.count + sourceOptions.utf8.count + categoryOptions.utf8.count
                + unitOptions.utf8.count + peopleOptions.utf8.count
        }
    }

    static func routes(store: Store) -> [Handler] {
        [route(store: store, cache: StampedCache()), assignRoute(store: store)]
    }

    /// 批量指定: the chosen problems' tasks get the given 责任领导, 责任单位, 配合单位, 责任人 and 时限 at once
    /// (a problem without a task gets one with the measure given). Each problem must be the caller's to
    /// edit; everything happens in one transaction, and any refusal comes back above the ledger.
    static func assignRoute(store: Store) -> Handler {
        Handler(.ledgerAssign) { request, caller in
            struct Form: Content {
                var problem: [String]?
                var leaderPersonID: String?
                var leadUnit: String?
                var supportingUnits: String?
                var assigneePersonID: String?
                var assignee: String?
                var deadline: String?
                var measure: String?
                var returnTo: String?
            }
            let form = try request.content.decode(Form.self)
            let back = LoginPage.safeNext(form.returnTo ?? SiteRoute.ledger.link())
            func text(_ value: String?) -> String? {
                guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                    return nil
                }
                return value
            }
            func fail(_ message: String) -> Response {
                let separator = back.contains("?") ? "&" : "?"
                return request.redirect(
                    to: "\(back)\(separator)assignError=\(Links.encode(message))", redirectType: .normal)
            }
            let ids = (form.problem ?? []).compactMap(UUID.init(uuidString:))
            var bulk = BulkAssignment(
                leaderPersonID: text(form.leaderPersonID).flatMap(UUID.init(uuidString:)),
                leadUnit: text(form.leadUnit),
                supportingUnits: text(form.supportingUnits),
                assigneePersonID: text(form.assigneePersonID).flatMap(UUID.init(uuidString:)),
                assignee: text(form.assignee), measure: text(form.measure))
            if let raw = text(form.deadline) {
                guard let date = LocalDate(iso: raw) else { return fail("「时限」日期无效，请按 年-月-日 填写。") }
                bulk.deadline = date
            }
            do {
                for id in ids {
                    let path = try await store.problem(id).unitPath
                    try Gate.authorize(caller, .createTask, AccessTarget(unitPath: path))
                }
                _ = try await store.assign(bulk, to: ids, by: caller.actor)
            } catch let error as StoreError {
                return fail(error.userMessage)
            }
            return Pages.redirect(request, to: back, notice: .assigned)
        }
    }

    static func route(store: Store, cache: StampedCache<LedgerKey, Shared>) -> Handler {
        Handler(
            .ledger, target: { _, _ in .anywhere }
        ) { request, caller in
            let today = store.clock.today()
            let parameters = request.queryParameters
            let canAssign = caller.user.grants.contains { AccessPolicy.roles(for: .createTask).contains($0.role) }
            let assignError = try parameters.string("assignError", maxLength: 300)
            let printing = try parameters.bool("print")
            var query = try LedgerQuery(parameters)
            let perPage = printing ? 500 : query.paging.perPage
            let page = printing ? 1 : query.paging.page
            query.paging = try Paging(page: page, perPage: perPage)
            let filters = Filters(
                source: query.source?.uuidString ?? "", category: query.category ?? "",
                status: query.statuses.first?.rawValue ?? "", unit: query.unit?.uuidString ?? "", q: query.text ?? "",
                overdue: query.overdue, late: query.late, mine: query.mine, sort: query.sort.rawValue)
            let filter = try await LedgerReading.filter(
                query, reader: caller.principal, readerID: caller.user.id, store: store, today: today)
            let key = LedgerKey(
                filter: filter, paging: query.paging, sort: query.sort, today: today, variant: canAssign ? "assign" : ""
            )
            let shared = try await cache.value(stamp: caller.changeStamp, key: key, cost: \.cost) {
                [query] in
                try await Self.shared(
                    store: store, caller: caller, filter: filter, query: query, filters: filters, today: today,
                    canAssign: canAssign)
            }
            let pages = max(1, (shared.total + perPage - 1) / perPage)
            func link(page: Int, print: Bool = false, route: SiteRoute = .ledger, extra: [(String, String)] = [])
                -> String
            {
                var items = query.parameters(page: print ? 1 : page)
                if print { items.append(("print", "1")) }
                return route.link(query: items + extra)
            }
            let context = Context(
                layout: Layout(title: "整改台账", caller: caller, section: .ledger, notice: Pages.notice(request)),
                rows: printing ? shared.rows : [], rowCount: shared.rows.count, table: printing ? "" : shared.table,
                total: shared.total, page: page, pages: pages,
                previous: page > 1 ? link(page: page - 1) : nil, next: page < pages ? link(page: page + 1) : nil,
                filters: filters, sourceOptions: shared.sourceOptions, categoryOptions: shared.categoryOptions,
                statuses: ProblemStatus.allCases.map {
                    Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filters.status)
                },
                unitOptions: shared.unitOptions,
                sorts: [
                    ("number", "按编号"), ("deadline", "按时限（最紧的在前）"), ("status", "按状态"), ("category", "按类别"),
                    ("updated", "按最近更新"),
                ].map { Option(value: $0.0, label: $0.1, selected: $0.0 == filters.sort) },
                printLink: link(page: 1, print: true), exportLink: link(page: 1, route: .ledgerExport),
                exportCSVLink: link(page: 1, route: .ledgerExport, extra: [("format", "csv")]),
                canAssign: canAssign, peopleOptions: shared.peopleOptions, returnTo: link(page: page),
                assignError: assignError)
            var shown = context
            if query.askedByMe { shown.narrowedTo.append("我提出的销号申请") }
            if query.withoutTasks { shown.narrowedTo.append("尚无整改措施的问题") }
            return try await Pages.render(request, printing ? "ledger-print" : "ledger", shown)
        }
    }

    /// The rows and pickers of one page, read from the store.
    static func shared(
        store: Store, caller: Caller, filter: LedgerFilter, query: LedgerQuery, filters: Filters, today: LocalDate,
        canAssign: Bool
    ) async throws -> Shared {
        let page = query.paging.page
        let perPage = query.paging.perPage
        let result = try await store.ledger(filter, paging: query.paging, today: today, sort: query.sort)
        let categories = try await store.categories()
        let categoryNames = Dictionary(uniqueKeysWithValues: categories.map { ($0.code, $0.name) })
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
                index: (page - 1) * perPage + offset + 1, id: row.problem.id.uuidString,
                link: SiteRoute.problem.link(row.problem.id),
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
                status: row.statusText,
                statusClass: row.overdue ? "red" : row.timeliness == .late ? "late" : status.rawValue,
                overdue: row.overdue)
        }
        return Shared(
            rows: rows, total: result.total, table: table(rows, canAssign: canAssign),
            sourceOptions: HTML.options(
                sources.map {
                    Option(value: $0.id.uuidString, label: $0.title, selected: $0.id.uuidString == filters.source)
                }),
            categoryOptions: HTML.options(
                categories.map {
                    Option(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == filters.category)
                }),
            unitOptions: HTML.options(Pickers.units(units, selected: filters.unit, includeRetired: true)),
            peopleOptions: canAssign
                ? HTML.options(
                    Pickers.people(try await store.people(in: caller.scope), selected: ""), selectable: false)
                : "")
    }

    /// The table's rows, as the template wrote them.
    static func table(_ rows: [Row], canAssign: Bool) -> String {
        var html = HTML(reservingCapacity: rows.count * 1_500)
        for r in rows {
            html.raw("<tr class=\"st-")
            html.escaped(r.statusClass)
            html.raw("\">\n")
            if canAssign {
                html.raw("<td data-label=\"选择\"><input type=\"checkbox\" name=\"problem[]\" value=\"")
                html.escaped(r.id)
                html.raw("\" aria-label=\"选择 ")
                html.escaped(r.number)
                html.raw("\"></td>")
            }
            html.raw("\n<td data-label=\"序号\">\(r.index)<br><a href=\"")
            html.escaped(r.link)
            html.raw("\" class=\"number\">")
            html.escaped(r.number)
            html.raw("</a></td><td data-label=\"来源/轮次\">")
            html.escaped(r.source)
            html.raw("</td><td data-label=\"问题类别\">")
            html.escaped(r.category)
            html.raw("</td>\n<td class=\"text\" data-label=\"反馈问题\"><a href=\"")
            html.escaped(r.link)
            html.raw("\">")
            html.escaped(r.text)
            html.raw("</a></td><td class=\"pre\" data-label=\"整改措施\">")
            html.escaped(r.measures)
            html.raw("</td><td data-label=\"责任领导\">")
            html.escaped(r.leaders)
            html.raw("</td><td data-label=\"责任单位\">")
            html.escaped(r.leadUnits)
            html.raw("</td><td data-label=\"责任人\">")
            html.escaped(r.assignees)
            html.raw("</td>\n<td class=\"pre\" data-label=\"整改时限\">")
            html.escaped(r.deadlines)
            if r.overdue { html.raw("<br><b class=\"tag red\">已逾期</b>") }
            html.raw("</td><td data-label=\"整改类型\">")
            html.escaped(r.kinds)
            html.raw("</td><td class=\"pre\" data-label=\"整改进展\">")
            html.escaped(r.progress)
            html.raw("</td><td data-label=\"完成情况\">")
            html.escaped(r.status)
            html.raw("</td></tr>\n")
        }
        return html.text
    }
}
