public import Foundation
import SQLKit
public import ZhenggaiCore

/// An open task with a deadline, with what a reminder needs to say and whom to tell.
public struct OpenTask: Sendable, Equatable {
    public var taskID: UUID
    public var problemID: UUID
    public var number: String
    public var problemText: String
    public var measure: String
    public var unitPath: String
    public var unitName: String
    public var leadUnit: String
    public var deadline: LocalDate
    public var leaderUserID: UUID?
    public var assigneeUserID: UUID?
    /// The day of the latest progress entry on the problem, if any.
    public var lastProgress: LocalDate?
}

public struct InboxMessage: Sendable, Equatable {
    public var id: UUID
    public var day: LocalDate
    public var kind: String
    public var title: String
    public var body: String
    public var link: String
    public var createdAt: Date
    public var read: Bool
}

/// Where messages for a unit go: a 企业微信 or 钉钉 group robot (`target` is its webhook), or e-mail through
/// the county's mail server (`target` is the list of recipients).
public struct MessageChannel: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case wecom, dingtalk, email

        public var label: String {
            switch self {
            case .wecom: "企业微信群机器人"
            case .dingtalk: "钉钉群机器人"
            case .email: "电子邮件"
            }
        }
    }

    public var id: UUID
    public var unitID: UUID
    public var unitPath: String
    public var unitName: String
    public var kind: Kind
    public var target: String
    public var secret: String?
    public var active: Bool

    /// What an admin is shown: the robot's host (the rest of a webhook is its key) or the recipients.
    public var destination: String {
        kind == .email ? target : URL(string: target)?.host ?? ""
    }
}

public struct Delivery: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pending, sending, sent, failed
    }

    public var id: UUID
    public var channelID: UUID
    public var dedupeKey: String
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var payload: String
    public var createdAt: Date
    public var sentAt: Date?
}

extension Store {
    /// Unfinished tasks of unfinished problems with a deadline on or before `horizon`, every unit (the
    /// reminder job's one read; the caller groups by person and unit).
    public func openTasks(dueBy horizon: LocalDate) async throws -> [OpenTask] {
        let statuses = Self.unfinishedStatuses.map(\.rawValue)
        let rows = try await sql.raw(
            """
            SELECT t.id AS task_id, p.id AS problem_id, p.number, p.text, t.measure, p.unit_path, u.name AS unit_name,
              t.lead_unit, t.deadline, t.leader_id, pe.user_id AS assignee_user_id,
              (SELECT MAX(g.on_date) FROM progress_entries g WHERE g.problem_id = p.id AND g.withdrawn_at IS NULL)
                AS last_progress
            FROM tasks t
            JOIN problems p ON p.id = t.problem_id
            JOIN units u ON u.id = p.unit_id
            LEFT JOIN people pe ON pe.id = t.assignee_person_id
            WHERE t.status <> 'completed' AND t.kind <> 'ongoing' AND t.withdrawn_at IS NULL
              AND p.withdrawn_at IS NULL AND p.status IN (\(binds: statuses))
              AND t.deadline IS NOT NULL AND t.deadline <= \(bind: horizon.iso)
            ORDER BY t.deadline, p.number
            """
        ).all()
        return try rows.compactMap { row in
            guard let deadline = LocalDate(iso: try row.decode(column: "deadline", as: String.self)) else { return nil }
            return OpenTask(
                taskID: try row.decode(column: "task_id", as: UUID.self),
                problemID: try row.decode(column: "problem_id", as: UUID.self),
                number: try row.decode(column: "number", as: String.self),
                problemText: try row.decode(column: "text", as: String.self),
                measure: try row.decode(column: "measure", as: String.self),
                unitPath: try row.decode(column: "unit_path", as: String.self),
                unitName: try row.decode(column: "unit_name", as: String.self),
                leadUnit: try row.decode(column: "lead_unit", as: String.self),
                deadline: deadline,
                leaderUserID: try row.decode(column: "leader_id", as: UUID?.self),
                assigneeUserID: try row.decode(column: "assignee_user_id", as: UUID?.self),
                lastProgress: try row.decode(column: "last_progress", as: String?.self).flatMap(LocalDate.init(iso:)))
        }
    }

