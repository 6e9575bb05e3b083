public import Foundation
import SQLKit
public import ZhenggaiCore

/// What an admin entered on the working-day calendar.
public struct CalendarEntry: Sendable, Equatable {
    public var day: LocalDate
    public var workday: Bool
    public var name: String?
    public var updatedBy: String
    public var updatedAt: Date
}

extension Store {
    /// The calendar deadlines count on: the shipped notices with the admin's entries on top.
    public func calendar() async throws -> ChinaCalendar {
        var entries: [LocalDate: ChinaCalendar.Exception] = [:]
        for entry in try await calendarEntries() {
            entries[entry.day] = .init(workday: entry.workday, name: entry.name)
        }
        let years = try await sql.raw("SELECT year FROM calendar_years").all().map {
            try $0.decode(column: "year", as: Int.self)
        }
        return ChinaCalendar.shipped.overridden(by: entries, confirmedYears: Set(years))
    }

    public func calendarEntries() async throws -> [CalendarEntry] {
        try await sql.raw("SELECT date, workday, name, updated_by, updated_at FROM calendar_days ORDER BY date").all()
            .compactMap { row in
                guard let day = LocalDate(iso: try row.decode(column: "date", as: String.self)) else { return nil }
                return CalendarEntry(
                    day: day, workday: try row.decode(column: "workday", as: Bool.self),
                    name: try row.decode(column: "name", as: String?.self),
                    updatedBy: try row.decode(column: "updated_by", as: String.self),
                    updatedAt: Date(timeIntervalSince1970: try row.decode(column: "updated_at", as: Double.self)))
            }
    }

    /// Sets one day (the next year's notice, a correction); audited with what the day was before.
    public func setCalendarDay(_ day: LocalDate, workday: Bool, name rawName: String?, by actor: AuditActor)
        async throws
    {
        let name = rawName?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (name ?? "").count <= 40 else { throw StoreError.invalid(field: "名称", message: "不能超过 40 个字。") }
        let before = try await calendar().describe(day)
        try await write(actor) { tx in
            let now = tx.now.timeIntervalSince1970
            try await tx.sql.raw(
                """
                INSERT INTO calendar_days (date, workday, name, updated_by, updated_at)
                VALUES (\(bind: day.iso), \(bind: workday), \(bind: name?.isEmpty == false ? name : nil), \(bind: actor.name), \(bind: now))
                ON CONFLICT (date) DO UPDATE SET workday = excluded.workday, name = excluded.name,
                  updated_by = excluded.updated_by, updated_at = excluded.updated_at
                """
            ).run()
            try await tx.record(
                "calendar.set", entity: "calendar", id: day.iso, unitPath: nil,
                before: ["workday": before.workday ? "true" : "false", "name": before.name ?? ""],
                after: ["workday": workday ? "true" : "false", "name": name ?? ""])
        }
    }

    /// Marks a year's notice as completely entered: from then on the year counts as covered.
    public func confirmCalendarYear(_ year: Int, by actor: AuditActor) async throws {
        guard (2000...2100).contains(year) else { throw StoreError.invalid(field: "年份", message: "应在 2000 到 2100 之间。") }
        try await write(actor) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO calendar_years (year, confirmed_by, confirmed_at)
                VALUES (\(bind: year), \(bind: actor.name), \(bind: tx.now.timeIntervalSince1970))
                ON CONFLICT (year) DO NOTHING
                """
            ).run()
            try await tx.record(
                "calendar.year", entity: "calendar", id: String(year), unitPath: nil, before: nil,
                after: ["year": String(year)])
        }
    }
}
