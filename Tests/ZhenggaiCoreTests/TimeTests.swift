import Foundation
import Testing

@testable import ZhenggaiCore

@Suite struct TimeTests {
    @Test func impossibleDaysAreRefused() {
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2028, month: 2, day: 29) != nil)
        #expect(LocalDate(iso: "2026-13-01") == nil)
        #expect(LocalDate(iso: "2026-9-1") == nil)
        for bad in ["2026-11-2x", "2026-11-240", "2026/11/24", "+026-11-24", "2026-11-24 ", ""] {
            #expect(LocalDate(iso: bad) == nil, "\(bad)")
        }
        #expect(LocalDate(iso: "2026-11-24") == LocalDate(year: 2026, month: 11, day: 24))
    }

    @Test func datesPrintTheGongwenWay() {
        #expect(LocalDate(year: 2026, month: 8, day: 1)!.chinese == "2026年8月1日")
        #expect(LocalDate(year: 2026, month: 8, day: 1)!.iso == "2026-08-01")
    }

    @Test func workingDaysSkipWeekendsHolidaysAndCountMakeUpDays() {
        // 2026-09-25 is a Friday.
        let friday = LocalDate(year: 2026, month: 9, day: 25)!
        #expect(friday.weekday == 5)
        let plain = WeekdayCalendar()
        #expect(plain.adding(workdays: 1, to: friday) == LocalDate(year: 2026, month: 9, day: 28))
        #expect(plain.adding(workdays: 15, to: friday) == LocalDate(year: 2026, month: 10, day: 16))
        let national = WeekdayCalendar(
            holidays: Set((1...7).map { LocalDate(year: 2026, month: 10, day: $0)! }),
            workingWeekends: [LocalDate(year: 2026, month: 9, day: 27)!])
        #expect(national.adding(workdays: 1, to: friday) == LocalDate(year: 2026, month: 9, day: 27))
        #expect(national.adding(workdays: 3, to: friday) == LocalDate(year: 2026, month: 9, day: 29))
        #expect(national.adding(workdays: 4, to: friday) == LocalDate(year: 2026, month: 9, day: 30))
        #expect(national.adding(workdays: 5, to: friday) == LocalDate(year: 2026, month: 10, day: 8))
        #expect(plain.workdays(from: friday, to: LocalDate(year: 2026, month: 10, day: 16)!) == 15)
        #expect(plain.workdays(from: LocalDate(year: 2026, month: 10, day: 16)!, to: friday) == -15)
    }

    @Test func deadlineLightsFollowTheThresholds() {
        let today = LocalDate(year: 2026, month: 11, day: 24)!
        func light(_ days: Int, done: Bool = false) -> DeadlineLight {
            DeadlineLight.of(deadline: today.adding(days: days), today: today, done: done)
        }
        #expect(light(30) == .none)
        #expect(light(20) == .green)
        #expect(light(10) == .yellow)
        #expect(light(0) == .yellow)
        #expect(light(-1) == .red)
        #expect(light(-1, done: true) == .none)
    }
}

@Suite struct LedgerArithmeticTests {
    @Test func completionRateMatchesThePublishedDisclosure() {
        let district = CompletionCounts(completed: 688, basicallyCompleted: 4, notCompleted: 5)
        #expect(district.total == 697)
        #expect(district.rateText == "98.71%")
        #expect(CompletionCounts().rateText == "—")
    }

    @Test func problemNumbersRoundTripAndSortWithinASource() {
        let number = ProblemNumber(kind: .inspection, year: 2026, round: 3, sourceOrdinal: 2, sequence: 7)
        #expect(number.description == "XC2026-03-02-007")
        #expect(ProblemNumber("XC2026-03-02-007") == number)
        #expect(ProblemNumber("XX2026-03-02-007") == nil)
        #expect(number.sourcePrefix == "XC2026-03-02")
    }