    /// Active users' grants, for finding a unit's secretary and clerks.
    public func activeGrants() async throws -> [(userID: UUID, role: Role, unitPath: String)] {
        try await sql.raw(
            """
            SELECT g.user_id, g.role, u.path FROM role_grants g JOIN users s ON s.id = g.user_id
            JOIN units u ON u.id = g.unit_id WHERE s.active = \(bind: true)
            """
        ).all().compactMap { row in
            guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
            return (
                try row.decode(column: "user_id", as: UUID.self), role, try row.decode(column: "path", as: String.self)
            )
        }
    }

    // MARK: The inbox

    /// Adds a message to a person's inbox unless one with the same key is there (a job run twice adds
    /// nothing). Answers whether it was added.
    @discardableResult
    public func notify(
        userID: UUID, day: LocalDate, kind: String, title: String, body: String, link: String, dedupeKey: String
    ) async throws -> Bool {
        let row = try await sql.raw(
            """
            INSERT INTO notifications (id, user_id, day, kind, title, body, link, created_at, dedupe_key)
            VALUES (\(bind: ids.next()), \(bind: userID), \(bind: day.iso), \(bind: kind), \(bind: String(title.prefix(200))),
              \(bind: String(body.prefix(20_000))), \(bind: link), \(bind: clock.now().timeIntervalSince1970), \(bind: dedupeKey))
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id
            """
        ).first()
        return row != nil
    }

    public func notifications(of userID: UUID, limit: Int = 50) async throws -> [InboxMessage] {
        try await sql.raw(
            """
            SELECT id, day, kind, title, body, link, created_at, read_at FROM notifications
            WHERE user_id = \(bind: userID) ORDER BY created_at DESC, id LIMIT \(bind: limit)
            """
        ).all().compactMap { row in
            guard let day = LocalDate(iso: try row.decode(column: "day", as: String.self)) else { return nil }
            return InboxMessage(
                id: try row.decode(column: "id", as: UUID.self), day: day,
                kind: try row.decode(column: "kind", as: String.self),
                title: try row.decode(column: "title", as: String.self),
                body: try row.decode(column: "body", as: String.self),
                link: try row.decode(column: "link", as: String.self),
                createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
                read: try row.decode(column: "read_at", as: Double?.self) != nil)
        }
    }

