import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// Sources (巡察 rounds, audits, self-checks…): the list, the form to add one, a round's overview with its
/// chart, and the form to enter a problem into a source.
enum SourcesPage {
    struct ListContext: Encodable {
        var layout: Layout
        var sources: [SourceRow]
        var canCreate: Bool
        var newLink = SiteRoute.sourceForm.link()
    }

    struct SourceRow: Encodable {
        var id: String
        var title: String
        var kind: String
        var issuer: String
        var round: String
        var unitName: String
        var feedbackDate: String
        var reportDue: String
        var reportDaysText: String
        var link: String
        var links: SourceLinks
    }

    struct SourceLinks: Encodable {
        var addProblem: String
        var createProblem: String
        var importDocument: String
        var previewDocument: String
        var acceptDocument: String
        var ledger: String
        var export: String
        var progressReport: String
        var notice: String
        var publish: String

        init(_ id: UUID) {
            addProblem = SiteRoute.problemForm.link(id)
            createProblem = SiteRoute.problemCreate.link(id)
            importDocument = SiteRoute.documentImportForm.link(id)
            previewDocument = SiteRoute.documentPreview.link(id)
            acceptDocument = SiteRoute.documentAccept.link(id)
            ledger = SiteRoute.ledger.link(query: [("source", id.uuidString)])
            export = SiteRoute.ledgerExport.link(query: [("source", id.uuidString)])
            progressReport = SiteRoute.reportForm.link(query: [("source", id.uuidString), ("kind", "progress")])
            notice = SiteRoute.reportForm.link(query: [("source", id.uuidString), ("kind", "notice")])
            publish = SiteRoute.publicationForm.link(id)
        }
    }

    struct FormContext: Encodable {
        var layout: Layout
        var values: [String: String]
        var errors: FieldErrors
        var kinds: [LedgerPage.Option]
        var units: [LedgerPage.Option]
        var action = SiteRoute.sourceCreate.link()
    }

    struct OverviewContext: Encodable {
        var layout: Layout
        var source: SourceRow
        var total: Int
        var completed: Int
        var basicallyCompleted: Int
        var notCompleted: Int
        var rate: String
        var overdue: Int
        var byCategory: [Bucket]
        var byStatus: [Bucket]
        var chart: String
        var canAddProblem: Bool
    }

    struct Bucket: Encodable {
        var link: String
        var key: String
        var label: String
        var total: Int
        var completed: Int
        var basicallyCompleted: Int
        var notCompleted: Int
        var rate: String
    }

    struct ProblemFormContext: Encodable {
        var layout: Layout
        var source: SourceRow
        var values: [String: String]
        var errors: FieldErrors
        var categories: [LedgerPage.Option]
        var units: [LedgerPage.Option]
    }

    static let sourceLabels = ["来源名称": "title", "反馈单位": "issuer", "轮次": "round", "报告期限": "reportMonths"]

    static func row(_ source: Source, today: LocalDate) -> SourceRow {
        SourceRow(
            id: source.id.uuidString, title: source.title, kind: source.kind.label, issuer: source.issuer,
            round: source.round.map { "第\($0)轮" } ?? "—", unitName: source.unitName,
            feedbackDate: source.feedbackDate.chinese, reportDue: source.reportDue.chinese,
            reportDaysText: Text.daysLeft(today.days(until: source.reportDue)), link: SiteRoute.source.link(source.id),
            links: SourceLinks(source.id))
    }

