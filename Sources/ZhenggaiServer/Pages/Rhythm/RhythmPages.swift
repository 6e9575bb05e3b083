import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiServices
import ZhenggaiStore

/// The rhythm of rectification on the web: one's inbox; the county's settings, working-day calendar, message
/// channels and background jobs for those who keep them; the 周调度 / 月督查 / 季通报 pages and files; and
/// 督办 / 约谈 on a problem.
enum RhythmPages {
    typealias Option = LedgerPage.Option

    static func routes(store: Store, settings: AppConfiguration, similarity: SimilarityService) -> [Handler] {
        inboxRoutes(store: store) + settingsRoutes(store: store, smsReady: settings.sms != nil)
            + calendarRoutes(store: store)
            + channelRoutes(store: store, mail: settings.mail) + periodRoutes(store: store)
            + pressingRoutes(store: store, settings: settings, similarity: similarity)
    }

    /// The highest unit where the caller holds `action` (normally the county): settings and reports are kept
    /// there.
    static func topUnit(_ caller: Caller, _ action: Action, store: Store) async throws -> UnitNode? {
        let grants = caller.user.grants.filter { AccessPolicy.roles(for: action).contains($0.role) }
        guard let top = grants.min(by: { $0.unitPath.count < $1.unitPath.count }) else { return nil }
        return try await store.unit(top.unitID)
    }

    /// The top of the tree: the national calendar and the jobs belong to whoever administers it.
    static func root(store: Store) async throws -> AccessTarget {
        let roots = try await store.units(in: .everything).filter { $0.parentID == nil }
        return AccessTarget(unitPath: roots.first?.path ?? "/")
    }

    // MARK: Inbox

    struct InboxContext: Encodable {
        struct Row: Encodable {
            var title: String
            var body: String
            var link: String
            var day: String
            var read: Bool
            var readAction: String
            var id: String
        }
        var layout: Layout
        var messages: [Row]
        var readAll = SiteRoute.inboxRead.link()
    }

    static func inboxRoutes(store: Store) -> [Handler] {
        [
            Handler(.inbox) { request, caller in
                let messages = try await store.notifications(of: caller.user.id, limit: 100)
                let context = InboxContext(
                    layout: Layout(title: "消息", caller: caller, section: .inbox, notice: Pages.notice(request)),
                    messages: messages.map {
                        InboxContext.Row(
                            title: $0.title, body: $0.body, link: $0.link, day: $0.day.chinese, read: $0.read,
                            readAction: SiteRoute.inboxRead.link(), id: $0.id.uuidString)
                    })
                return try await Pages.render(request, "inbox", context)
            },
            Handler(.inboxRead) { request, caller in
                let form = FormInput(request)
                try await store.markRead(form.uuid("id"), of: caller.user.id)
                return Pages.redirect(request, to: SiteRoute.inbox.link(), notice: .saved)
            },
            Handler(.apiMyInbox) { request, caller in
                let messages = try await store.notifications(of: caller.user.id, limit: 100)
                return try .json(messages.map(InboxRecord.init))
            },
        ]
    }

    // MARK: Settings

    struct SettingsContext: Encodable {
        struct CadenceRow: Encodable {
            var index: Int
            var key: String
            var name: String
            var periods: [Option]
            var contents: [Option]
            var enabled: Bool
        }
        struct NumberField: Encodable {
            var label: String
            var name: String
            var min: Int
            var max: Int
            var value: String
            var error: String?
        }
        var layout: Layout
        var unitName: String
        var values: [String: String]
        var appealFields: [NumberField] = []
        var ratingFields: [NumberField] = []
        var immediate: Bool
        var ratingRule: Bool
        var ratingReopens: Bool
        var ratingLinkSMS: Bool
        var smsReady: Bool
        var countings: [Option]
        var green: [Option]
        var yellow: [Option]
        var red: [Option]
        var cadences: [CadenceRow]
        var newPeriods: [Option]
        var newContents: [Option]
        var errors: FieldErrors
        var links = [
            "save": SiteRoute.adminRhythmSave.link(), "calendar": SiteRoute.adminCalendar.link(),
            "channels": SiteRoute.adminChannels.link(), "jobs": SiteRoute.adminJobs.link(),
            "periods": SiteRoute.periods.link(),
        ]
    }

