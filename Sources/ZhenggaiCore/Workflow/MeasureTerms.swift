public import Foundation

/// What a measure written in a document says about its kind and its 时限: 「2024年3月底前」, 「6月30日前」,
/// 「年底前」, 「第三季度」, 「立行立改」, 「长期坚持」. When several dates are stated the latest is the task's
/// deadline (「3月底前完成排查，6月底前全部整改到位」 is due at the end of June).
public enum MeasureTerms {
    public struct Reading: Equatable, Sendable {
        public var kind: RectificationKind
        public var deadline: LocalDate?
    }

    /// `reference` is the feedback date: a date without a year is the next such date on or after it.
    public static func read(_ text: String, reference: LocalDate) -> Reading {
        let ongoing = ["长期坚持", "常态化", "长效机制", "持续推进", "久久为功"].contains { text.contains($0) }
        let immediate = ["立行立改", "立即整改", "即知即改", "马上就改"].contains { text.contains($0) }
        let dates = deadlines(in: text, reference: reference)
        if ongoing && dates.isEmpty { return Reading(kind: .ongoing, deadline: nil) }
        if immediate { return Reading(kind: .immediate, deadline: dates.max()) }
        return Reading(kind: .scheduled, deadline: dates.max())
    }

    static let numerals: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4]

    static func deadlines(in text: String, reference: LocalDate) -> [LocalDate] {
        var found: [LocalDate] = []
        let scalars = Array(text)
        var index = 0
        func number(at start: Int) -> (value: Int, end: Int)? {
            var end = start
            var value = 0
            while end < scalars.count, let digit = scalars[end].wholeNumberValue,
                scalars[end].isASCII || scalars[end].isNumber,
                end - start < 4
            {
                value = value * 10 + digit
                end += 1
            }
            return end > start ? (value, end) : nil
        }
        func yearFor(month: Int, stated: Int?) -> Int {
            if let stated { return stated }
            return month < reference.month ? reference.year + 1 : reference.year
        }
        while index < scalars.count {
            // 「2024年」 or a bare month: read a year if one is written here.
            var year: Int?
            var cursor = index
            if let (value, end) = number(at: cursor), end < scalars.count, scalars[end] == "年",
                (2000...2100).contains(value)
            {
                year = value
                cursor = end + 1
                // 「2024年底前」「2024年年底」「2024年内」
                if cursor < scalars.count,
                    scalars[cursor] == "底" || scalars[cursor] == "末" || scalars[cursor] == "内"
                        || (scalars[cursor] == "年" && cursor + 1 < scalars.count && scalars[cursor + 1] == "底")
                {
                    if let day = LocalDate(year: value, month: 12, day: 31) { found.append(day) }
                    index = cursor + 1
                    continue
                }
                // 「2024年上半年」「下半年」
                if cursor + 2 < scalars.count, scalars[cursor + 1] == "半", scalars[cursor + 2] == "年" {
                    let month = scalars[cursor] == "上" ? 6 : 12
                    if let day = LocalDate(year: value, month: month, day: month == 6 ? 30 : 31) { found.append(day) }
                    index = cursor + 3
                    continue
                }
                // 「2024年第三季度」
                if cursor + 2 < scalars.count, scalars[cursor] == "第", let quarter = numerals[scalars[cursor + 1]],
                    scalars[cursor + 2] == "季"
                {
                    found.append(quarterEnd(value, quarter))
                    index = cursor + 3
                    continue
                }
            }
            if let (month, end) = number(at: cursor), end < scalars.count, scalars[end] == "月", (1...12).contains(month)
            {
                let monthYear = yearFor(month: month, stated: year)
                var after = end + 1
                if let (day, dayEnd) = number(at: after), dayEnd < scalars.count, scalars[dayEnd] == "日",
                    let date = LocalDate(year: monthYear, month: month, day: day)
                {
                    found.append(date)
                    index = dayEnd + 1
                    continue
                }
                if after < scalars.count, ["底", "末", "份", "前", "内"].contains(scalars[after]) {
                    after += 1
                    if let last = lastDay(monthYear, month) { found.append(last) }
                    index = after
                    continue
                }
            }
            if year == nil, index + 1 < scalars.count, scalars[index] == "年", scalars[index + 1] == "底" {
                if let day = LocalDate(year: reference.year, month: 12, day: 31) { found.append(day) }
                index += 2
                continue
            }
            index = max(index + 1, year != nil ? cursor : index + 1)
        }
        return found
    }

    static func lastDay(_ year: Int, _ month: Int) -> LocalDate? {
        for day in stride(from: 31, through: 28, by: -1) {
            if let date = LocalDate(year: year, month: month, day: day) { return date }
        }
        return nil
    }

    static func quarterEnd(_ year: Int, _ quarter: Int) -> LocalDate {
        lastDay(year, quarter * 3) ?? LocalDate(year: year, month: 12, day: 31)!
    }
}