    static func routes(store: Store) -> [Handler] {
        @Sendable func sourceTarget(_ request: Request) async throws -> AccessTarget {
            try await store.accessTarget(source: try request.id("sourceID"))
        }
        @Sendable func unitOptions(_ caller: Caller, selected: String) async throws -> [LedgerPage.Option] {
            try await store.units(in: caller.scope).map {
                LedgerPage.Option(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == selected)
            }
        }
        @Sendable func sourceForm(_ request: Request, _ caller: Caller, values: [String: String], errors: FieldErrors)
            async throws -> Response
        {
            let context = FormContext(
                layout: Layout(title: "录入来源", caller: caller, section: .sources), values: values, errors: errors,
                kinds: SourceKind.allCases.map {
                    LedgerPage.Option(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue)
                },
                units: try await unitOptions(caller, selected: values["unitID"] ?? ""))
            return try await Pages.render(
                request, "source-form", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        @Sendable func problemForm(
            _ request: Request, _ caller: Caller, source: Source, values: [String: String], errors: FieldErrors
        ) async throws -> Response {
            let units = try await store.units(in: Scope(subtree: try await store.unit(source.unitID).path))
            let context = ProblemFormContext(
                layout: Layout(title: "录入问题", caller: caller, section: .sources),
                source: row(source, today: store.clock.today()), values: values, errors: errors,
                categories: try await store.categories().map {
                    LedgerPage.Option(
                        value: $0.code, label: "\($0.code) \($0.name)", selected: values["categoryCode"] == $0.code)
                },
                units: units.map {
                    LedgerPage.Option(
                        value: $0.id.uuidString, label: $0.name, selected: values["unitID"] == $0.id.uuidString)
                })
            return try await Pages.render(
                request, "problem-form", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }

        return [
            Handler(
                .sources, target: { _, _ in .anywhere }
            ) { request, caller in
                let today = store.clock.today()
                let context = ListContext(
                    layout: Layout(title: "来源与轮次", caller: caller, section: .sources, notice: Pages.notice(request)),
                    sources: try await store.sources(in: caller.scope).map { row($0, today: today) },
                    canCreate: caller.user.grants.contains { AccessPolicy.roles(for: .createSource).contains($0.role) })
                return try await Pages.render(request, "sources", context)
            },
            Handler(
                .sourceForm, target: { _, _ in .anywhere }
            ) {
                request, caller in
                try await sourceForm(
                    request, caller, values: ["kind": "inspection", "feedbackDate": store.clock.today().iso],
                    errors: FieldErrors())
            },
            Handler(
                .sourceCreate,
                target: { request, _ in
                    // The unit named in the form decides where the action lands: a forged id outside the subtree is refused.
                    guard let id = FormInput(request).uuid("unitID") else { return .anywhere }
                    return AccessTarget(unitPath: try await store.unit(id).path)
                }
            ) { request, caller in
                let form = FormInput(request)
                var errors = FieldErrors()
                let kind = SourceKind(rawValue: form["kind"])
                if kind == nil { errors.add("kind", "请选择来源类型。") }
                let unitID = form.uuid("unitID")
                if unitID == nil { errors.add("unitID", "请选择被巡察（检查）单位。") }
                let date = LocalDate(iso: form["feedbackDate"])
                if date == nil { errors.add("feedbackDate", "「反馈日期」无效，请按 年-月-日 填写。") }
                var round: Int?
                if let raw = form.optional("round") {
                    round = Int(raw)
                    if round == nil { errors.add("round", "「轮次」应为数字。") }
                }
                var months: Int?
                if let raw = form.optional("reportMonths") {
                    months = Int(raw)
                    if months == nil { errors.add("reportMonths", "「报告期限」应为月数。") }
                }
                if errors.isEmpty, let kind, let unitID, let date {
                    do {
                        let source = try await store.createSource(
                            NewSource(
                                kind: kind, title: form["title"], issuer: form["issuer"], round: round, unitID: unitID,
                                feedbackDate: date, reportMonths: months),
                            by: caller.actor)
                        return Pages.redirect(request, to: SiteRoute.source.link(source.id), notice: .created)
                    } catch { errors.add(error, labels: sourceLabels) }
                }
                return try await sourceForm(request, caller, values: form.values, errors: errors)
            },
            Handler(
                .source, target: { r, _ in try await sourceTarget(r) }
            ) {
                request, caller in
                let source = try await store.source(try request.id("sourceID"))
                let today = store.clock.today()
                let counts = try await store.counts(
                    LedgerFilter(scope: caller.scope, sourceID: source.id), today: today)
                let categories = try await store.categories()
                func bucket(_ b: LedgerCounts.Bucket, label: String, filter: String) -> Bucket {
                    Bucket(
                        link: SiteRoute.ledger.link(query: [("source", source.id.uuidString), (filter, b.key)]),
                        key: b.key, label: label, total: b.counts.total, completed: b.counts.completed,
                        basicallyCompleted: b.counts.basicallyCompleted, notCompleted: b.counts.notCompleted,
                        rate: b.rate)
                }
                let byCategory = counts.byCategory.map { b in
                    bucket(
                        b, label: "\(b.key) \(categories.first { $0.code == b.key }?.name ?? "")", filter: "category")
                }
                let context = OverviewContext(
                    layout: Layout(
                        title: source.title, caller: caller, section: .sources, notice: Pages.notice(request)),
                    source: row(source, today: today), total: counts.total, completed: counts.completion.completed,
                    basicallyCompleted: counts.completion.basicallyCompleted,
                    notCompleted: counts.completion.notCompleted,
                    rate: counts.rate, overdue: counts.overdue, byCategory: byCategory,
                    byStatus: counts.byStatus.map { bucket($0, label: $0.label, filter: "status") },
                    chart: BarChart.stacked(
                        byCategory.map { ($0.key, $0.completed, $0.basicallyCompleted, $0.notCompleted) }),
                    canAddProblem: AccessPolicy.allows(
                        caller.principal, .editProblem,
                        on: AccessTarget(unitPath: try await store.unit(source.unitID).path)))
                return try await Pages.render(request, "source", context)
            },
            Handler(
                .problemForm, target: { r, _ in try await sourceTarget(r) }
            ) {
                request, caller in
                let source = try await store.source(try request.id("sourceID"))
                return try await problemForm(
                    request, caller, source: source, values: ["unitID": source.unitID.uuidString], errors: FieldErrors()
                )
            },
            // The source in the address decides where the action lands: the gate refuses a foreign source before
            // anything of it is read, and the store refuses a unit outside the source's unit.
            Handler(
                .problemCreate,
                target: { request, _ in try await sourceTarget(request) }
            ) { request, caller in
                let source = try await store.source(try request.id("sourceID"))
                let form = FormInput(request)
                var errors = FieldErrors()
                let outline = form["outline"].split(whereSeparator: { $0 == "/" || $0 == "\n" })
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                do {
                    let problem = try await store.createProblem(
                        NewProblem(
                            sourceID: source.id, unitID: form.uuid("unitID"), text: form.values["text"] ?? "",
                            outlinePath: outline, categoryCode: form["categoryCode"]),
                        by: caller.actor)
                    return Pages.redirect(request, to: SiteRoute.problem.link(problem.id), notice: .created)
                } catch {
                    errors.add(
                        error, labels: ["问题描述": "text", "问题类别": "categoryCode", "所在章节": "outline", "所属单位": "unitID"])
                }
                return try await problemForm(request, caller, source: source, values: form.values, errors: errors)
            },
        ]
    }
}

/// Bar charts drawn by the server as SVG: no script, prints as it shows.
enum BarChart {
    /// One stacked bar per category: done (green), basically done (amber), not done (grey).
    static func stacked(_ bars: [(label: String, done: Int, basically: Int, open: Int)]) -> String {
        let barWidth = 36
        let gap = 18
        let height = 180
        let top = 20
        let maximum = max(1, bars.map { $0.done + $0.basically + $0.open }.max() ?? 1)
        let width = max(320, 50 + bars.count * (barWidth + gap))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height + top + 40)" class="chart" \
            role="img" aria-label="各类别问题整改情况">
            """
        svg += "<line x1=\"40\" y1=\"\(top + height)\" x2=\"\(width - 10)\" y2=\"\(top + height)\" class=\"axis\"/>"
        for (index, bar) in bars.enumerated() {
            let x = 50 + index * (barWidth + gap)
            var y = top + height
            for (value, style, name) in [
                (bar.done, "done", "完成"), (bar.basically, "basic", "基本完成"), (bar.open, "open", "未完成"),
            ]
            where value > 0 {
                let h = Int((Double(value) / Double(maximum) * Double(height)).rounded())
                y -= h
                svg +=
                    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(h)\" class=\"\(style)\"><title>\(HTML.escape(bar.label)) \(name) \(value)</title></rect>"
            }
            let total = bar.done + bar.basically + bar.open
            svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(y - 4)\" class=\"value\">\(total)</text>"
            svg +=
                "<text x=\"\(x + barWidth / 2)\" y=\"\(top + height + 16)\" class=\"label\">\(HTML.escape(bar.label))</text>"
        }
        svg +=
            "<text x=\"40\" y=\"\(top + height + 34)\" class=\"legend\"><tspan class=\"done\">■</tspan> 完成　"
            + "<tspan class=\"basic\">■</tspan> 基本完成　<tspan class=\"open\">■</tspan> 未完成</text>"
        return svg + "</svg>"
    }
}