    static func settingsRoutes(store: Store, smsReady: Bool) -> [Handler] {
        @Sendable func target(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
            guard let unit = try await topUnit(caller, .manageRhythm, store: store) else { return .anywhere }
            return AccessTarget(unitPath: unit.path)
        }
        @Sendable func render(
            _ request: Request, _ caller: Caller, _ rules: RhythmSettings, errors: FieldErrors = FieldErrors()
        ) async throws -> Response {
            let unit = try await topUnit(caller, .manageRhythm, store: store)
            func options<T: RawRepresentable & CaseIterable>(_ all: T.AllCases, _ chosen: T, _ label: (T) -> String)
                -> [Option] where T.RawValue == String
            {
                all.map { Option(value: $0.rawValue, label: label($0), selected: $0 == chosen) }
            }
            let context = SettingsContext(
                layout: Layout(
                    title: "整改节奏与提醒设置", caller: caller, section: .adminRhythm, notice: Pages.notice(request)),
                unitName: unit?.name ?? "",
                values: [
                    "planDueWorkdays": String(rules.planDueWorkdays), "reportDueMonths": String(rules.reportDueMonths),
                    "greenDays": String(rules.greenDays), "yellowDays": String(rules.yellowDays),
                    "stuckDays": String(rules.stuckDays), "digestHour": String(rules.digestHour),
                    "appealConsultation": String(rules.appealLimits.consultation),
                    "appealHelp": String(rules.appealLimits.help),
                    "appealSuggestion": String(rules.appealLimits.suggestion),
                    "appealComplaint": String(rules.appealLimits.complaint),
                    "appealReport": String(rules.appealLimits.report),
                    "appealUrgent": String(rules.appealLimits.urgent),
                    "appealMinimum": String(rules.appealMinimumForRates),
                    "ratingMinimum": String(rules.ratingMinimum), "ratingThreshold": String(rules.ratingThreshold),
                    "ratingMaxVeryDissatisfied": String(rules.ratingMaxVeryDissatisfied),
                ],
                immediate: rules.immediateForPressing, ratingRule: rules.ratingRuleEnabled,
                ratingReopens: rules.ratingReopensClosed, ratingLinkSMS: rules.ratingLinkNeedsSMS,
                smsReady: smsReady,
                countings: options(RhythmSettings.Counting.allCases, rules.counting) { $0.label },
                green: options(RhythmSettings.Audience.allCases, rules.toldAtGreen) { $0.label },
                yellow: options(RhythmSettings.Audience.allCases, rules.toldAtYellow) { $0.label },
                red: options(RhythmSettings.Audience.allCases, rules.toldAtRed) { $0.label },
                cadences: rules.cadences.enumerated().map { index, cadence in
                    SettingsContext.CadenceRow(
                        index: index, key: cadence.key, name: cadence.name,
                        periods: options(RhythmSettings.Period.allCases, cadence.period) { $0.label },
                        contents: options(RhythmSettings.Content.allCases, cadence.content) { $0.label },
                        enabled: cadence.enabled)
                },
                newPeriods: options(RhythmSettings.Period.allCases, RhythmSettings.Period.month) { $0.label },
                newContents: options(RhythmSettings.Content.allCases, RhythmSettings.Content.supervision) { $0.label },
                errors: errors)
            var shown = context
            func fields(_ list: [(String, String, Int, Int)]) -> [SettingsContext.NumberField] {
                list.map { label, name, min, max in
                    .init(
                        label: label, name: name, min: min, max: max, value: context.values[name] ?? "",
                        error: errors.fields[name])
                }
            }
            shown.appealFields = fields([
                ("咨询", "appealConsultation", 1, 60), ("求助", "appealHelp", 1, 60), ("建议", "appealSuggestion", 1, 60),
                ("投诉", "appealComplaint", 1, 60), ("举报", "appealReport", 1, 60), ("紧急诉求（0 为当日）", "appealUrgent", 0, 5),
                ("月度统计：少于几件不计算比率", "appealMinimum", 1, 1_000),
            ])
            shown.ratingFields = fields([
                ("至少几人次评价才适用", "ratingMinimum", 1, 10_000), ("满意率低于（%）", "ratingThreshold", 1, 100),
                ("「非常不满意」超过几人次", "ratingMaxVeryDissatisfied", 0, 10_000),
            ])
            return try await Pages.render(
                request, "admin-rhythm", shown,
                status: errors.summary == nil && errors.fields.isEmpty ? .ok : .unprocessableEntity)
        }
        return [
            Handler(.adminRhythm, target: target) { request, caller in
                guard let unit = try await topUnit(caller, .manageRhythm, store: store) else {
                    throw AccessDenied(.manageRhythm)
                }
                return try await render(request, caller, try await store.rhythmSettings(at: unit.path).settings)
            },
            Handler(.adminRhythmSave, target: target) { request, caller in
                guard let unit = try await topUnit(caller, .manageRhythm, store: store) else {
                    throw AccessDenied(.manageRhythm)
                }
                let form = FormInput(request)
                var rules = try await store.rhythmSettings(at: unit.path).settings
                var errors = FieldErrors()
                func number(_ key: String, _ label: String) -> Int? {
                    guard let value = Int(form[key]) else {
                        errors.add(key, "「\(label)」应为整数。")
                        return nil
                    }
                    return value
                }
                if let value = number("planDueWorkdays", "整改方案时限") { rules.planDueWorkdays = value }
                if let value = number("reportDueMonths", "整改报告时限") { rules.reportDueMonths = value }
                if let value = number("greenDays", "绿色提醒天数") { rules.greenDays = value }
                if let value = number("yellowDays", "黄色提醒天数") { rules.yellowDays = value }
                if let value = number("stuckDays", "停滞天数") { rules.stuckDays = value }
                if let value = number("digestHour", "提醒时间") { rules.digestHour = value }
                // Forms saved before these fields existed (or by a script) keep the county's values.
                func optional(_ key: String, _ label: String, _ apply: (Int) -> Void) {
                    guard form.values[key] != nil else { return }
                    if let value = number(key, label) { apply(value) }
                }
                optional("appealConsultation", "咨询办理时限") { rules.appealLimits.consultation = $0 }
                optional("appealHelp", "求助办理时限") { rules.appealLimits.help = $0 }
                optional("appealSuggestion", "建议办理时限") { rules.appealLimits.suggestion = $0 }
                optional("appealComplaint", "投诉办理时限") { rules.appealLimits.complaint = $0 }
                optional("appealReport", "举报办理时限") { rules.appealLimits.report = $0 }
                optional("appealUrgent", "紧急诉求办理时限") { rules.appealLimits.urgent = $0 }
                optional("appealMinimum", "诉求统计最少件数") { rules.appealMinimumForRates = $0 }
                optional("ratingMinimum", "群众评价最少人次") { rules.ratingMinimum = $0 }
                optional("ratingThreshold", "群众评价满意率") { rules.ratingThreshold = $0 }
                optional("ratingMaxVeryDissatisfied", "非常不满意人次") { rules.ratingMaxVeryDissatisfied = $0 }
                if form.values["ratingMinimum"] != nil {
                    rules.ratingRuleEnabled = form["ratingRuleEnabled"] == "1"
                    rules.ratingReopensClosed = form["ratingReopensClosed"] == "1"
                    rules.ratingLinkNeedsSMS = form["ratingLinkNeedsSMS"] == "1"
                    if rules.ratingLinkNeedsSMS && !smsReady {
                        errors.add("ratingLinkNeedsSMS", "未配置短信平台（ZHENGGAI_SMS_URL），不能要求短信验证。")
                    }
                }
                rules.counting = RhythmSettings.Counting(rawValue: form["counting"]) ?? rules.counting
                rules.toldAtGreen = RhythmSettings.Audience(rawValue: form["toldAtGreen"]) ?? rules.toldAtGreen
                rules.toldAtYellow = RhythmSettings.Audience(rawValue: form["toldAtYellow"]) ?? rules.toldAtYellow
                rules.toldAtRed = RhythmSettings.Audience(rawValue: form["toldAtRed"]) ?? rules.toldAtRed
                rules.immediateForPressing = form["immediateForPressing"] == "1"
                for index in rules.cadences.indices {
                    rules.cadences[index].name =
                        form["cadenceName\(index)"].isEmpty
                        ? rules.cadences[index].name : form["cadenceName\(index)"]
                    rules.cadences[index].period =
                        RhythmSettings.Period(rawValue: form["cadencePeriod\(index)"]) ?? rules.cadences[index].period
                    rules.cadences[index].content =
                        RhythmSettings.Content(rawValue: form["cadenceContent\(index)"])
                        ?? rules.cadences[index].content
                    rules.cadences[index].enabled = form["cadenceEnabled\(index)"] == "1"
                }
                if !form["newCadenceName"].isEmpty {
                    rules.cadences.append(
                        RhythmSettings.Cadence(
                            key: "c\(rules.cadences.count + 1)", name: form["newCadenceName"],
                            period: RhythmSettings.Period(rawValue: form["newCadencePeriod"]) ?? .month,
                            content: RhythmSettings.Content(rawValue: form["newCadenceContent"]) ?? .supervision))
                }
                guard errors.fields.isEmpty else { return try await render(request, caller, rules, errors: errors) }
                do {
                    try await store.saveRhythmSettings(rules, at: unit.id, by: caller.actor)
                } catch let error as StoreError {
                    errors.summary = error.userMessage
                    return try await render(request, caller, rules, errors: errors)
                }
                return Pages.redirect(request, to: SiteRoute.adminRhythm.link(), notice: .saved)
            },
        ]
    }

