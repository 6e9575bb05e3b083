/// A county's own rules for the rhythm of rectification (DOMAIN.md §3): when the 整改方案 and the 整改报告
/// are due, when a deadline turns yellow and red and who is told at each colour, and its recurring
/// 周调度 / 月督查 / 季通报. Kept per county; every field has the default DOMAIN.md gives.
public struct RhythmSettings: Codable, Sendable, Equatable {
    /// Days are counted on the calendar or in 工作日 (on `ChinaCalendar`).
    public enum Counting: String, Codable, Sendable, CaseIterable {
        case calendarDays, workdays

        public var label: String {
            switch self {
            case .calendarDays: "自然日"
            case .workdays: "工作日"
            }
        }
    }

    /// Who is told about an item at a colour: each level adds people.
    public enum Audience: String, Codable, Sendable, CaseIterable, Comparable {
        /// The 责任人 (and the clerks of the unit).
        case assignee
        /// Also the 责任领导.
        case leader
        /// Also the unit's secretary.
        case secretary

        public var label: String {
            switch self {
            case .assignee: "责任人"
            case .leader: "责任人和责任领导"
            case .secretary: "责任人、责任领导和单位书记"
            }
        }

        public static func < (a: Audience, b: Audience) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public enum Period: String, Codable, Sendable, CaseIterable {
        case week, month, quarter

        public var label: String {
            switch self {
            case .week: "每周"
            case .month: "每月"
            case .quarter: "每季度"
            }
        }
    }

    /// What a cadence's report holds.
    public enum Content: String, Codable, Sendable, CaseIterable {
        /// 调度表: per unit, what moved, what is stuck, what falls due before the next one.
        case dispatch
        /// 督查清单: overdue and stuck items with who to press.
        case supervision
        /// 通报: units of one level ranked, compared with the period before.
        case bulletin

        public var label: String {
            switch self {
            case .dispatch: "调度表"
            case .supervision: "督查清单"
            case .bulletin: "通报"
            }
        }
    }

    /// A named recurring review: 「周调度」 weekly, 「月督查」 monthly, 「季通报」 quarterly by default.
    public struct Cadence: Codable, Sendable, Equatable {
        /// Stable key used in addresses and the report history (a–z, 0–9, -).
        public var key: String
        public var name: String
        public var period: Period
        public var content: Content
        public var enabled: Bool

        public init(key: String, name: String, period: Period, content: Content, enabled: Bool = true) {
            self.key = key
            self.name = name
            self.period = period
            self.content = content
            self.enabled = enabled
        }
    }

    /// 整改方案: within this many 工作日 of the feedback.
    public var planDueWorkdays = 15
    /// 整改报告: within this many months of the feedback (2, some counties 3).
    public var reportDueMonths = 2
    /// Deadline colours: green from `greenDays` left, yellow from `yellowDays` left, red when overdue.
    public var greenDays = 20
    public var yellowDays = 10
    public var counting = Counting.calendarDays
    public var toldAtGreen = Audience.assignee
    public var toldAtYellow = Audience.leader
    public var toldAtRed = Audience.secretary
    /// An item without a progress entry for this many days is 停滞 (stuck) in the 调度表 and 督查清单.
    public var stuckDays = 14
    /// Hour (China time) from which the day's digest goes out.
    public var digestHour = 8
    /// A new 督办 is sent at once, not only in the next digest.
    public var immediateForPressing = true
    public var cadences: [Cadence] = RhythmSettings.defaultCadences
    /// 群众评价 as acceptance (DOMAIN §2, step 10): with at least `ratingMinimum` ratings in the quarter, a
    /// 满意率 below `ratingThreshold` percent, or more than `ratingMaxVeryDissatisfied` 非常不满意, blocks the
    /// second review of the item (the ratings are the reason shown).
    public var ratingRuleEnabled = true
    public var ratingMinimum = 10
    public var ratingThreshold = 60
    public var ratingMaxVeryDissatisfied = 5
    /// The same rule also reopens an item already closed (销号) for 二次整改, with the ratings as the reason.
    public var ratingReopensClosed = false
    /// A group link (posted in a WeChat group) gives a rating code only after an SMS to the rater's mobile
    /// number: one rating per person instead of one per browser. Needs the county's SMS platform.
    public var ratingLinkNeedsSMS = false
    /// 群众诉求 time limits in working days.
    public var appealLimits = AppealLimits()
    /// No rate is published from fewer appeals than this (a month of 3 appeals says nothing).
    public var appealMinimumForRates = 5

    public static let defaultCadences: [Cadence] = [
        Cadence(key: "weekly", name: "周调度", period: .week, content: .dispatch),
        Cadence(key: "monthly", name: "月督查", period: .month, content: .supervision),
        Cadence(key: "quarterly", name: "季通报", period: .quarter, content: .bulletin),
    ]

    public init() {}

