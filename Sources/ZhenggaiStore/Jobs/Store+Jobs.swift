public import Foundation
import SQLKit

/// What the admin page and `zhenggai jobs list` show of a background job.
public struct JobRun: Sendable, Equatable {
    public var name: String
    public var holder: String?
    public var heldUntil: Date
    public var lastStarted: Date?
    public var lastFinished: Date?
    public var lastStatus: String?
    public var lastMessage: String?
    public var failures: Int
}

extension Store {
    /// Takes the job's row for `holder` until `lease` from now, when nobody else holds it and (unless
    /// `force`) its last start is at least `interval` ago. One statement, so of several app servers asking
    /// at once exactly one gets it. Answers whether this holder got it.
    public func acquireJob(
        _ name: String, holder: String, lease: TimeInterval, interval: TimeInterval, force: Bool
    ) async throws -> Bool {
        let now = clock.now().timeIntervalSince1970
        let dueBefore = force ? now + 1 : now - interval
        let row = try await sql.raw(
            """
            INSERT INTO job_runs (name, holder, held_until, last_started, failures)
            VALUES (\(bind: name), \(bind: holder), \(bind: now + lease), \(bind: now), 0)
            ON CONFLICT (name) DO UPDATE SET
              holder = excluded.holder, held_until = excluded.held_until, last_started = excluded.last_started
            WHERE job_runs.held_until < \(bind: now)
              AND (job_runs.last_started IS NULL OR job_runs.last_started <= \(bind: dueBefore))
            RETURNING holder
            """
        ).first()
        return try row?.decode(column: "holder", as: String.self) == holder
    }

    /// Records how the run ended and lets go of the row.
    public func finishJob(_ name: String, holder: String, succeeded: Bool, message: String) async throws {
        let now = clock.now().timeIntervalSince1970
        try await sql.raw(
            """
            UPDATE job_runs SET holder = NULL, held_until = 0, last_finished = \(bind: now),
              last_status = \(bind: succeeded ? "ok" : "failed"), last_message = \(bind: String(message.prefix(2_000))),
              failures = CASE WHEN \(bind: succeeded) THEN 0 ELSE failures + 1 END
            WHERE name = \(bind: name) AND holder = \(bind: holder)
            """
        ).run()
    }

    public func jobRuns() async throws -> [JobRun] {
        try await sql.raw(
            """
            SELECT name, holder, held_until, last_started, last_finished, last_status, last_message, failures
            FROM job_runs ORDER BY name
            """
        ).all().map { row in
            func date(_ column: String) throws -> Date? {
                try row.decode(column: column, as: Double?.self).map { Date(timeIntervalSince1970: $0) }
            }
            return JobRun(
                name: try row.decode(column: "name", as: String.self),
                holder: try row.decode(column: "holder", as: String?.self),
                heldUntil: try date("held_until") ?? Date(timeIntervalSince1970: 0),
                lastStarted: try date("last_started"), lastFinished: try date("last_finished"),
                lastStatus: try row.decode(column: "last_status", as: String?.self),
                lastMessage: try row.decode(column: "last_message", as: String?.self),
                failures: try row.decode(column: "failures", as: Int.self))
        }
    }
}
