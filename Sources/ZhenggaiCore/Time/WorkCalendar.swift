/// Which days are 工作日. China's calendar has statutory holidays and 调休 weekends that are working
/// days; the holiday data arrives later, so everything that counts working days goes through this seam.
public protocol WorkCalendar: Sendable {
    func isWorkday(_ day: LocalDate) -> Bool
}

/// Monday to Friday, with optional explicit exceptions: holidays off, 调休 weekend days on.
public struct WeekdayCalendar: WorkCalendar {
    public var holidays: Set<LocalDate>
    public var workingWeekends: Set<LocalDate>

    public init(holidays: Set<LocalDate> = [], workingWeekends: Set<LocalDate> = []) {
        self.holidays = holidays
        self.workingWeekends = workingWeekends
    }

    public func isWorkday(_ day: LocalDate) -> Bool {
        if holidays.contains(day) { return false }
        if workingWeekends.contains(day) { return true }
        return day.weekday <= 5
    }
}

extension WorkCalendar {
    /// The day on which `count` working days after `start` have passed ("15个工作日内" counts from the next day).
    public func adding(workdays count: Int, to start: LocalDate) -> LocalDate {
        precondition(count >= 0, "working days are counted forward")
        var day = start
        var left = count
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkday(day) { left -= 1 }
        }
        return day
    }

    /// Working days strictly after `start` up to and including `end`; negative when `end` is earlier.
    public func workdays(from start: LocalDate, to end: LocalDate) -> Int {
        if end == start { return 0 }
        let forward = start < end
        var day = start
        var count = 0
        while day != end {
            day = day.adding(days: forward ? 1 : -1)
            let counted = forward ? day : day.adding(days: 1)
            if isWorkday(counted) { count += 1 }
        }
        return forward ? count : -count
    }
}
