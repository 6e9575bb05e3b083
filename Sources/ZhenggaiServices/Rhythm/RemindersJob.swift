public import Foundation
import Logging
public import ZhenggaiCore
public import ZhenggaiStore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Each working morning: one digest per person in their inbox and one message per configured group robot,
/// listing the overdue and nearly-due items they answer for, with links; then the queued messages are
/// sent, with retries. Safe to run again for the same day and from two app servers at once: inbox
/// messages and deliveries are keyed by person or channel and day.
public struct RemindersJob: Job {
    public init() {}
    public var name: String { "reminders" }
    public var label: String { "每个工作日上午发送整改提醒（站内信、企业微信、钉钉、电子邮件）" }
    /// Often enough that a failed send is retried within minutes; the day's digest is made once.
    public var interval: TimeInterval { 600 }

    /// Attempts before a message is given up (back-off 1, 2, 4, 8, 16 minutes between them).
    public static let maxAttempts = 6

    public func run(_ context: JobContext) async throws -> String {
        let composed = try await Reminders.compose(context)
        let sent = try await Reminders.deliver(context)
        return composed + "；" + sent
    }
}

public enum Reminders {
    struct Item {
        var task: OpenTask
        var daysLeft: Int
    }

    /// The day's digests, unless the day is not a working day or the county's hour has not come.
    static func compose(_ context: JobContext) async throws -> String {
        let store = context.store
        let day = context.day
        let calendar = try await store.calendar()
        guard calendar.isWorkday(day) else {
            return "\(day.chinese)不是工作日（\(calendar.describe(day).name ?? "周末")），不发送提醒"
        }
        if !calendar.covers(year: day.year) {
            context.logger.warning(
                "working-day calendar has no data for this year", metadata: ["year": .string(String(day.year))])
        }
        var settingsCache: [String: RhythmSettings] = [:]
        func settings(_ unitPath: String) async throws -> RhythmSettings {
            // Settings live at the county (the first unit of the path) in practice: cache per top unit.
            let top = unitPath.split(separator: "/").first.map { "/\($0)/" } ?? unitPath
            if let cached = settingsCache[top] { return cached }
            let found = try await store.rhythmSettings(at: unitPath).settings
            settingsCache[top] = found
            return found
        }
        let hour = Calendar.chinaHour(store.clock.now())
        let horizon = day.adding(days: 400)
        var items: [Item] = []
        for task in try await store.openTasks(dueBy: horizon) {
            let rules = try await settings(task.unitPath)
            if !context.dayGiven && day == store.clock.today() && hour < rules.digestHour { continue }
            let left = rules.daysLeft(until: task.deadline, today: day, calendar: calendar)
            guard rules.audience(daysLeft: left) != nil else { continue }
            items.append(Item(task: task, daysLeft: left))
        }
        // People: the 责任人 (or, without one in the system, the unit's clerks), then the 责任领导 and the
        // unit's secretary as the colour requires.
        let grants = try await store.activeGrants()
        func nearest(_ role: Role, above path: String) -> [UUID] {
            let holders = grants.filter { $0.role == role && path.hasPrefix($0.unitPath) }
            guard let deepest = holders.map(\.unitPath.count).max() else { return [] }
            return holders.filter { $0.unitPath.count == deepest }.map(\.userID)
        }
        var perPerson: [UUID: [Item]] = [:]
        for item in items {
            let rules = try await settings(item.task.unitPath)
            guard let audience = rules.audience(daysLeft: item.daysLeft) else { continue }
            var people = Set<UUID>()
            if let assignee = item.task.assigneeUserID {
                people.insert(assignee)
            } else {
                people.formUnion(nearest(.clerk, above: item.task.unitPath))
            }
            if audience >= .leader, let leader = item.task.leaderUserID { people.insert(leader) }
            if audience >= .secretary { people.formUnion(nearest(.secretary, above: item.task.unitPath)) }
            for person in people { perPerson[person, default: []].append(item) }
        }
        var inbox = 0
        for (person, list) in perPerson {
            let message = digest(list, day: day, heading: "今日整改提醒", base: context.publicURL, markdown: false)
            if try await store.notify(
                userID: person, day: day, kind: "digest", title: message.title, body: message.text,
                link: "/ledger?mine=1&sort=deadline", dedupeKey: "digest:\(person.uuidString):\(day.iso)")
            {
                inbox += 1
            }
        }
        // 催办: appeals past their answer date, to the department's secretaries and clerks.
        var pressedAppeals = 0
        let lateAppeals = try await store.appeals(in: .everything, limit: 100_000).filter {
            $0.status == .dispatched && ($0.dueOn.map { $0 < day } ?? false)
        }
        var appealsPerPerson: [UUID: [Appeal]] = [:]
        for appeal in lateAppeals {
            guard let path = try await store.appealPaths(appeal.id).department else { continue }
            for person in nearest(.secretary, above: path) + nearest(.clerk, above: path) {
                appealsPerPerson[person, default: []].append(appeal)
            }
        }
        for (person, list) in appealsPerPerson {
            let lines = list.sorted { $0.number < $1.number }.map {
                "\($0.number) \($0.kind.label)：\(Redaction.phoneNumbers(in: String($0.text.prefix(30))))…｜"
                    + "应于\($0.dueOn?.chinese ?? "")前答复，已超期"
            }
            if try await store.notify(
                userID: person, day: day, kind: "appeal", title: "群众诉求催办：\(list.count) 件已超期",
                body: RobotMessage.fit(header: ["以下群众诉求已超过答复期限，请尽快办理答复："], items: lines, footer: []),
                link: "/appeals", dedupeKey: "appeals:\(person.uuidString):\(day.iso)")
            {
                pressedAppeals += 1
            }
        }
        var queued = 0
        for channel in try await store.channels(in: .everything) where channel.active {
            let list = items.filter { $0.task.unitPath.hasPrefix(channel.unitPath) }
            guard !list.isEmpty else { continue }
            let message = digest(
                list, day: day, heading: "\(channel.unitName)整改提醒", base: context.publicURL, markdown: true)
            let payload = RobotMessage.payload(kind: channel.kind, title: message.title, text: message.text)
            if try await store.enqueueDelivery(channelID: channel.id, dedupeKey: "digest:\(day.iso)", payload: payload)
            {
                queued += 1
            }
        }
        return "\(day.chinese)：提醒事项 \(items.count) 项，站内信 \(inbox) 人，诉求催办 \(pressedAppeals) 人，群消息 \(queued) 条待发"
    }

