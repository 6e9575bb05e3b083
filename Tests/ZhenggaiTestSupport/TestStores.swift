public import Foundation
public import Logging
public import ZhenggaiCore
public import ZhenggaiStore

/// Real databases only: a fresh SQLite file per test, or a fresh PostgreSQL database per test when
/// `ZHENGGAI_TEST_DATABASE_URL` names a server (scripts/test starts one). A database each lets Swift
/// Testing run suites in parallel without sharing rows.
public enum TestStores {
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["ZHENGGAI_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var backendName: String { postgresURL == nil ? "SQLite" : "PostgreSQL" }

    /// Refusals are logged at info; the tests cause thousands on purpose.
    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// 2026-11-24, a Tuesday, China time: tests stand on a fixed day.
    public static let today = LocalDate(year: 2026, month: 11, day: 24)!

    public static func withStore<T>(
        clock: any WallClock = FixedClock(today), ids: any IDGenerator = RandomIDs(), evidenceInDatabase: Bool = false,
        evidenceLimitBytes: Int? = nil, _ body: (Store) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zhenggai-test-\(UUID().uuidString)")
        var databaseName: String?
        let backend: StoreConfiguration.Backend
        if let url = postgresURL {
            let name = "zt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            try psql(url, "CREATE DATABASE \(name)")
            databaseName = String(name)
            backend = .postgres(url: replacingDatabase(in: url, with: String(name)))
        } else {
            backend = .sqlite(path: folder.appendingPathComponent("zhenggai.sqlite").path)
        }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let store = try Store(
            StoreConfiguration(
                backend: backend, dataDirectory: folder, evidenceInDatabase: evidenceInDatabase,
                evidenceLimitBytes: evidenceLimitBytes ?? EvidenceFiles.defaultLimit),
            clock: clock, ids: ids, logger: logger)
        func cleanUp() async {
            await store.shutdown()
            try? FileManager.default.removeItem(at: folder)
            if let databaseName, let url = postgresURL { try? psql(url, "DROP DATABASE IF EXISTS \(databaseName)") }
        }
        do {
            try await store.migrate()
            let result = try await body(store)
            await cleanUp()
            return result
        } catch {
            await cleanUp()
            throw error
        }
    }

    /// `postgres://u@h:p/db?tlsmode=disable` → the same server, another database.
    static func replacingDatabase(in url: String, with name: String) -> String {
        guard var parts = URLComponents(string: url) else { return url }
        parts.path = "/\(name)"
        return parts.string ?? url
    }

    static func psql(_ url: String, _ statement: String) throws {
        var parts = URLComponents(string: url)
        parts?.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", parts?.string ?? url, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "psql failed: \(statement)"])
        }
    }
}

/// A small county for tests: county C → townships T (with village V) and S.
public struct TestCounty: Sendable {
    public var county: UnitNode
    public var township: UnitNode
    public var village: UnitNode
    public var sibling: UnitNode

    public static func make(in store: Store) async throws -> TestCounty {
        let county = try await store.createUnit(name: "测试县", kind: .county, parentID: nil, by: .commandLine)
        let township = try await store.createUnit(name: "青山镇", kind: .township, parentID: county.id, by: .commandLine)
        let village = try await store.createUnit(name: "石门村", kind: .village, parentID: township.id, by: .commandLine)
        let sibling = try await store.createUnit(name: "河口镇", kind: .township, parentID: county.id, by: .commandLine)
        return TestCounty(county: county, township: township, village: village, sibling: sibling)
    }

    public func user(
        _ store: Store, _ username: String, _ role: Role, at unit: UnitNode, passwordHash: String = "$2b$04$unused"
    ) async throws -> User {
        try await store.createUser(
            username: username, displayName: username, passwordHash: passwordHash,
            grants: [NewGrant(role: role, unitID: unit.id)], by: .commandLine)
    }

    public func source(_ store: Store, by user: User, at unit: UnitNode? = nil, round: Int = 3) async throws -> Source {
        try await store.createSource(
            NewSource(
                kind: .inspection, title: "县委第三巡察组反馈意见", issuer: "县委第三巡察组", round: round,
                unitID: (unit ?? township).id, feedbackDate: LocalDate(year: 2026, month: 9, day: 1)!),
            by: AuditActor(user))
    }
}

public enum Fixtures {
    /// Enough of a PDF for the type check: the evidence store looks at the first bytes.
    public static let pdf = Data("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8)
}
