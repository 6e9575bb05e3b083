public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// Where an action on a stored thing lands, for the gate: the same answer for the API and the pages.
extension Store {
    public func accessTarget(unit id: UUID) async throws -> AccessTarget {
        AccessTarget(unitPath: try await unit(id).path)
    }

    /// A problem's unit, and the leaders of its tasks (a leader acts on what they lead).
    public func accessTarget(problem id: UUID) async throws -> AccessTarget {
        let problem = try await problem(id)
        let leaders = try await leaderIDs(ofProblem: id)
        return AccessTarget(unitPath: problem.unitPath, taskLeaderIDs: Set(leaders.map(\.uuidString)))
    }

    public func accessTarget(task id: UUID) async throws -> AccessTarget {
        let access = try await taskAccess(id)
        return AccessTarget(
            unitPath: access.unitPath, taskLeaderIDs: Set([access.leaderID?.uuidString].compactMap { $0 }))
    }

    public func accessTarget(source id: UUID) async throws -> AccessTarget {
        try await accessTarget(unit: try await source(id).unitID)
    }
}
