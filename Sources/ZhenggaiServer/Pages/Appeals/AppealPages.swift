import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The appeals desk on the web: the list with the register form (受理), one appeal with its history and the
/// steps the caller may take (派单, 不予受理, 办理, 答复, 办结, 回访, 并单, 转入台账), the month's statistics, and
/// the public monthly page.
enum AppealPages {
    typealias Option = LedgerPage.Option

    struct ListContext: Encodable {
        struct Row: Encodable {
            var link: String
            var number: String
            var kind: String
            var text: String
            var area: String
            var department: String
            var status: String
            var due: String
            var late: Bool
        }
        var layout: Layout
        var rows: [Row]
        var canRegister: Bool
        var channels: [Option]
        var kinds: [Option]
        var categories: [Option]
        var areas: [Option]
        var values: [String: String]
        var error: String?
        var action = SiteRoute.appealRegister.link()
        var statistics = SiteRoute.appealStatistics.link()
        var importLink = SiteRoute.appealImportForm.link()
    }

    struct DetailContext: Encodable {
        struct Event: Encodable {
            var at: String
            var who: String
            var note: String
        }
        var layout: Layout
        var number: String
        var status: String
        var kind: String
        var channel: String
        var category: String
        var area: String
        var place: String
        var text: String
        var person: String
        var department: String
        var due: String
        var late: Bool
        var answer: String?
        var satisfaction: String?
        var problemLink: String?
        var events: [Event]
        var canManage: Bool
        var canHandle: Bool
        var departments: [Option]
        var levels: [Option]
        var candidates: [Option]
        var categories: [Option]
        var manage: String
        var handle: String
        var error: String?
        var isOpen: Bool
        var registered: Bool
        var dispatched: Bool
        var answered: Bool
        var closed: Bool
    }

    struct StatisticsContext: Encodable {
        var layout: Layout?
        /// Nil on the public page for a month not published.
        var statistics: AppealStatistics?
        var monthLabel: String
        var previous: String
        var next: String?
        var base: PublicPages.Base?
        /// The month's 通报 as a Word file.
        var docx: String
        var month: String
        /// On the public page: this version was corrected.
        var banner: String?
        struct Version: Encodable {
            var version: Int
            var published: String
            var by: String?
            var corrected: String?
            var withdrawn: String?
            var link: String
        }
        var versions: [Version]
        /// Public page: the months that have figures before the public.
        var months: [Option]
        var canPublish: Bool
        var hasCurrent: Bool
        var publishAction = SiteRoute.appealStatisticsPublish.link()
        var withdrawAction = SiteRoute.appealStatisticsWithdraw.link()
    }