    public func unreadCount(of userID: UUID) async throws -> Int {
        try await sql.raw(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Marks one message (or, without an id, all of them) read; only the owner's.
    public func markRead(_ id: UUID?, of userID: UUID) async throws {
        let now = clock.now().timeIntervalSince1970
        if let id {
            try await sql.raw(
                "UPDATE notifications SET read_at = \(bind: now) WHERE id = \(bind: id) AND user_id = \(bind: userID) AND read_at IS NULL"
            ).run()
        } else {
            try await sql.raw(
                "UPDATE notifications SET read_at = \(bind: now) WHERE user_id = \(bind: userID) AND read_at IS NULL"
            ).run()
        }
    }

    // MARK: Channels

    public func addChannel(
        unitID: UUID, kind: MessageChannel.Kind, target: String, secret: String?, by actor: AuditActor
    )
        async throws -> MessageChannel
    {
        let address: String
        let audited: [String: String]
        if kind == .email {
            let recipients = target.split(whereSeparator: { ",;，；、 \n\t".contains($0) }).map(String.init)
            guard !recipients.isEmpty, recipients.count <= 20 else {
                throw StoreError.invalid(field: "收件地址", message: "请填写 1 到 20 个邮箱地址，以逗号分隔。")
            }
            if let wrong = recipients.first(where: { !Self.isMailAddress($0) }) {
                throw StoreError.invalid(field: "收件地址", message: "“\(wrong.prefix(60))”不是有效的邮箱地址。")
            }
            address = recipients.joined(separator: ", ")
            audited = ["to": address]
        } else {
            address = target.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let url = URL(string: address), url.scheme == "https" || url.scheme == "http", url.host != nil,
                address.count <= 500
            else {
                throw StoreError.invalid(field: "地址", message: "应为机器人的 Webhook 地址（https://…）。")
            }
            audited = ["host": url.host ?? ""]
        }
        let key = secret?.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = ids.next()
        return try await write(actor) { tx in
            guard let unit = try await UnitModel.find(unitID, on: tx.db) else { throw StoreError.notFound(what: "单位") }
            try await tx.sql.raw(
                """
                INSERT INTO channels (id, unit_id, kind, target, secret, active, created_at)
                VALUES (\(bind: id), \(bind: unitID), \(bind: kind.rawValue), \(bind: address),
                  \(bind: key?.isEmpty == false ? key : nil), \(bind: true), \(bind: tx.now.timeIntervalSince1970))
                """
            ).run()
            // The audit log keeps the kind, the unit and the recipients, not the webhook's key nor the secret.
            try await tx.record(
                "channel.add", entity: "channel", id: id.uuidString, unitPath: unit.path, before: nil,
                after: audited.merging(["kind": kind.rawValue, "unit": unit.name]) { $1 })
            return MessageChannel(
                id: id, unitID: unitID, unitPath: unit.path, unitName: unit.name, kind: kind, target: address,
                secret: key?.isEmpty == false ? key : nil, active: true)
        }
    }

    /// local@domain with no space, bracket, quote or line break (they would break the SMTP command), one @, a
    /// dotted domain; the rest is the mail server's to judge.
    public static func isMailAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), address.utf8.count <= 254,
            !address.contains(where: { $0.isWhitespace || $0.isNewline || "<>()[],;:\"\\".contains($0) })
        else { return false }
        return !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }

    public func setChannelActive(_ id: UUID, _ active: Bool, by actor: AuditActor) async throws {
        try await write(actor) { tx in
            let channel = try await self.channel(id, on: tx.sql)
            try await tx.sql.raw("UPDATE channels SET active = \(bind: active) WHERE id = \(bind: id)").run()
            try await tx.record(
                active ? "channel.activate" : "channel.deactivate", entity: "channel", id: id.uuidString,
                unitPath: channel.unitPath, before: nil, after: ["active": active ? "true" : "false"])
        }
    }

    public func channels(in scope: Scope) async throws -> [MessageChannel] {
        try await sql.raw(
            """
            SELECT c.id, c.unit_id, u.path, u.name, c.kind, c.target, c.secret, c.active
            FROM channels c JOIN units u ON u.id = c.unit_id ORDER BY u.path, c.created_at
            """
        ).all().compactMap(Self.channel).filter { scope.contains($0.unitPath) }
    }

    public func channel(_ id: UUID) async throws -> MessageChannel { try await channel(id, on: sql) }

    func channel(_ id: UUID, on database: any SQLDatabase) async throws -> MessageChannel {
        guard
            let row = try await database.raw(
                """
                SELECT c.id, c.unit_id, u.path, u.name, c.kind, c.target, c.secret, c.active
                FROM channels c JOIN units u ON u.id = c.unit_id WHERE c.id = \(bind: id)
                """
            ).first(), let channel = try Self.channel(row)
        else { throw StoreError.notFound(what: "提醒渠道") }
        return channel
    }

    static func channel(_ row: any SQLRow) throws -> MessageChannel? {
        guard let kind = MessageChannel.Kind(rawValue: try row.decode(column: "kind", as: String.self)) else {
            return nil
        }
        return MessageChannel(
            id: try row.decode(column: "id", as: UUID.self), unitID: try row.decode(column: "unit_id", as: UUID.self),
            unitPath: try row.decode(column: "path", as: String.self),
            unitName: try row.decode(column: "name", as: String.self), kind: kind,
            target: try row.decode(column: "target", as: String.self),
            secret: try row.decode(column: "secret", as: String?.self),
            active: try row.decode(column: "active", as: Bool.self))
    }