    /// One digest: overdue first, then by deadline; each line names the problem number and links to it.
    static func digest(_ items: [Item], day: LocalDate, heading: String, base: String?, markdown: Bool) -> (
        title: String, text: String
    ) {
        let sorted = items.sorted { ($0.daysLeft, $0.task.number) < ($1.daysLeft, $1.task.number) }
        let overdue = sorted.filter { $0.daysLeft < 0 }
        let soon = sorted.filter { $0.daysLeft >= 0 }
        let title = "\(heading)：逾期 \(overdue.count) 项，临近时限 \(soon.count) 项"
        func line(_ item: Item) -> String {
            let task = item.task
            let excerpt = Redaction.phoneNumbers(in: String(task.problemText.prefix(28)))
                .replacingOccurrences(of: "\n", with: " ")
            let when =
                item.daysLeft < 0
                ? "时限 \(task.deadline.chinese)，逾期 \(-item.daysLeft) 天"
                : "时限 \(task.deadline.chinese)，剩 \(item.daysLeft) 天"
            let number =
                markdown
                ? (base.map { "[\(task.number)](\($0)/problems/\(task.problemID.uuidString))" } ?? task.number)
                : task.number
            return "- \(number) \(excerpt)…｜\(when)｜\(task.leadUnit)"
        }
        var header = [markdown ? "### \(heading) \(day.chinese)" : "\(heading)（\(day.chinese)）"]
        header.append(
            markdown
                ? "> 逾期 **\(overdue.count)** 项，临近时限 **\(soon.count)** 项" : "逾期 \(overdue.count) 项，临近时限 \(soon.count) 项")
        var lines: [String] = []
        if !overdue.isEmpty { lines.append(markdown ? "**已逾期**" : "已逾期：") }
        lines += overdue.map(line)
        if !soon.isEmpty { lines.append(markdown ? "**临近时限**" : "临近时限：") }
        lines += soon.map(line)
        var footer = ["请今日内在系统中报送整改进展；已完成的请申请销号，确有困难的说明原因。"]
        if markdown, let base { footer.append("[打开整改台账](\(base)/ledger?sort=deadline)") }
        return (title, RobotMessage.fit(header: header, items: lines, footer: footer))
    }