    /// Why the public's ratings stop an item's second review, or nil when they do not.
    public func ratingBlock(_ summary: RatingSummary) -> String? {
        guard ratingRuleEnabled, summary.total >= ratingMinimum else { return nil }
        if summary.satisfactionPermille < ratingThreshold * 10 {
            return "本季度群众评价满意率 \(summary.satisfaction)（\(summary.total) 人次），低于 \(ratingThreshold)%，须二次整改后再审核销号。"
        }
        if summary.veryDissatisfied > ratingMaxVeryDissatisfied {
            return "本季度群众评价中「非常不满意」\(summary.veryDissatisfied) 人次，超过 \(ratingMaxVeryDissatisfied) 人次，须二次整改后再审核销号。"
        }
        return nil
    }

    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case invalid(field: String, message: String)

        public var description: String {
            switch self {
            case .invalid(let field, let message): "「\(field)」\(message)"
            }
        }
    }

    /// Refuses settings that would make deadlines or colours meaningless.
    public func validated() throws(Problem) -> RhythmSettings {
        guard (1...60).contains(planDueWorkdays) else { throw .invalid(field: "整改方案时限", message: "应为 1 到 60 个工作日。") }
        guard (1...12).contains(reportDueMonths) else { throw .invalid(field: "整改报告时限", message: "应为 1 到 12 个月。") }
        guard (1...365).contains(greenDays), (0...365).contains(yellowDays), yellowDays < greenDays else {
            throw .invalid(field: "提醒天数", message: "绿色天数应大于黄色天数，且都在 0 到 365 之间。")
        }
        guard (1...365).contains(stuckDays) else { throw .invalid(field: "停滞天数", message: "应为 1 到 365 天。") }
        guard (0...23).contains(digestHour) else { throw .invalid(field: "提醒时间", message: "应为 0 到 23 点。") }
        guard toldAtGreen <= toldAtYellow, toldAtYellow <= toldAtRed else {
            throw .invalid(field: "提醒对象", message: "颜色越紧，告知的人只能越多。")
        }
        let limits = appealLimits
        guard (0...5).contains(limits.urgent),
            [limits.consultation, limits.help, limits.suggestion, limits.complaint, limits.report].allSatisfy({
                (1...60).contains($0)
            })
        else { throw .invalid(field: "诉求办理时限", message: "应为 1 到 60 个工作日（紧急诉求 0 到 5 个，0 为当日）。") }
        guard (1...1_000).contains(appealMinimumForRates) else {
            throw .invalid(field: "诉求统计最少件数", message: "应为 1 到 1000 件。")
        }
        guard (1...10_000).contains(ratingMinimum), (1...100).contains(ratingThreshold),
            (0...10_000).contains(ratingMaxVeryDissatisfied)
        else { throw .invalid(field: "群众评价", message: "最少人次 1 到 10000，满意率 1 到 100，非常不满意人次 0 到 10000。") }
        var keys = Set<String>()
        for cadence in cadences {
            let name = cadence.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 20 else {
                throw .invalid(field: "调度名称", message: "不能为空，不超过 20 个字。")
            }
            guard !cadence.key.isEmpty, cadence.key.count <= 20,
                cadence.key.unicodeScalars.allSatisfy({
                    ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                }),
                keys.insert(cadence.key).inserted
            else { throw .invalid(field: "调度代码", message: "应为不重复的小写字母、数字或 -。") }
        }
        return self
    }

    /// The colour of a deadline `left` days away (negative: overdue), counted as the county counts.
    public func audience(daysLeft left: Int) -> Audience? {
        if left < 0 { return toldAtRed }
        if left <= yellowDays { return toldAtYellow }
        if left <= greenDays { return toldAtGreen }
        return nil
    }

    /// Days from `today` to `deadline` the way the county counts them.
    public func daysLeft(until deadline: LocalDate, today: LocalDate, calendar: some WorkCalendar) -> Int {
        switch counting {
        case .calendarDays: today.days(until: deadline)
        case .workdays: calendar.workdays(from: today, to: deadline)
        }
    }
}

extension RhythmSettings {
    /// Settings saved by an earlier version lack the fields added since: those keep their defaults, so an
    /// upgrade never resets a county's saved choices (a failed decode used to fall back to all defaults).
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws {
            if let found = try container.decodeIfPresent(T.self, forKey: key) { value = found }
        }
        try read(.planDueWorkdays, into: &planDueWorkdays)
        try read(.reportDueMonths, into: &reportDueMonths)
        try read(.greenDays, into: &greenDays)
        try read(.yellowDays, into: &yellowDays)
        try read(.counting, into: &counting)
        try read(.toldAtGreen, into: &toldAtGreen)
        try read(.toldAtYellow, into: &toldAtYellow)
        try read(.toldAtRed, into: &toldAtRed)
        try read(.stuckDays, into: &stuckDays)
        try read(.digestHour, into: &digestHour)
        try read(.immediateForPressing, into: &immediateForPressing)
        try read(.cadences, into: &cadences)
        try read(.ratingRuleEnabled, into: &ratingRuleEnabled)
        try read(.ratingMinimum, into: &ratingMinimum)
        try read(.ratingThreshold, into: &ratingThreshold)
        try read(.ratingMaxVeryDissatisfied, into: &ratingMaxVeryDissatisfied)
        try read(.ratingReopensClosed, into: &ratingReopensClosed)
        try read(.ratingLinkNeedsSMS, into: &ratingLinkNeedsSMS)
        try read(.appealLimits, into: &appealLimits)
        try read(.appealMinimumForRates, into: &appealMinimumForRates)
    }
}
