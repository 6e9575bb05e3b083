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
        guard (1900...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = Self.gregorian.date(from: components),
            Self.gregorian.component(.day, from: date) == day
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init(_ date: Date) {
        let parts = Self.gregorian.dateComponents([.year, .month, .day], from: date)
        self.year = parts.year!
        self.month = parts.month!
        self.day = parts.day!
    }

    /// Parses "2026-09-30" (ISO 8601, the wire format).
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var iso: String {
        String(format: "%04d-%02d-%02d", year, month, day)
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
        let sundayFirst = Self.gregorian.component(.weekday, from: date)
        return sundayFirst == 1 ? 7 : sundayFirst - 1
    }

    public func adding(days: Int) -> LocalDate {
        LocalDate(Self.gregorian.date(byAdding: .day, value: days, to: date)!)
    }

    public func adding(months: Int) -> LocalDate {
        LocalDate(Self.gregorian.date(byAdding: .month, value: months, to: date)!)
    }

    /// Whole days from self to other (negative when other is earlier).
    public func days(until other: LocalDate) -> Int {
        Self.gregorian.dateComponents([.day], from: date, to: other.date).day!
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
