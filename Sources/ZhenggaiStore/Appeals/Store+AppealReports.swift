public import Foundation
import SQLKit
public import ZhenggaiCore

/// One published version of a month's appeal figures (the county's, as the public page shows them).
public struct AppealMonthReport: Sendable, Equatable {
    public var id: UUID
    public var month: String
    public var version: Int
    public var issuer: String
    /// The statistics as published (JSON), read back by the public page and the .docx.
    public var figures: String
    public var publishedAt: Date
    public var publishedBy: String
    /// Set when a later version corrected this one.
    public var supersededAt: Date?
    public var withdrawnAt: Date?
    public var withdrawnBy: String?

    /// The version the public sees: neither corrected nor withdrawn.
    public var isCurrent: Bool { supersededAt == nil && withdrawnAt == nil }
}

extension Store {
    /// Publishes `figures` as the month's next version; the version before it, if any, stays readable as
    /// corrected. Checked inside the write, so two people publishing at once get versions n and n+1.
    public func publishAppealMonth(month: String, issuer: String, figures: String, by actor: AuditActor) async throws
        -> AppealMonthReport
    {
        let id = ids.next()
        try await write(actor) { tx in
            let now = tx.now.timeIntervalSince1970
            let last = try await tx.sql.raw(
                "SELECT MAX(version) AS version FROM appeal_month_reports WHERE month = \(bind: month)"
            ).first()?.decode(column: "version", as: Int?.self)
            let version = (last ?? 0) + 1
            try await tx.sql.raw(
                """
                UPDATE appeal_month_reports SET superseded_at = \(bind: now)
                WHERE month = \(bind: month) AND superseded_at IS NULL AND withdrawn_at IS NULL
                """
            ).run()
            try await tx.sql.raw(
                """
                INSERT INTO appeal_month_reports (id, month, version, issuer, figures, published_at, published_by)
                VALUES (\(bind: id), \(bind: month), \(bind: version), \(bind: issuer), \(bind: figures), \(bind: now),
                  \(bind: actor.name))
                """
            ).run()
            try await tx.renewPublicStamp()
            try await tx.record(
                "appeal.month.publish", entity: "appeal_month", id: month, unitPath: nil, before: nil,
                after: ["month": month, "version": String(version)])
        }
        guard let report = try await appealMonthReports(month: month).first(where: { $0.id == id }) else {
            throw StoreError.notFound(what: "诉求月度公布")
        }
        return report
    }

    /// Takes the month's current version off the public page, recorded with who and when.
    public func withdrawAppealMonth(month: String, by actor: AuditActor) async throws {
        try await write(actor) { tx in
            guard
                let row = try await tx.sql.raw(
                    """
                    SELECT version FROM appeal_month_reports
                    WHERE month = \(bind: month) AND superseded_at IS NULL AND withdrawn_at IS NULL
                    """
                ).first()
            else { throw StoreError.invalid(field: "月份", message: "\(month) 没有正在公布的办理情况。") }
            let version = try row.decode(column: "version", as: Int.self)
            try await tx.sql.raw(
                """
                UPDATE appeal_month_reports SET withdrawn_at = \(bind: tx.now.timeIntervalSince1970),
                  withdrawn_by = \(bind: tx.actor.name)
                WHERE month = \(bind: month) AND version = \(bind: version)
                """
            ).run()
            try await tx.renewPublicStamp()
            try await tx.record(
                "appeal.month.withdraw", entity: "appeal_month", id: month, unitPath: nil, before: nil,
                after: ["month": month, "version": String(version)])
        }
    }

    /// Every version of the month, newest first.
    public func appealMonthReports(month: String) async throws -> [AppealMonthReport] {
        try await sql.raw(
            """
            SELECT id, month, version, issuer, figures, published_at, published_by, superseded_at, withdrawn_at,
              withdrawn_by
            FROM appeal_month_reports WHERE month = \(bind: month) ORDER BY version DESC
            """
        ).all().map(Self.appealMonthReport)
    }

    /// Months with a version before the public, newest first.
    public func publishedAppealMonths() async throws -> [String] {
        try await sql.raw(
            """
            SELECT month FROM appeal_month_reports WHERE superseded_at IS NULL AND withdrawn_at IS NULL
            ORDER BY month DESC
            """
        ).all().map { try $0.decode(column: "month", as: String.self) }
    }

    static func appealMonthReport(_ row: any SQLRow) throws -> AppealMonthReport {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Double?.self).map { Date(timeIntervalSince1970: $0) }
        }
        return AppealMonthReport(
            id: try row.decode(column: "id", as: UUID.self), month: try row.decode(column: "month", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            issuer: try row.decode(column: "issuer", as: String.self),
            figures: try row.decode(column: "figures", as: String.self),
            publishedAt: try date("published_at") ?? Date(timeIntervalSince1970: 0),
            publishedBy: try row.decode(column: "published_by", as: String.self),
            supersededAt: try date("superseded_at"), withdrawnAt: try date("withdrawn_at"),
            withdrawnBy: try row.decode(column: "withdrawn_by", as: String?.self))
    }
}