    // MARK: Calendar

    struct CalendarContext: Encodable {
        struct Year: Encodable {
            var year: Int
            var covered: Bool
            var holidays: Int
            var workdays: Int
        }
        struct Entry: Encodable {
            var date: String
            var workday: Bool
            var name: String
            var by: String
        }
        var layout: Layout
        var years: [Year]
        var missing: [Int]
        var entries: [Entry]
        var errors: FieldErrors
        var links = [
            "set": SiteRoute.adminCalendarSet.link(), "year": SiteRoute.adminCalendarYear.link(),
            "rhythm": SiteRoute.adminRhythm.link(),
        ]
    }

    static func calendarRoutes(store: Store) -> [Handler] {
        @Sendable func render(_ request: Request, _ caller: Caller, errors: FieldErrors = FieldErrors()) async throws
            -> Response
        {
            let calendar = try await store.calendar()
            let thisYear = store.clock.today().year
            let years = (2020...(thisYear + 1)).map { year in
                let days = calendar.exceptions.filter { $0.key.year == year }
                return CalendarContext.Year(
                    year: year, covered: calendar.covers(year: year),
                    holidays: days.values.filter { !$0.workday }.count,
                    workdays: days.values.filter(\.workday).count)
            }
            let context = CalendarContext(
                layout: Layout(title: "工作日日历", caller: caller, section: .adminRhythm, notice: Pages.notice(request)),
                years: years.reversed(), missing: years.filter { !$0.covered && $0.year <= thisYear + 1 }.map(\.year),
                entries: try await store.calendarEntries().reversed().map {
                    CalendarContext.Entry(
                        date: $0.day.chinese, workday: $0.workday, name: $0.name ?? "", by: $0.updatedBy)
                }, errors: errors)
            return try await Pages.render(
                request, "admin-calendar", context, status: errors.summary == nil ? .ok : .unprocessableEntity)
        }
        let target: @Sendable (Request, Caller) async throws -> AccessTarget = { _, _ in try await root(store: store) }
        return [
            Handler(.adminCalendar, target: target) { request, caller in try await render(request, caller) },
            Handler(.adminCalendarSet, target: target) { request, caller in
                let form = FormInput(request)
                var errors = FieldErrors()
                guard let day = LocalDate(iso: form["date"]) else {
                    errors.summary = "请填写日期（如 2027-02-06）。"
                    return try await render(request, caller, errors: errors)
                }
                guard form["kind"] == "workday" || form["kind"] == "holiday" else {
                    errors.summary = "请选择上班（含调休）或放假。"
                    return try await render(request, caller, errors: errors)
                }
                do {
                    try await store.setCalendarDay(
                        day, workday: form["kind"] == "workday", name: form.optional("name"), by: caller.actor)
                } catch let error as StoreError {
                    errors.summary = error.userMessage
                    return try await render(request, caller, errors: errors)
                }
                return Pages.redirect(request, to: SiteRoute.adminCalendar.link(), notice: .saved)
            },
            Handler(.adminCalendarYear, target: target) { request, caller in
                let form = FormInput(request)
                guard let year = Int(form["year"]) else {
                    var errors = FieldErrors()
                    errors.summary = "请填写年份。"
                    return try await render(request, caller, errors: errors)
                }
                try await store.confirmCalendarYear(year, by: caller.actor)
                return Pages.redirect(request, to: SiteRoute.adminCalendar.link(), notice: .saved)
            },
        ]
    }

