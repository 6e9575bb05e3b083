import FluentKit
public import Foundation
import SQLKit

extension Store {
    /// A consistent copy while the server runs. SQLite: `VACUUM INTO` writes a snapshot of one read
    /// transaction; then every evidence file the snapshot names is copied into the copy's blob table, so
    /// one file holds everything (restore: put it in an empty data folder as zhenggai.sqlite).
    /// PostgreSQL is backed up with pg_dump (README).
    public func backup(to destination: URL) async throws -> (bytes: Int, evidenceFiles: Int) {
        guard isSQLite else {
            throw StoreError.invalid(field: "备份", message: "PostgreSQL 数据库请用 pg_dump 备份（见 README）。")
        }
        if FileManager.default.fileExists(atPath: destination.path) {
            throw StoreError.duplicate("备份文件 \(destination.path) 已存在，请换一个文件名。")
        }
        try await sql.raw("VACUUM INTO \(bind: destination.path)").run()
        let copy = try Store(
            StoreConfiguration(
                backend: .sqlite(path: destination.path), dataDirectory: destination.deletingLastPathComponent(),
                evidenceInDatabase: true),
            clock: clock, logger: logger)
        var copied = 0
        do {
            let digests = Set(try await EvidenceModel.query(on: copy.db).all().map(\.sha256))
            for digest in digests.sorted() where try await EvidenceBlobModel.find(digest, on: copy.db) == nil {
                guard let data = FileManager.default.contents(atPath: evidenceFile(digest).path) else {
                    logger.warning("evidence file missing during backup", metadata: ["sha256": .string(digest)])
                    continue
                }
                let blob = EvidenceBlobModel()
                blob.id = digest
                blob.data = data
                blob.size = data.count
                try await blob.create(on: copy.db)
                copied += 1
            }
        } catch {
            await copy.shutdown()
            throw error
        }
        await copy.shutdown()
        let size = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? Int) ?? 0
        return (size, copied)
    }
}