    static func routes(store: Store) -> [Handler] {
        @Sendable func list(_ request: Request, _ caller: Caller, values: [String: String] = [:], error: String? = nil)
            async throws -> Response
        {
            let today = store.clock.today()
            let appeals = try await store.appeals(in: caller.scope, limit: 300)
            let areas = try await store.units(in: Scope(caller.principal, for: .manageAppeals))
            let context = ListContext(
                layout: Layout(title: "群众诉求", caller: caller, section: .appeals, notice: Pages.notice(request)),
                rows: appeals.map { appeal in
                    .init(
                        link: SiteRoute.appeal.link(appeal.id), number: appeal.number, kind: appeal.kind.label,
                        text: Text.excerpt(appeal.text, 40), area: appeal.areaName,
                        department: appeal.departmentName ?? "—",
                        status: appeal.status.label, due: appeal.dueOn?.chinese ?? "",
                        late: appeal.status == .dispatched && (appeal.dueOn.map { $0 < today } ?? false))
                },
                canRegister: !areas.isEmpty,
                channels: Appeal.Channel.allCases.map {
                    Option(value: $0.rawValue, label: $0.label, selected: values["channel"] == $0.rawValue)
                },
                kinds: Appeal.Kind.allCases.map {
                    Option(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue)
                },
                categories: try await store.appealCategories().map {
                    Option(value: $0.code, label: $0.name, selected: values["category"] == $0.code)
                },
                areas: Pickers.units(areas, selected: values["areaID"] ?? ""), values: values, error: error)
            return try await Pages.render(
                request, "appeals", context, status: error == nil ? .ok : .unprocessableEntity)
        }
        @Sendable func detail(_ request: Request, _ caller: Caller, error: String? = nil) async throws -> Response {
            let appeal = try await store.appeal(try request.id("appealID"))
            let paths = try await store.appealPaths(appeal.id)
            let canManage = AccessPolicy.allows(
                caller.principal, .manageAppeals, on: AccessTarget(unitPath: paths.area))
            let canHandle =
                paths.department.map {
                    AccessPolicy.allows(caller.principal, .handleAppeals, on: AccessTarget(unitPath: $0))
                } ?? false
            let today = store.clock.today()
            let units = try await store.units(in: .everything).filter { !$0.isRetired }
            let candidates =
                canManage && appeal.status.isOpen ? try await AppealDesk.mergeCandidates(for: appeal, store: store) : []
            let context = DetailContext(
                layout: Layout(
                    title: "群众诉求 \(appeal.number)", caller: caller, section: .appeals, notice: Pages.notice(request)),
                number: appeal.number, status: appeal.status.label,
                kind: appeal.kind.label + (appeal.urgent ? "（紧急）" : ""),
                channel: appeal.channel.label,
                category: try await store.appealCategories().first { $0.code == appeal.category }?.name
                    ?? appeal.category,
                area: appeal.areaName, place: appeal.place, text: appeal.text,
                person: [appeal.personName, appeal.personPhone].filter { !$0.isEmpty }.joined(separator: " "),
                department: appeal.departmentName ?? "未派单", due: appeal.dueOn.map { "\($0.chinese)前答复" } ?? "",
                late: appeal.status == .dispatched && (appeal.dueOn.map { $0 < today } ?? false),
                answer: appeal.answer,
                satisfaction: appeal.satisfaction.flatMap(RatingLevel.init(rawValue:)).map {
                    "\($0.label)" + (appeal.satisfactionReason.map { $0.isEmpty ? "" : "：\($0)" } ?? "")
                },
                problemLink: appeal.problemID.map { SiteRoute.problem.link($0) },
                events: try await store.appealEvents(appeal.id).map {
                    .init(at: LocalDate.chineseTime($0.at), who: $0.actorName, note: $0.note)
                },
                canManage: canManage, canHandle: canHandle,
                departments: Pickers.units(units, selected: appeal.departmentID?.uuidString ?? ""),
                levels: RatingLevel.allCases.map {
                    Option(value: String($0.rawValue), label: $0.label, selected: false)
                },
                candidates: candidates.map {
                    Option(
                        value: $0.appeal.id.uuidString,
                        label: "\($0.appeal.number) \(Text.excerpt($0.appeal.text, 30))（相似度 \(Int($0.score * 100))%）",
                        selected: false)
                },
                categories: try await store.categories().map {
                    Option(value: $0.code, label: "\($0.code) \($0.name)", selected: false)
                },
                manage: SiteRoute.appealManage.link(appeal.id), handle: SiteRoute.appealHandle.link(appeal.id),
                error: error, isOpen: appeal.status.isOpen,
                registered: appeal.status == .registered || appeal.status == .disputed,
                dispatched: appeal.status == .dispatched, answered: appeal.status == .answered,
                closed: appeal.status == .closed)
            return try await Pages.render(request, "appeal", context, status: error == nil ? .ok : .unprocessableEntity)
        }
        @Sendable func step(_ request: Request, _ caller: Caller, _ body: () async throws -> Void) async throws
            -> Response
        {
            do {
                try await body()
            } catch let error as StoreError {
                return try await detail(request, caller, error: error.userMessage)
            }
            return Pages.redirect(request, to: SiteRoute.appeal.link(try request.id("appealID")), notice: .saved)
        }
        /// The internal page shows the month's live figures in the caller's scope and how they were put
        /// before the public; the public page shows only what was published, as it was published.
        @Sendable func statistics(_ request: Request, scope: Scope, caller: Caller?) async throws -> Response {
            let today = store.clock.today()
            let month =
                (try? request.query.get(String.self, at: "month"))
                ?? String(format: "%04d-%02d", today.year, today.month)
            let parts = month.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, let first = LocalDate(year: parts[0], month: parts[1], day: 1) else {
                throw StoreError.invalid(field: "月份", message: "应写成 2026-11 这样的月份。")
            }
            let live =
                caller == nil ? nil : try await AppealStatistics.compute(month: month, scope: scope, store: store)
            let route: SiteRoute = caller == nil ? .publicAppeals : .appealStatistics
            let reports = try await store.appealMonthReports(month: month)
            var shown: AppealMonthReport?
            var banner: String?
            if caller == nil {
                let visible = reports.filter { $0.withdrawnAt == nil }
                let asked = (try? request.query.get(Int.self, at: "version")).flatMap { version in
                    visible.first { $0.version == version }
                }
                shown = asked ?? visible.first { $0.isCurrent }
                if let shown, let corrected = shown.supersededAt {
                    banner = "本版已于\(LocalDate.chineseTime(corrected))更正，请以最新版本为准。"
                }
            }
            let stats = caller == nil ? try shown.map(AppealReports.statistics) : live
            if (try? request.query.get(String.self, at: "format")) == "docx" {
                guard let stats else { throw Abort(.notFound, reason: "该月办理情况尚未公布。") }
                // Issued in the county's name: the published issuer, or the top unit of the caller's scope.
                var issuer = shown?.issuer ?? ""
                if shown == nil {
                    issuer = try await store.units(in: scope).min { $0.path.count < $1.path.count }?.name ?? ""
                }
                return OfficePages.download(
                    try AppealDocuments.docx(
                        stats, issuer: issuer, issuedOn: shown.map { LocalDate($0.publishedAt) } ?? today),
                    fileName: "\(AppealDocuments.title(stats, issuer: issuer)).docx",
                    type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            }
            let previous = first.adding(months: -1)
            let next = first.adding(months: 1)
            var docxQuery = [("month", month), ("format", "docx")]
            if let shown, !shown.isCurrent { docxQuery.append(("version", String(shown.version))) }
            // Whether the caller may publish: read for the people inside only, not on every public view.
            var canPublish = false
            if let caller {
                canPublish = AccessPolicy.allows(
                    caller.principal, .publishAppealFigures, on: try await RhythmPages.root(store: store))
            }
            let context = StatisticsContext(
                layout: caller.map {
                    Layout(title: "群众诉求统计", caller: $0, section: .appeals, notice: Pages.notice(request))
                },
                statistics: stats, monthLabel: "\(first.year)年\(first.month)月",
                previous: route.link(query: [("month", String(format: "%04d-%02d", previous.year, previous.month))]),
                next: next <= today
                    ? route.link(query: [("month", String(format: "%04d-%02d", next.year, next.month))]) : nil,
                base: caller == nil ? PublicPages.Base(title: "群众诉求办理情况") : nil,
                docx: route.link(query: docxQuery), month: month, banner: banner,
                versions: reports.filter { caller != nil || $0.withdrawnAt == nil }.map { report in
                    StatisticsContext.Version(
                        version: report.version, published: LocalDate.chineseTime(report.publishedAt),
                        // Who published is for the people inside; the public sees dates only.
                        by: caller == nil ? nil : report.publishedBy,
                        corrected: report.supersededAt.map(LocalDate.chineseTime),
                        withdrawn: caller == nil
                            ? nil
                            : report.withdrawnAt.map { LocalDate.chineseTime($0) + " " + (report.withdrawnBy ?? "") },
                        link: SiteRoute.publicAppeals.link(query: [
                            ("month", month), ("version", String(report.version)),
                        ]))
                },
                months: caller == nil
                    ? try await store.publishedAppealMonths().map { value in
                        Option(
                            value: SiteRoute.publicAppeals.link(query: [("month", value)]), label: value,
                            selected: value == month)
                    } : [],
                canPublish: canPublish,
                hasCurrent: reports.contains { $0.isCurrent })
            return try await Pages.render(request, caller == nil ? "public-appeals" : "appeal-statistics", context)
        }
        @Sendable func publishing(_ request: Request, _ body: (String) async throws -> Void) async throws -> Response {
            let month = FormInput(request)["month"]
            try await body(month)
            return Pages.redirect(
                request, to: SiteRoute.appealStatistics.link(query: [("month", month)]), notice: .saved)
        }
        return [
            Handler(.appeals) { request, caller in try await list(request, caller) },
            Handler(
                .appealRegister,
                target: { request, _ in
                    guard let id = FormInput(request).uuid("areaID") else { return .anywhere }
                    return AccessTarget(unitPath: try await store.unit(id).path)
                }
            ) { request, caller in
                let form = FormInput(request)
                guard let areaID = form.uuid("areaID"), let channel = Appeal.Channel(rawValue: form["channel"]),
                    let kind = Appeal.Kind(rawValue: form["kind"])
                else { return try await list(request, caller, values: form.values, error: "请选择受理渠道、诉求类型和所在地区。") }
                do {
                    let appeal = try await AppealDesk.register(
                        NewAppeal(
                            channel: channel, kind: kind, urgent: form["urgent"] == "1", category: form["category"],
                            areaID: areaID, place: form["place"], text: form["text"], personName: form["personName"],
                            personPhone: form["personPhone"]), store: store, by: caller.actor)
                    return Pages.redirect(request, to: SiteRoute.appeal.link(appeal.id), notice: .created)
                } catch let error as StoreError {
                    return try await list(request, caller, values: form.values, error: error.userMessage)
                }
            },
            // The appeal (with the person's name and phone) is for its area's people and the department it
            // was sent to.
            Handler(
                .appeal,
                target: { request, caller in
                    let paths = try await store.appealPaths(try request.id("appealID"))
                    if let department = paths.department, caller.scope.contains(department) {
                        return AccessTarget(unitPath: department)
                    }
                    return AccessTarget(unitPath: paths.area)
                }
            ) { request, caller in try await detail(request, caller) },
            Handler(
                .appealManage,
                target: { request, _ in
                    AccessTarget(unitPath: try await store.appealPaths(try request.id("appealID")).area)
                }
            ) { request, caller in
                let id = try request.id("appealID")
                let form = FormInput(request)
                return try await step(request, caller) {
                    switch form["step"] {
                    case "dispatch":
                        guard let department = form.uuid("departmentID") else {
                            throw StoreError.invalid(field: "承办单位", message: "请选择承办单位。")
                        }
                        _ = try await AppealDesk.dispatch(id, to: department, store: store, by: caller.actor)
                    case "reject":
                        _ = try await AppealDesk.reject(id, reason: form["reason"], store: store, by: caller.actor)
                    case "close": _ = try await AppealDesk.close(id, store: store, by: caller.actor)
                    case "visit":
                        guard let level = Int(form["level"]).flatMap(RatingLevel.init(rawValue:)) else {
                            throw StoreError.invalid(field: "满意程度", message: "请选择满意程度。")
                        }
                        _ = try await AppealDesk.visit(
                            id, level: level, reason: form["reason"], reopen: form["reopen"] == "1", store: store,
                            by: caller.actor)
                    case "merge":
                        guard let target = form.uuid("into") else {
                            throw StoreError.invalid(field: "主诉求", message: "请选择要并入的诉求。")
                        }
                        _ = try await AppealDesk.merge(id, into: target, store: store, by: caller.actor)
                    case "ledger":
                        let appeal = try await store.appeal(id)
                        _ = try await AppealDesk.toProblem(
                            [id], text: form["text"].isEmpty ? appeal.text : form["text"],
                            categoryCode: form["categoryCode"],
                            store: store, by: caller.actor)
                    default: throw StoreError.invalid(field: "操作", message: "未知的操作。")
                    }
                }
            },
            Handler(
                .appealHandle,
                target: { request, _ in
                    let paths = try await store.appealPaths(try request.id("appealID"))
                    return AccessTarget(unitPath: paths.department ?? paths.area)
                }
            ) { request, caller in
                let id = try request.id("appealID")
                let form = FormInput(request)
                return try await step(request, caller) {
                    switch form["step"] {
                    case "progress":
                        _ = try await AppealDesk.progress(id, note: form["note"], store: store, by: caller.actor)
                    case "answer":
                        _ = try await AppealDesk.answer(id, text: form["text"], store: store, by: caller.actor)
                    case "dispute":
                        _ = try await AppealDesk.dispute(id, reason: form["reason"], store: store, by: caller.actor)
                    default: throw StoreError.invalid(field: "操作", message: "未知的操作。")
                    }
                }
            },
            Handler(.appealStatistics) { request, caller in
                try await statistics(request, scope: caller.scope, caller: caller)
            },
            Handler(.appealStatisticsPublish, target: { _, _ in try await RhythmPages.root(store: store) }) {
                request, caller in
                try await publishing(request) { month in
                    _ = try await AppealReports.publish(month: month, store: store, by: caller.actor)
                }
            },
            Handler(.appealStatisticsWithdraw, target: { _, _ in try await RhythmPages.root(store: store) }) {
                request, caller in
                try await publishing(request) { month in
                    try await store.withdrawAppealMonth(month: month, by: caller.actor)
                }
            },
            Handler(open: .publicAppeals) { request, _ in
                // The public sees the county's figures (never a person, never an appeal's text).
                try await statistics(request, scope: .everything, caller: nil)
            },
        ]
    }
}
