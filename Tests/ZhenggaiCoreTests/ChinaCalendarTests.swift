import Testing
import ZhenggaiCore

/// The shipped calendar against the State Council's notices as data/calendar/README.md counts them (CI also
/// compares every day of 2020–2026 with chinesecalendar, an independent transcription).
@Suite struct ChinaCalendarTests {
    let calendar = ChinaCalendar.shipped

    func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    @Test func everyNoticeFrom2020To2026IsIn() {
        #expect((2020...2026).allSatisfy { calendar.covers(year: $0) })
        #expect(!calendar.covers(year: 2027))
        #expect(calendar.uncoveredYears(from: day("2026-12-01"), to: day("2027-02-01")) == [2027])
    }

    /// Holiday and 调休 days per calendar year (data/calendar/README.md counts per notice: the 2023 元旦 block
    /// starts on 2022-12-31, so 2022 has 32 holidays and 2023 26 of its notice's 27).
    @Test(arguments: [
        (2020, 30, 6), (2021, 31, 7), (2022, 32, 7), (2023, 26, 7), (2024, 28, 8), (2025, 28, 5), (2026, 33, 6),
    ])
    func linesPerYear(year: Int, holidays: Int, workdays: Int) {
        let days = calendar.exceptions.filter { $0.key.year == year }
        #expect(days.values.filter { !$0.workday }.count == holidays)
        #expect(days.values.filter { $0.workday }.count == workdays)
    }

    @Test func theDaysPeopleRemember() {
        // 国庆 2026: 10-01 to 10-07 off, Saturday 10-10 worked.
        #expect(calendar.describe(day("2026-10-01")) == (false, "国庆节"))
        #expect(calendar.describe(day("2026-10-10")) == (true, "国庆节调休"))
        #expect(calendar.isWorkday(day("2026-10-08")))
        // 2020: the extension moved the return to 3 Feb, so 1 Feb (a 调休 Saturday before) was a rest day.
        #expect(!calendar.isWorkday(day("2020-02-01")) && !calendar.isWorkday(day("2020-01-31")))
        #expect(calendar.isWorkday(day("2020-02-03")))
        // 2024 除夕 (Friday) was a working day.
        #expect(calendar.isWorkday(day("2024-02-09")))
        // An ordinary weekend.
        #expect(calendar.describe(day("2026-11-28")) == (false, nil))
    }

    /// 整改方案 within 15 working days of a feedback on 2026-09-20: the 国庆 week does not count, the 调休
    /// Saturday does.
    @Test func fifteenWorkingDaysAcrossNationalDay() {
        #expect(calendar.adding(workdays: 15, to: day("2026-09-20")) == day("2026-10-16"))
        #expect(WeekdayCalendar().adding(workdays: 15, to: day("2026-09-20")) == day("2026-10-09"))
        #expect(calendar.workdays(from: day("2026-09-30"), to: day("2026-10-10")) == 3)
    }

    @Test func anAdminsEntryWinsAndAYearCanBeConfirmed() {
        let entered = calendar.overridden(
            by: [day("2027-02-06"): .init(workday: false, name: "春节")], confirmedYears: [2027])
        #expect(entered.covers(year: 2027))
        #expect(entered.describe(day("2027-02-06")) == (false, "春节"))
        #expect(calendar.isWorkday(day("2027-02-05")))
    }

    @Test func aBrokenLineIsNamed() {
        #expect(throws: ChinaCalendar.ReadError.line(2, "类别「rest」应为 holiday 或 workday")) {
            try ChinaCalendar.read("# 2026: 通知\n2026-10-01\trest\t国庆节")
        }
        #expect(throws: ChinaCalendar.ReadError.self) { try ChinaCalendar.read("2026-13-01\tholiday\tx") }
    }
}
