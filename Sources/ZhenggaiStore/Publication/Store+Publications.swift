import Crypto
public import Foundation
import SQLKit
public import ZhenggaiCore

extension Store {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// A prepared version, waiting for the secretary: numbered after the last version of the same source and
    /// unit.
    public func createPublicationDraft(
        sourceID: UUID, unitID: UUID, content: PublicationContent, internalNotes: PublicationInternal,
        by actor: AuditActor
    ) async throws -> Publication {
        let id = ids.next()
        try await write(actor) { tx in
            guard let unit = try await UnitModel.find(unitID, on: tx.db) else { throw StoreError.notFound(what: "单位") }
            let last =
                try await tx.sql.raw(
                    """
                    SELECT MAX(version) AS v FROM publications WHERE source_id = \(bind: sourceID) AND unit_id = \(bind: unitID)
                    """
                ).first()?.decode(column: "v", as: Int?.self) ?? 0
            try await tx.sql.raw(
                """
                INSERT INTO publications (id, source_id, unit_id, unit_path, version, status, content, internal,
                  prepared_by, prepared_by_name, prepared_at)
                VALUES (\(bind: id), \(bind: sourceID), \(bind: unitID), \(bind: unit.path), \(bind: last + 1), 'draft',
                  \(bind: try Self.json(content)), \(bind: try Self.json(internalNotes)), \(bind: actor.id), \(bind: actor.name),
                  \(bind: tx.now.timeIntervalSince1970))
                """
            ).run()
            try await tx.record(
                "publication.prepare", entity: "publication", id: id.uuidString, unitPath: unit.path, before: nil,
                after: [
                    "version": String(last + 1), "items": String(content.items.count),
                    "exempt": String(internalNotes.exemptions.count),
                ])
        }
        return try await publication(id)
    }

    /// The secretary approves a draft: it goes out, and the version before it (if any) is marked 已更正 with
    /// the date. Checked inside the write: a draft approved twice at once goes out once.
    public func approvePublication(_ id: UUID, by actor: AuditActor) async throws -> Publication {
        try await write(actor) { tx in
            let draft = try await self.publication(id, on: tx.sql)
            guard draft.status == .draft else {
                throw StoreError.invalid(field: "公开", message: "这一版已不是待审核状态（当前：\(draft.status.label)）。")
            }
            guard draft.preparedBy == nil || draft.preparedBy != actor.id else {
                throw StoreError.invalid(field: "公开", message: "准备公开的人不能自己审核，请由本单位书记审核。")
            }
            let now = tx.now.timeIntervalSince1970
            try await tx.sql.raw(
                """
                UPDATE publications SET status = 'corrected', corrected_at = \(bind: now)
                WHERE source_id = \(bind: draft.sourceID) AND unit_id = \(bind: draft.unitID) AND status = 'published'
                """
            ).run()
            try await tx.sql.raw(
                """
                UPDATE publications SET status = 'published', approved_by = \(bind: actor.id),
                  approved_by_name = \(bind: actor.name), approved_at = \(bind: now) WHERE id = \(bind: id)
                """
            ).run()
            try await tx.renewPublicStamp()
            try await tx.record(
                "publication.approve", entity: "publication", id: id.uuidString, unitPath: draft.unitPath,
                before: ["status": draft.status.rawValue],
                after: ["status": "published", "version": String(draft.version)])
        }
        return try await publication(id)
    }