    @Test func theTaxonomyHasTwentyCodesInFourGroups() {
        #expect(Category.defaults.count == 20)
        #expect(Set(Category.defaults.map(\.groupCode)) == ["A", "B", "C", "D"])
        #expect(Category.isWellFormedCode("B4"))
        #expect(!Category.isWellFormedCode("b4"))
        #expect(!Category.isWellFormedCode("B"))
    }
}

@Suite struct MeasureTermsTests {
    let feedback = LocalDate(year: 2023, month: 11, day: 20)!

    @Test(arguments: [
        ("2024年3月底前完成整改", RectificationKind.scheduled, "2024-03-31"),
        ("于2024年6月30日前建立台账", .scheduled, "2024-06-30"),
        ("3月底前完成排查，6月底前全部整改到位", .scheduled, "2024-06-30"),
        ("12月底前召开专题会议", .scheduled, "2023-12-31"),
        ("2024年底前完成", .scheduled, "2024-12-31"),
        ("2024年第三季度前完成", .scheduled, "2024-09-30"),
        ("立行立改，2023年12月15日前清退", .immediate, "2023-12-15"),
        ("长期坚持，建立长效机制", .ongoing, ""),
        ("进一步完善制度", .scheduled, ""),
    ])
    func measuresSayTheirKindAndTheirDeadline(text: String, kind: RectificationKind, deadline: String) {
        let reading = MeasureTerms.read(text, reference: feedback)
        #expect(reading.kind == kind)
        #expect(reading.deadline?.iso ?? "" == deadline)
    }
}

/// The day arithmetic done on day counts agrees with Foundation's Gregorian calendar in China's zone, every
/// day from 1900 to 2100: validity, weekday, ISO text, adding days and the distance between days.
@Test func dayArithmeticAgreesWithTheGregorianCalendar() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = LocalDate.timeZone
    var date = calendar.date(from: DateComponents(year: 1900, month: 1, day: 1, hour: 12))!
    var previous: LocalDate?
    var mismatches: [String] = []
    while true {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        if parts.year! > 2100 { break }
        guard let day = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!) else {
            mismatches.append("\(parts) refused")
            break
        }
        let weekday = parts.weekday == 1 ? 7 : parts.weekday! - 1
        let iso = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        if day.weekday != weekday || day.iso != iso || LocalDate(iso: iso) != day { mismatches.append(iso) }
        if let previous,
            previous.adding(days: 1) != day || previous.days(until: day) != 1 || day.adding(days: -1) != previous
        {
            mismatches.append("step to \(iso)")
        }
        previous = day
        if mismatches.count > 5 { break }
        date = calendar.date(byAdding: .day, value: 1, to: date)!
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
    // The day of an instant, read without the calendar since 1991: the same day at every hour's edge.
    var instant = Date(timeIntervalSince1970: 600_000_000)
    while instant.timeIntervalSince1970 < 4_200_000_000 {
        for offset in [-1.0, 0, 1] {
            let at = instant.addingTimeInterval(offset)
            let parts = calendar.dateComponents([.year, .month, .day], from: at)
            if LocalDate(at) != LocalDate(year: parts.year!, month: parts.month!, day: parts.day!) {
                mismatches.append("\(at)")
            }
        }
        instant.addTimeInterval(86_400 * 3 + 3_600 * 7)
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
    #expect(LocalDate(year: 2028, month: 2, day: 29) != nil && LocalDate(year: 2100, month: 2, day: 29) == nil)
    #expect(LocalDate(year: 2000, month: 2, day: 29) != nil && LocalDate(year: 2026, month: 4, day: 31) == nil)
    let start = LocalDate(year: 1900, month: 1, day: 1)!
    #expect(start.days(until: LocalDate(year: 2100, month: 12, day: 31)!) == 73_413)
    #expect(start.adding(days: 73_413) == LocalDate(year: 2100, month: 12, day: 31)!)
}
