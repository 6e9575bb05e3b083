import Foundation
public import Logging
import Vapor
public import ZhenggaiCore
public import ZhenggaiStore

/// What the command line does, as library calls: the executable only parses arguments.
public enum Commands {
    public static func openStore(dataDirectory: String, logger: Logger) throws -> Store {
        let folder = URL(fileURLWithPath: dataDirectory, isDirectory: true)
        let configuration = StoreConfiguration.resolve(
            dataDirectory: folder, environment: ProcessInfo.processInfo.environment)
        return try Store(configuration, logger: logger)
    }

    public static func serve(host: String, port: Int, dataDirectory: String, logger: Logger) async throws {
        let store = try openStore(dataDirectory: dataDirectory, logger: logger)
        let settings = ServerSettings(
            host: host, port: port, store: store.configuration,
            secureCookies: ProcessInfo.processInfo.environment["ZHENGGAI_SECURE_COOKIES"] == "1")
        let problems = settings.problems
        guard problems.isEmpty else {
            await store.shutdown()
            throw CommandError("配置有误：\n- " + problems.joined(separator: "\n- "))
        }
        do {
            if let password = try await ZhenggaiApp.prepare(store) {
                say("首次启动：已创建管理员账号 admin，初始密码（只显示这一次，请立即记下并修改）：\(password)")
            }
            let app = try await Application.make(Environment(name: "production", arguments: ["zhenggai"]))
            ZhenggaiApp.configure(app, settings: settings, store: store)
            say("政改（Zhenggai）已启动：http://\(host):\(port)/  数据目录：\(store.configuration.dataDirectory.path)")
            do {
                try await app.execute()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    /// Written at once, not buffered: under a service manager stdout is a pipe, and the one-time admin
    /// password must reach the log before the server runs for days.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
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
        try Passwords.checkStrength(password)
        let unitNode = try await store.unit(named: unit)
        return try await store.createUser(
            username: username, displayName: displayName ?? username, passwordHash: try Passwords.hash(password),
            grants: [NewGrant(role: role, unitID: unitNode.id)], by: .commandLine)
    }
}

public struct CommandError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension StoreError: CustomStringConvertible {
    public var description: String { userMessage }
}
