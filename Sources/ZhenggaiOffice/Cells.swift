public import Foundation

/// A calendar date, optionally with a time of day, as spreadsheets hold it: no time zone.
/// Ledger deadlines are whole days, so `secondsOfDay` is 0 for them.
public struct OfficeDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var secondsOfDay: Int

    public init(year: Int, month: Int, day: Int, secondsOfDay: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.secondsOfDay = secondsOfDay
    }

    /// The calendar day of `date` as seen in `timeZone` (China is UTC+8 all year).
    public init(_ date: Date, timeZone: TimeZone, includeTime: Bool = false) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        self.init(
            year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1,
            secondsOfDay: includeTime ? (parts.hour ?? 0) * 3600 + (parts.minute ?? 0) * 60 + (parts.second ?? 0) : 0
        )
    }

    /// The instant this date (and time) denotes in `timeZone`, nil for impossible dates (2月30日).
    public func date(in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = DateComponents(
            year: year, month: month, day: day,
            hour: secondsOfDay / 3600, minute: secondsOfDay / 60 % 60, second: secondsOfDay % 60
        )
        guard parts.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: parts)
    }

    /// "2026年8月1日": the 公文 style, Arabic numerals without padding.
    public var chineseText: String { "\(year)年\(month)月\(day)日" }

    /// "2026-08-01" (with " 09:30:00" when a time is set).
    public var isoText: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let day = "\(pad(year, 4))-\(pad(month, 2))-\(pad(self.day, 2))"
        guard secondsOfDay > 0 else { return day }
        let time = "\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2))"
        return "\(day) \(time)"
    }

    public var description: String { isoText }

    public static func < (lhs: OfficeDate, rhs: OfficeDate) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.secondsOfDay) < (rhs.year, rhs.month, rhs.day, rhs.secondsOfDay)
    }

    // MARK: - Spreadsheet serial numbers

    /// Days from 1970-01-01 (proleptic Gregorian), by Howard Hinnant's algorithm: exact and calendar-free.
    var daysSinceEpoch: Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(daysSinceEpoch days: Int, secondsOfDay: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        self.init(
            year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day, secondsOfDay: secondsOfDay)
    }

    /// Serial 25569 is 1970-01-01 in the 1900 date system (which counts Excel's phantom 1900-02-29);
    /// the 1904 system is 1462 days behind.
    private static func epochSerial(date1904: Bool) -> Int { date1904 ? 24_107 : 25_569 }

    /// The spreadsheet serial number (days, fraction = time of day).
    public func serial(date1904: Bool = false) -> Double {
        Double(daysSinceEpoch + Self.epochSerial(date1904: date1904)) + Double(secondsOfDay) / 86_400
    }

    /// The date a serial number stands for; nil outside 1900...9999 or for non-finite input.
    public init?(serial: Double, date1904: Bool = false) {
        guard serial.isFinite, serial >= (date1904 ? 0 : 1), serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        // 1900 system: serials 1...59 are 1900-01-01...02-28, 60 is the phantom 02-29; the epoch math
        // assumes the phantom day exists, so shift the early serials by one.
        if !date1904, days <= 60 { days += 1 }
        self.init(daysSinceEpoch: days - Self.epochSerial(date1904: date1904), secondsOfDay: seconds)
    }
}

/// One cell's value, shared by the readers and writers.
public enum CellValue: Sendable, Hashable {
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
    case date(OfficeDate)
    /// An error value such as "#N/A" or "#DIV/0!".
    case error(String)

    public var isEmpty: Bool {
        switch self {
        case .empty: true
        case .text(let text): text.isEmpty
        default: false
        }
    }

    /// The value as a user would read it in the cell: numbers without a useless ".0", dates as ISO days.
    public var displayText: String {
        switch self {
        case .empty: ""
        case .text(let text): text
        case .number(let number): CellValue.format(number)
        case .bool(let flag): flag ? "TRUE" : "FALSE"
        case .date(let date): date.isoText
        case .error(let code): code
        }
    }

    /// Shortest round-tripping text for a number, integral values without a fraction.
    static func format(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 {
            return String(Int64(number))
        }
        return number.description
    }
}

/// A cell position, 1-based ("B3" is row 3, column 2).
public struct CellReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses "B3" (a "$" before either part is allowed).
    public init?(_ text: some StringProtocol) {
        var column = 0
        var row = 0
        var sawDigit = false
        for byte in text.utf8 where byte != UInt8(ascii: "$") {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where !sawDigit:
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z") where !sawDigit:
                column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
            default:
                return nil
            }
            if column > 1_000_000 || row > 100_000_000 { return nil }
        }
        guard column > 0, row > 0 else { return nil }
        self.init(row: row, column: column)
    }

    /// "A", "B", …, "Z", "AA", …
    public static func columnName(_ column: Int) -> String {
        var column = column
        var letters: [UInt8] = []
        while column > 0 {
            let remainder = (column - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(remainder))
            column = (column - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    public var description: String { "\(Self.columnName(column))\(row)" }

    public static func < (lhs: CellReference, rhs: CellReference) -> Bool {
        (lhs.row, lhs.column) < (rhs.row, rhs.column)
    }
}

/// A rectangular block of cells, such as a merged range "A1:Q1".
public struct CellRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var first: CellReference
    public var last: CellReference

    public init(first: CellReference, last: CellReference) {
        self.first = CellReference(row: min(first.row, last.row), column: min(first.column, last.column))
        self.last = CellReference(row: max(first.row, last.row), column: max(first.column, last.column))
    }

    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard let head = parts.first, let first = CellReference(head) else { return nil }
        let last = parts.count == 2 ? CellReference(parts[1]) : first
        guard let last else { return nil }
        self.init(first: first, last: last)
    }

    public func contains(_ reference: CellReference) -> Bool {
        (first.row...last.row).contains(reference.row) && (first.column...last.column).contains(reference.column)
    }

    public var description: String { first == last ? "\(first)" : "\(first):\(last)" }

    public static func < (lhs: CellRange, rhs: CellRange) -> Bool {
        (lhs.first, lhs.last) < (rhs.first, rhs.last)
    }
}