    // MARK: Channels and jobs

    struct ChannelsContext: Encodable {
        struct Row: Encodable {
            var link: String
            var unitName: String
            var kind: String
            var host: String
            var signed: Bool
            var active: Bool
        }
        var layout: Layout
        var channels: [Row]
        var units: [Option]
        var kinds: [Option]
        var errors: FieldErrors
        var values: [String: String]
        /// Without ZHENGGAI_SMTP_URL an e-mail channel can be set up, but nothing will leave: say so.
        var mailConfigured: Bool
        var action = SiteRoute.adminChannelCreate.link()
        var jobs = SiteRoute.adminJobs.link()
    }

    struct ChannelContext: Encodable {
        struct Row: Encodable {
            var created: String
            var status: String
            var attempts: Int
            var error: String
            var sent: String
        }
        var layout: Layout
        var unitName: String
        var kind: String
        var host: String
        var active: Bool
        var deliveries: [Row]
        var testAction: String
        var activeAction: String
        var back = SiteRoute.adminChannels.link()
    }

    struct JobsContext: Encodable {
        struct Row: Encodable {
            var name: String
            var label: String
            var every: String
            var last: String
            var next: String
            var status: String
            var message: String
            var failures: Int
        }
        var layout: Layout
        var jobs: [Row]
    }

