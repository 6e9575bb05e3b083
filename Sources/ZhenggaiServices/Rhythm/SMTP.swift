public import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import ZhenggaiStore

/// The county's mail server, from ZHENGGAI_SMTP_URL (`smtp://user:password@host:587` for STARTTLS,
/// `smtps://user:password@host:465` for TLS from the first byte), ZHENGGAI_SMTP_FROM and, for an intranet
/// server whose certificate a private CA signed, ZHENGGAI_SMTP_CA_FILE. There is no plain-text mode: the
/// password and the reminders' contents never cross the network unencrypted.
public struct MailSettings: Sendable, Equatable {
    public enum Security: String, Sendable {
        case startTLS, implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var from: String
    /// PEM file of the CA that signed the server's certificate; the system's roots without it.
    public var caFile: String?

    public init(
        host: String, port: Int, security: Security, username: String?, password: String?, from: String,
        caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.caFile = caFile
    }

    /// Parses the three variables; answers what is wrong in Chinese, naming the variable.
    public static func parse(url raw: String, from: String?, caFile: String?) -> Result<MailSettings, MailError> {
        guard let url = URLComponents(string: raw), let scheme = url.scheme, scheme == "smtp" || scheme == "smtps",
            let host = url.host, !host.isEmpty
        else {
            return .failure(
                MailError("ZHENGGAI_SMTP_URL=\(Self.redacted(raw)) 应为 smtp://用户名:密码@主机:587 或 smtps://…:465"))
        }
        guard let from, Store.isMailAddress(from) else {
            return .failure(MailError("使用邮件渠道须设置 ZHENGGAI_SMTP_FROM（发件地址，如 zhenggai@example.gov.cn）"))
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            return .failure(MailError("ZHENGGAI_SMTP_CA_FILE=\(caFile) 无法读取"))
        }
        let security: Security = scheme == "smtps" ? .implicitTLS : .startTLS
        return .success(
            MailSettings(
                host: host, port: url.port ?? (security == .implicitTLS ? 465 : 587), security: security,
                username: url.user?.removingPercentEncoding, password: url.password?.removingPercentEncoding,
                from: from, caFile: caFile))
    }

    /// The address without its password, for messages and logs.
    static func redacted(_ raw: String) -> String {
        guard var url = URLComponents(string: raw), url.password != nil else { return raw }
        url.password = "***"
        return url.string ?? raw
    }
}

public struct MailError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// One message, plain UTF-8 text: headers in RFC 2047 encoded words, the body in Base64 (so no line of it
/// can start with a dot or run past the limit, whatever the text).
public struct MailMessage: Sendable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var text: String
    public var messageID: String
    public var date: Date

