import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Testing
import ZhenggaiCore
import ZhenggaiTestSupport

@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// An SMTP server on loopback, started by the test (RFC 5321 with STARTTLS and AUTH PLAIN/LOGIN, as a
/// county's mail server speaks it). It records each session, and can be told to refuse or to offer no
/// STARTTLS. Its certificate is a test CA's (Fixtures/smtp; the private key is public by design). What it
/// receives is recorded before it answers, so a client that has its answer finds it recorded.
actor MailEndpoint {
    struct Session: Sendable {
        /// Whether TLS was on when the credentials and the message arrived.
        var authenticatedOverTLS: Bool?
        var user: String?
        var password: String?
        var from: String?
        var recipients: [String] = []
        var data: String?
        var dataOverTLS = false
    }

    /// Every command of every session, and every message accepted (a DATA answered 250).
    private(set) var commands: [String] = []
    private(set) var delivered: [Session] = []
    var refuseNext = 0
    let offerStartTLS: Bool
    /// TLS from the first byte (port 465, `smtps://`) instead of STARTTLS.
    let implicitTLS: Bool

    init(offerStartTLS: Bool, implicitTLS: Bool) {
        self.offerStartTLS = offerStartTLS
        self.implicitTLS = implicitTLS
    }

    func received(_ command: String) { commands.append(command) }
    func accepted(_ session: Session) { delivered.append(session) }
    func refuse(next count: Int) { refuseNext = count }
    func takeRefusal() -> Bool {
        guard refuseNext > 0 else { return false }
        refuseNext -= 1
        return true
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/smtp")

    static func with(
        offerStartTLS: Bool = true, implicitTLS: Bool = false,
        _ body: (MailEndpoint, MailSettings) async throws -> Void
    ) async throws {
        let endpoint = MailEndpoint(offerStartTLS: offerStartTLS, implicitTLS: implicitTLS)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(fixtures.appendingPathComponent("server.pem").path)
                .map { .certificate($0) },
            privateKey: .privateKey(
                try NIOSSLPrivateKey(file: fixtures.appendingPathComponent("server.key").path, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        let tls = try NIOSSLContext(configuration: configuration)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? 0
        let settings = MailSettings(
            host: "127.0.0.1", port: port, security: implicitTLS ? .implicitTLS : .startTLS,
            username: "zhenggai@example.gov.cn",
            password: "邮件口令 p@ss", from: "zhenggai@example.gov.cn",
            caFile: fixtures.appendingPathComponent("ca.pem").path)
        try await withThrowingDiscardingTaskGroup { group in
            // Ends by cancellation when the test is done: that is not a failure.
            group.addTask {
                try? await server.executeThenClose { inbound in
                    try await withThrowingDiscardingTaskGroup { sessions in
                        for try await connection in inbound {
                            sessions.addTask { try? await endpoint.serve(connection, tls: tls) }
                        }
                    }
                }
            }
            try await body(endpoint, settings)
            group.cancelAll()
            try? await server.channel.close()
        }
    }

    nonisolated func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, tls: NIOSSLContext) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var session = Session()
            var iterator = inbound.makeAsyncIterator()
            var pending: [UInt8] = []
            var secure = implicitTLS
            func reply(_ text: String) async throws { try await outbound.write(ByteBuffer(string: text + "\r\n")) }
            func line() async throws -> String? {
                while true {
                    if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let text = String(decoding: pending[..<end], as: UTF8.self)
                        pending.removeSubrange(...end)
                        return text.hasSuffix("\r") ? String(text.dropLast()) : text
                    }
                    guard let buffer = try await iterator.next() else { return nil }
                    pending += buffer.readableBytesView
                }
            }
            try await reply("220 mail.example.gov.cn ESMTP test")
            while let command = try await line() {
                await received(command)
                let verb = command.prefix { $0 != " " }.uppercased()
                switch verb {
                case "EHLO":
                    var lines = ["250-mail.example.gov.cn"]
                    if offerStartTLS && !secure { lines.append("250-STARTTLS") }
                    lines.append("250 AUTH PLAIN LOGIN")
                    try await reply(lines.joined(separator: "\r\n"))
                case "STARTTLS":
                    try await reply("220 ready to start TLS")
                    try await connection.channel.eventLoop.submit {
                        try connection.channel.pipeline.syncOperations.addHandler(
                            NIOSSLServerHandler(context: tls), position: .first)
                    }.get()
                    secure = true
                case "AUTH":
                    let parts = command.split(separator: " ")
                    guard parts.count == 3, parts[1] == "PLAIN",
                        let decoded = Data(base64Encoded: String(parts[2]))
                    else {
                        try await reply("504 only AUTH PLAIN here")
                        continue
                    }
                    let fields = decoded.split(separator: 0, omittingEmptySubsequences: false).map {
                        String(decoding: $0, as: UTF8.self)
                    }
                    session.user = fields.count == 3 ? fields[1] : nil
                    session.password = fields.count == 3 ? fields[2] : nil
                    session.authenticatedOverTLS = secure
                    try await reply("235 2.7.0 Authentication successful")
                case "MAIL":
                    if await takeRefusal() {
                        try await reply("451 4.3.0 try again later")
                        continue
                    }
                    session.from = command
                    try await reply("250 OK")
                case "RCPT":
                    session.recipients.append(command)
                    try await reply("250 OK")
                case "DATA":
                    try await reply("354 end with <CRLF>.<CRLF>")
                    var lines: [String] = []
                    while let text = try await line(), text != "." { lines.append(text) }
                    session.data = lines.joined(separator: "\r\n")
                    session.dataOverTLS = secure
                    await accepted(session)
                    try await reply("250 2.0.0 queued")
                case "QUIT":
                    try await reply("221 bye")
                    return
                default:
                    try await reply("502 unknown")
                }
            }
        }
    }
}