    static func channelRoutes(store: Store, mail: MailSettings?) -> [Handler] {
        @Sendable func render(
            _ request: Request, _ caller: Caller, errors: FieldErrors = FieldErrors(), values: [String: String] = [:]
        ) async throws -> Response {
            let scope = Scope(caller.principal, for: .manageReminders)
            let context = ChannelsContext(
                layout: Layout(title: "提醒渠道", caller: caller, section: .adminRhythm, notice: Pages.notice(request)),
                channels: try await store.channels(in: scope).map {
                    ChannelsContext.Row(
                        link: SiteRoute.adminChannel.link($0.id), unitName: $0.unitName, kind: $0.kind.label,
                        host: $0.destination, signed: $0.secret != nil, active: $0.active)
                },
                units: Pickers.units(try await store.units(in: scope), selected: values["unitID"] ?? ""),
                kinds: MessageChannel.Kind.allCases.map {
                    Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["kind"])
                }, errors: errors, values: values, mailConfigured: mail != nil)
            return try await Pages.render(
                request, "admin-channels", context, status: errors.summary == nil ? .ok : .unprocessableEntity)
        }
        @Sendable func channelTarget(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
            AccessTarget(unitPath: try await store.channel(try request.id("channelID")).unitPath)
        }
        return [
            Handler(.adminChannels, target: { _, _ in .anywhere }) { request, caller in
                try await render(request, caller)
            },
            Handler(
                .adminChannelCreate,
                target: { request, _ in
                    let form = FormInput(request)
                    guard let id = form.uuid("unitID") else { return .anywhere }
                    return AccessTarget(unitPath: try await store.unit(id).path)
                }
            ) { request, caller in
                let form = FormInput(request)
                var errors = FieldErrors()
                guard let unitID = form.uuid("unitID"), let kind = MessageChannel.Kind(rawValue: form["kind"]) else {
                    errors.summary = "请选择单位和渠道类型。"
                    return try await render(request, caller, errors: errors, values: form.values)
                }
                do {
                    let channel = try await store.addChannel(
                        unitID: unitID, kind: kind, target: kind == .email ? form["to"] : form["webhook"],
                        secret: kind == .email ? nil : form.optional("secret"),
                        by: caller.actor)
                    return Pages.redirect(request, to: SiteRoute.adminChannel.link(channel.id), notice: .created)
                } catch let error as StoreError {
                    errors.summary = error.userMessage
                    return try await render(request, caller, errors: errors, values: form.values)
                }
            },
            Handler(.adminChannel, target: channelTarget) { request, caller in
                let channel = try await store.channel(try request.id("channelID"))
                let context = ChannelContext(
                    layout: Layout(
                        title: "提醒渠道：\(channel.unitName)", caller: caller, section: .adminRhythm,
                        notice: Pages.notice(request)),
                    unitName: channel.unitName, kind: channel.kind.label, host: channel.destination,
                    active: channel.active,
                    deliveries: try await store.deliveries(of: channel.id).map {
                        ChannelContext.Row(
                            created: LocalDate.chineseTime($0.createdAt),
                            status: ["pending": "待发送（或等待重试）", "sending": "发送中", "sent": "已发送", "failed": "发送失败，已放弃"][
                                $0.status.rawValue] ?? "", attempts: $0.attempts, error: $0.lastError ?? "",
                            sent: $0.sentAt.map(LocalDate.chineseTime) ?? "")
                    },
                    testAction: SiteRoute.adminChannelTest.link(channel.id),
                    activeAction: SiteRoute.adminChannelActive.link(channel.id))
                return try await Pages.render(request, "admin-channel", context)
            },
            Handler(.adminChannelTest, target: channelTarget) { request, caller in
                let channel = try await store.channel(try request.id("channelID"))
                try await Reminders.test(channel, store: store, by: caller.user.displayName, mail: mail)
                return Pages.redirect(request, to: SiteRoute.adminChannel.link(channel.id), notice: .testSent)
            },
            Handler(.adminChannelActive, target: channelTarget) { request, caller in
                let channel = try await store.channel(try request.id("channelID"))
                try await store.setChannelActive(channel.id, !channel.active, by: caller.actor)
                return Pages.redirect(request, to: SiteRoute.adminChannel.link(channel.id), notice: .saved)
            },
            Handler(.adminJobs, target: { _, _ in try await root(store: store) }) { request, caller in
                let runs = try await store.jobRuns()
                let context = JobsContext(
                    layout: Layout(title: "后台任务", caller: caller, section: .adminRhythm),
                    jobs: Jobs.all.map { job in
                        let run = runs.first { $0.name == job.name }
                        return JobsContext.Row(
                            name: job.name, label: job.label, every: "每 \(Int(job.interval / 60)) 分钟",
                            last: run?.lastStarted.map(LocalDate.chineseTime) ?? "尚未运行",
                            next: run?.lastStarted.map { LocalDate.chineseTime($0.addingTimeInterval(job.interval)) }
                                ?? "启动后即运行",
                            status: run?.holder != nil
                                ? "运行中" : run?.lastStatus == "ok" ? "成功" : run?.lastStatus == nil ? "" : "失败",
                            message: run?.lastMessage ?? "", failures: run?.failures ?? 0)
                    })
                return try await Pages.render(request, "admin-jobs", context)
            },
        ]
    }

    // MARK: Periods (周调度 / 月督查 / 季通报)

    struct PeriodsContext: Encodable {
        struct Cadence: Encodable {
            var name: String
            var period: String
            var content: String
            var current: Link
            var closed: [Link]
        }
        struct Link: Encodable {
            var label: String
            var href: String
        }
        var layout: Layout
        var unitName: String
        var cadences: [Cadence]
    }

    struct PeriodContext: Encodable {
        struct Line: Encodable {
            var link: String
            var number: String
            var text: String
            var unitName: String
            var deadline: String
            var daysOverdue: Int
            var lastProgress: String
            var who: String

            init(_ line: PeriodFigures.ItemLine) {
                link = SiteRoute.problem.link(line.problemID)
                number = line.number
                text = line.text
                unitName = line.unitName
                deadline = line.deadline?.chinese ?? ""
                daysOverdue = line.daysOverdue ?? 0
                lastProgress = line.lastProgress?.chinese ?? "无"
                who = line.who
            }
        }
        struct Press: Encodable {
            var kind: String
            var what: String
            var issuedOn: String
            var answered: Bool
            var text: String
        }
        var layout: Layout
        var figures: PeriodFigures
        var endText: String
        var overdue: [Line]
        var stuck: [Line]
        var dueNext: [Line]
        var pressings: [Press]
        var title: String
        var closed: Bool
        var hasPrevious: Bool
        var previousLink: String
        var nextLink: String?
        var docx: String
        var xlsx: String
        var back = SiteRoute.periods.link()
    }

    static func periodUnit(_ request: Request, _ caller: Caller, store: Store) async throws -> UnitNode? {
        if let id = (try? request.query.get(String.self, at: "unit")).flatMap(UUID.init(uuidString:)) {
            return try await store.unit(id)
        }
        return try await topUnit(caller, .read, store: store)
    }

    static func periodRoutes(store: Store) -> [Handler] {
        @Sendable func target(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
            AccessTarget(unitPath: try await periodUnit(request, caller, store: store)?.path)
        }
        @Sendable func lookup(_ request: Request, _ caller: Caller) async throws -> (
            UnitNode, RhythmSettings.Cadence, ReportPeriod, RhythmSettings
        ) {
            guard let unit = try await periodUnit(request, caller, store: store) else {
                throw StoreError.notFound(what: "单位")
            }
            let rules = try await store.rhythmSettings(at: unit.path).settings
            let key = request.parameters.get("cadence") ?? ""
            guard let cadence = rules.cadences.first(where: { $0.key == key }),
                let start = LocalDate(iso: request.parameters.get("start") ?? "")
            else { throw StoreError.notFound(what: "调度期间") }
            let period = ReportPeriod.containing(start, cadence.period)
            guard period.start == start, period.start <= store.clock.today() else {
                throw StoreError.notFound(what: "调度期间")
            }
            return (unit, cadence, period, rules)
        }
        return [
            Handler(.periods, target: target) { request, caller in
                guard let unit = try await periodUnit(request, caller, store: store) else {
                    throw StoreError.notFound(what: "单位")
                }
                let rules = try await store.rhythmSettings(at: unit.path).settings
                let today = store.clock.today()
                var cadences: [PeriodsContext.Cadence] = []
                for cadence in rules.cadences where cadence.enabled {
                    let current = ReportPeriod.containing(today, cadence.period)
                    let query = [("unit", unit.id.uuidString)]
                    var closed = try await store.frozenPeriods(cadence: cadence.key, unitID: unit.id).map {
                        PeriodsContext.Link(
                            label: ReportPeriod.containing($0.start, cadence.period).label,
                            href: SiteRoute.period.link(cadence.key, $0.start.iso, query: query))
                    }
                    // The period that just ended is always offered, stored or not (it is stored when opened).
                    let last = ReportPeriod.lastClosed(before: today, cadence.period)
                    if !closed.contains(where: { $0.label == last.label }) {
                        closed.insert(
                            .init(
                                label: last.label,
                                href: SiteRoute.period.link(cadence.key, last.start.iso, query: query)),
                            at: 0)
                    }
                    cadences.append(
                        .init(
                            name: cadence.name, period: cadence.period.label, content: cadence.content.label,
                            current: .init(
                                label: "\(current.label)（截至今天）",
                                href: SiteRoute.period.link(cadence.key, current.start.iso, query: query)),
                            closed: closed))
                }
                let context = PeriodsContext(
                    layout: Layout(title: "调度与通报", caller: caller, section: .periods), unitName: unit.name,
                    cadences: cadences)
                return try await Pages.render(request, "periods", context)
            },
            Handler(.period, target: target) { request, caller in
                let (unit, cadence, period, rules) = try await lookup(request, caller)
                let (figures, closed) = try await PeriodReport.figures(
                    store: store, unit: unit, cadence: cadence, period: period, settings: rules)
                let query = [("unit", unit.id.uuidString)]
                let next = period.next
                let context = PeriodContext(
                    layout: Layout(title: PeriodDocuments.title(figures), caller: caller, section: .periods),
                    figures: figures, endText: figures.asOf.chinese,
                    overdue: figures.overdue.map(PeriodContext.Line.init),
                    stuck: figures.stuck.map(PeriodContext.Line.init),
                    dueNext: figures.dueNext.map(PeriodContext.Line.init),
                    pressings: figures.pressings.map {
                        PeriodContext.Press(
                            kind: $0.kind,
                            what: [$0.unitName, $0.number ?? "", $0.person ?? ""].filter { !$0.isEmpty }
                                .joined(separator: " "), issuedOn: $0.issuedOn.chinese, answered: $0.answered,
                            text: $0.text)
                    },
                    title: PeriodDocuments.title(figures), closed: closed,
                    hasPrevious: !figures.previousUnits.isEmpty,
                    previousLink: SiteRoute.period.link(cadence.key, period.previous.start.iso, query: query),
                    nextLink: next.start <= store.clock.today()
                        ? SiteRoute.period.link(cadence.key, next.start.iso, query: query) : nil,
                    docx: SiteRoute.periodExport.link(
                        cadence.key, period.start.iso, query: query + [("format", "docx")]),
                    xlsx: SiteRoute.periodExport.link(
                        cadence.key, period.start.iso, query: query + [("format", "xlsx")]))
                return try await Pages.render(request, "period", context)
            },
            Handler(.periodExport, target: target) { request, caller in
                let (unit, cadence, period, rules) = try await lookup(request, caller)
                let (figures, _) = try await PeriodReport.figures(
                    store: store, unit: unit, cadence: cadence, period: period, settings: rules)
                let title = PeriodDocuments.title(figures)
                if (try? request.query.get(String.self, at: "format")) == "xlsx" {
                    return OfficePages.download(
                        try PeriodDocuments.xlsx(figures), fileName: "\(title).xlsx",
                        type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                }
                return OfficePages.download(
                    try PeriodDocuments.docx(figures), fileName: "\(title).docx",
                    type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            },
        ]
    }

    // MARK: 督办 and 约谈

    struct PressingInput: Codable {
        var kind: String
        var text: String
        var answerDue: String?
        var talkDate: String?
        var participants: String?
        var outcome: String?

        func pressing(problemID: UUID?) throws -> NewPressing {
            guard let kind = Pressing.Kind(rawValue: kind) else {
                throw StoreError.invalid(field: "类别", message: "应为 order（督办）或 talk（约谈）。")
            }
            func date(_ text: String?, _ field: String) throws -> LocalDate? {
                guard let text, !text.isEmpty else { return nil }
                guard let day = LocalDate(iso: text) else {
                    throw StoreError.invalid(field: field, message: "应为 YYYY-MM-DD。")
                }
                return day
            }
            return NewPressing(
                kind: kind, problemID: problemID, text: text, answerDue: try date(answerDue, "反馈时限"),
                talkDate: try date(talkDate, "约谈日期"), participants: participants, outcome: outcome)
        }
    }

    struct AnswerInput: Codable {
        var answer: String
    }

    static func pressingRoutes(store: Store, settings: AppConfiguration, similarity: SimilarityService) -> [Handler] {
        @Sendable func problemTarget(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
            AccessTarget(unitPath: try await store.problem(try request.id("problemID")).unitPath)
        }
        @Sendable func pressingTarget(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
            let press = try await store.pressing(try request.id("pressingID"))
            // A 责任领导 answers a 督办 on a problem whose task they lead.
            let leaders = try await press.problemID.asyncMap { try await store.problemDetail($0).tasks } ?? []
            return AccessTarget(
                unitPath: press.unitPath, taskLeaderIDs: Set(leaders.compactMap { $0.leaderID?.uuidString }))
        }
        return [
            Handler(.pressingCreate, target: problemTarget) { request, caller in
                let id = try request.id("problemID")
                let form = FormInput(request)
                let input = PressingInput(
                    kind: form["kind"], text: form["text"], answerDue: form.optional("answerDue"),
                    talkDate: form.optional("talkDate"), participants: form.optional("participants"),
                    outcome: form.optional("outcome"))
                do {
                    _ = try await Pressings.issue(
                        try input.pressing(problemID: id), store: store, by: caller.actor, publicURL: settings.publicURL
                    )
                } catch let error as StoreError {
                    var forms = ProblemPage.Forms()
                    forms.pressingError = error.userMessage
                    return try await ProblemPage.render(
                        request, caller, store: store, settings: settings, similarity: similarity,
                        id: id, forms: forms, status: .unprocessableEntity)
                }
                return Pages.redirect(request, to: SiteRoute.problem.link(id), notice: .pressed)
            },
            Handler(.pressingAnswer, target: pressingTarget) { request, caller in
                let press = try await store.pressing(try request.id("pressingID"))
                _ = try await store.answerPressing(press.id, answer: FormInput(request)["answer"], by: caller.actor)
                let back =
                    press.appealID.map { SiteRoute.appeal.link($0) } ?? press.problemID.map {
                        SiteRoute.problem.link($0)
                    }
                    ?? SiteRoute.home.link()
                return Pages.redirect(request, to: back, notice: .saved)
            },
            Handler(.apiCreatePressing, target: problemTarget) { request, caller in
                let input = try request.decode(PressingInput.self)
                let press = try await Pressings.issue(
                    try input.pressing(problemID: try request.id("problemID")), store: store, by: caller.actor,
                    publicURL: settings.publicURL)
                return try .json(PressingRecord(press))
            },
            Handler(.apiAnswerPressing, target: pressingTarget) { request, caller in
                let input = try request.decode(AnswerInput.self)
                return try .json(
                    PressingRecord(
                        try await store.answerPressing(
                            try request.id("pressingID"), answer: input.answer, by: caller.actor)))
            },
        ]
    }
}
