public import Foundation
public import Logging
public import ZhenggaiCore
public import ZhenggaiStore

/// Everything the system reads at start, from flags and the environment, read once here and nowhere else.
/// Parsing is strict (`ZHENGGAI_SECURE_COOKIES=ture` is refused, not read as false) and every problem is
/// reported together, before anything is opened.
public struct AppConfiguration: Sendable {
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
    public var logLevel: Logger.Level
    /// Run the background jobs inside `serve` (several app servers may all do so: a lock row picks one).
    public var runJobs: Bool
    /// The address people open the site at (behind a proxy it differs from host:port): links in messages
    /// and on printed notices start with it. Without it, messages carry no links, only the numbers.
    public var publicURL: String?
    /// The mail server for e-mail channels (ZHENGGAI_SMTP_URL and ZHENGGAI_SMTP_FROM); none without them.
    public var mail: MailSettings?
    /// The SMS platform for the public's phone check (ZHENGGAI_SMS_URL, ZHENGGAI_SMS_TOKEN); none without it.
    public var sms: (any SMSGateway)?

    public var evidenceLimitBytes: Int { store.evidenceLimitBytes }

    public init(
        host: String = "127.0.0.1", port: Int = 8080, store: StoreConfiguration, secureCookies: Bool = false,
        sessionHours: Int = 12, bcryptCost: Int = 12, maxFailedLogins: Int = 5, lockoutMinutes: Int = 15,
        deadlineThresholds: DeadlineLight.Thresholds = .init(), logLevel: Logger.Level = .info, runJobs: Bool = false,
        publicURL: String? = nil, mail: MailSettings? = nil, sms: (any SMSGateway)? = nil
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
        self.logLevel = logLevel
        self.runJobs = runJobs
        self.publicURL = publicURL
        self.mail = mail
        self.sms = sms
    }

    /// The environment variables read, with what each accepts (README lists them too).
    public static let variables: [(name: String, meaning: String)] = [
        ("DATABASE_URL", "postgres://… 或 postgres+uds://…：使用 PostgreSQL；不设则用数据目录中的 SQLite"),
        ("ZHENGGAI_EVIDENCE_STORE", "file（默认）或 database：佐证材料存于磁盘或数据库"),
        ("ZHENGGAI_EVIDENCE_LIMIT_MB", "单个佐证材料上限，1–1024 MB（默认 20）"),
        ("ZHENGGAI_SECURE_COOKIES", "true/false（或 1/0）：会话 Cookie 是否仅经 HTTPS 发送"),
        ("ZHENGGAI_JOBS", "true/false：serve 是否运行后台任务（默认 true）"),
        ("ZHENGGAI_PUBLIC_URL", "网站对外地址，如 https://zhenggai.example.gov.cn：提醒消息和公示栏二维码中的链接以此开头"),
        ("ZHENGGAI_SMTP_URL", "邮件服务器，smtp://用户名:密码@主机:587（STARTTLS）或 smtps://…:465；邮件提醒渠道用"),
        ("ZHENGGAI_SMTP_FROM", "发件地址，如 zhenggai@example.gov.cn（设置 ZHENGGAI_SMTP_URL 时必填）"),
        ("ZHENGGAI_SMTP_CA_FILE", "邮件服务器证书由内网 CA 签发时，该 CA 证书（PEM）的路径"),
        ("ZHENGGAI_SMS_URL", "短信平台接口（http:// 或 https://，JSON POST {phone, text}）；群众评价要求短信验证时用"),
        ("ZHENGGAI_SMS_TOKEN", "短信平台接口的令牌（以 Authorization: Bearer 发送），可不设"),
        ("LOG_LEVEL", "trace、debug、info、notice、warning、error、critical"),
    ]

