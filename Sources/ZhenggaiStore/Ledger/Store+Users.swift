import Crypto
import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

/// A session as the server sees it: the user, and the CSRF token cookie-authenticated writes must echo.
public struct SessionInfo: Sendable {
    public var id: UUID
    public var user: User
    public var csrfToken: String
    public var kind: String
    public var expiresAt: Date
    /// The count of committed writes when the session was read (`audit_head.touched`, which every write
    /// transaction raises first), so a page kept under this number is still true (`StampedCache`). Read in the same statement as the
    /// session, so knowing it costs no trip to the database.
    public var changeStamp: Int
    /// Unread messages, when asked for (`session(token:withUnread:)`), else 0.
    public var unread: Int
}

/// A session as its owner sees it on 「我的登录」.
public struct SessionSummary: Sendable, Equatable {
    public var id: UUID
    public var kind: String
    public var createdAt: Date
    public var expiresAt: Date
}

extension Store {
    public func createUser(
        username rawUsername: String, displayName: String, passwordHash: String, phone: String? = nil,
        grants: [NewGrant], mustChangePassword: Bool = false, person personID: UUID? = nil, by actor: AuditActor
    ) async throws -> User {
        let username = rawUsername.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...40).contains(username.count),
            username.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0)
            })
        else {
            throw StoreError.invalid(field: "用户名", message: "须为 2 到 40 个字母、数字、下划线、点或连字符。")
        }
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 50 else {
            throw StoreError.invalid(field: "姓名", message: "不能为空，且不超过 50 字。")
        }
        guard !grants.isEmpty else { throw StoreError.invalid(field: "角色", message: "至少须指定一个角色和所在单位。") }
        return try await write(actor) { tx in
            try await self.insertUser(
                username: username, name: name, passwordHash: passwordHash, phone: phone, grants: grants,
                mustChangePassword: mustChangePassword, person: personID, tx: tx)
        }
    }

    /// The account a rule of the system acts as (the public's ratings reopening an item): named in the
    /// closure history and the audit log like a person, but inactive, without roles, and with no password
    /// that can match — nobody can sign in as it. Made on first use.
    public func systemActor(username: String, name: String) async throws -> AuditActor {
        if let model = try await UserModel.query(on: db).filter(\.$username == username).first() {
            return AuditActor(id: model.id, name: model.displayName)
        }
        let id = ids.next()
        do {
            try await write(.commandLine) { tx in
                let model = UserModel()
                model.id = id
                model.username = username
                model.displayName = name
                model.passwordHash = "!"
                model.active = false
                model.createdAt = tx.now
                model.mustChangePassword = false
                try await model.create(on: tx.db)
                try await tx.record(
                    "user.create", entity: "user", id: id.uuidString, unitPath: nil, before: nil,
                    after: ["username": username, "displayName": name, "system": "true"])
            }
        } catch {
            // Made by another request a moment earlier: the unique user name decided.
            guard let model = try await UserModel.query(on: db).filter(\.$username == username).first() else {
                throw error
            }
            return AuditActor(id: model.id, name: model.displayName)
        }
        return AuditActor(id: id, name: name)
    }

    func insertUser(
        username: String, name: String, passwordHash: String, phone: String?, grants: [NewGrant],
        mustChangePassword: Bool, person personID: UUID?, tx: WriteTransaction
    ) async throws -> User {
        if try await UserModel.query(on: tx.db).filter(\.$username == username).first() != nil {
            throw StoreError.duplicate("用户名「\(username)」已被使用。")
        }
        let model = UserModel()
        model.id = self.ids.next()
        model.username = username
        model.displayName = name
        model.passwordHash = passwordHash
        model.phone = phone
        model.active = true
        model.createdAt = tx.now
        model.mustChangePassword = mustChangePassword
        try await model.create(on: tx.db)
        for grant in Set(grants.map { "\($0.role.rawValue)|\($0.unitID)" }).sorted() {
            let parts = grant.split(separator: "|")
            guard let unitID = UUID(uuidString: String(parts[1])),
                try await UnitModel.find(unitID, on: tx.db) != nil
            else { throw StoreError.notFound(what: "单位") }
            let row = RoleGrantModel()
            row.userID = model.id!
            row.role = String(parts[0])
            row.unitID = unitID
            try await row.create(on: tx.db)
        }
        let user = try await self.user(model, on: tx.db)
        // The hash is a secret too: it never enters the log.
        try await tx.record(
            "user.create", entity: "user", id: model.id!.uuidString, unitPath: user.grants.first?.unitPath,
            before: nil, after: user)
        // Every login is a person of the organisation: an existing person without a login (imported from a
        // sheet, say) gets this one; otherwise a person is made at the unit of the first grant.
        if let personID {
            guard let person = try await PersonModel.find(personID, on: tx.db), person.userID == nil else {
                throw StoreError.invalid(field: "人员", message: "该人员不存在或已有登录账号。")
            }
            person.userID = model.id
            try await person.save(on: tx.db)
        } else if let grant = user.grants.first {
            if let existing = try await PersonModel.query(on: tx.db).filter(\.$unitID == grant.unitID)
                .filter(\.$name == name).filter(\.$userID == nil).first()
            {
                existing.userID = model.id
                try await existing.save(on: tx.db)
            } else {
                var personName = name
                while try await PersonModel.query(on: tx.db).filter(\.$unitID == grant.unitID)
                    .filter(\.$name == personName).first() != nil
                {
                    personName += "（\(username)）"
                }
                _ = try await self.insertPerson(
                    NewPerson(name: personName, unitID: grant.unitID), userID: model.id, tx: tx)
            }
        }
        return user
    }

    public func user(_ id: UUID) async throws -> User {
        guard let model = try await UserModel.find(id, on: db) else { throw StoreError.notFound(what: "用户") }
        return try await user(model, on: db)
    }

    public func users(in scope: Scope) async throws -> [User] {
        let units = try await self.units(in: scope)
        let unitIDs = units.map(\.id)
        guard !unitIDs.isEmpty else { return [] }
        let grantRows = try await RoleGrantModel.query(on: db).filter(\.$unitID ~~ unitIDs).all()
        let userIDs = Array(Set(grantRows.map(\.userID)))
        guard !userIDs.isEmpty else { return [] }
        var result: [User] = []
        for model in try await UserModel.query(on: db).filter(\.$id ~~ userIDs).sort(\.$username).all() {
            result.append(try await user(model, on: db))
        }
        return result
    }

    public func userCount() async throws -> Int { try await UserModel.query(on: db).count() }

    func user(_ model: UserModel, on database: any Database) async throws -> User {
        let rows = try await RoleGrantModel.query(on: database).filter(\.$userID == model.id!).all()
        let units = try await UnitModel.query(on: database).filter(\.$id ~~ rows.map(\.unitID)).all()
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0) })
        var grants: [User.Grant] = []
        for row in rows {
            guard let unit = byID[row.unitID], let role = Role(rawValue: row.role) else { continue }
            grants.append(User.Grant(role: role, unitID: row.unitID, unitName: unit.name, unitPath: unit.path))
        }
        grants.sort { ($0.unitPath.count, $0.role, $0.unitName) < ($1.unitPath.count, $1.role, $1.unitName) }
        return User(
            id: model.id!, username: model.username, displayName: model.displayName, active: model.active,
            grants: grants, mustChangePassword: model.mustChangePassword)
    }

    /// The stored bcrypt hash, for the server's login check only.
    public func credentials(username: String) async throws -> (user: User, passwordHash: String)? {
        guard let model = try await UserModel.query(on: db).filter(\.$username == username).first(), model.active
        else { return nil }
        return (try await user(model, on: db), model.passwordHash)
    }

    // MARK: Sessions live in the database, so any app server can serve any request.

    public func createSession(userID: UUID, kind: String, lifetime: TimeInterval) async throws -> (
        token: String, csrfToken: String
    ) {
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let model = SessionModel()
        model.id = self.ids.next()
        model.tokenHash = Self.tokenHash(token)
        model.userID = userID
        model.csrfToken = csrf
        model.kind = kind
        model.createdAt = clock.now()
        model.expiresAt = clock.now().addingTimeInterval(lifetime)
        try await model.create(on: db)
        return (token, csrf)
    }

    /// The session behind a token, with its user and grants, in one statement: every request of every app
    /// server asks this first, so it is one round trip, not one per grant (docs/benchmarks.md).
    /// The session a credential opens, with its user and grants, in one statement; `withUnread` also counts
    /// the user's unread messages for a page's header (`SessionInfo.unread`) in the same statement.
    public func session(token: String, withUnread: Bool = false) async throws -> SessionInfo? {
        let unread: SQLQueryString =
            withUnread
            ? "(SELECT COUNT(*) FROM notifications m WHERE m.user_id = u.id AND m.read_at IS NULL)" : "0"

        let rows = try await sql.raw(
            """
            SELECT s.id AS session_id, s.csrf_token, s.kind, s.expires_at, u.id AS user_id, u.username,
              u.display_name, u.active, u.must_change_password, g.role, g.unit_id, un.name AS unit_name,
              un.path AS unit_path, (SELECT touched FROM audit_head WHERE id = 1) AS change_stamp, \(unread) AS unread
            FROM sessions s JOIN users u ON u.id = s.user_id
            LEFT JOIN role_grants g ON g.user_id = u.id LEFT JOIN units un ON un.id = g.unit_id
            WHERE s.token_hash = \(bind: Self.tokenHash(token))
            """
        ).all()
        guard let first = rows.first, try first.decode(column: "active", as: Bool.self) else { return nil }
        let expiresAt = try first.decode(column: "expires_at", as: Date.self)
        guard expiresAt > clock.now() else { return nil }
        var grants: [User.Grant] = []
        for row in rows {
            guard let roleName = try row.decode(column: "role", as: String?.self), let role = Role(rawValue: roleName),
                let unitID = try row.decode(column: "unit_id", as: UUID?.self),
                let unitName = try row.decode(column: "unit_name", as: String?.self),
                let unitPath = try row.decode(column: "unit_path", as: String?.self)
            else { continue }
            grants.append(User.Grant(role: role, unitID: unitID, unitName: unitName, unitPath: unitPath))
        }
        grants.sort { ($0.unitPath.count, $0.role, $0.unitName) < ($1.unitPath.count, $1.role, $1.unitName) }
        let user = User(
            id: try first.decode(column: "user_id", as: UUID.self),
            username: try first.decode(column: "username", as: String.self),
            displayName: try first.decode(column: "display_name", as: String.self), active: true, grants: grants,
            mustChangePassword: try first.decode(column: "must_change_password", as: Bool.self))
        return SessionInfo(
            id: try first.decode(column: "session_id", as: UUID.self), user: user,
            csrfToken: try first.decode(column: "csrf_token", as: String.self),
            kind: try first.decode(column: "kind", as: String.self), expiresAt: expiresAt,
            changeStamp: try first.decode(column: "change_stamp", as: Int.self),
            unread: try first.decode(column: "unread", as: Int.self))
    }

    public func recordLoginAttempt(username: String, address: String, succeeded: Bool) async throws {
        let model = LoginAttemptModel()
        model.username = String(username.prefix(64))
        model.address = address
        model.succeeded = succeeded
        model.at = clock.now()
        try await model.create(on: db)
    }

    // MARK: Accounts: passwords, deactivation, grants, a person's own sessions

    public func passwordHash(userID: UUID) async throws -> String {
        guard let model = try await UserModel.find(userID, on: db) else { throw StoreError.notFound(what: "用户") }
        return model.passwordHash
    }

    public func user(username: String) async throws -> User {
        guard let model = try await UserModel.query(on: db).filter(\.$username == username).first() else {
            throw StoreError.notFound(what: "用户「\(username)」")
        }
        return try await user(model, on: db)
    }

    /// Sets a new password. Every other session of the user ends (a changed password must lock out whoever
    /// knew the old one); `keeping` names the session that made the change, if it was the user's own.
    public func setPassword(
        userID: UUID, hash: String, mustChange: Bool, keeping keptToken: String?, by actor: AuditActor
    ) async throws {
        try await write(actor) { tx in
            guard let model = try await UserModel.find(userID, on: tx.db) else {
                throw StoreError.notFound(what: "用户")
            }
            model.passwordHash = hash
            model.mustChangePassword = mustChange
            try await model.save(on: tx.db)
            let sessions = SessionModel.query(on: tx.db).filter(\.$userID == userID)
            if let keptToken { sessions.filter(\.$tokenHash != Self.tokenHash(keptToken)) }
            try await sessions.delete()
            let user = try await self.user(model, on: tx.db)
            try await tx.record(
                actor.id == userID ? "user.password.change" : "user.password.reset", entity: "user",
                id: userID.uuidString, unitPath: user.grants.first?.unitPath, before: nil,
                after: ["mustChangePassword": mustChange])
        }
    }

    /// Deactivating ends every session and token of the user at once; the account and its history stay.
    public func setActive(userID: UUID, active: Bool, by actor: AuditActor) async throws -> User {
        try await write(actor) { tx in
            guard let model = try await UserModel.find(userID, on: tx.db) else {
                throw StoreError.notFound(what: "用户")
            }
            if actor.id == userID && !active {
                throw StoreError.invalid(field: "账号", message: "不能停用自己的账号。")
            }
            let before = try await self.user(model, on: tx.db)
            model.active = active
            try await model.save(on: tx.db)
            if !active { try await SessionModel.query(on: tx.db).filter(\.$userID == userID).delete() }
            let after = try await self.user(model, on: tx.db)
            try await tx.record(
                active ? "user.activate" : "user.deactivate", entity: "user", id: userID.uuidString,
                unitPath: after.grants.first?.unitPath, before: before, after: after)
            return after
        }
    }

    public func addGrant(userID: UUID, _ grant: NewGrant, by actor: AuditActor) async throws -> User {
        try await write(actor) { tx in
            guard let model = try await UserModel.find(userID, on: tx.db) else {
                throw StoreError.notFound(what: "用户")
            }
            guard let unit = try await UnitModel.find(grant.unitID, on: tx.db) else {
                throw StoreError.notFound(what: "单位")
            }
            guard unit.retiredOn == nil else {
                throw StoreError.invalid(field: "所在单位", message: "「\(unit.name)」已撤销，不能再授予角色。")
            }
            let before = try await self.user(model, on: tx.db)
            if try await RoleGrantModel.query(on: tx.db).filter(\.$userID == userID)
                .filter(\.$role == grant.role.rawValue).filter(\.$unitID == grant.unitID).first() != nil
            {
                throw StoreError.duplicate("该用户在「\(unit.name)」已有「\(grant.role.label)」角色。")
            }
            let row = RoleGrantModel()
            row.userID = userID
            row.role = grant.role.rawValue
            row.unitID = grant.unitID
            try await row.create(on: tx.db)
            let after = try await self.user(model, on: tx.db)
            try await tx.record(
                "user.grant.add", entity: "user", id: userID.uuidString, unitPath: unit.path, before: before,
                after: after)
            return after
        }
    }

    public func removeGrant(userID: UUID, _ grant: NewGrant, by actor: AuditActor) async throws -> User {
        try await write(actor) { tx in
            guard let model = try await UserModel.find(userID, on: tx.db) else {
                throw StoreError.notFound(what: "用户")
            }
            let rows = try await RoleGrantModel.query(on: tx.db).filter(\.$userID == userID).all()
            guard let row = rows.first(where: { $0.role == grant.role.rawValue && $0.unitID == grant.unitID }) else {
                throw StoreError.notFound(what: "该角色")
            }
            guard rows.count > 1 else {
                throw StoreError.invalid(
                    field: "角色", message: "这是该用户唯一的角色。如该人员已离开，请停用账号，而不是删除最后一个角色。")
            }
            let before = try await self.user(model, on: tx.db)
            try await row.delete(on: tx.db)
            let after = try await self.user(model, on: tx.db)
            let path = try await UnitModel.find(grant.unitID, on: tx.db)?.path
            try await tx.record(
                "user.grant.remove", entity: "user", id: userID.uuidString, unitPath: path, before: before,
                after: after)
            return after
        }
    }

    public func sessions(of userID: UUID) async throws -> [SessionSummary] {
        try await SessionModel.query(on: db).filter(\.$userID == userID).filter(\.$expiresAt > clock.now())
            .sort(\.$createdAt, .descending).all()
            .map { SessionSummary(id: $0.id!, kind: $0.kind, createdAt: $0.createdAt, expiresAt: $0.expiresAt) }
    }

    /// Ends one of the user's own sessions (on another computer, a lost phone).
    public func endSession(_ id: UUID, of userID: UUID, by actor: AuditActor) async throws {
        try await write(actor) { tx in
            guard let model = try await SessionModel.find(id, on: tx.db), model.userID == userID else {
                throw StoreError.notFound(what: "登录会话")
            }
            try await model.delete(on: tx.db)
            try await tx.record(
                "session.end", entity: "user", id: userID.uuidString, unitPath: nil, before: nil,
                after: ["session": id.uuidString])
        }
    }

    /// Counts one more attempt under `key` and answers the count in the current window, in one statement:
    /// concurrent attempts each get their own number, so a limit holds however many arrive at once. The
    /// counter starts again at 1 once it has been quiet for its wait: `window` seconds while it counts up to
    /// `limit` and through the first lock, then twice as long for each further `limit` attempts (at most
    /// eight times), so guessing that goes on through a lock only makes the lock longer.
    public func countAttempt(key: String, window: TimeInterval, limit: Int) async throws -> Int {
        let now = clock.now().timeIntervalSince1970
        let step = max(1, limit)
        // Numbers made here, not input: written into the statement so both databases read them as numbers.
        let wait = SQLQueryString(
            stringLiteral: """
                CASE WHEN login_throttle.failures <= \(2 * step) THEN \(Int(window))
                     WHEN login_throttle.failures <= \(3 * step) THEN \(Int(window) * 2)
                     WHEN login_throttle.failures <= \(4 * step) THEN \(Int(window) * 4)
                     ELSE \(Int(window) * 8) END
                """)
        let row = try await sql.raw(
            """
            INSERT INTO login_throttle (key, failures, window_start) VALUES (\(bind: key), 1, \(bind: now))
            ON CONFLICT (key) DO UPDATE SET
              failures = CASE WHEN login_throttle.window_start < \(bind: now) - \(wait) THEN 1
                              ELSE login_throttle.failures + 1 END,
              window_start = CASE WHEN login_throttle.window_start < \(bind: now) - \(wait) THEN \(bind: now)
                                  ELSE login_throttle.window_start END
            RETURNING failures
            """
        ).first()
        return try row?.decode(column: "failures", as: Int.self) ?? 1
    }

    /// How long a counter at `count` attempts waits before it starts again (see `countAttempt`).
    public static func attemptWait(count: Int, limit: Int, minutes: Int) -> Int {
        let step = max(1, limit)
        switch count {
        case ...(2 * step): return minutes
        case ...(3 * step): return minutes * 2
        case ...(4 * step): return minutes * 4
        default: return minutes * 8
        }
    }

    /// A user locked out from an address: an audit entry at the user's unit, so the unit's admin sees it
    /// in the log; the user is told at their next sign-in (`failedSignInsSinceLastSuccess`).
    public func recordLockout(username: String, address: String, minutes: Int) async throws {
        guard let model = try await UserModel.query(on: db).filter(\.$username == username).first() else { return }
        let user = try await self.user(model, on: db)
        try await write(AuditActor(id: nil, name: "系统")) { tx in
            try await tx.record(
                "login.locked", entity: "user", id: model.id!.uuidString, unitPath: user.grants.first?.unitPath,
                before: nil, after: ["address": address, "minutes": String(minutes)])
        }
        // The user and the admins of their unit (the nearest above it) hear of it in their inbox.
        let now = clock.now()
        let stamp = Int(now.timeIntervalSince1970 / 60)
        let body =
            "账号 \(username)（\(user.displayName)）因多次密码错误，来自 \(address) 的登录已暂停 \(minutes) 分钟（\(LocalDate.chineseTime(now))）。如非本人操作，请留意账号安全。"
        var people: Set<UUID> = [user.id]
        let grants = try await activeGrants()
        for path in Set(user.grants.map(\.unitPath)) {
            let admins = grants.filter { $0.role == .admin && path.hasPrefix($0.unitPath) }
            if let deepest = admins.map(\.unitPath.count).max() {
                people.formUnion(admins.filter { $0.unitPath.count == deepest }.map(\.userID))
            }
        }
        for person in people {
            try await notify(
                userID: person, day: clock.today(), kind: "security", title: "登录已暂停：\(username)", body: body,
                link: "/", dedupeKey: "lock:\(model.id!.uuidString):\(address):\(stamp):\(person.uuidString)")
        }
    }

    /// Failed sign-ins for this user since their last successful one (the one just made excluded): how many,
    /// and the last one's address and time.
    public func failedSignInsSinceLastSuccess(username: String) async throws -> (
        count: Int, address: String?, at: Date?
    ) {
        let successes = try await LoginAttemptModel.query(on: db).filter(\.$username == username)
            .filter(\.$succeeded == true).sort(\.$at, .descending).limit(2).all()
        let since = successes.count > 1 ? successes[1].at : Date(timeIntervalSince1970: 0)
        let until = successes.first?.at ?? clock.now()
        let failures = try await LoginAttemptModel.query(on: db).filter(\.$username == username)
            .filter(\.$succeeded == false).filter(\.$at > since).filter(\.$at <= until).sort(\.$at, .descending).all()
        return (failures.count, failures.first?.address, failures.first?.at)
    }

    /// Takes back one counted attempt (a successful sign-in is not a failure).
    public func forgiveAttempt(key: String) async throws {
        try await sql.raw(
            "UPDATE login_throttle SET failures = failures - 1 WHERE key = \(bind: key) AND failures > 0"
        ).run()
    }

    public func clearAttempts(key: String) async throws {
        try await sql.raw("DELETE FROM login_throttle WHERE key = \(bind: key)").run()
    }

    /// Ends every session of a token hash set: logout ends every credential the request carried.
    public func deleteSessions(tokens: [String]) async throws {
        guard !tokens.isEmpty else { return }
        try await SessionModel.query(on: db).filter(\.$tokenHash ~~ tokens.map(Self.tokenHash)).delete()
        countChange()
    }

    /// Removes expired sessions, login attempts older than `keepAttempts` and throttle windows long over.
    public func purgeExpiredSessions(keepAttempts: TimeInterval) async throws -> (sessions: Int, attempts: Int) {
        let now = clock.now()
        let sessions = try await SessionModel.query(on: db).filter(\.$expiresAt <= now).count()
        try await SessionModel.query(on: db).filter(\.$expiresAt <= now).delete()
        let cutoff = now.addingTimeInterval(-keepAttempts)
        let attempts = try await LoginAttemptModel.query(on: db).filter(\.$at < cutoff).count()
        try await LoginAttemptModel.query(on: db).filter(\.$at < cutoff).delete()
        try await sql.raw(
            "DELETE FROM login_throttle WHERE window_start < \(bind: cutoff.timeIntervalSince1970)"
        ).run()
        return (sessions, attempts)
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexString
    }
}
