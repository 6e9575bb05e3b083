public import Foundation
public import Logging
public import ZhenggaiCore
public import ZhenggaiStore

/// What the command line does, as library calls: the executable only parses arguments.
public enum Commands {
    /// The store the configuration names (SQLite in the data folder, or PostgreSQL from DATABASE_URL).
    public static func openStore(_ configuration: AppConfiguration, logger: Logger) throws -> Store {
        try Store(configuration.store, logger: logger)
    }

    /// For the commands other than `serve`: the configuration from the environment, checked, then the store.
    public static func openStore(dataDirectory: String, logger: Logger) throws -> Store {
        let configuration = try AppConfiguration.load(
            dataDirectory: dataDirectory, environment: ProcessInfo.processInfo.environment)
        return try openStore(configuration, logger: logger)
    }

    /// The name a county gets when none is given at the first start.
    public static let placeholderCountyName = "本县"

    /// Opens the store, migrates it, and on the first start creates the county (named `countyName`, or
    /// 「本县」 until it is renamed) and `admin` with a random password that is printed once. A county still
    /// called 「本县」 takes the name given on a later start. Returns the password when it created the account.
    public static func prepare(_ store: Store, countyName: String? = nil) async throws -> String? {
        try await store.migrate()
        let tops = try await store.units(in: .everything).filter { $0.parentID == nil }
        if let countyName, tops.count == 1, tops[0].name == placeholderCountyName, countyName != tops[0].name {
            _ = try await store.renameUnit(tops[0].id, to: countyName, by: .commandLine)
        }
        guard try await store.userCount() == 0 else { return nil }
        let county: UnitNode
        if let existing = tops.first {
            county = existing
        } else {
            county = try await store.createUnit(
                name: countyName ?? placeholderCountyName, kind: .county, parentID: nil, by: .commandLine)
        }
        let password = Passwords.random()
        _ = try await store.createUser(
            username: "admin", displayName: "系统管理员", passwordHash: Passwords.hash(password),
            grants: [NewGrant(role: .admin, unitID: county.id)], mustChangePassword: true, by: .commandLine)
        return password
    }

    /// Runs `body` with a migrated store and always closes it.
    public static func withStore<T: Sendable>(
        dataDirectory: String, logger: Logger, _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        let store = try openStore(dataDirectory: dataDirectory, logger: logger)
        do {
            try await store.migrate()
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    public static func addUnit(name: String, kind: UnitKind?, parent: String?, store: Store) async throws -> UnitNode {
        var parentUnit: UnitNode?
        if let parent { parentUnit = try await store.unit(named: parent) }
        let resolvedKind =
            kind
            ?? {
                switch parentUnit?.kind {
                case nil: UnitKind.county
                case .county:
                    name.hasSuffix("局") || name.hasSuffix("部") || name.hasSuffix("委") ? .department : .township
                default: name.hasSuffix("社区") ? .community : .village
                }
            }()
        return try await store.createUnit(name: name, kind: resolvedKind, parentID: parentUnit?.id, by: .commandLine)
    }

    public static func addUser(
        username: String, displayName: String?, role: Role, unit: String, password: String, store: Store
    ) async throws -> User {
        try Passwords.checkStrength(password, username: username)
        let unitNode = try await store.unit(named: unit)
        // Whoever typed the password is not the person who will use it: it is changed at the first login.
        return try await store.createUser(
            username: username, displayName: displayName ?? username, passwordHash: Passwords.hash(password),
            grants: [NewGrant(role: role, unitID: unitNode.id)], mustChangePassword: true, by: .commandLine)
    }
}

/// Written at once, not buffered: under a service manager stdout is a pipe, and the one-time admin
/// password must reach the log before the server runs for days.
public func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

public struct CommandError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension StoreError: CustomStringConvertible {
    public var description: String { userMessage }
}
