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
