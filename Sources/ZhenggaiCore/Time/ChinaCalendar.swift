public import Foundation

/// China's national calendar of 工作日: the statutory holidays and the 调休 weekends that are working
/// days, as the State Council's yearly notices (国务院办公厅关于XXXX年部分节假日安排的通知) set them, shipped
/// in `Resources/china-workdays.tsv` (sources and how to add a year: data/calendar/README.md), with what an
/// admin entered on top. A year is *covered* when its notice is in: outside covered years a day is counted as
/// a plain weekday or weekend, and `uncoveredYears(in:)` says so, so that nobody mistakes the guess for the
/// calendar.
public struct ChinaCalendar: WorkCalendar, Equatable {
    /// A day that differs from the plain week, or that an admin set explicitly.
    public struct Exception: Sendable, Equatable {
        public var workday: Bool
        /// 春节, 国庆节调休, …
        public var name: String?

        public init(workday: Bool, name: String?) {
            self.workday = workday
            self.name = name
        }
    }

    public private(set) var exceptions: [LocalDate: Exception]
    public private(set) var coveredYears: Set<Int>

    public init(exceptions: [LocalDate: Exception] = [:], coveredYears: Set<Int> = []) {
        self.exceptions = exceptions
        self.coveredYears = coveredYears
    }

    public func isWorkday(_ day: LocalDate) -> Bool {
        exceptions[day]?.workday ?? (day.weekday <= 5)
    }

    /// The day's status and the holiday's name (nil on an ordinary day).
    public func describe(_ day: LocalDate) -> (workday: Bool, name: String?) {
        (isWorkday(day), exceptions[day]?.name)
    }

    public func covers(year: Int) -> Bool { coveredYears.contains(year) }

    /// Years between the two days (inclusive) without a notice: counting across them is a guess.
    public func uncoveredYears(from start: LocalDate, to end: LocalDate) -> [Int] {
        let (low, high) = start <= end ? (start.year, end.year) : (end.year, start.year)
        return (low...high).filter { !coveredYears.contains($0) }
    }

    /// This calendar with the admin's entries on top (theirs win), and the years they confirmed complete.
    public func overridden(by entries: [LocalDate: Exception], confirmedYears: Set<Int>) -> ChinaCalendar {
        var result = self
        for (day, exception) in entries { result.exceptions[day] = exception }
        result.coveredYears.formUnion(confirmedYears)
        return result
    }

    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case line(Int, String)

        public var description: String {
            switch self {
            case .line(let number, let message): "日历数据第 \(number) 行：\(message)"
            }
        }
    }

    /// Reads the shipped format: `date<TAB>holiday|workday<TAB>name`, `#` comments, and a `# YYYY: …`
    /// header per year whose notice is in.
    public static func read(_ text: String) throws(ReadError) -> ChinaCalendar {
        var calendar = ChinaCalendar()
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                // "# 2026: 国务院办公厅关于2026年部分节假日安排的通知 …"
                let head = line.dropFirst().trimmingCharacters(in: .whitespaces)
                if head.count > 5, let year = Int(head.prefix(4)), head.dropFirst(4).first == ":" {
                    calendar.coveredYears.insert(year)
                }
                continue
            }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2, let day = LocalDate(iso: fields[0]) else {
                throw .line(offset + 1, "应为「日期<TAB>holiday 或 workday<TAB>名称」")
            }
            let name = fields.count > 2 && !fields[2].isEmpty ? fields[2] : nil
            switch fields[1] {
            case "holiday": calendar.exceptions[day] = Exception(workday: false, name: name)
            case "workday": calendar.exceptions[day] = Exception(workday: true, name: name)
            default: throw .line(offset + 1, "类别「\(fields[1])」应为 holiday 或 workday")
            }
        }
        return calendar
    }

    /// The calendar shipped with this release.
    public static let shipped: ChinaCalendar = {
        guard
            let url = Bundle.module.url(forResource: "china-workdays", withExtension: "tsv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let calendar = try? read(text)
        else {
            // The file is part of the build; a release without it is broken, not a county's problem.
            fatalError("Resources/china-workdays.tsv is missing or unreadable")
        }
        return calendar
    }()
}
