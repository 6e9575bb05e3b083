import Crypto
import Foundation
import Logging
import Testing
import Vapor
import ZhenggaiCore
import ZhenggaiTestSupport

@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// A robot endpoint on loopback, started by the test: it records what it receives and can be told to fail.
actor RobotEndpoint {
    struct Received: Sendable {
        var path: String
        var query: [String: String]
        var body: Data
    }

    private(set) var received: [Received] = []
    var failuresLeft = 0

    func record(_ request: Received) -> Bool {
        received.append(request)
        if failuresLeft > 0 {
            failuresLeft -= 1
            return false
        }
        return true
    }

    func fail(next count: Int) { failuresLeft = count }

    static func with(_ body: (RobotEndpoint, String) async throws -> Void) async throws {
        let endpoint = RobotEndpoint()
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        app.http.server.configuration.hostname = "127.0.0.1"
        app.http.server.configuration.port = 0
        app.on(.POST, "robot", ":kind", body: .collect(maxSize: "1mb")) { request async throws -> Response in
            var query: [String: String] = [:]
            for item in URLComponents(string: request.url.string)?.queryItems ?? [] { query[item.name] = item.value }
            let ok = await endpoint.record(
                Received(path: request.url.path, query: query, body: Data(buffer: request.body.data ?? ByteBuffer())))
            return ok
                ? Response(status: .ok, body: .init(string: #"{"errcode":0,"errmsg":"ok"}"#))
                : Response(status: .internalServerError)
        }
        try app.server.start()
        let port = app.http.server.shared.localAddress?.port ?? 0
        do {
            try await body(endpoint, "http://127.0.0.1:\(port)/robot")
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

@Suite(.serialized) struct RemindersTests {
    static let base = "https://zhenggai.example.gov.cn"

    struct Setup {
        var store: Store
        var clock: MutableClock
        var clerk: User
        var leader: User
        var secretary: User
        var numbers: [String]
        var wecom: MessageChannel
        var dingtalk: MessageChannel
    }

    /// 青山镇 with a clerk (the 责任人), a leader and a secretary; one task 5 days before its deadline (yellow:
    /// the clerk and the leader) and one overdue (red: also the secretary), seen from 2026-09-20.
    static func with(_ body: (Setup, RobotEndpoint, String) async throws -> Void) async throws {
        let clock = MutableClock(LocalDate(year: 2026, month: 9, day: 20)!.date.addingTimeInterval(9 * 3600))
        try await RobotEndpoint.with { endpoint, address in
            try await TestStores.withStore(clock: clock) { store in
                let county = try await TestCounty.make(in: store)
                let clerk = try await county.user(store, "qs_clerk", .clerk, at: county.township)
                let leader = try await county.user(store, "qs_leader", .leader, at: county.township)
                let secretary = try await county.user(store, "qs_secretary", .secretary, at: county.township)
                let source = try await county.source(store, by: clerk)
                let clerkPerson = try #require(try await store.person(userID: clerk.id))
                var numbers: [String] = []
                for (text, deadline) in [
                    ("村级财务管理不规范，白条入账，联系电话13812345678。", LocalDate(year: 2026, month: 9, day: 25)!),
                    ("“三会一课”制度落实不到位。", LocalDate(year: 2026, month: 9, day: 10)!),
                ] {
                    let problem = try await store.createProblem(
                        NewProblem(sourceID: source.id, text: text, categoryCode: "B4"), by: AuditActor(clerk))
                    _ = try await store.createTask(
                        problemID: problem.id,
                        TaskFields(
                            measure: "整改", kind: .scheduled, leaderID: leader.id, leadUnit: "青山镇党政办",
                            assigneePersonID: clerkPerson.id, deadline: deadline),
                        by: AuditActor(clerk))
                    numbers.append(problem.number)
                }
                let wecom = try await store.addChannel(
                    unitID: county.township.id, kind: .wecom, target: "\(address)/wecom?key=abc", secret: nil,
                    by: .commandLine)
                let dingtalk = try await store.addChannel(
                    unitID: county.township.id, kind: .dingtalk, target: "\(address)/dingtalk?access_token=t",
                    secret: "SEC-test-secret", by: .commandLine)
                try await body(
                    Setup(
                        store: store, clock: clock, clerk: clerk, leader: leader, secretary: secretary,
                        numbers: numbers, wecom: wecom, dingtalk: dingtalk), endpoint, address)
            }
        }
    }

    static func run(_ setup: Setup, on day: LocalDate) async throws -> String {
        try await RemindersJob().run(
            JobContext(store: setup.store, logger: Logger(label: "test"), day: day, dayGiven: true, publicURL: base))
    }

    @Test func aWorkingSundayGetsOneMessageAHolidayNone() async throws {
        try await Self.with { setup, endpoint, _ in
            // 2026-10-01, 国庆节: nothing composed, nothing sent.
            let holiday = try await Self.run(setup, on: LocalDate(year: 2026, month: 10, day: 1)!)
            #expect(holiday.contains("不是工作日"))
            // An ordinary Sunday before it: nothing either.
            _ = try await Self.run(setup, on: LocalDate(year: 2026, month: 9, day: 13)!)
            #expect(await endpoint.received.isEmpty)
            #expect(try await setup.store.unreadCount(of: setup.clerk.id) == 0)

            // 2026-09-20 is a Sunday worked for 国庆 (调休): one message per robot, one digest per person.
            let day = LocalDate(year: 2026, month: 9, day: 20)!
            let summary = try await Self.run(setup, on: day)
            #expect(summary.contains("发送成功 2 条"), "\(summary)")
            let received = await endpoint.received
            #expect(received.count == 2)
            let wecom = try #require(received.first { $0.path.hasSuffix("/wecom") })
            let json = try #require(try JSONSerialization.jsonObject(with: wecom.body) as? [String: Any])
            #expect(json["msgtype"] as? String == "markdown")
            let content = try #require((json["markdown"] as? [String: Any])?["content"] as? String)
            #expect(content.utf8.count <= 4_096)
            for number in setup.numbers { #expect(content.contains(number)) }
            #expect(content.contains("\(Self.base)/problems/"))
            #expect(content.contains("逾期 10 天") && content.contains("剩 5 天"))
            #expect(!content.contains("13812345678"))  // phone numbers never leave in a message

            // 钉钉: title and text, signed as 钉钉 documents it.
            let dingtalk = try #require(received.first { $0.path.hasSuffix("/dingtalk") })
            let dingJSON = try #require(try JSONSerialization.jsonObject(with: dingtalk.body) as? [String: Any])
            let markdown = try #require(dingJSON["markdown"] as? [String: Any])
            #expect((markdown["title"] as? String)?.hasPrefix("青山镇整改提醒") == true)
            let timestamp = try #require(dingtalk.query["timestamp"])
            let key = SymmetricKey(data: Data("SEC-test-secret".utf8))
            let expected = Data(
                HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\nSEC-test-secret".utf8), using: key)
            ).base64EncodedString()
            #expect(dingtalk.query["sign"] == expected)
            #expect(dingtalk.query["access_token"] == "t")

            // The inbox: the clerk (责任人) and the leader get a digest; the secretary too (one item is red).
            for user in [setup.clerk, setup.leader, setup.secretary] {
                #expect(try await setup.store.unreadCount(of: user.id) == 1, "\(user.username)")
            }
            let inbox = try await setup.store.notifications(of: setup.secretary.id)
            #expect(inbox.first?.body.contains(setup.numbers[1]) == true)
            #expect(inbox.first?.body.contains(setup.numbers[0]) == false)  // yellow items are not the secretary's

            // Again the same day, and twice at once: nothing new anywhere.
            async let first = Self.run(setup, on: day)
            async let second = Self.run(setup, on: day)
            _ = try await (first, second)
            #expect(await endpoint.received.count == 2)
            #expect(try await setup.store.unreadCount(of: setup.clerk.id) == 1)
            #expect(try await setup.store.deliveries(of: setup.wecom.id).count == 1)
        }
    }

    @Test func aFailedSendIsRetriedWithBackOffAndLogged() async throws {
        try await Self.with { setup, endpoint, _ in
            try await setup.store.setChannelActive(setup.dingtalk.id, false, by: .commandLine)
            await endpoint.fail(next: 2)
            let day = LocalDate(year: 2026, month: 9, day: 21)!
            _ = try await Self.run(setup, on: day)
            var log = try await setup.store.deliveries(of: setup.wecom.id)
            #expect(log.map(\.status) == [.pending] && log.first?.attempts == 1)
            #expect(log.first?.lastError == "HTTP 500")
            // Not before its time: a run 30 s later sends nothing.
            setup.clock.advance(by: 30)
            _ = try await Self.run(setup, on: day)
            #expect(await endpoint.received.count == 1)
            setup.clock.advance(by: 31)
            _ = try await Self.run(setup, on: day)
            #expect(await endpoint.received.count == 2)
            setup.clock.advance(by: 121)
            _ = try await Self.run(setup, on: day)
            log = try await setup.store.deliveries(of: setup.wecom.id)
            #expect(log.map(\.status) == [.sent] && log.first?.attempts == 3)
            #expect(await endpoint.received.count == 3)
        }
    }

    @Test func aLongListIsShortenedWholeLinesOnly() {
        let items = (1...300).map {
            "- XC2026-03-01-\(String(format: "%03d", $0)) 村级财务管理不规范，部分村存在白条入账现象…｜时限 2026年9月10日，逾期 10 天｜青山镇党政办"
        }
        let text = RobotMessage.fit(header: ["### 青山镇整改提醒"], items: items, footer: ["请今日内报送进展。"])
        #expect(text.utf8.count <= RobotMessage.maxBytes)
        #expect(text.hasSuffix("请今日内报送进展。"))
        let lines = text.split(separator: "\n")
        #expect(lines.dropLast().last?.hasPrefix("……另有 ") == true)
        #expect(lines.filter { $0.hasPrefix("- ") }.allSatisfy { items.contains(String($0)) })
    }
}
