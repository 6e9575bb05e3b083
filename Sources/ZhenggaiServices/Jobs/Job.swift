public import Foundation
public import Logging
public import ZhenggaiCore
public import ZhenggaiStore

/// Work that runs on its own, on a schedule: inside `serve` (one runner per job across every app server on
/// the same database) or from cron with `zhenggai jobs run NAME`. A job must be safe to run twice: the lock
/// keeps two runs apart, not two days apart.
public protocol Job: Sendable {
    /// The name used on the command line and in the job table.
    var name: String { get }
    /// What it does, for the admin page and `zhenggai jobs list`.
    var label: String { get }
    /// How often it runs inside `serve`.
    var interval: TimeInterval { get }
    /// Does the work as of `day`; answers a one-line summary for the log and the admin page.
    func run(_ context: JobContext) async throws -> String
}

public struct JobContext: Sendable {
    public var store: Store
    public var logger: Logger
    public var day: LocalDate
    /// Set when the run is for a given day (`--date`, catching up): it runs whatever the hour.
    public var dayGiven: Bool
    /// ZHENGGAI_PUBLIC_URL: links in messages start with it.
    public var publicURL: String?
    /// ZHENGGAI_SMTP_*: the mail server for e-mail channels, if the county has one.
    public var mail: MailSettings?

    public init(
        store: Store, logger: Logger, day: LocalDate, dayGiven: Bool = false, publicURL: String? = nil,
        mail: MailSettings? = nil
    ) {
        self.store = store
        self.logger = logger
        self.day = day
        self.dayGiven = dayGiven
        self.publicURL = publicURL
        self.mail = mail
    }
}

/// Every job the system has, in one list: the runner, the command line and the admin page read it.
public enum Jobs {
    public static let all: [any Job] = [PurgeSessionsJob(), RemindersJob(), PeriodReportsJob()]

    public static func named(_ name: String) -> (any Job)? { all.first { $0.name == name } }

    public enum Outcome: Sendable, Equatable {
        case ran(String)
        /// Another app server (or a cron run) holds the job, or it ran within its interval.
        case skipped
        case failed(String)
    }

    /// Runs one job now if its row can be taken. `force` ignores the interval (a manual or cron run), never
    /// the lock.
    public static func run(
        _ job: any Job, store: Store, logger: Logger, day: LocalDate? = nil, force: Bool, holder: String,
        publicURL: String? = nil, mail: MailSettings? = nil
    ) async throws -> Outcome {
        let lease = max(600, job.interval)
        guard
            try await store.acquireJob(job.name, holder: holder, lease: lease, interval: job.interval, force: force)
        else { return .skipped }
        let context = JobContext(
            store: store, logger: logger, day: day ?? store.clock.today(), dayGiven: day != nil, publicURL: publicURL,
            mail: mail)
        do {
            let summary = try await job.run(context)
            try await store.finishJob(job.name, holder: holder, succeeded: true, message: summary)
            logger.info("job finished", metadata: ["job": .string(job.name), "summary": .string(summary)])
            return .ran(summary)
        } catch {
            let message = String(describing: error)
            try? await store.finishJob(job.name, holder: holder, succeeded: false, message: message)
            logger.error("job failed", metadata: ["job": .string(job.name), "error": .string(message)])
            return .failed(message)
        }
    }
}

/// Runs every job when it is due, inside `serve`. Started and stopped with the application.
public actor JobRunner {
    let store: Store
    let logger: Logger
    let jobs: [any Job]
    let publicURL: String?
    let mail: MailSettings?
    /// This process, for the lock row: any app server may take any job.
    let holder: String
    var loop: Task<Void, Never>?

    public init(
        store: Store, logger: Logger, jobs: [any Job] = Jobs.all, publicURL: String? = nil, mail: MailSettings? = nil
    ) {
        self.store = store
        self.logger = logger
        self.jobs = jobs
        self.publicURL = publicURL
        self.mail = mail
        holder =
            "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    public func start(checkEvery seconds: Double = 60) {
        guard loop == nil else { return }
        let (store, logger, jobs, holder, publicURL, mail) = (store, logger, jobs, holder, publicURL, mail)
        loop = Task {
            while !Task.isCancelled {
                for job in jobs where !Task.isCancelled {
                    do {
                        _ = try await Jobs.run(
                            job, store: store, logger: logger, force: false, holder: holder, publicURL: publicURL,
                            mail: mail)
                    } catch {
                        logger.error("job could not start", metadata: ["job": .string(job.name), "error": "\(error)"])
                    }
                }
                try? await Task.sleep(for: .seconds(seconds))
            }
        }
    }

    public func stop() async {
        loop?.cancel()
        await loop?.value
        loop = nil
    }
}

/// Sessions past their end and login attempts older than 90 days go: nothing else ever deletes them.
public struct PurgeSessionsJob: Job {
    public init() {}
    public var name: String { "purge-sessions" }
    public var label: String { "清理过期会话和登录记录" }
    public var interval: TimeInterval { 3600 }

    public func run(_ context: JobContext) async throws -> String {
        let removed = try await context.store.purgeExpiredSessions(keepAttempts: 90 * 86_400)
        return "删除过期会话 \(removed.sessions) 个、90 天前的登录记录 \(removed.attempts) 条"
    }
}
