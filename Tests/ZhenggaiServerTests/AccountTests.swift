import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// A county's accounts over their first month: passwords changed and reset, people leaving, roles moving,
/// one's own sessions.
@Suite(.serialized) struct AccountTests {
    func login(_ world: APIWorld, _ username: String, _ password: String) async throws -> TestingHTTPResponse {
        try await world.call(
            .POST, "/api/v1/login", as: nil, json: #"{"username":"\#(username)","password":"\#(password)"}"#)
    }

    @Test(arguments: [
        ("short-1", PasswordError.tooShort), ("password123", .tooCommon), ("qwertyuiop2026", .tooCommon),
        ("zhangsan-2026x", .containsUsername), ("aaaaaaaaaaaa", .tooSimple),
    ])
    func weakPasswordsAreRefused(password: String, error: PasswordError) {
        #expect(throws: error) { try Passwords.checkStrength(password, username: "zhangsan") }
    }

    @Test func aGoodPasswordIsAccepted() throws {
        try Passwords.checkStrength("青山镇-整改-2026", username: "qs_jingban")
        try Passwords.checkStrength("Tide7-Lantern-42", username: "admin")
    }

    /// A password an admin set must be changed at the first login; until then only the change is allowed,
    /// and the change ends the user's other sessions.
    @Test func aSetPasswordMustBeChangedAndTheChangeEndsOtherSessions() async throws {
        try await APIWorld.with { world in
            let hash = Passwords.hash("Initial-pass-2026", cost: 4)
            let user = try await world.store.createUser(
                username: "newclerk", displayName: "新经办", passwordHash: hash,
                grants: [NewGrant(role: .clerk, unitID: world.county.township.id)], mustChangePassword: true,
                by: .commandLine)
            let first = try await login(world, "newclerk", "Initial-pass-2026")
            #expect(first.status == .ok)
            #expect((first.json["user"] as? [String: Any])?["mustChangePassword"] as? Bool == true)
            let token = try #require(first.json["token"] as? String)
            let other = try await login(world, "newclerk", "Initial-pass-2026").json["token"] as? String ?? ""

            let blocked = try await world.call(.GET, "/api/v1/ledger", as: nil, token: token)
            #expect(blocked.status == .forbidden)
            #expect(blocked.errorCode == "password_change_required")
            let page = try await world.call(.GET, "/ledger", as: nil, token: token)
            #expect(page.status == .seeOther)
            #expect(page.headers.first(name: .location)?.hasPrefix("/me/password") == true)

            let wrong = try await world.call(
                .PUT, "/api/v1/me/password", as: nil, json: #"{"current":"nope","new":"Fresh-pass-2026"}"#, token: token
            )
            #expect(wrong.status == .unprocessableEntity)
            let weak = try await world.call(
                .PUT, "/api/v1/me/password", as: nil, json: #"{"current":"Initial-pass-2026","new":"password123"}"#,
                token: token)
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.errorMessage.contains("常见密码"))
            let changed = try await world.call(
                .PUT, "/api/v1/me/password", as: nil, json: #"{"current":"Initial-pass-2026","new":"Fresh-pass-2026"}"#,
                token: token)
            #expect(changed.status == .ok, "\(changed.errorMessage)")
            #expect(changed.json["mustChangePassword"] as? Bool == false)
            #expect(try await world.store.session(token: token) != nil)
            #expect(try await world.store.session(token: other) == nil)
            #expect(try await world.call(.GET, "/api/v1/ledger", as: nil, token: token).status == .ok)
            let trail = try await world.store.auditTrail(entity: "user", id: user.id.uuidString)
            #expect(trail.contains { $0.action == "user.password.change" })
            #expect(!trail.contains { ($0.after ?? "").contains("$2") })  // no hash in the log
        }
    }

    @Test func anAdminResetsAPasswordThatIsShownOnce() async throws {
        try await APIWorld.with { world in
            let clerk = world.users[.clerk]!
            let session = try await world.token(.clerk)
            let reset = try await world.call(.POST, "/api/v1/users/\(clerk.id)/password-reset", as: .admin)
            #expect(reset.status == .ok)
            let password = try #require(reset.json["password"] as? String)
            #expect(try await world.store.session(token: session) == nil)
            let again = try await login(world, "clerk", password)
            #expect(again.status == .ok)
            #expect((again.json["user"] as? [String: Any])?["mustChangePassword"] as? Bool == true)
            // A township admin cannot reset an account that also holds a role at the county.
            let townshipAdmin = try await world.token(.admin)
            let county = try await world.call(
                .POST, "/api/v1/users/\(world.users[.inspector]!.id)/password-reset", as: nil, token: townshipAdmin)
            #expect(county.status == .forbidden)
        }
    }

