import Crypto
public import Foundation
import SQLKit
public import ZhenggaiCore

/// A link the unit posts in the village's WeChat group. The address carries its own signature, so a link
/// cannot be made up or moved to another publication, and the clerk can show it again at any time without
/// the system keeping it; revoking or reaching the end date closes it.
public struct RatingLink: Sendable, Equatable {
    public var id: UUID
    public var publicationID: UUID
    public var label: String
    public var issuedByName: String
    public var issuedAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    /// What goes after `?link=` in the address.
    public var token: String
    /// How many browsers (or verified phones) took a code from it.
    public var raters: Int

    public func isOpen(at now: Date) -> Bool { revokedAt == nil && now < expiresAt }
}

public enum RatingLinkRefusal: Error, Equatable, Sendable {
    case invalid, closed, notOpen, wrongPhone, wrongCode, tooManyCodes

    public var userMessage: String {
        switch self {
        case .invalid: "评价链接不完整或已被改动，请从村（社区）群里重新打开。"
        case .closed: "这个评价链接已过期或已停用，请向村（社区）索取新的链接或评价码。"
        case .notOpen: "这份公开内容已更正或撤回，请对最新版本评价。"
        case .wrongPhone: "请输入 11 位手机号码。"
        case .wrongCode: "验证码不正确或已过期（10 分钟内有效），请重新获取。"
        case .tooManyCodes: "这个手机号获取验证码过于频繁，请稍后再试。"
        }
    }
}

extension Store {
    /// The key that signs rating links and hashes mobile numbers.
    func ratingKey(on database: any SQLDatabase) async throws -> SymmetricKey {
        guard
            let text = try await database.raw("SELECT key FROM signing_keys WHERE name = 'ratings'").first()?
                .decode(column: "key", as: String.self),
            let data = Data(base64Encoded: text)
        else { throw StoreError.notFound(what: "签名密钥") }
        return SymmetricKey(data: data)
    }

