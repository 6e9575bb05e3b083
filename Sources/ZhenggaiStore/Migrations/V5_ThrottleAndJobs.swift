import FluentKit
import SQLKit

// Login throttling as counters updated in one statement (the check happens before the password is
// verified, so concurrent guesses are counted, not raced), and a row per background job that app servers
// take turns to hold, so only one of them runs a given job at a time.
struct V5_ThrottleAndJobs: AsyncMigration {
    var name: String { "v5-throttle-and-jobs" }

    func prepare(on database: any Database) async throws {
        try await database.schema("login_throttle")
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            // Seconds since 1970: compared as numbers, the same on both databases.
            .field("window_start", .double, .required)
            .create()
        try await database.schema("job_runs")
            .field("name", .string, .identifier(auto: false))
            .field("holder", .string)
            .field("held_until", .double, .required)
            .field("last_started", .double)
            .field("last_finished", .double)
            .field("last_status", .string)
            .field("last_message", .string)
            .field("failures", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("job_runs").delete()
        try await database.schema("login_throttle").delete()
    }
}