    public init(from: String, to: [String], subject: String, text: String, messageID: String, date: Date) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.messageID = messageID
        self.date = date
    }

    public var rendered: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let body = Data(
            text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8
        )
        .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(Self.encodedWord("整改系统")) <\(from)>",
            "To: " + to.map { "<\($0)>" }.joined(separator: ", "),
            "Subject: \(Self.encodedWord(subject.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
            body,
        ].joined(separator: "\r\n")
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters each, split between characters (RFC 2047 §5 forbids
    /// splitting one), joined by folding white space.
    static func encodedWord(_ text: String) -> String {
        guard text.contains(where: { !$0.isASCII || $0 == "=" || $0 == "?" }) else { return text }
        // 75 − len("=?UTF-8?B?") − len("?=") = 63 Base64 characters = 45 bytes of UTF-8 at most.
        var words: [String] = []
        var chunk = ""
        for character in text {
            if chunk.utf8.count + String(character).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }
}

/// A small SMTP client (RFC 5321 with STARTTLS, RFC 3207, and AUTH PLAIN or LOGIN, RFC 4954): enough to
/// hand one message to the county's mail server, which does the rest.
public enum SMTPClient {
    /// The whole exchange, connection included; a server that stalls is given up and retried later.
    public static let timeout: Duration = .seconds(30)

    public static func send(_ message: MailMessage, with settings: MailSettings) async throws(MailError) {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await exchange(message, settings) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw MailError("邮件服务器 \(settings.host) 在 \(timeout.components.seconds) 秒内未完成发送")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let error as MailError {
            throw error
        } catch let error as NIOSSLError {
            throw MailError("与邮件服务器 \(settings.host) 建立加密连接失败：\(error)")
        } catch {
            throw MailError("邮件服务器 \(settings.host):\(settings.port) 连接失败：\(error)")
        }
    }

    static func exchange(_ message: MailMessage, _ settings: MailSettings) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = settings.caFile {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        }
        let tls = try NIOSSLContext(configuration: configuration)
        // SNI takes a name, not an address; with an address the certificate is checked against it.
        let serverName = IPAddressText.isAddress(settings.host) ? nil : settings.host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if settings.security == .implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var reader = ReplyReader(inbound.makeAsyncIterator())
            /// `step` names the command in an error, never its text: it may hold the password.
            func command(_ line: String, expect code: Int, step: String? = nil) async throws -> Reply {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                return try await reader.expect(code, after: step ?? String(line.prefix { $0 != " " }))
            }
            _ = try await reader.expect(220, after: "连接")
            let helloName = "zhenggai"
            var hello = try await command("EHLO \(helloName)", expect: 250)
            if settings.security == .startTLS {
                guard hello.offers("STARTTLS") else {
                    throw MailError("邮件服务器 \(settings.host) 不支持 STARTTLS，为保护密码和内容不发送（可改用 smtps://）")
                }
                _ = try await command("STARTTLS", expect: 220)
                try await channel.channel.eventLoop.submit {
                    try channel.channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
                }.get()
                hello = try await command("EHLO \(helloName)", expect: 250)
            }
            if let user = settings.username {
                let password = settings.password ?? ""
                if hello.offers("AUTH", with: "PLAIN") {
                    let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
                    _ = try await command("AUTH PLAIN \(token)", expect: 235, step: "登录")
                } else if hello.offers("AUTH", with: "LOGIN") {
                    _ = try await command("AUTH LOGIN", expect: 334)
                    _ = try await command(Data(user.utf8).base64EncodedString(), expect: 334, step: "登录")
                    _ = try await command(Data(password.utf8).base64EncodedString(), expect: 235, step: "登录")
                } else {
                    throw MailError("邮件服务器 \(settings.host) 不支持 AUTH PLAIN 或 LOGIN 登录")
                }
            }
            _ = try await command("MAIL FROM:<\(message.from)>", expect: 250)
            for recipient in message.to { _ = try await command("RCPT TO:<\(recipient)>", expect: 250) }
            _ = try await command("DATA", expect: 354)
            _ = try await command(message.rendered + "\r\n.", expect: 250, step: "邮件正文")
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }

    struct Reply {
        var code: Int
        var lines: [String]

        /// An EHLO keyword, and optionally one of its parameters (`AUTH PLAIN LOGIN`).
        func offers(_ keyword: String, with parameter: String? = nil) -> Bool {
            lines.contains { line in
                let words = line.uppercased().split(separator: " ")
                guard words.first.map(String.init) == keyword else { return false }
                return parameter.map { words.dropFirst().contains(Substring($0)) } ?? true
            }
        }
    }

    /// Replies as RFC 5321 §4.2 writes them: `250-…` lines continue, `250 …` ends. Bounded: a server that
    /// sends an endless line or reply is cut off.
    struct ReplyReader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var pending: [UInt8] = []

        init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) { self.iterator = iterator }

        mutating func line() async throws -> String {
            while true {
                if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    var bytes = pending[..<end]
                    if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
                    pending.removeSubrange(...end)
                    return String(decoding: bytes, as: UTF8.self)
                }
                guard pending.count < 4_096 else { throw MailError("邮件服务器的应答过长") }
                guard let buffer = try await iterator.next() else { throw MailError("邮件服务器断开了连接") }
                pending += buffer.readableBytesView
            }
        }

        mutating func expect(_ code: Int, after what: String) async throws -> Reply {
            var lines: [String] = []
            while lines.count < 100 {
                let text = try await line()
                guard text.count >= 3, let value = Int(text.prefix(3)) else {
                    throw MailError("邮件服务器的应答无法识别：\(text.prefix(80))")
                }
                lines.append(String(text.dropFirst(4)))
                if text.count == 3 || text[text.index(text.startIndex, offsetBy: 3)] == " " {
                    guard value == code else {
                        throw MailError("邮件服务器拒绝（\(what)）：\(value) \(lines.last ?? "")")
                    }
                    return Reply(code: value, lines: lines)
                }
            }
            throw MailError("邮件服务器的应答过长")
        }
    }
}

enum IPAddressText {
    static func isAddress(_ host: String) -> Bool {
        host.contains(":") || (host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." })
    }
}