    static func signature(_ text: String, key: SymmetricKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)).prefix(16).hexString
    }

    static func linkToken(id: UUID, publicationID: UUID, expiresAt: Date, key: SymmetricKey) -> String {
        let signed = "rating-link|\(publicationID.uuidString)|\(id.uuidString)|\(Int(expiresAt.timeIntervalSince1970))"
        return id.uuidString.lowercased() + "." + signature(signed, key: key)
    }

    /// A group link open until the end of `lastDay` (China time), for a published version only.
    public func issueRatingLink(publicationID: UUID, label raw: String, lastDay: LocalDate, by actor: AuditActor)
        async throws -> RatingLink
    {
        let label = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...40).contains(label.count) else {
            throw StoreError.invalid(field: "发往", message: "请写明发往哪个群（例如「青山村村民群」），不超过 40 字。")
        }
        let today = clock.today()
        guard today <= lastDay, lastDay <= today.adding(days: 366) else {
            throw StoreError.invalid(field: "有效期", message: "有效期应在今天到一年之内。")
        }
        let id = ids.next()
        // Midnight in China after the last day (`LocalDate.date` is noon).
        let expiresAt = lastDay.adding(days: 1).date.addingTimeInterval(-12 * 3_600)
        try await write(actor) { tx in
            let publication = try await self.publication(publicationID, on: tx.sql)
            guard publication.status == .published else {
                throw StoreError.invalid(field: "评价链接", message: "只有已公开的版本才能发放评价链接。")
            }
            try await tx.sql.raw(
                """
                INSERT INTO rating_links (id, publication_id, label, issued_by_name, issued_at, expires_at)
                VALUES (\(bind: id), \(bind: publicationID), \(bind: label), \(bind: actor.name),
                  \(bind: tx.now.timeIntervalSince1970), \(bind: expiresAt.timeIntervalSince1970))
                """
            ).run()
            try await tx.record(
                "publication.link", entity: "publication", id: publicationID.uuidString,
                unitPath: publication.unitPath, before: nil, after: ["link": label, "until": lastDay.iso])
        }
        guard let link = try await ratingLinks(publicationID: publicationID).first(where: { $0.id == id }) else {
            throw StoreError.notFound(what: "评价链接")
        }
        return link
    }

    public func ratingLinks(publicationID: UUID) async throws -> [RatingLink] {
        let key = try await ratingKey(on: sql)
        return try await sql.raw(
            """
            SELECT l.id, l.label, l.issued_by_name, l.issued_at, l.expires_at, l.revoked_at,
              (SELECT COUNT(*) FROM rating_codes c WHERE c.link_id = l.id) AS raters
            FROM rating_links l WHERE l.publication_id = \(bind: publicationID) ORDER BY l.issued_at
            """
        ).all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let expiresAt = Date(timeIntervalSince1970: try row.decode(column: "expires_at", as: Double.self))
            return RatingLink(
                id: id, publicationID: publicationID, label: try row.decode(column: "label", as: String.self),
                issuedByName: try row.decode(column: "issued_by_name", as: String.self),
                issuedAt: Date(timeIntervalSince1970: try row.decode(column: "issued_at", as: Double.self)),
                expiresAt: expiresAt,
                revokedAt: try row.decode(column: "revoked_at", as: Double?.self).map(
                    Date.init(timeIntervalSince1970:)),
                token: Self.linkToken(id: id, publicationID: publicationID, expiresAt: expiresAt, key: key),
                raters: try row.decode(column: "raters", as: Int.self))
        }
    }

    public func revokeRatingLink(_ id: UUID, publicationID: UUID, by actor: AuditActor) async throws {
        try await write(actor) { tx in
            let publication = try await self.publication(publicationID, on: tx.sql)
            try await tx.sql.raw(
                """
                UPDATE rating_links SET revoked_at = \(bind: tx.now.timeIntervalSince1970)
                WHERE id = \(bind: id) AND publication_id = \(bind: publicationID) AND revoked_at IS NULL
                """
            ).run()
            try await tx.record(
                "publication.link.revoke", entity: "publication", id: publicationID.uuidString,
                unitPath: publication.unitPath, before: nil, after: ["link": id.uuidString])
        }
    }

    /// The open link a token names, or why not. The signature is checked before anything is read.
    public func ratingLink(publicationID: UUID, token: String) async throws -> Result<RatingLink, RatingLinkRefusal> {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let id = UUID(uuidString: String(parts[0])),
            let link = try await ratingLinks(publicationID: publicationID).first(where: { $0.id == id })
        else { return .failure(.invalid) }
        // Compared in constant time: the token is a secret of the group it was posted to.
        guard Data(link.token.utf8).count == token.utf8.count,
            zip(link.token.utf8, token.lowercased().utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else { return .failure(.invalid) }
        guard link.isOpen(at: clock.now()) else { return .failure(.closed) }
        guard try await publication(publicationID).status == .published else { return .failure(.notOpen) }
        return .success(link)
    }

    /// A new rating code for one browser that opened a group link, counted against the link.
    public func raterCode(for link: RatingLink) async throws -> String {
        let code = Self.newRatingCode()
        try await sql.raw(
            """
            INSERT INTO rating_codes (code_hash, publication_id, issued_by_name, issued_at, link_id)
            VALUES (\(bind: Self.hash(code)), \(bind: link.publicationID), \(bind: "群链接：" + link.label),
              \(bind: clock.now().timeIntervalSince1970), \(bind: link.id))
            """
        ).run()
        return code
    }

    public func ratingCodeExists(_ code: String, publicationID: UUID) async throws -> Bool {
        try await sql.raw(
            """
            SELECT code_hash FROM rating_codes
            WHERE code_hash = \(bind: Self.hash(code.uppercased().trimmingCharacters(in: .whitespaces)))
              AND publication_id = \(bind: publicationID)
            """
        ).first() != nil
    }

    static func newRatingCode() -> String {
        let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
        var generator = SystemRandomNumberGenerator()
        return String((0..<10).map { _ in alphabet.randomElement(using: &generator)! })
    }

    // MARK: SMS verification

    /// Starts a verification: answers the six digits to send, or why not. A number gets at most one code a
    /// minute and five a day; the number itself is never stored, only its keyed hash.
    public func startPhoneCheck(link: RatingLink, phone raw: String) async throws
        -> Result<String, RatingLinkRefusal>
    {
        let phone = raw.filter(\.isNumber)
        guard phone.count == 11, phone.hasPrefix("1") else { return .failure(.wrongPhone) }
        let key = try await ratingKey(on: sql)
        let phoneHash = Self.signature("phone|" + phone, key: key)
        let now = clock.now().timeIntervalSince1970
        let recent = try await sql.raw(
            """
            SELECT created_at FROM sms_challenges WHERE phone_hash = \(bind: phoneHash) AND created_at > \(bind: now - 86_400)
            """
        ).all().map { try $0.decode(column: "created_at", as: Double.self) }
        guard recent.count < 5, !recent.contains(where: { $0 > now - 60 }) else { return .failure(.tooManyCodes) }
        var generator = SystemRandomNumberGenerator()
        let digits = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        try await sql.raw(
            """
            INSERT INTO sms_challenges (id, publication_id, phone_hash, code_hash, created_at, attempts)
            VALUES (\(bind: ids.next()), \(bind: link.publicationID), \(bind: phoneHash),
              \(bind: Self.signature("sms|" + digits, key: key)), \(bind: now), 0)
            """
        ).run()
        return .success(digits)
    }

    /// Checks the six digits (ten minutes, five tries) and answers the number's rating code for this
    /// publication: the same code every time, so one person rates an item once a period however often they
    /// verify.
    public func finishPhoneCheck(link: RatingLink, phone raw: String, digits raw2: String) async throws
        -> Result<String, RatingLinkRefusal>
    {
        let phone = raw.filter(\.isNumber)
        let digits = raw2.filter(\.isNumber)
        guard phone.count == 11 else { return .failure(.wrongPhone) }
        let key = try await ratingKey(on: sql)
        let phoneHash = Self.signature("phone|" + phone, key: key)
        let now = clock.now().timeIntervalSince1970
        guard
            let row = try await sql.raw(
                """
                SELECT id, code_hash, attempts FROM sms_challenges
                WHERE phone_hash = \(bind: phoneHash) AND publication_id = \(bind: link.publicationID)
                  AND created_at > \(bind: now - 600)
                ORDER BY created_at DESC LIMIT 1
                """
            ).first()
        else { return .failure(.wrongCode) }
        let challenge = try row.decode(column: "id", as: UUID.self)
        guard try row.decode(column: "attempts", as: Int.self) < 5 else { return .failure(.wrongCode) }
        try await sql.raw("UPDATE sms_challenges SET attempts = attempts + 1 WHERE id = \(bind: challenge)").run()
        guard try row.decode(column: "code_hash", as: String.self) == Self.signature("sms|" + digits, key: key) else {
            return .failure(.wrongCode)
        }
        try await sql.raw("UPDATE sms_challenges SET attempts = 5 WHERE id = \(bind: challenge)").run()
        let alphabet = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ")
        let code = String(
            Data(HMAC<SHA256>.authenticationCode(for: Data("rater|\(link.publicationID)|\(phone)".utf8), using: key))
                .prefix(10).map { alphabet[Int($0) % alphabet.count] })
        try await sql.raw(
            """
            INSERT INTO rating_codes (code_hash, publication_id, issued_by_name, issued_at, link_id, phone_hash)
            VALUES (\(bind: Self.hash(code)), \(bind: link.publicationID), \(bind: "短信验证：" + link.label),
              \(bind: now), \(bind: link.id), \(bind: phoneHash))
            ON CONFLICT (code_hash) DO NOTHING
            """
        ).run()
        return .success(code)
    }
}
