public import Foundation

/// The time source, injected everywhere so tests and the demo can stand on any day.
public protocol WallClock: Sendable {
    func now() -> Date
}

extension WallClock {
    public func today() -> LocalDate { LocalDate(now()) }
}

public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still at a given instant (tests, demo, reproducible reports).
public struct FixedClock: WallClock {
    public let instant: Date
    public init(_ instant: Date) { self.instant = instant }
    public init(_ day: LocalDate) { self.instant = day.date }
    public func now() -> Date { instant }
}

/// A clock that moves only when told to (tests of expiry, windows and schedules).
public final class MutableClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var instant: Date

    public init(_ day: LocalDate) { instant = day.date }
    public init(_ instant: Date) { self.instant = instant }

    public func now() -> Date { lock.withLock { instant } }
    public func advance(by seconds: TimeInterval) { lock.withLock { instant = instant.addingTimeInterval(seconds) } }
    public func set(_ date: Date) { lock.withLock { instant = date } }
}
