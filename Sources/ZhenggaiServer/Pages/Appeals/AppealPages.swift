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
        /// Only the appeals past their answer date (督办 starts here).
        var lateOnly: Bool
        var lateCount: Int
        var action = SiteRoute.appealRegister.link()
        var statistics = SiteRoute.appealStatistics.link()
        var importLink = SiteRoute.appealImportForm.link()
        var lateLink = SiteRoute.appeals.link(query: [("late", "1")])
        var allLink = SiteRoute.appeals.link()
    }

    struct DetailContext: Encodable {
        struct Event: Encodable {
            var at: String
            var who: String
            var note: String
        }
        struct FileView: Encodable {
            var name: String
            var stage: String
            var by: String
            var at: String
            var link: String
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
        /// 协办单位 (首接负责制: the department above leads and answers).
        var assists: String?
        var due: String
        var late: Bool
        var answer: String?
        var satisfaction: String?
        var problemLink: String?
        var events: [Event]
        var canManage: Bool
        /// The lead department: reports, answers, disputes.
        var canHandle: Bool
        /// An assisting department: reports what it did and adds evidence.
        var canAssist: Bool
        var canSupervise: Bool
        var departments: [Option]
        var assistOptions: [Option]
        var files: [FileView]
        var canUpload: Bool
        var upload: String
        var pressings: [ProblemPage.PressingView]
        var pressAction: String
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

    /// The register form (受理), sent as multipart because the person's photo or letter comes with it; the
    /// same fields decode from a url-encoded post.
    struct Registration: Content {
        var channel: String?
        var kind: String?
        var urgent: String?
        var category: String?
        var areaID: String?
        var place: String?
        var text: String?
        var personName: String?
        var personPhone: String?
        var files: [File]?

        init(_ request: Request) {
            self = (try? request.content.decode(Registration.self)) ?? Registration()
        }

        init() {}

        var values: [String: String] {
            [
                "channel": channel, "kind": kind, "urgent": urgent, "category": category, "areaID": areaID,
                "place": place, "text": text, "personName": personName, "personPhone": personPhone,
            ].compactMapValues { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }
        }

        var uploads: [FileUpload] {
            (files ?? []).filter { $0.data.readableBytes > 0 }.map {
                FileUpload(name: $0.filename, data: Data(buffer: $0.data))
            }
        }
    }

    /// Files sent with a form: a batch of photos at most, each within the evidence limit.
    static func uploadLimit(_ store: Store) -> ByteCount {
        ByteCount(value: Store.appealFilesPerUpload * store.configuration.evidenceLimitBytes + 64 * 1024)
    }

    /// Where the caller handles an appeal from: the lead department when it is theirs, else an assisting
    /// department of theirs (it may report and add evidence; answering stays with the lead).
    static func handlingPath(
        _ paths: (area: String, department: String?, assists: [String]), caller: Caller
    ) -> String {
        if let department = paths.department, caller.scope.contains(department) { return department }
        return paths.assists.first(where: caller.scope.contains) ?? paths.department ?? paths.area
    }

    /// Where the caller reads an appeal (and its files) from: a department of theirs that handles it, else its
    /// area — one target for the page, the files and the uploads.
    static func readingPath(_ paths: (area: String, department: String?, assists: [String]), caller: Caller) -> String {
        let handling = handlingPath(paths, caller: caller)
        return caller.scope.contains(handling) ? handling : paths.area
    }

    static func routes(store: Store, publicURL: String?, publicPages: PublicPageCache) -> [Handler] {
        @Sendable func list(_ request: Request, _ caller: Caller, values: [String: String] = [:], error: String? = nil)
            async throws -> Response
        {
            let today = store.clock.today()
            func isLate(_ appeal: Appeal) -> Bool {
                appeal.status == .dispatched && (appeal.dueOn.map { $0 < today } ?? false)
            }
            let lateOnly = (try? request.query.get(String.self, at: "late")) == "1"
            let recent = try await store.appeals(in: caller.scope, limit: lateOnly ? 5_000 : 300)
            let appeals = lateOnly ? recent.filter(isLate) : recent
            let areas = try await store.units(in: Scope(caller.principal, for: .manageAppeals))
            let context = ListContext(
                layout: Layout(title: "群众诉求", caller: caller, section: .appeals, notice: Pages.notice(request)),
                rows: appeals.map { appeal in
                    .init(
                        link: SiteRoute.appeal.link(appeal.id), number: appeal.number, kind: appeal.kind.label,
                        text: Text.excerpt(appeal.text, 40), area: appeal.areaName,
                        department: appeal.departmentName ?? "—",
                        status: appeal.status.label, due: appeal.dueOn?.chinese ?? "", late: isLate(appeal))
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
                areas: Pickers.units(areas, selected: values["areaID"] ?? ""), values: values, error: error,
                lateOnly: lateOnly, lateCount: recent.filter(isLate).count)
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
            let canAssist =
                !canHandle
                && paths.assists.contains {
                    AccessPolicy.allows(caller.principal, .handleAppeals, on: AccessTarget(unitPath: $0))
                }
            let pressTarget = AccessTarget(unitPath: paths.department ?? paths.area)
            let canSupervise = AccessPolicy.allows(caller.principal, .supervise, on: pressTarget)
            let mayAnswerPress = AccessPolicy.allows(caller.principal, .addProgress, on: pressTarget)
            let assists = try await store.appealAssists(appeal.id)
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
                department: appeal.departmentName.map { assists.isEmpty ? $0 : "\($0)（主办）" } ?? "未派单",
                assists: assists.isEmpty ? nil : assists.map(\.departmentName).joined(separator: "、"),
                due: appeal.dueOn.map { "\($0.chinese)前答复" } ?? "",
                late: appeal.status == .dispatched && (appeal.dueOn.map { $0 < today } ?? false),
                answer: appeal.answer,
                satisfaction: appeal.satisfaction.flatMap(RatingLevel.init(rawValue:)).map {
                    "\($0.label)" + (appeal.satisfactionReason.map { $0.isEmpty ? "" : "：\($0)" } ?? "")
                },
                problemLink: appeal.problemID.map { SiteRoute.problem.link($0) },
                events: try await store.appealEvents(appeal.id).map {
                    .init(at: LocalDate.chineseTime($0.at), who: $0.actorName, note: $0.note)
                },
                canManage: canManage, canHandle: canHandle, canAssist: canAssist, canSupervise: canSupervise,
                departments: Pickers.units(units, selected: appeal.departmentID?.uuidString ?? ""),
                assistOptions: units.map { unit in
                    Option(
                        value: unit.id.uuidString, label: unit.name,
                        selected: assists.contains { $0.departmentID == unit.id })
                },
                files: try await store.appealFiles(appeal.id).map {
                    .init(
                        name: $0.fileName, stage: $0.stage.label, by: $0.uploadedBy,
                        at: LocalDate.chineseTime($0.uploadedAt), link: SiteRoute.appealFile.link($0.id))
                },
                canUpload: appeal.status.isOpen && (canManage || canHandle || canAssist),
                upload: SiteRoute.appealFiles.link(appeal.id),
                pressings: try await store.pressings(ofAppeal: appeal.id).map { press in
                    ProblemPage.PressingView(press, today: today, answerable: mayAnswerPress)
                },
                pressAction: SiteRoute.appealPress.link(appeal.id),
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
        @Sendable func step(
            _ request: Request, _ caller: Caller, notice: Notice = .saved, _ body: () async throws -> Void
        ) async throws -> Response {
            do {
                try await body()
            } catch let error as StoreError {
                return try await detail(request, caller, error: error.userMessage)
            }
            return Pages.redirect(request, to: SiteRoute.appeal.link(try request.id("appealID")), notice: notice)
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
                .appealRegister, bodyLimit: uploadLimit(store),
                target: { request, _ in
                    guard let id = Registration(request).values["areaID"].flatMap(UUID.init(uuidString:)) else {
                        return .anywhere
                    }
                    return AccessTarget(unitPath: try await store.unit(id).path)
                }
            ) { request, caller in
                let form = Registration(request)
                let values = form.values
                guard let areaID = values["areaID"].flatMap(UUID.init(uuidString:)),
                    let channel = values["channel"].flatMap(Appeal.Channel.init(rawValue:)),
                    let kind = values["kind"].flatMap(Appeal.Kind.init(rawValue:))
                else { return try await list(request, caller, values: values, error: "请选择受理渠道、诉求类型和所在地区。") }
                do {
                    var new = NewAppeal(
                        channel: channel, kind: kind, urgent: values["urgent"] == "1",
                        category: values["category"] ?? "", areaID: areaID, place: values["place"] ?? "",
                        text: values["text"] ?? "", personName: values["personName"] ?? "",
                        personPhone: values["personPhone"] ?? "")
                    new.attachments = form.uploads
                    let appeal = try await AppealDesk.register(new, store: store, by: caller.actor)
                    return Pages.redirect(request, to: SiteRoute.appeal.link(appeal.id), notice: .created)
                } catch let error as StoreError {
                    return try await list(request, caller, values: values, error: error.userMessage)
                }
            },
            // The appeal (with the person's name and phone) is for its area's people and the department it
            // was sent to.
            Handler(
                .appeal,
                target: { request, caller in
                    let paths = try await store.appealPaths(try request.id("appealID"))
                    return AccessTarget(unitPath: readingPath(paths, caller: caller))
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
                        struct Assisting: Decodable { var assist: [String]? }
                        let assisting = ((try? request.content.decode(Assisting.self))?.assist ?? [])
                            .compactMap(UUID.init(uuidString:))
                        _ = try await AppealDesk.dispatch(
                            id, to: department, assisting: assisting, store: store, by: caller.actor)
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
                target: { request, caller in
                    AccessTarget(
                        unitPath: handlingPath(try await store.appealPaths(try request.id("appealID")), caller: caller))
                }
            ) { request, caller in
                let id = try request.id("appealID")
                let form = FormInput(request)
                // 首接负责制: an assisting department reports; answering and disputing are the lead's.
                func lead() async throws {
                    let paths = try await store.appealPaths(id)
                    try Gate.authorize(caller, .handleAppeals, AccessTarget(unitPath: paths.department ?? paths.area))
                }
                return try await step(request, caller) {
                    switch form["step"] {
                    case "progress":
                        _ = try await AppealDesk.progress(id, note: form["note"], store: store, by: caller.actor)
                    case "answer":
                        try await lead()
                        _ = try await AppealDesk.answer(id, text: form["text"], store: store, by: caller.actor)
                    case "dispute":
                        try await lead()
                        _ = try await AppealDesk.dispute(id, reason: form["reason"], store: store, by: caller.actor)
                    default: throw StoreError.invalid(field: "操作", message: "未知的操作。")
                    }
                }
            },
            // 受理材料 by the desk before dispatch, 办理佐证 by the departments handling it.
            Handler(
                .appealFiles, bodyLimit: uploadLimit(store),
                target: { request, caller in
                    let paths = try await store.appealPaths(try request.id("appealID"))
                    return AccessTarget(unitPath: readingPath(paths, caller: caller))
                }
            ) { request, caller in
                try await step(request, caller) {
                    _ = try await store.addAppealFiles(
                        try request.id("appealID"), Registration(request).uploads, by: caller.actor)
                }
            },
            Handler(
                .appealFile,
                target: { request, caller in
                    let file = try await store.appealFile(try request.id("appealFileID"))
                    let paths = try await store.appealPaths(file.appealID)
                    return AccessTarget(unitPath: readingPath(paths, caller: caller))
                }
            ) { request, _ in
                let file = try await store.appealFile(try request.id("appealFileID"))
                return FileResponse.uploaded(
                    try await store.appealFileData(file), fileName: file.fileName, contentType: file.contentType,
                    request: request)
            },
            // 督办 of an appeal (a late one, usually): the department handling it answers by the date.
            Handler(
                .appealPress,
                target: { request, _ in
                    let paths = try await store.appealPaths(try request.id("appealID"))
                    return AccessTarget(unitPath: paths.department ?? paths.area)
                }
            ) { request, caller in
                let id = try request.id("appealID")
                let form = FormInput(request)
                return try await step(request, caller, notice: .pressed) {
                    let input = RhythmPages.PressingInput(
                        kind: form["kind"].isEmpty ? "order" : form["kind"], text: form["text"],
                        answerDue: form.optional("answerDue"), talkDate: form.optional("talkDate"),
                        participants: form.optional("participants"), outcome: form.optional("outcome"))
                    var new = try input.pressing(problemID: nil)
                    new.appealID = id
                    _ = try await Pressings.issue(new, store: store, by: caller.actor, publicURL: publicURL)
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
                try await publicPages.serve(request, store: store) {
                    try await statistics(request, scope: .everything, caller: nil)
                }
            },
        ]
    }
}
