import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
public import Foundation
public import Logging
import NIOCore
import NIOPosix
import SQLKit
import Synchronization
public import ZhenggaiCore

public struct StoreConfiguration: Sendable {
    public enum Backend: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var backend: Backend
    /// The data folder: the SQLite file and the evidence files live here.
    public var dataDirectory: URL
    /// Keep evidence inside the database, so several app servers share one PostgreSQL and nothing else.
    public var evidenceInDatabase: Bool
    public var evidenceLimitBytes: Int

    public init(
        backend: Backend, dataDirectory: URL, evidenceInDatabase: Bool = false,
        evidenceLimitBytes: Int = EvidenceFiles.defaultLimit
    ) {
        self.backend = backend
        self.dataDirectory = dataDirectory
        self.evidenceInDatabase = evidenceInDatabase
        self.evidenceLimitBytes = evidenceLimitBytes
    }
}

public enum StoreOpenError: Error, CustomStringConvertible {
    case badURL(String)
    case cannotCreateDirectory(String, String)

    public var description: String {
        switch self {
        case .badURL(let detail): "DATABASE_URL 无法解析：\(detail)（示例：postgres://user:pass@127.0.0.1:5432/zhenggai）"
        case .cannotCreateDirectory(let path, let detail): "无法创建数据目录 \(path)：\(detail)"
        }
    }
}

/// The ledger's storage. One instance per process; app servers keep no other state, so several can
/// share one PostgreSQL.
public final class Store: Sendable {
    public let configuration: StoreConfiguration
    public let clock: any WallClock
    public let ids: any IDGenerator
    let databases: Databases
    let db: any Database
    public let logger: Logger
    private let publicChanges = Atomic<Int>(0)

    /// Counts the writes through this store that changed what the public sees (see `publicStamp`): a
    /// server's kept public pages need no database read to know that they are stale after its own writes.
    public var publicChangesHere: Int { publicChanges.load(ordering: .acquiring) }

    private let changes = Atomic<Int>(0)
    /// Counts the writes committed through this store, and the sessions it ended: what a server keeps from
    /// a session read (`SessionCache`) is stale once this moves.
    public var changesHere: Int { changes.load(ordering: .acquiring) }
    func countChange() { changes.add(1, ordering: .releasing) }

    public var isSQLite: Bool {
        if case .sqlite = configuration.backend { return true }
        return false
    }

