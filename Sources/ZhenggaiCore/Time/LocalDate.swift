public import Foundation

/// A calendar day in China Standard Time. Deadlines are days, not instants: "完成时限 2026年9月30日"
/// means the whole of that day, wherever the server's clock is set.
public struct LocalDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public static let timeZone = TimeZone(identifier: "Asia/Shanghai")!

    static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDate.timeZone
        return calendar
    }()

    /// Fails for impossible days such as 2026-02-30.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month),
            (1...Self.days(inMonth: month, of: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Day arithmetic on a day count, not through Calendar: a period report or a digest over a province does
    // it millions of times, and Calendar's arithmetic was a tenth of their time (docs/benchmarks.md). The
    // conversions are Howard Hinnant's days_from_civil / civil_from_days for the proleptic Gregorian calendar.

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        self.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.month = month
        self.day = dayOfYear - (153 * shifted + 2) / 5 + 1
    }

    public init(_ date: Date) {
        // China has kept UTC+8 without summer time since 1991-09-16: the day follows from the instant (a
        // county's 通报 converts hundreds of thousands); earlier instants go through the calendar.
        let seconds = date.timeIntervalSince1970
        if seconds >= 684_979_200, seconds < 1e12 {
            self = LocalDate(dayNumber: Int(((seconds + 28_800) / 86_400).rounded(.down)))
            return
        }
        let parts = Self.gregorian.dateComponents([.year, .month, .day], from: date)
        self.year = parts.year!
        self.month = parts.month!
        self.day = parts.day!
    }

    /// Parses "2026-09-30" (ISO 8601, the wire format).
    public init?(iso: String) {
        // Read from the bytes: a county's 通报 reads hundreds of thousands of deadlines.
        var y = 0
        var m = 0
        var d = 0
        var position = 0
        for byte in iso.utf8 {
            switch position {
            case 4, 7: guard byte == UInt8(ascii: "-") else { return nil }
            case 0..<10:
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                let digit = Int(byte - 0x30)
                if position < 4 {
                    y = y * 10 + digit
                } else if position < 7 {
                    m = m * 10 + digit
                } else {
                    d = d * 10 + digit
                }
            default: return nil
            }
            position += 1
        }
        guard position == 10 else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var iso: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + (month < 10 ? "-0" : "-") + String(month)
            + (day < 10 ? "-0" : "-") + String(day)
    }

    /// "2026年12月2日 22:42": an instant as people here read it, in China Standard Time whatever the server's
    /// own zone (a sign-in, an upload, a review).
    public static func chineseTime(_ date: Date) -> String {
        let parts = gregorian.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%d年%d月%d日 %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// "2026年8月1日": Arabic numerals without padding, as GB/T 9704 writes dates.
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    public var description: String { iso }

    /// Noon keeps the instant inside the same day whatever the daylight or zone arithmetic does.
    public var date: Date {
        Self.gregorian.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }

    /// 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday.
        ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1
    }

    public func adding(days: Int) -> LocalDate {
        LocalDate(dayNumber: dayNumber + days)
    }

    public func adding(months: Int) -> LocalDate {
        LocalDate(Self.gregorian.date(byAdding: .month, value: months, to: date)!)
    }

    /// Whole days from self to other (negative when other is earlier).
    public func days(until other: LocalDate) -> Int {
        other.dayNumber - dayNumber
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

extension LocalDate {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = LocalDate(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "日期格式应为 YYYY-MM-DD，收到「\(text)」"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
