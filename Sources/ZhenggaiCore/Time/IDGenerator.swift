public import Foundation

/// Where new record ids come from, injected like the clock: random in production, a counter in tests so a
/// page rendered twice is the same text.
public protocol IDGenerator: Sendable {
    func next() -> UUID
}

public struct RandomIDs: IDGenerator {
    public init() {}
    public func next() -> UUID { UUID() }
}

/// 00000000-0000-0000-0000-000000000001, …002, … in order.
public final class SequentialIDs: IDGenerator, @unchecked Sendable {
    private let lock = NSLock()
    private var counter: UInt64 = 0

    public init() {}

    public func next() -> UUID {
        let value = lock.withLock {
            counter += 1
            return counter
        }
        let hex = String(value, radix: 16)
        let digits = String(repeating: "0", count: 12 - hex.count) + hex
        return UUID(uuidString: "00000000-0000-0000-0000-\(digits)")!
    }
}