    /// Reads flags and environment; throws one error that lists every problem found.
    public static func load(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String, environment: [String: String],
        defaultLogLevel: Logger.Level = .info
    ) throws(ConfigurationError) -> AppConfiguration {
        var problems: [String] = []
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func flag(_ name: String, default fallback: Bool) -> Bool {
            guard let raw = value(name) else { return fallback }
            switch raw.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default:
                problems.append("\(name)=\(raw) 无法识别，应为 true 或 false")
                return fallback
            }
        }
        if dataDirectory.isEmpty { problems.append("数据目录（--data）为空") }
        let folder = URL(fileURLWithPath: dataDirectory, isDirectory: true)
        var backend = StoreConfiguration.Backend.sqlite(path: folder.appendingPathComponent("zhenggai.sqlite").path)
        if let url = value("DATABASE_URL") {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || url.hasPrefix("postgres+") {
                backend = .postgres(url: url)
            } else {
                problems.append("DATABASE_URL 应以 postgres:// 或 postgres+uds:// 开头")
            }
        }
        var inDatabase = false
        if let raw = value("ZHENGGAI_EVIDENCE_STORE") {
            switch raw {
            case "file": inDatabase = false
            case "database": inDatabase = true
            default: problems.append("ZHENGGAI_EVIDENCE_STORE=\(raw) 无法识别，应为 file 或 database")
            }
        }
        var limit = EvidenceFiles.defaultLimit
        if let raw = value("ZHENGGAI_EVIDENCE_LIMIT_MB") {
            if let megabytes = Int(raw), (1...1024).contains(megabytes) {
                limit = megabytes * 1_048_576
            } else {
                problems.append("ZHENGGAI_EVIDENCE_LIMIT_MB=\(raw) 应为 1 到 1024 之间的整数")
            }
        }
        var logLevel = defaultLogLevel
        if let raw = value("LOG_LEVEL") {
            if let level = Logger.Level(rawValue: raw.lowercased()) {
                logLevel = level
            } else {
                problems.append("LOG_LEVEL=\(raw) 无法识别，应为 trace、debug、info、notice、warning、error 或 critical")
            }
        }
        var publicURL: String?
        if let raw = value("ZHENGGAI_PUBLIC_URL") {
            if let url = URL(string: raw), url.scheme == "http" || url.scheme == "https", url.host != nil,
                url.query == nil
            {
                publicURL = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            } else {
                problems.append("ZHENGGAI_PUBLIC_URL=\(raw) 应为 http:// 或 https:// 开头的网址")
            }
        }
        var mail: MailSettings?
        if let raw = value("ZHENGGAI_SMTP_URL") {
            switch MailSettings.parse(
                url: raw, from: value("ZHENGGAI_SMTP_FROM"), caFile: value("ZHENGGAI_SMTP_CA_FILE"))
            {
            case .success(let settings): mail = settings
            case .failure(let error): problems.append(error.description)
            }
        }
        var sms: (any SMSGateway)?
        if let raw = value("ZHENGGAI_SMS_URL") {
            if let url = URL(string: raw), url.scheme == "http" || url.scheme == "https", url.host != nil {
                sms = HTTPSMSGateway(url: url, token: value("ZHENGGAI_SMS_TOKEN"))
            } else {
                problems.append("ZHENGGAI_SMS_URL=\(raw) 应为 http:// 或 https:// 开头的网址")
            }
        }
        let configuration = AppConfiguration(
            host: host, port: port,
            store: StoreConfiguration(
                backend: backend, dataDirectory: folder, evidenceInDatabase: inDatabase, evidenceLimitBytes: limit),
            secureCookies: flag("ZHENGGAI_SECURE_COOKIES", default: false), logLevel: logLevel,
            runJobs: flag("ZHENGGAI_JOBS", default: true), publicURL: publicURL, mail: mail, sms: sms)
        problems += configuration.problems
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return configuration
    }

    /// What is wrong with these values, all of it.
    public var problems: [String] {
        var found: [String] = []
        if !(1...65535).contains(port) { found.append("端口 \(port) 无效（应为 1–65535）") }
        if host.isEmpty { found.append("监听地址为空") }
        if !(1...720).contains(sessionHours) { found.append("会话有效期应为 1–720 小时") }
        if !(4...31).contains(bcryptCost) { found.append("bcrypt 强度应为 4–31") }
        if deadlineThresholds.yellow < 0 || deadlineThresholds.green < deadlineThresholds.yellow {
            found.append("时限预警天数应满足 绿色 ≥ 黄色 ≥ 0")
        }
        return found
    }
}

public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var problems: [String]
    public var description: String { "配置有误：\n- " + problems.joined(separator: "\n- ") }
}
