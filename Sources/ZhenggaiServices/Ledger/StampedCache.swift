import Synchronization

/// Answers this app server computed, kept under the store's change stamp (`SessionInfo.changeStamp`,
/// read with the session in the same statement). Every write raises the stamp in its own transaction, so
/// an answer kept under the stamp a request carries is as true as one computed now: the Monday-morning
/// crowd before the 周调度 opening the same ledger pages costs one computation per page until somebody
/// writes, and requests arriving while it runs wait for that one instead of each starting their own. Not
/// state of the server: losing it costs one computation, and several servers each keep their own.
///
/// An answer computed for a request that read stamp S may already include writes after S (they commit while
/// it runs); it is kept under S and shown only to requests that read S, so it is never older than what they
/// could have read themselves.
public final class StampedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var stamp = -1
        var values: [Key: Value] = [:]
        var running: [Key: Task<Value, any Error>] = [:]
        var cost = 0
    }
    private enum Found {
        case kept(Value)
        case running(Task<Value, any Error>)
        case stale
    }
    /// Bounds against a reader paging through every filter: past either, the cache starts again.
    public let maximumEntries: Int
    public let maximumCost: Int
    private let state = Mutex(State())

    public init(maximumEntries: Int = 1_000, maximumCost: Int = 32 << 20) {
        self.maximumEntries = maximumEntries
        self.maximumCost = maximumCost
    }

    public var count: Int { state.withLock { $0.values.count } }

    /// The kept answer for `key` under `stamp`, else the one being computed for it, else `make`'s, kept when
    /// the stamp is still the newest seen. `cost` is the answer's approximate size in bytes.
    public func value(
        stamp: Int, key: Key, cost: @escaping @Sendable (Value) -> Int,
        _ make: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let found = state.withLock { state -> Found in
            if stamp > state.stamp { state = State(stamp: stamp) }
            // A request that read an older stamp than the newest seen computes for itself and leaves nothing.
            guard state.stamp == stamp else { return .stale }
            if let value = state.values[key] { return .kept(value) }
            if let task = state.running[key] { return .running(task) }
            let task = Task { try await self.compute(stamp: stamp, key: key, cost: cost, make) }
            state.running[key] = task
            return .running(task)
        }
        switch found {
        case .kept(let value): return value
        case .running(let task): return try await task.value
        case .stale: return try await make()
        }
    }

    private func compute(
        stamp: Int, key: Key, cost: (Value) -> Int, _ make: () async throws -> Value
    ) async throws -> Value {
        let result: Result<Value, any Error>
        do { result = .success(try await make()) } catch { result = .failure(error) }
        state.withLock { state in
            guard state.stamp == stamp else { return }
            state.running[key] = nil
            guard case .success(let value) = result else { return }
            let size = cost(value)
            guard size <= maximumCost else { return }
            if state.values.count >= maximumEntries || state.cost + size > maximumCost {
                state.values = [:]
                state.cost = 0
            }
            if state.values.updateValue(value, forKey: key) == nil { state.cost += size }
        }
        return try result.get()
    }
}