@Suite(.serialized) struct MailChannelTests {
    /// 青山镇 with one overdue task and an e-mail channel to two addresses, seen on a working day.
    static func with(
        offerStartTLS: Bool = true, implicitTLS: Bool = false,
        _ body: (Store, MutableClock, MessageChannel, [String], MailSettings, MailEndpoint) async throws -> Void
    ) async throws {
        let clock = MutableClock(LocalDate(year: 2026, month: 9, day: 21)!.date.addingTimeInterval(9 * 3600))
        try await MailEndpoint.with(offerStartTLS: offerStartTLS, implicitTLS: implicitTLS) { endpoint, settings in
            try await TestStores.withStore(clock: clock) { store in
                let county = try await TestCounty.make(in: store)
                let clerk = try await county.user(store, "qs_clerk", .clerk, at: county.township)
                let leader = try await county.user(store, "qs_leader", .leader, at: county.township)
                let source = try await county.source(store, by: clerk)
                let problem = try await store.createProblem(
                    NewProblem(sourceID: source.id, text: "村务公开不及时，联系人王小明 13812345678。", categoryCode: "B4"),
                    by: AuditActor(clerk))
                _ = try await store.createTask(
                    problemID: problem.id,
                    TaskFields(
                        measure: "按月公开", kind: .scheduled, leaderID: leader.id, leadUnit: "青山镇党政办",
                        deadline: LocalDate(year: 2026, month: 9, day: 10)!),
                    by: AuditActor(clerk))
                let channel = try await store.addChannel(
                    unitID: county.township.id, kind: .email,
                    target: "dzb@qingshan.example.gov.cn；zhen@qingshan.example.gov.cn",
                    secret: nil, by: .commandLine)
                try await body(store, clock, channel, [problem.number], settings, endpoint)
            }
        }
    }

    static func run(_ store: Store, _ settings: MailSettings?, on day: LocalDate) async throws -> String {
        try await RemindersJob().run(
            JobContext(
                store: store, logger: Logger(label: "test"), day: day, dayGiven: true,
                publicURL: RemindersTests.base, mail: settings))
    }

