import Foundation
import Testing
import ZhenggaiCore
import ZhenggaiTestSupport

@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// The throttle in front of the password check, on a real store with a clock that moves.
@Suite struct SignInTests {
    /// Guessing that goes on through a lock makes the lock longer: 15, then 30, 60 and at most 120 minutes.
    @Test func aLockGrowsWhileTheGuessingGoesOn() async throws {
        let clock = MutableClock(TestStores.today)
        try await TestStores.withStore(clock: clock) { store in
            let county = try await TestCounty.make(in: store)
            _ = try await county.user(
                store, "clerk1", .clerk, at: county.township, passwordHash: Passwords.hash("正确的密码-2026"))
            let signIn = SignIn(store: store, policy: .init(maxFailures: 5, lockoutMinutes: 15, sessionHours: 1))
            func attempt(_ password: String) async -> SignIn.Refusal? {
                do {
                    _ = try await signIn.signIn(username: "clerk1", password: password, address: "203.0.113.9")
                    return nil
                } catch let refusal as SignIn.Refusal {
                    return refusal
                } catch {
                    Issue.record(error)
                    return nil
                }
            }
            for _ in 0..<5 { #expect(await attempt("猜的") == .badCredentials) }
            #expect(await attempt("猜的") == .throttled(minutes: 15))
            // Sixteen minutes later the pair may try again.
            clock.advance(by: 16 * 60)
            for _ in 0..<5 { #expect(await attempt("猜的") == .badCredentials) }
            for _ in 0..<5 { #expect(await attempt("猜的") == .throttled(minutes: 15)) }
            #expect(await attempt("猜的") == .throttled(minutes: 30))
            // Still guessing: a quarter of an hour is no longer enough, and even the right password waits.
            clock.advance(by: 16 * 60)
            #expect(await attempt("正确的密码-2026") == .throttled(minutes: 30))
            for _ in 0..<10 { _ = await attempt("猜的") }
            #expect(await attempt("猜的") == .throttled(minutes: 120))
            clock.advance(by: 121 * 60)
            #expect(await attempt("正确的密码-2026") == nil)
            let locks = try await store.auditLog(in: .everything, try AuditQuery(limit: 100))
                .filter { $0.action == "login.locked" }
            #expect(locks.count >= 3)
        }
    }
}