    // MARK: Deliveries

    /// Queues a message for a channel unless one with the same key is queued or sent (the same day's digest
    /// from a second run or a second app server). Answers whether it was queued.
    @discardableResult
    public func enqueueDelivery(channelID: UUID, dedupeKey: String, payload: String) async throws -> Bool {
        let now = clock.now().timeIntervalSince1970
        let row = try await sql.raw(
            """
            INSERT INTO deliveries (id, channel_id, dedupe_key, status, attempts, next_attempt_at, payload, created_at)
            VALUES (\(bind: ids.next()), \(bind: channelID), \(bind: dedupeKey), 'pending', 0, \(bind: now), \(bind: payload), \(bind: now))
            ON CONFLICT (channel_id, dedupe_key) DO NOTHING
            RETURNING id
            """
        ).first()
        return row != nil
    }

    /// Takes one due delivery for sending, in one statement, so two senders never both take it; the claim
    /// lapses after `lease` seconds (a sender that died).
    public func claimDelivery(lease: TimeInterval = 300) async throws -> Delivery? {
        let now = clock.now().timeIntervalSince1970
        guard
            let row = try await sql.raw(
                """
                SELECT id FROM deliveries WHERE status IN ('pending', 'sending') AND next_attempt_at <= \(bind: now)
                ORDER BY next_attempt_at, id LIMIT 1
                """
            ).first()
        else { return nil }
        let id = try row.decode(column: "id", as: UUID.self)
        guard
            let claimed = try await sql.raw(
                """
                UPDATE deliveries SET status = 'sending', attempts = attempts + 1, next_attempt_at = \(bind: now + lease)
                WHERE id = \(bind: id) AND status IN ('pending', 'sending') AND next_attempt_at <= \(bind: now)
                RETURNING id, channel_id, dedupe_key, status, attempts, next_attempt_at, last_error, payload, created_at, sent_at
                """
            ).first()
        else { return try await claimDelivery(lease: lease) }
        return try Self.delivery(claimed)
    }

    /// After a send: sent, or tried again at `retryAt`, or (without one) given up.
    public func finishDelivery(_ id: UUID, sent: Bool, error: String?, retryAt: Date?) async throws {
        let now = clock.now().timeIntervalSince1970
        if sent {
            try await sql.raw(
                "UPDATE deliveries SET status = 'sent', sent_at = \(bind: now), last_error = NULL WHERE id = \(bind: id)"
            ).run()
        } else {
            try await sql.raw(
                """
                UPDATE deliveries SET status = \(bind: retryAt == nil ? "failed" : "pending"),
                  next_attempt_at = \(bind: retryAt?.timeIntervalSince1970 ?? now), last_error = \(bind: String((error ?? "").prefix(1_000)))
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    public func deliveries(of channelID: UUID, limit: Int = 50) async throws -> [Delivery] {
        try await sql.raw(
            """
            SELECT id, channel_id, dedupe_key, status, attempts, next_attempt_at, last_error, payload, created_at, sent_at
            FROM deliveries WHERE channel_id = \(bind: channelID) ORDER BY created_at DESC, id LIMIT \(bind: limit)
            """
        ).all().compactMap(Self.delivery)
    }

    static func delivery(_ row: any SQLRow) throws -> Delivery? {
        guard let status = Delivery.Status(rawValue: try row.decode(column: "status", as: String.self)) else {
            return nil
        }
        return Delivery(
            id: try row.decode(column: "id", as: UUID.self),
            channelID: try row.decode(column: "channel_id", as: UUID.self),
            dedupeKey: try row.decode(column: "dedupe_key", as: String.self), status: status,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: Date(timeIntervalSince1970: try row.decode(column: "next_attempt_at", as: Double.self)),
            lastError: try row.decode(column: "last_error", as: String?.self),
            payload: try row.decode(column: "payload", as: String.self),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
            sentAt: try row.decode(column: "sent_at", as: Double?.self).map { Date(timeIntervalSince1970: $0) })
    }
}
