import Foundation
import Synchronization
import ZhenggaiStore

/// Sessions this app server read in the last moment, for API calls: a hotline platform or a mobile client
/// polling the API would otherwise cost a trip to the database's thread for every call, which was most of
/// a session check's time (docs/benchmarks.md). Pages always read the session afresh (they also show the
/// unread messages).
///
/// A kept session is dropped when this server commits any write or ends any session (`Store.changesHere`),
/// so a logout, a password change, a deactivation or a changed grant made here shows at once; one made on
/// another app server shows here within `lifetime`. Expiry is checked on every use.
final class SessionCache: Sendable {
    private struct Entry {
        var session: SessionInfo
        var readAt: ContinuousClock.Instant
    }
    private struct State {
        var entries: [String: Entry] = [:]
        var changesSeen = -1
    }
    let lifetime: Duration
    let maximumEntries: Int
    private let state = Mutex(State())

    init(lifetime: Duration = .seconds(1), maximumEntries: Int = 10_000) {
        self.lifetime = lifetime
        self.maximumEntries = maximumEntries
    }

    func session(token: String, store: Store) async throws -> SessionInfo? {
        let now = ContinuousClock.now
        let changes = store.changesHere
        let kept = state.withLock { state -> SessionInfo? in
            if state.changesSeen != changes { state = State(changesSeen: changes) }
            guard let entry = state.entries[token], now - entry.readAt < lifetime else { return nil }
            return entry.session
        }
        if let kept, kept.expiresAt > store.clock.now() { return kept }
        guard let session = try await store.session(token: token) else {
            state.withLock { _ = $0.entries.removeValue(forKey: token) }
            return nil
        }
        state.withLock { state in
            // Read before a write of this server committed: not kept.
            guard state.changesSeen == changes else { return }
            if state.entries.count >= maximumEntries { state.entries = [:] }
            state.entries[token] = Entry(session: session, readAt: now)
        }
        return session
    }
}