    /// Base64 body and encoded-word subject back to text, as a mail reader does.
    static func decode(_ data: String) -> (subject: String, body: String) {
        let parts = data.components(separatedBy: "\r\n\r\n")
        let headers = parts[0].replacingOccurrences(of: "\r\n ", with: " ")
        let subjectLine = headers.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") } ?? ""
        let subject = subjectLine.dropFirst("Subject: ".count).split(separator: " ").map { word -> String in
            let inner = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(inner)) ?? Data(), as: UTF8.self)
        }.joined()
        let body = parts.dropFirst().joined(separator: "\r\n\r\n").replacingOccurrences(of: "\r\n", with: "")
        return (subject, String(decoding: Data(base64Encoded: body) ?? Data(), as: UTF8.self))
    }

    @Test func theDigestGoesByMailOverSTARTTLSOncePerDay() async throws {
        try await Self.with { store, _, channel, numbers, settings, endpoint in
            #expect(channel.target == "dzb@qingshan.example.gov.cn, zhen@qingshan.example.gov.cn")
            let day = LocalDate(year: 2026, month: 9, day: 21)!
            let summary = try await Self.run(store, settings, on: day)
            #expect(summary.contains("发送成功 1 条"), "\(summary)")
            let delivered = await endpoint.delivered
            #expect(delivered.count == 1)
            let session = try #require(delivered.first)
            // The password crossed only inside TLS, and so did the message.
            #expect(session.authenticatedOverTLS == true && session.dataOverTLS)
            #expect(session.user == "zhenggai@example.gov.cn" && session.password == "邮件口令 p@ss")
            #expect(session.from == "MAIL FROM:<zhenggai@example.gov.cn>")
            #expect(
                session.recipients == [
                    "RCPT TO:<dzb@qingshan.example.gov.cn>", "RCPT TO:<zhen@qingshan.example.gov.cn>",
                ])
            let data = try #require(session.data)
            #expect(data.contains("Content-Type: text/plain; charset=UTF-8"))
            #expect(data.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 998 })
            let (subject, body) = Self.decode(data)
            #expect(subject.hasPrefix("青山镇整改提醒：逾期 1 项"), "\(subject)")
            for number in numbers {
                #expect(body.contains("\(number)（\(RemindersTests.base)/problems/"), "\(body)")
            }
            #expect(!body.contains("**") && !body.contains("### "))
            #expect(!body.contains("13812345678"))

            // Again the same day, and twice at once: no second mail.
            async let first = Self.run(store, settings, on: day)
            async let second = Self.run(store, settings, on: day)
            _ = try await (first, second)
            #expect(await endpoint.delivered.count == 1)
            #expect(try await store.deliveries(of: channel.id).map(\.status) == [.sent])
        }
    }

    @Test func aRefusedMailIsRetriedAndAMissingServerIsSaid() async throws {
        try await Self.with { store, clock, channel, _, settings, endpoint in
            let day = LocalDate(year: 2026, month: 9, day: 21)!
            // No mail server configured: queued, not sent, and the log says why.
            _ = try await Self.run(store, nil, on: day)
            var log = try await store.deliveries(of: channel.id)
            #expect(log.first?.status == .pending)
            #expect(log.first?.lastError?.contains("ZHENGGAI_SMTP_URL") == true)
            // The server answers 451 once: tried again after the back-off, then delivered.
            await endpoint.refuse(next: 1)
            clock.advance(by: 61)
            _ = try await Self.run(store, settings, on: day)
            log = try await store.deliveries(of: channel.id)
            #expect(log.first?.status == .pending)
            #expect(log.first?.lastError?.contains("451") == true, "\(log.first?.lastError ?? "")")
            #expect(await endpoint.delivered.isEmpty)
            clock.advance(by: 121)
            _ = try await Self.run(store, settings, on: day)
            log = try await store.deliveries(of: channel.id)
            #expect(log.first?.status == .sent && log.first?.attempts == 3)
            #expect(await endpoint.delivered.count == 1)
        }
    }

    @Test func withoutSTARTTLSNothingIsSentInTheClear() async throws {
        try await Self.with(offerStartTLS: false) { store, _, channel, _, settings, endpoint in
            _ = try await Self.run(store, settings, on: LocalDate(year: 2026, month: 9, day: 21)!)
            let log = try await store.deliveries(of: channel.id)
            #expect(log.first?.lastError?.contains("STARTTLS") == true, "\(log.first?.lastError ?? "")")
            #expect(await endpoint.delivered.isEmpty)
            let commands = await endpoint.commands
            #expect(commands == ["EHLO zhenggai"], "\(commands)")
        }
    }

    @Test func smtpsSpeaksTLSFromTheFirstByte() async throws {
        try await Self.with(offerStartTLS: false, implicitTLS: true) { store, _, channel, _, settings, endpoint in
            #expect(settings.security == .implicitTLS)
            _ = try await Self.run(store, settings, on: LocalDate(year: 2026, month: 9, day: 21)!)
            #expect(try await store.deliveries(of: channel.id).map(\.status) == [.sent])
            let delivered = await endpoint.delivered
            #expect(delivered.count == 1 && delivered.first?.authenticatedOverTLS == true)
            #expect(await endpoint.commands.first == "EHLO zhenggai")
        }
    }

    @Test func recipientsAndServerSettingsAreChecked() async throws {
        let clock = MutableClock(LocalDate(year: 2026, month: 9, day: 21)!.date)
        try await TestStores.withStore(clock: clock) { store in
            let county = try await TestCounty.make(in: store)
            for wrong in ["", "dzb", "a@b@c.cn", "dzb@example.gov.cn>\r\nRCPT TO:<x@evil.cn"] {
                await #expect(throws: StoreError.self) {
                    _ = try await store.addChannel(
                        unitID: county.township.id, kind: .email, target: wrong, secret: nil, by: .commandLine)
                }
            }
        }
        #expect(throws: Never.self) {
            try MailSettings.parse(url: "smtp://u:p@mail.example.gov.cn", from: "z@example.gov.cn", caFile: nil).get()
        }
        let parsed = try MailSettings.parse(url: "smtps://mail.example.gov.cn", from: "z@example.gov.cn", caFile: nil)
            .get()
        #expect(parsed.port == 465 && parsed.security == .implicitTLS && parsed.username == nil)
        if case .failure(let error) = MailSettings.parse(
            url: "http://u:secret@mail.example.gov.cn", from: "z@example.gov.cn", caFile: nil)
        {
            #expect(error.description.contains("ZHENGGAI_SMTP_URL") && !error.description.contains("secret"))
        } else {
            Issue.record("an http:// address was taken for a mail server")
        }
        if case .success = MailSettings.parse(url: "smtp://mail.example.gov.cn", from: nil, caFile: nil) {
            Issue.record("a mail server without ZHENGGAI_SMTP_FROM was taken")
        }
        // Subjects in encoded words of at most 75 characters, split between characters.
        let word = MailMessage.encodedWord(String(repeating: "整改提醒", count: 10))
        #expect(word.components(separatedBy: "\r\n ").allSatisfy { $0.count <= 75 })
        let decoded = word.components(separatedBy: "\r\n ").map {
            String(decoding: Data(base64Encoded: String($0.dropFirst(10).dropLast(2)))!, as: UTF8.self)
        }.joined()
        #expect(decoded == String(repeating: "整改提醒", count: 10))
    }
}