    /// Sends what is queued and due; a failure waits 1, 2, 4, 8, 16 minutes, then is given up and logged.
    static func deliver(_ context: JobContext, limit: Int = 200) async throws -> String {
        let store = context.store
        var sent = 0
        var failed = 0
        for _ in 0..<limit {
            guard let delivery = try await store.claimDelivery() else { break }
            let channel = try await store.channel(delivery.channelID)
            let outcome = await send(delivery, to: channel, at: store.clock.now(), mail: context.mail)
            switch outcome {
            case .success:
                try await store.finishDelivery(delivery.id, sent: true, error: nil, retryAt: nil)
                sent += 1
            case .failure(let message):
                let retry =
                    delivery.attempts < RemindersJob.maxAttempts
                    ? store.clock.now().addingTimeInterval(60 * pow(2, Double(delivery.attempts - 1))) : nil
                try await store.finishDelivery(delivery.id, sent: false, error: message, retryAt: retry)
                failed += 1
                context.logger.warning(
                    "message not delivered",
                    metadata: [
                        "channel": .string(channel.id.uuidString), "attempt": .string(String(delivery.attempts)),
                        "error": .string(message),
                    ])
            }
        }
        return "发送成功 \(sent) 条，失败 \(failed) 条"
    }

    enum SendOutcome: Equatable {
        case success
        case failure(String)
    }

    /// One POST to the robot (a 200 with `errcode` 0, or none, is a success), or one message handed to the
    /// mail server.
    static func send(_ delivery: Delivery, to channel: MessageChannel, at date: Date, mail: MailSettings?) async
        -> SendOutcome
    {
        let payload = delivery.payload
        if channel.kind == .email {
            guard let mail else { return .failure("未配置邮件服务器（ZHENGGAI_SMTP_URL、ZHENGGAI_SMTP_FROM）") }
            guard let content = RobotMessage.mail(payload) else { return .failure("待发邮件内容无法读取") }
            let message = MailMessage(
                from: mail.from, to: channel.target.components(separatedBy: ", "), subject: content.subject,
                text: content.text, messageID: "\(delivery.id.uuidString.lowercased())@zhenggai", date: date)
            do {
                try await SMTPClient.send(message, with: mail)
                return .success
            } catch {
                return .failure(error.description)
            }
        }
        let address =
            channel.kind == .dingtalk && channel.secret != nil
            ? RobotMessage.signedURL(channel.target, secret: channel.secret!, at: date) : channel.target
        guard let url = URL(string: address) else { return .failure("地址无效") }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(payload.utf8)
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard status == 200 else { return .failure("HTTP \(status)") }
            if let body = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let code = body["errcode"] as? Int, code != 0
            {
                return .failure("errcode \(code)：\(body["errmsg"] as? String ?? "")")
            }
            return .success
        } catch {
            return .failure(error.localizedDescription)
        }
    }
}

extension Calendar {
    /// The hour in China, whatever the server's zone.
    static func chinaHour(_ date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDate.timeZone
        return calendar.component(.hour, from: date)
    }
}

extension Reminders {
    /// A test message to one channel, sent now (the admin waits for the answer, at most a few seconds).
    public static func test(_ channel: MessageChannel, store: Store, by name: String, mail: MailSettings?)
        async throws
    {
        let text =
            "### 整改系统测试消息\n> \(name) 于 \(LocalDate.chineseTime(store.clock.now())) 发送\n收到此消息，说明\(channel.unitName)的提醒渠道设置正确。"
        let payload = RobotMessage.payload(kind: channel.kind, title: "整改系统测试消息", text: text)
        try await store.enqueueDelivery(channelID: channel.id, dedupeKey: "test:\(UUID().uuidString)", payload: payload)
        _ = try await deliver(
            JobContext(store: store, logger: Logger(label: "reminders"), day: store.clock.today(), mail: mail))
    }
}
