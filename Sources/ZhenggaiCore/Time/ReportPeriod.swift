/// A week (Monday to Sunday), a month or a quarter, as the 周调度, 月督查 and 季通报 count them.
public struct ReportPeriod: Hashable, Sendable, Codable {
    public var kind: RhythmSettings.Period
    public var start: LocalDate
    public var end: LocalDate

    /// The period that contains `day`.
    public static func containing(_ day: LocalDate, _ kind: RhythmSettings.Period) -> ReportPeriod {
        switch kind {
        case .week:
            let start = day.adding(days: -(day.weekday - 1))
            return ReportPeriod(kind: kind, start: start, end: start.adding(days: 6))
        case .month:
            let start = LocalDate(year: day.year, month: day.month, day: 1)!
            return ReportPeriod(kind: kind, start: start, end: start.adding(months: 1).adding(days: -1))
        case .quarter:
            let first = (day.month - 1) / 3 * 3 + 1
            let start = LocalDate(year: day.year, month: first, day: 1)!
            return ReportPeriod(kind: kind, start: start, end: start.adding(months: 3).adding(days: -1))
        }
    }

    /// The period that ended most recently before `day` (the one a job closes on `day`).
    public static func lastClosed(before day: LocalDate, _ kind: RhythmSettings.Period) -> ReportPeriod {
        containing(containing(day, kind).start.adding(days: -1), kind)
    }

    public var previous: ReportPeriod { Self.containing(start.adding(days: -1), kind) }
    public var next: ReportPeriod { Self.containing(end.adding(days: 1), kind) }

    /// 「2026年第三季度」, 「2026年9月」, 「2026年9月14日至20日」.
    public var label: String {
        switch kind {
        case .week:
            start.year == end.year && start.month == end.month
                ? "\(start.chinese)至\(end.day)日" : "\(start.chinese)至\(end.chinese)"
        case .month: "\(start.year)年\(start.month)月"
        case .quarter: "\(start.year)年第\(["一", "二", "三", "四"][(start.month - 1) / 3])季度"
        }
    }
}