    /// Takes a published version (or a draft) off; recorded with the reason, never deleted.
    public func withdrawPublication(_ id: UUID, reason raw: String, by actor: AuditActor) async throws -> Publication {
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw StoreError.invalid(field: "撤回理由", message: "请写明撤回理由（不超过 500 字）。")
        }
        try await write(actor) { tx in
            let current = try await self.publication(id, on: tx.sql)
            guard current.status == .published || current.status == .draft else {
                throw StoreError.invalid(field: "撤回", message: "这一版已\(current.status.label)。")
            }
            try await tx.sql.raw(
                """
                UPDATE publications SET status = 'withdrawn', withdrawn_at = \(bind: tx.now.timeIntervalSince1970),
                  withdrawn_reason = \(bind: reason) WHERE id = \(bind: id)
                """
            ).run()
            if current.status == .published { try await tx.renewPublicStamp() }
            try await tx.record(
                "publication.withdraw", entity: "publication", id: id.uuidString, unitPath: current.unitPath,
                before: ["status": current.status.rawValue], after: ["status": "withdrawn", "reason": reason])
        }
        return try await publication(id)
    }

    public func publication(_ id: UUID) async throws -> Publication { try await publication(id, on: sql) }

    /// Names the state of everything public (publications and the appeals desk's month figures): a page
    /// rendered under this stamp is still true while the stamp stands. One row, read on every public request.
    public func publicStamp() async throws -> String {
        try await sql.raw("SELECT stamp FROM public_stamp WHERE id = 1").first()?.decode(
            column: "stamp", as: String.self)
            ?? ""
    }

    func publication(_ id: UUID, on database: any SQLDatabase) async throws -> Publication {
        guard let row = try await database.raw("SELECT * FROM publications WHERE id = \(bind: id)").first() else {
            throw StoreError.notFound(what: "公开版本")
        }
        return try Self.publication(row)
    }

    static func publication(_ row: any SQLRow) throws -> Publication {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Double?.self).map { Date(timeIntervalSince1970: $0) }
        }
        return Publication(
            id: try row.decode(column: "id", as: UUID.self),
            sourceID: try row.decode(column: "source_id", as: UUID.self),
            unitID: try row.decode(column: "unit_id", as: UUID.self),
            unitPath: try row.decode(column: "unit_path", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            status: Publication.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .withdrawn,
            content: try decode(PublicationContent.self, try row.decode(column: "content", as: String.self)),
            internalNotes: try decode(PublicationInternal.self, try row.decode(column: "internal", as: String.self)),
            preparedByName: try row.decode(column: "prepared_by_name", as: String.self),
            preparedBy: try row.decode(column: "prepared_by", as: UUID?.self),
            preparedAt: try date("prepared_at") ?? Date(timeIntervalSince1970: 0),
            approvedByName: try row.decode(column: "approved_by_name", as: String?.self),
            approvedAt: try date("approved_at"), correctedAt: try date("corrected_at"),
            withdrawnAt: try date("withdrawn_at"),
            withdrawnReason: try row.decode(column: "withdrawn_reason", as: String?.self))
    }

    /// Versions in the scope (every status), newest first.
    public func publications(in scope: Scope, sourceID: UUID? = nil) async throws -> [Publication] {
        var query = SQLQueryString("SELECT * FROM publications")
        if let sourceID {
            query.appendLiteral(" WHERE source_id = ")
            query.appendInterpolation(bind: sourceID)
        }
        query.appendLiteral(" ORDER BY prepared_at DESC, version DESC")
        return try await sql.raw(query).all().map(Self.publication).filter { scope.contains($0.unitPath) }
    }

    /// What the public may open: published versions, and the versions they replaced (readable, marked
    /// 已更正). Drafts and withdrawn versions never.
    public func publicPublications() async throws -> [Publication] {
        try await sql.raw(
            "SELECT * FROM publications WHERE status IN ('published', 'corrected') ORDER BY unit_path, version DESC"
        ).all().map(Self.publication)
    }

    // MARK: Ratings

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).hexString
    }

    /// Codes the unit hands out (printed for a 评议会, or a signed link): 10 characters each, kept only as
    /// hashes. Answers the codes, shown once.
    public func issueRatingCodes(publicationID: UUID, count: Int, by actor: AuditActor) async throws -> [String] {
        guard (1...2_000).contains(count) else {
            throw StoreError.invalid(field: "数量", message: "一次可生成 1 到 2000 个评价码。")
        }
        let codes = (0..<count).map { _ in Self.newRatingCode() }
        try await write(actor) { tx in
            let publication = try await self.publication(publicationID, on: tx.sql)
            guard publication.status == .published else {
                throw StoreError.invalid(field: "评价码", message: "只有已公开的版本才能发放评价码。")
            }
            for code in codes {
                try await tx.sql.raw(
                    """
                    INSERT INTO rating_codes (code_hash, publication_id, issued_by_name, issued_at)
                    VALUES (\(bind: Self.hash(code)), \(bind: publicationID), \(bind: actor.name), \(bind: tx.now.timeIntervalSince1970))
                    """
                ).run()
            }
            try await tx.record(
                "publication.codes", entity: "publication", id: publicationID.uuidString,
                unitPath: publication.unitPath, before: nil, after: ["count": String(count)])
        }
        return codes
    }

    public enum RatingRefusal: Error, Equatable, Sendable {
        case unknownCode, alreadyRated, notOpen

        public var userMessage: String {
            switch self {
            case .unknownCode: "评价码不正确，或不是这份公开内容的评价码。请核对后重新输入。"
            case .alreadyRated: "这个评价码在本季度已经评价过这一项，每人每项每季度评价一次。"
            case .notOpen: "这份公开内容已更正或撤回，请对最新版本评价。"
            }
        }
    }

    /// One rating. The code must belong to the publication; one per code, item and period (the unique
    /// index decides when two arrive at once). A burst from one address, or a reason copied word for word
    /// many times, is stored flagged and kept out of the figures.
    public func rate(
        publicationID: UUID, item: String, period: String, code: String, level: RatingLevel, reason raw: String,
        address: String
    ) async throws -> Result<Void, RatingRefusal> {
        let publication = try await publication(publicationID)
        guard publication.status == .published else { return .failure(.notOpen) }
        let codeHash = Self.hash(code.uppercased().trimmingCharacters(in: .whitespaces))
        guard try await ratingCodeExists(code, publicationID: publicationID) else { return .failure(.unknownCode) }
        let reason = String(raw.trimmingCharacters(in: .whitespacesAndNewlines).prefix(500))
        let addressHash = Self.hash("rating-address:" + address)
        let now = clock.now().timeIntervalSince1970
        var flag: String?
        let recent =
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM ratings WHERE address_hash = \(bind: addressHash) AND created_at > \(bind: now - 60)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        if recent >= 20 { flag = "同一地址一分钟内评价过多" }
        if flag == nil && reason.count >= 4 {
            let same =
                try await sql.raw(
                    """
                    SELECT COUNT(*) AS n FROM ratings WHERE publication_id = \(bind: publicationID) AND period = \(bind: period)
                      AND reason = \(bind: reason)
                    """
                ).first()?.decode(column: "n", as: Int.self) ?? 0
            if same >= 3 { flag = "理由与其他评价完全相同" }
        }
        let inserted = try await sql.raw(
            """
            INSERT INTO ratings (id, publication_id, item, period, code_hash, level, reason, address_hash, created_at, flag)
            VALUES (\(bind: ids.next()), \(bind: publicationID), \(bind: item), \(bind: period), \(bind: codeHash),
              \(bind: level.rawValue), \(bind: reason), \(bind: addressHash), \(bind: now), \(bind: flag))
            ON CONFLICT (code_hash, item, period) DO NOTHING
            RETURNING id
            """
        ).first()
        return inserted == nil ? .failure(.alreadyRated) : .success(())
    }

    /// The ratings of items (problem ids, or "all") in a period, across every version of publications.
    public func ratingSummaries(items: [String], period: String) async throws -> [String: RatingSummary] {
        guard !items.isEmpty else { return [:] }
        let rows = try await sql.raw(
            """
            SELECT item, level, flag IS NOT NULL AS flagged, COUNT(*) AS n FROM ratings
            WHERE period = \(bind: period) AND item IN (\(binds: items)) GROUP BY item, level, flag IS NOT NULL
            """
        ).all()
        var result: [String: RatingSummary] = [:]
        for row in rows {
            let item = try row.decode(column: "item", as: String.self)
            let level = try row.decode(column: "level", as: Int.self)
            let count = try row.decode(column: "n", as: Int.self)
            var summary = result[item] ?? RatingSummary()
            if try row.decode(column: "flagged", as: Bool.self) {
                summary.flagged += count
            } else if (1...5).contains(level) {
                summary.counts[5 - level] += count
            }
            result[item] = summary
        }
        return result
    }

    /// Every rating of the scope's publications, for the export (no code, no address).
    public func ratings(in scope: Scope) async throws -> [(
        publication: Publication, item: String, period: String,
        level: Int, reason: String, at: Date, flag: String?
    )] {
        let publications = Dictionary(uniqueKeysWithValues: try await publications(in: scope).map { ($0.id, $0) })
        return try await sql.raw(
            "SELECT publication_id, item, period, level, reason, created_at, flag FROM ratings ORDER BY created_at"
        )
        .all().compactMap { row in
            guard let publication = publications[try row.decode(column: "publication_id", as: UUID.self)] else {
                return nil
            }
            return (
                publication, try row.decode(column: "item", as: String.self),
                try row.decode(column: "period", as: String.self), try row.decode(column: "level", as: Int.self),
                try row.decode(column: "reason", as: String.self),
                Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
                try row.decode(column: "flag", as: String?.self)
            )
        }
    }
}

extension Publication.Status {
    public var label: String {
        switch self {
        case .draft: "待审核"
        case .published: "已公开"
        case .corrected: "已更正"
        case .withdrawn: "已撤回"
        }
    }
}

extension WriteTransaction {
    /// Called by every write that changes what a public page shows, inside its transaction.
    func renewPublicStamp() async throws {
        publicChanged = true
        try await sql.raw("UPDATE public_stamp SET stamp = \(bind: UUID().uuidString) WHERE id = 1").run()
    }
}
