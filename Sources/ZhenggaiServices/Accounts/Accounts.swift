public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// A person's account as they and their admin manage it: changing a password, an admin's reset, leaving
/// (deactivation), roles added and removed, and one's own sessions. The web pages, the API and the command
/// line all come here; every change lands in the audit log (never a hash or a password).
public struct Accounts: Sendable {
    let store: Store
    let bcryptCost: Int

    public init(store: Store, bcryptCost: Int) {
        self.store = store
        self.bcryptCost = bcryptCost
    }

    /// The user's own change: the current password proves it is them; every other session ends.
    public func changeOwnPassword(user: User, current: String, new: String, keeping token: String?) async throws {
        let hash = try await store.passwordHash(userID: user.id)
        guard await Passwords.verify(current, against: hash) else { throw PasswordError.wrongCurrent }
        guard current != new else {
            throw StoreError.invalid(field: "新密码", message: "不能与当前密码相同。")
        }
        try Passwords.checkStrength(new, username: user.username)
        let newHash = await Passwords.hashInBackground(new, cost: bcryptCost)
        try await store.setPassword(
            userID: user.id, hash: newHash, mustChange: false, keeping: token, by: AuditActor(user))
    }

    /// An admin's reset: a new random password, shown once, that must be changed at the next login; the
    /// user's sessions all end.
    public func resetPassword(userID: UUID, by actor: AuditActor) async throws -> String {
        let password = Passwords.random()
        let hash = await Passwords.hashInBackground(password, cost: bcryptCost)
        try await store.setPassword(userID: userID, hash: hash, mustChange: true, keeping: nil, by: actor)
        return password
    }

    /// Sets a password given by someone else (`zhenggai user passwd`): it must be changed at the next login.
    public func setPassword(userID: UUID, password: String, by actor: AuditActor) async throws {
        let user = try await store.user(userID)
        try Passwords.checkStrength(password, username: user.username)
        let hash = await Passwords.hashInBackground(password, cost: bcryptCost)
        try await store.setPassword(userID: userID, hash: hash, mustChange: true, keeping: nil, by: actor)
    }

    /// Where an admin may manage this user: every unit the user holds a role at must be in the admin's
    /// scope, so a township admin cannot touch a county account that also works in the township.
    public static func check(_ admin: Principal, mayManage user: User) throws(AccessDenied) {
        for grant in user.grants {
            try AccessPolicy.check(admin, .manageUsers, on: AccessTarget(unitPath: grant.unitPath))
        }
    }
}
