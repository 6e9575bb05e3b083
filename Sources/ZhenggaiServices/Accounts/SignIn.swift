public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// Signing in: the password check, the throttle in front of it, and the session behind it. The web login
/// form and the JSON login both come here.
public struct SignIn: Sendable {
    public struct Policy: Sendable {
        /// Wrong passwords allowed for one user from one address in a window before that pair waits
        /// `lockoutMinutes`; each further `maxFailures` attempts double the wait (at most eight times).
        public var maxFailures: Int
        public var lockoutMinutes: Int
        public var sessionHours: Int

        public init(maxFailures: Int = 5, lockoutMinutes: Int = 15, sessionHours: Int = 12) {
            self.maxFailures = maxFailures
            self.lockoutMinutes = lockoutMinutes
            self.sessionHours = sessionHours
        }
    }

    public struct Session: Sendable {
        public var token: String
        public var csrfToken: String
        public var user: User
        public var expiresAt: Date
    }

    public enum Refusal: Error, Equatable, Sendable {
        case throttled(minutes: Int)
        case badCredentials
    }

    let store: Store
    let policy: Policy

    public init(store: Store, policy: Policy) {
        self.store = store
        self.policy = policy
    }

    /// Every attempt is counted before the password is verified, in one atomic statement per counter, so
    /// sixty guesses sent at once get sixty different counts and only the first few are ever checked.
    /// Counters: the user from this address (the lock a stranger can cause only from their own address), the
    /// user from anywhere (many addresses guessing one account), the address for any user (spraying).
    public func signIn(username rawUsername: String, password: String, address: String) async throws -> Session {
        let username = String(rawUsername.trimmingCharacters(in: .whitespacesAndNewlines).prefix(64))
        let window = TimeInterval(policy.lockoutMinutes * 60)
        let keys = Self.throttleKeys(username: username, address: address)
        let limits = [policy.maxFailures, policy.maxFailures * 10, policy.maxFailures * 4]
        var wait = 0
        for (index, (key, limit)) in zip(keys, limits).enumerated() {
            let count = try await store.countAttempt(key: key, window: window, limit: limit)
            guard count > limit else { continue }
            let minutes = Store.attemptWait(count: count, limit: limit, minutes: policy.lockoutMinutes)
            wait = max(wait, minutes)
            // Told when a lock begins or grows: the admin sees it in the audit log, the user at next sign-in.
            if (count - 1) % limit == 0 && index < 2 {
                try await store.recordLockout(username: username, address: address, minutes: minutes)
            }
        }
        if wait > 0 {
            try await store.recordLoginAttempt(username: username, address: address, succeeded: false)
            throw Refusal.throttled(minutes: wait)
        }
        let found = try await store.credentials(username: username)
        // Verify even for an unknown name, so the answer's timing does not tell which names exist.
        let matches = await Passwords.verify(password, against: found?.passwordHash ?? Self.decoyHash)
        guard let found, matches else {
            try await store.recordLoginAttempt(username: username, address: address, succeeded: false)
            throw Refusal.badCredentials
        }
        try await store.recordLoginAttempt(username: username, address: address, succeeded: true)
        // A success is not a failure: the pair starts again, the other counters take this attempt back.
        try await store.clearAttempts(key: keys[0])
        for key in keys.dropFirst() { try await store.forgiveAttempt(key: key) }
        let lifetime = TimeInterval(policy.sessionHours * 3600)
        let session = try await store.createSession(userID: found.user.id, kind: "login", lifetime: lifetime)
        return Session(
            token: session.token, csrfToken: session.csrfToken, user: found.user,
            expiresAt: store.clock.now().addingTimeInterval(lifetime))
    }

    static func throttleKeys(username: String, address: String) -> [String] {
        ["pair:\(username)|\(address)", "user:\(username)", "address:\(address)"]
    }

    /// A bcrypt hash of a random string, to spend the same time on unknown names.
    static let decoyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhu3Ad6iBbhDqkqSxeQfjDbQOUHUdDkEGy"
}
