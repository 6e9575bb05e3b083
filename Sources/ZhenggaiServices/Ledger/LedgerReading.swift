public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// Reading the ledger for one reader: the query they sent becomes the store's filter, in their scope.
public enum LedgerReading {
    /// A unit outside the reader's scope is refused (not silently emptied), and 只看我负责的 means the items
    /// where the reader is the 责任领导 or the 责任人.
    public static func filter(
        _ query: LedgerQuery, reader: Principal, readerID: UUID, store: Store, today: LocalDate
    ) async throws -> LedgerFilter {
        var filter = LedgerFilter(scope: Scope(reader))
        filter.sourceID = query.source
        filter.round = query.round
        filter.categoryCode = query.category
        filter.statuses = query.statuses
        filter.leaderID = query.leader
        if query.mine { filter.responsibleUserID = readerID }
        if query.askedByMe { filter.requestedBy = readerID }
        filter.withoutTasks = query.withoutTasks
        filter.lateOnly = query.late
        filter.text = query.text
        if query.overdue { filter.overdueOn = today }
        if let unitID = query.unit {
            let path = try await store.unit(unitID).path
            try AccessPolicy.check(reader, .read, on: AccessTarget(unitPath: path))
            filter.unitPath = path
        }
        return filter
    }
}

/// What a ledger page or count depends on besides the stored rows: the filter (with the reader's scope and,
/// for 只看我负责的, the reader), the page, the order, the day (what is overdue changes at midnight), and
/// for pages a caller-shaped part such as the pickers (`variant`). Synthesized equality, so no filter
/// field can be left out of the key.
public struct LedgerKey: Hashable, Sendable {
    public var filter: LedgerFilter
    public var paging: Paging?
    public var sort: LedgerSort
    public var today: LocalDate
    public var variant: String

    public init(filter: LedgerFilter, paging: Paging?, sort: LedgerSort, today: LocalDate, variant: String = "") {
        self.filter = filter
        self.paging = paging
        self.sort = sort
        self.today = today
        self.variant = variant
    }
}
