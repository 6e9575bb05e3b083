/// The part of the unit tree a read may see. Every list and count read of the store requires one, so a
/// read cannot forget to be scoped: it is built from a caller's grants (`Scope(principal)`, or for one
/// action `Scope(principal, for:)`), or it is `.everything` for the command line and jobs acting as the
/// system.
public struct Scope: Sendable, Hashable, CustomStringConvertible {
    /// Materialised unit paths ("/id1/id2/"), none inside another, sorted. Empty: nothing.
    public let roots: [String]

    private init(paths: [String]) {
        let unique = Set(paths).sorted()
        // Drop roots already inside another root, so queries stay short.
        roots = unique.filter { path in !unique.contains { $0 != path && path.hasPrefix($0) } }
    }

    /// Everything the principal may read.
    public init(_ principal: Principal) {
        self.init(paths: principal.grants.map(\.unitPath))
    }

    /// Where the principal holds a role that may take `action` (an admin at a township who is a clerk at
    /// the county manages users of the township only).
    public init(_ principal: Principal, for action: Action) {
        let roles = AccessPolicy.roles(for: action)
        self.init(paths: principal.grants.filter { roles.contains($0.role) }.map(\.unitPath))
    }

    /// One subtree, for reports about one unit.
    public init(subtree path: String) { self.init(paths: [path]) }

    /// The whole tree: the command line, background jobs and the server's own indexes.
    public static let everything = Scope(paths: ["/"])
    public static let nothing = Scope(paths: [])

    public var isEverything: Bool { roots == ["/"] }
    public var isEmpty: Bool { roots.isEmpty }

    public func contains(_ path: String) -> Bool { roots.contains { path.hasPrefix($0) } }

    /// Whether records attached to no unit (the category list, the system's own entries) are in scope:
    /// only for a scope that holds a top-level unit, such as the county's own office.
    public func containsTopLevel(_ topLevelPaths: [String]) -> Bool {
        isEverything || topLevelPaths.contains { contains($0) }
    }

    public var description: String { isEverything ? "everything" : roots.joined(separator: ",") }
}
