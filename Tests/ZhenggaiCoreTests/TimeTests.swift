import Testing

@testable import ZhenggaiCore

@Suite struct TimeTests {
    @Test func impossibleDaysAreRefused() {
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2028, month: 2, day: 29) != nil)
        #expect(LocalDate(iso: "2026-13-01") == nil)
        #expect(LocalDate(iso: "2026-9-1") == nil)
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
