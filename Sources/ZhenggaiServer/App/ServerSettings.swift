import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// Everything the server reads at start, checked once; `problems` lists every wrong setting together.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    public var store: StoreConfiguration
    /// Mark the session cookie Secure (set when served behind HTTPS).
    public var secureCookies: Bool
    public var sessionHours: Int
    /// bcrypt work factor: 12 in production; tests lower it to keep the suite fast.
    public var bcryptCost: Int
    public var maxFailedLogins: Int
    public var lockoutMinutes: Int
    /// Deadline colours: green from this many days left, yellow from that many, red when overdue.
    public var deadlineThresholds: DeadlineLight.Thresholds

    public var evidenceLimitBytes: Int { store.evidenceLimitBytes }

    public init(
        host: String = "127.0.0.1", port: Int = 8080, store: StoreConfiguration, secureCookies: Bool = false,
        sessionHours: Int = 12, bcryptCost: Int = 12, maxFailedLogins: Int = 5, lockoutMinutes: Int = 15,
        deadlineThresholds: DeadlineLight.Thresholds = .init()
    ) {
        self.host = host
        self.port = port
        self.store = store
        self.secureCookies = secureCookies
        self.sessionHours = sessionHours
        self.bcryptCost = bcryptCost
        self.maxFailedLogins = maxFailedLogins
        self.lockoutMinutes = lockoutMinutes
        self.deadlineThresholds = deadlineThresholds
    }

    public var problems: [String] {
        var found: [String] = []
        if !(1...65535).contains(port) { found.append("端口 \(port) 无效（应为 1–65535）") }
        if host.isEmpty { found.append("监听地址为空") }
        if !(1...720).contains(sessionHours) { found.append("会话有效期应为 1–720 小时") }
        if !(4...31).contains(bcryptCost) { found.append("bcrypt 强度应为 4–31") }
        if deadlineThresholds.yellow < 0 || deadlineThresholds.green < deadlineThresholds.yellow {
            found.append("时限预警天数应满足 绿色 ≥ 黄色 ≥ 0")
        }
        if case .postgres(let url) = store.backend,
            !(url.hasPrefix("postgres://") || url.hasPrefix("postgres+")
                || url.hasPrefix("postgresql://"))
        {
            found.append("DATABASE_URL 应以 postgres:// 开头")
        }
        return found
    }
}