    /// Someone who left is deactivated: the session they have open stops working at once, cookie or token.
    @Test func aDeactivatedUsersOpenSessionStopsAtOnce() async throws {
        try await APIWorld.with { world in
            let leader = world.users[.leader]!
            let token = try await world.token(.leader)
            #expect(try await world.call(.GET, "/api/v1/me", as: nil, token: token).status == .ok)
            let off = try await world.call(.POST, "/api/v1/users/\(leader.id)/deactivate", as: .admin)
            #expect(off.status == .ok)
            #expect(off.json["active"] as? Bool == false)
            #expect(try await world.call(.GET, "/api/v1/me", as: nil, token: token).status == .unauthorized)
            #expect(try await login(world, "leader", APIWorld.password).status == .unauthorized)
            let on = try await world.call(.POST, "/api/v1/users/\(leader.id)/activate", as: .admin)
            #expect(on.json["active"] as? Bool == true)
            #expect(try await login(world, "leader", APIWorld.password).status == .ok)
        }
    }

    @Test func rolesAreAddedAndRemovedButNeverTheLast() async throws {
        try await APIWorld.with { world in
            let clerk = world.users[.clerk]!
            let added = try await world.call(
                .POST, "/api/v1/users/\(clerk.id)/grants", as: .admin,
                json: #"{"role":"leader","unitID":"\#(world.county.village.id)"}"#)
            #expect(added.status == .ok)
            #expect((added.json["grants"] as? [Any])?.count == 2)
            let outside = try await world.call(
                .POST, "/api/v1/users/\(clerk.id)/grants", as: .admin,
                json: #"{"role":"leader","unitID":"\#(world.county.sibling.id)"}"#)
            #expect(outside.status == .forbidden)
            let removed = try await world.call(
                .DELETE, "/api/v1/users/\(clerk.id)/grants/leader/\(world.county.village.id)", as: .admin)
            #expect((removed.json["grants"] as? [Any])?.count == 1)
            let last = try await world.call(
                .DELETE, "/api/v1/users/\(clerk.id)/grants/clerk/\(world.county.township.id)", as: .admin)
            #expect(last.status == .unprocessableEntity)
            #expect(last.errorMessage.contains("停用"))
        }
    }

    @Test func aPersonSeesAndEndsTheirOwnSessions() async throws {
        try await APIWorld.with { world in
            let mine = try await world.token(.clerk)
            let elsewhere = try await world.token(.clerk)
            let list = try await world.call(.GET, "/api/v1/me/sessions", as: nil, token: mine)
            let sessions = (try JSONSerialization.jsonObject(with: Data(buffer: list.body))) as? [[String: Any]] ?? []
            #expect(sessions.count == 2)
            #expect(sessions.filter { $0["current"] as? Bool == true }.count == 1)
            let other = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)
            let ended = try await world.call(.DELETE, "/api/v1/me/sessions/\(other)", as: nil, token: mine)
            #expect(ended.status == .ok)
            #expect(try await world.store.session(token: elsewhere) == nil)
            // Nobody ends another person's session this way.
            let secretary = try await world.token(.secretary)
            let theirs = try await world.call(
                .GET, "/api/v1/me/sessions", as: nil, token: secretary)
            let theirID =
                ((try JSONSerialization.jsonObject(with: Data(buffer: theirs.body))) as? [[String: Any]])?
                .first?["id"] as? String ?? ""
            #expect(
                try await world.call(.DELETE, "/api/v1/me/sessions/\(theirID)", as: nil, token: mine).status
                    == .notFound)
        }
    }

    /// Five wrong passwords from one address lock that address out for that user, not the user everywhere:
    /// the real user signs in from their own computer.
    @Test func aStrangerCannotLockAUserOutFromElsewhere() async throws {
        try await APIWorld.with { world in
            let signIn = SignIn(store: world.store, policy: .init(maxFailures: 5, lockoutMinutes: 15, sessionHours: 1))
            for _ in 0..<8 {
                _ = try? await signIn.signIn(username: "clerk", password: "wrong", address: "203.0.113.9")
            }
            await #expect(throws: SignIn.Refusal.throttled(minutes: 15)) {
                try await signIn.signIn(username: "clerk", password: APIWorld.password, address: "203.0.113.9")
            }
            let own = try await signIn.signIn(username: "clerk", password: APIWorld.password, address: "10.0.0.7")
            #expect(own.user.username == "clerk")
            let log = try await world.store.auditLog(in: .everything, try AuditQuery(limit: 1_000))
            #expect(log.contains { $0.action == "login.locked" })
            let failures = try await world.store.failedSignInsSinceLastSuccess(username: "clerk")
            #expect(failures.count == 9)
            #expect(failures.address == "203.0.113.9")
            // The user and the county's admin are told in their inbox.
            #expect(try await world.store.unreadCount(of: world.users[.clerk]!.id) >= 1)
            #expect(try await world.store.notifications(of: world.users[.admin]!.id).contains { $0.kind == "security" })
        }
    }
}
