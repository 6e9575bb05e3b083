public import Foundation
import SQLKit
public import ZhenggaiCore

/// A file as it arrives with a form, before it is checked and stored.
public struct FileUpload: Sendable {
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

extension Store {
    /// At most this many files in one upload (a batch of photos); each is checked like evidence.
    public static let appealFilesPerUpload = 5

    struct CheckedUpload {
        var name: String
        var contentType: String
        var digest: String
        var data: Data
    }

    /// Every file is checked before any is stored (one bad file in a batch stores none), and their bytes
    /// are on disk before the transaction that names them.
    func checkUploads(_ uploads: [FileUpload]) throws -> [CheckedUpload] {
        guard uploads.count <= Self.appealFilesPerUpload else {
            throw StoreError.invalid(field: "附件", message: "一次最多上传 \(Self.appealFilesPerUpload) 个文件。")
        }
        let checked = try uploads.map { upload in
            let name = EvidenceFiles.cleanName(upload.name)
            do throws(StoreError) {
                let type = try EvidenceFiles.check(
                    name: name, data: upload.data, limit: configuration.evidenceLimitBytes)
                return CheckedUpload(
                    name: name, contentType: type, digest: EvidenceFiles.sha256(upload.data), data: upload.data)
            } catch {
                throw StoreError.invalid(field: "附件", message: "「\(name)」不能上传，本批文件均未保存：\(error.userMessage)")
            }
        }
        if !configuration.evidenceInDatabase {
            for file in checked { try writeEvidenceFile(file.digest, file.data) }
        }
        return checked
    }

    func insertAppealFiles(_ files: [CheckedUpload], appealID: UUID, stage: AppealFile.Stage, tx: WriteTransaction)
        async throws
    {
        for file in files {
            try await keepBlob(file.digest, file.data, tx: tx)
            try await tx.sql.raw(
                """
                INSERT INTO appeal_files (id, appeal_id, stage, file_name, content_type, size, sha256, uploaded_by_name,
                  created_at)
                VALUES (\(bind: ids.next()), \(bind: appealID), \(bind: stage.rawValue), \(bind: file.name),
                  \(bind: file.contentType), \(bind: file.data.count), \(bind: file.digest), \(bind: tx.actor.name),
                  \(bind: tx.now.timeIntervalSince1970))
                """
            ).run()
        }
    }

    /// Files added to an open appeal: 受理材料 before it is dispatched, 办理佐证 after.
    public func addAppealFiles(_ appealID: UUID, _ uploads: [FileUpload], by actor: AuditActor) async throws
        -> [AppealFile]
    {
        guard !uploads.isEmpty else { throw StoreError.invalid(field: "附件", message: "请选择要上传的文件。") }
        let checked = try checkUploads(uploads)
        try await write(actor) { tx in
            guard
                let row = try await tx.sql.raw("SELECT \(unsafeRaw: Self.appealColumns) WHERE a.id = \(bind: appealID)")
                    .first()
            else { throw StoreError.notFound(what: "群众诉求") }
            let appeal = try Self.appeal(row)
            guard appeal.status.isOpen else {
                throw StoreError.invalid(field: "附件", message: "诉求已「\(appeal.status.label)」，不能再上传材料。")
            }
            let stage: AppealFile.Stage =
                appeal.status == .registered || appeal.status == .disputed ? .register : .handling
            try await self.insertAppealFiles(checked, appealID: appealID, stage: stage, tx: tx)
            let names = checked.map(\.name).joined(separator: "、")
            try await Self.appealEvent(appealID, kind: "file", note: "上传\(stage.label)：\(names)", tx: tx)
            try await tx.record(
                "appeal.file", entity: "appeal", id: appealID.uuidString, unitPath: appeal.areaPath, before: nil,
                after: [
                    "stage": stage.rawValue, "files": names, "sha256": checked.map(\.digest).joined(separator: ","),
                ])
        }
        return try await appealFiles(appealID)
    }

    public func appealFiles(_ appealID: UUID) async throws -> [AppealFile] {
        try await sql.raw(
            "SELECT * FROM appeal_files WHERE appeal_id = \(bind: appealID) ORDER BY created_at, file_name"
        )
        .all().map(Self.appealFile)
    }

    public func appealFile(_ id: UUID) async throws -> AppealFile {
        guard let row = try await sql.raw("SELECT * FROM appeal_files WHERE id = \(bind: id)").first() else {
            throw StoreError.notFound(what: "诉求附件")
        }
        return try Self.appealFile(row)
    }

    public func appealFileData(_ file: AppealFile) async throws -> Data { try await fileData(file.sha256) }

    static func appealFile(_ row: any SQLRow) throws -> AppealFile {
        AppealFile(
            id: try row.decode(column: "id", as: UUID.self),
            appealID: try row.decode(column: "appeal_id", as: UUID.self),
            stage: AppealFile.Stage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .handling,
            fileName: try row.decode(column: "file_name", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self),
            size: try row.decode(column: "size", as: Int.self),
            sha256: try row.decode(column: "sha256", as: String.self),
            uploadedBy: try row.decode(column: "uploaded_by_name", as: String.self),
            uploadedAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
    }

    // MARK: 首接负责制

    public func appealAssists(_ appealID: UUID) async throws -> [AppealAssist] {
        try await Self.appealAssists(appealID, on: sql)
    }

    static func appealAssists(_ appealID: UUID, on database: any SQLDatabase) async throws -> [AppealAssist] {
        try await database.raw(
            """
            SELECT s.department_id, s.department_path, u.name FROM appeal_assists s JOIN units u ON u.id = s.department_id
            WHERE s.appeal_id = \(bind: appealID) ORDER BY u.name
            """
        ).all().map {
            AppealAssist(
                departmentID: try $0.decode(column: "department_id", as: UUID.self),
                departmentName: try $0.decode(column: "name", as: String.self),
                departmentPath: try $0.decode(column: "department_path", as: String.self))
        }
    }

    /// The assisting departments, replaced as a whole at each 派单 (the lead is never its own assistant).
    static func replaceAssists(_ appealID: UUID, with departments: [UUID], lead: UUID?, tx: WriteTransaction)
        async throws -> [AppealAssist]
    {
        try await tx.sql.raw("DELETE FROM appeal_assists WHERE appeal_id = \(bind: appealID)").run()
        var seen = Set<UUID>()
        for department in departments where department != lead && seen.insert(department).inserted {
            guard let unit = try await UnitModel.find(department, on: tx.db) else {
                throw StoreError.notFound(what: "协办单位")
            }
            guard unit.retiredOn == nil else {
                throw StoreError.invalid(field: "协办单位", message: "「\(unit.name)」已撤销。")
            }
            try await tx.sql.raw(
                """
                INSERT INTO appeal_assists (appeal_id, department_id, department_path)
                VALUES (\(bind: appealID), \(bind: department), \(bind: unit.path))
                """
            ).run()
        }
        return try await appealAssists(appealID, on: tx.sql)
    }
}