    public init(
        _ configuration: StoreConfiguration, clock: any WallClock = SystemClock(), ids: any IDGenerator = RandomIDs(),
        logger: Logger
    ) throws {
        self.configuration = configuration
        self.clock = clock
        self.ids = ids
        self.logger = logger
        do {
            try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreOpenError.cannotCreateDirectory(configuration.dataDirectory.path, "\(error)")
        }
        let group = MultiThreadedEventLoopGroup.singleton
        databases = Databases(threadPool: NIOThreadPool.singleton, on: group)
        switch configuration.backend {
        case .sqlite(let path):
            // One connection serves every writer in turn: under a burst on a busy machine a writer may queue for
            // a while, which beats failing after the default 10 seconds.
            databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(120), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            do {
                databases.use(
                    // Writers queue on the audit head row; under a burst a writer may wait its turn for a while.
                    try .postgres(
                        url: url, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(120),
                        sqlLogLevel: .trace),
                    as: .psql)
            } catch {
                throw StoreOpenError.badURL("\(error)")
            }
        }
        // One event loop for the handle: SQLite then has exactly one connection, so writers queue in
        // the pool instead of spinning on SQLITE_BUSY; PostgreSQL still gets its connection pool.
        db = databases.database(logger: logger, on: group.any())!
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Creates or upgrades the schema. Safe to call at every start.
    public func migrate() async throws {
        if isSQLite {
            // WAL: readers never block the writer and a crash never leaves a half-written page.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA synchronous=FULL").run()
            // The one connection's page cache: SQLite's default of 2 MB made every ledger request re-read the
            // index pages it had just read from the file (docs/benchmarks.md); 64 MB holds a county's indexes.
            try await sql.raw("PRAGMA cache_size=-65536").run()
        }
        let migrations = Migrations()
        migrations.add(V1_LedgerSchema())
        migrations.add(V2_SimilarityDecisions())
        migrations.add(V3_LedgerSpeed())
        migrations.add(V4_TaskPosition())
        migrations.add(V5_ThrottleAndJobs())
        migrations.add(V6_PeopleAndAccounts())
        migrations.add(V7_Rhythm())
        migrations.add(V8_Publication())
        migrations.add(V9_Appeals())
        migrations.add(V10_Search())
        migrations.add(V11_LedgerReads())
        migrations.add(V12_AppealReferences())
        migrations.add(V13_AppealMonthReports())
        migrations.add(V14_AppealHandling())
        migrations.add(V15_PublicStamp())
        migrations.add(V16_RatingLinks())
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger, on: db.eventLoop, migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    public func shutdown() async {
        await databases.shutdownAsync()
    }

    public var evidenceDirectory: URL { configuration.dataDirectory.appendingPathComponent("evidence") }
}

/// One write: a transaction that first takes the audit chain's head. The first statement is a write, so
/// SQLite grants the write lock before anything is read and PostgreSQL queues writers on the head row;
/// every check made inside therefore sees the latest committed state, and audit entries get a total order.
final class WriteTransaction: @unchecked Sendable {
    let db: any Database
    let actor: AuditActor
    let now: Date
    private var seq: Int
    private var lastHash: String
    /// Set by `renewPublicStamp`.
    var publicChanged = false

    init(db: any Database, actor: AuditActor, now: Date, seq: Int, lastHash: String) {
        self.db = db
        self.actor = actor
        self.now = now
        self.seq = seq
        self.lastHash = lastHash
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }

    func record(
        _ action: String, entity: String, id: String, unitPath: String?, before: (any Encodable)?,
        after: (any Encodable)?
    ) async throws {
        seq += 1
        let entry = AuditEntryModel()
        entry.id = seq
        entry.at = Self.timestamp(now)
        entry.actorID = actor.id
        entry.actorName = actor.name
        entry.action = action
        entry.entity = entity
        entry.entityID = id
        entry.unitPath = unitPath
        entry.before = try before.map(Self.snapshot)
        entry.after = try after.map(Self.snapshot)
        entry.prevHash = lastHash
        entry.hash = AuditChain.hash(of: entry)
        lastHash = entry.hash
        // Entries wait to be written together: many in one statement for a batch (an import of a thousand
        // problems records two thousand), and on PostgreSQL the last ones with the head at `finish` — writers
        // queue on the head row, so every round trip while it is held is paid by all of them.
        pending.append(entry)
        if pending.count >= Self.rowsPerStatement { try await writePending() }
    }

    /// Entries recorded and not yet written (see `record`). Entries are read back only by later
    /// transactions, never by the one that recorded them.
    private var pending: [AuditEntryModel] = []
    /// Rows written by one multi-row INSERT: a couple of dozen values each stays far inside either
    /// database's limit on the values of one statement.
    static let rowsPerStatement = 200

    /// Rows inserted a `rowsPerStatement` at a time (bulk writes: `createProblems`, the pending audit entries).
    func insert(into table: String, _ columns: [String], _ rows: [[any SQLExpression]]) async throws {
        for start in stride(from: 0, to: rows.count, by: Self.rowsPerStatement) {
            var insert = SQLInsert(table: SQLIdentifier(table))
            insert.columns = columns.map { SQLIdentifier($0) }
            insert.values = Array(rows[start..<min(start + Self.rowsPerStatement, rows.count)])
            try await sql.execute(sql: insert) { _ in }
        }
    }

    private static let columns: [String] = [
        "seq", "at", "actor_id", "actor_name", "action", "entity", "entity_id", "unit_path", "before", "after",
        "prev_hash", "hash",
    ]

    private static func values(_ entry: AuditEntryModel) -> [any SQLExpression] {
        [
            SQLBind(entry.id), SQLBind(entry.at), SQLBind(entry.actorID), SQLBind(entry.actorName),
            SQLBind(entry.action), SQLBind(entry.entity), SQLBind(entry.entityID), SQLBind(entry.unitPath),
            SQLBind(entry.before), SQLBind(entry.after), SQLBind(entry.prevHash), SQLBind(entry.hash),
        ]
    }

    /// One INSERT through SQLKit for all pending entries: Fluent's `create` reflects over the model's
    /// properties on every call, which cost more than the statement itself in bulk writes (docs/benchmarks.md).
    private func writePending() async throws {
        let rows = pending.map(Self.values)
        pending.removeAll(keepingCapacity: true)
        try await insert(into: AuditEntryModel.schema, Self.columns, rows)
    }

    /// Within one batch write (`createProblems`) nothing changes a source, a unit or a category, so each is
    /// read once per transaction instead of once per row.
    private(set) var batchReads = false
    private var sources: [UUID: SourceModel] = [:]
    private var units: [UUID: UnitModel] = [:]
    private var categories: Set<String> = []

    func cacheBatchReads() { batchReads = true }

    func source(_ id: UUID) async throws -> SourceModel? {
        if let cached = sources[id] { return cached }
        let found = try await SourceModel.find(id, on: db)
        if batchReads, let found { sources[id] = found }
        return found
    }

    func unit(_ id: UUID) async throws -> UnitModel? {
        if let cached = units[id] { return cached }
        let found = try await UnitModel.find(id, on: db)
        if batchReads, let found { units[id] = found }
        return found
    }

    func categoryExists(_ code: String) async throws -> Bool {
        if categories.contains(code) { return true }
        let found = try await CategoryModel.find(code, on: db) != nil
        if batchReads && found { categories.insert(code) }
        return found
    }

    func finish() async throws {
        if !pending.isEmpty, sql.dialect.name == "postgresql" {
            var insert = SQLInsert(table: SQLIdentifier(AuditEntryModel.schema))
            insert.columns = Self.columns.map { SQLIdentifier($0) }
            insert.values = pending.map(Self.values)
            pending.removeAll()
            try await sql.raw(
                """
                WITH entry AS (\(insert)) UPDATE audit_head SET seq = \(bind: seq), hash = \(bind: lastHash) \
                WHERE id = 1
                """
            ).run()
            return
        }
        try await writePending()
        try await sql.update("audit_head")
            .set("seq", to: SQLBind(seq))
            .set("hash", to: SQLBind(lastHash))
            .where("id", .equal, SQLBind(1))
            .run()
    }

    static func snapshot(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func timestamp(_ date: Date) -> String {
        // Milliseconds in UTC, written as text: the hash must not depend on how a database rounds a float.
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let formatter = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return formatter.format(Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}

extension Store {
    func write<T: Sendable>(
        _ actor: AuditActor, _ body: @escaping @Sendable (WriteTransaction) async throws -> T
    ) async throws -> T {
        let now = clock.now()
        let changed = try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            // Takes the write lock and reads the head in one statement (SQLite and PostgreSQL have RETURNING).
            guard
                let head = try await sql.raw(
                    "UPDATE audit_head SET touched = touched + 1 WHERE id = 1 RETURNING seq, hash"
                ).first()
            else { throw StoreError.notFound(what: "审计日志起点") }
            let write = WriteTransaction(
                db: tx, actor: actor, now: now, seq: try head.decode(column: "seq", as: Int.self),
                lastHash: try head.decode(column: "hash", as: String.self))
            let result = try await body(write)
            try await write.finish()
            return (result, write.publicChanged)
        }
        // Counted once committed: a page read before the commit must not be kept as the new state.
        countChange()
        if changed.1 { publicChanges.add(1, ordering: .releasing) }
        return changed.0
    }

    /// Checks every entry's hash and link, and that the head points at the last entry, so a changed,
    /// deleted, inserted or truncated row is found. Reads in pages to keep memory flat.
    public func verifyAudit() async throws -> AuditVerification {
        var previous = AuditChain.genesis
        var expectedSeq = 1
        var checked = 0
        let page = 2_000
        while true {
            let entries = try await AuditEntryModel.query(on: db)
                .filter(\.$id >= expectedSeq)
                .sort(\.$id)
                .limit(page)
                .all()
            for entry in entries {
                let seq = entry.id ?? -1
                if seq != expectedSeq {
                    return AuditVerification(
                        entriesChecked: checked, firstBroken: expectedSeq, problem: "缺少该条记录（可能被删除）")
                }
                if entry.prevHash != previous {
                    return AuditVerification(entriesChecked: checked, firstBroken: seq, problem: "与上一条的链接不符")
                }
                if AuditChain.hash(of: entry) != entry.hash {
                    return AuditVerification(entriesChecked: checked, firstBroken: seq, problem: "内容与哈希值不符")
                }
                previous = entry.hash
                expectedSeq += 1
                checked += 1
            }
            if entries.count < page { break }
        }
        guard let head = try await AuditHeadModel.find(1, on: db) else {
            return AuditVerification(entriesChecked: checked, firstBroken: nil, problem: "缺少链头记录")
        }
        if head.seq != checked || head.hash != previous {
            return AuditVerification(
                entriesChecked: checked, firstBroken: checked + 1,
                problem: "链头记录第 \(head.seq) 条，实际只有 \(checked) 条（末尾记录可能被删除）")
        }
        return AuditVerification(entriesChecked: checked, firstBroken: nil, problem: nil)
    }

    public func auditTrail(entity: String, id: String) async throws -> [AuditEntry] {
        try await AuditEntryModel.query(on: db)
            .filter(\.$entity == entity).filter(\.$entityID == id)
            .sort(\.$id).all()
            .map(Self.record)
    }

    /// The chain as a feed, in the reader's scope: entries about units in it, and entries attached to no
    /// unit (the category list) only for a scope that holds a top-level unit.
    public func auditLog(in scope: Scope, _ query: AuditQuery) async throws -> [AuditEntry] {
        let builder = AuditEntryModel.query(on: db).filter(\.$id > query.after)
        if !scope.isEverything {
            let tops = try await UnitModel.query(on: db).filter(\.$parentID == nil).all().map(\.path)
            builder.group(.or) { group in
                group.filter(.sql(unsafeRaw: "1 = 0"))
                for root in scope.roots { group.filter(\.$unitPath, .custom("LIKE"), "\(root)%") }
                if scope.containsTopLevel(tops) { group.filter(\.$unitPath == nil) }
            }
        }
        return try await builder.sort(\.$id).limit(query.limit).all().map(Self.record)
    }

    static func record(_ model: AuditEntryModel) -> AuditEntry {
        AuditEntry(
            seq: model.id ?? 0, at: model.at, actorName: model.actorName, action: model.action,
            entity: model.entity, entityID: model.entityID, before: model.before, after: model.after)
    }
}
