import Crypto
public import Foundation
import SQLKit
public import ZhenggaiCore

public struct NewAppeal: Sendable {
    public var channel: Appeal.Channel
    public var kind: Appeal.Kind
    public var urgent: Bool
    public var category: String
    public var areaID: UUID
    public var place: String
    public var text: String
    public var personName: String
    public var personPhone: String
    public var latitude: Double?
    public var longitude: Double?
    /// Open311 posts get a token the client polls.
    public var token: String?
    public var apiKeyID: UUID?
    /// The hotline platform's own work-order number (12345 工单编号): one appeal per number.
    public var externalRef: String?
    /// When the platform received it, for an appeal registered later from its sheet; now otherwise.
    public var receivedAt: Date?
    /// What the person brought (a photo, a letter): kept with the appeal as 受理材料, in the same transaction.
    public var attachments: [FileUpload] = []

    public init(
        channel: Appeal.Channel, kind: Appeal.Kind, urgent: Bool = false, category: String, areaID: UUID, place: String,
        text: String, personName: String, personPhone: String, latitude: Double? = nil, longitude: Double? = nil,
        token: String? = nil, apiKeyID: UUID? = nil
    ) {
        self.channel = channel
        self.kind = kind
        self.urgent = urgent
        self.category = category
        self.areaID = areaID
        self.place = place
        self.text = text
        self.personName = personName
        self.personPhone = personPhone
        self.latitude = latitude
        self.longitude = longitude
        self.token = token
        self.apiKeyID = apiKeyID
    }
}

public struct AppealEvent: Sendable, Equatable {
    public var kind: String
    public var at: Date
    public var actorName: String
    public var note: String
}

extension Store {
    static let appealColumns = """
        a.*, area.name AS area_name, dept.name AS department_name
        FROM appeals a JOIN units area ON area.id = a.area_id LEFT JOIN units dept ON dept.id = a.department_id
        """

    static func appeal(_ row: any SQLRow) throws -> Appeal {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Double?.self).map { Date(timeIntervalSince1970: $0) }
        }
        return Appeal(
            id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: String.self),
            channel: Appeal.Channel(rawValue: try row.decode(column: "channel", as: String.self)) ?? .online,
            kind: Appeal.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .consultation,
            urgent: try row.decode(column: "urgent", as: Bool.self),
            category: try row.decode(column: "category", as: String.self),
            areaID: try row.decode(column: "area_id", as: UUID.self),
            areaPath: try row.decode(column: "area_path", as: String.self),
            areaName: try row.decode(column: "area_name", as: String.self),
            place: try row.decode(column: "place", as: String.self),
            text: try row.decode(column: "text", as: String.self),
            personName: try row.decode(column: "person_name", as: String.self),
            personPhone: try row.decode(column: "person_phone", as: String.self),
            status: Appeal.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .registered,
            departmentID: try row.decode(column: "department_id", as: UUID?.self),
            departmentName: try row.decode(column: "department_name", as: String?.self),
            receivedAt: try date("received_at") ?? Date(timeIntervalSince1970: 0),
            dispatchedAt: try date("dispatched_at"),
            dueOn: try row.decode(column: "due_on", as: String?.self).flatMap(LocalDate.init(iso:)),
            answeredAt: try date("answered_at"), answer: try row.decode(column: "answer", as: String?.self),
            closedAt: try date("closed_at"), rejectReason: try row.decode(column: "reject_reason", as: String?.self),
            disputeReason: try row.decode(column: "dispute_reason", as: String?.self),
            satisfaction: try row.decode(column: "satisfaction", as: Int?.self),
            satisfactionReason: try row.decode(column: "satisfaction_reason", as: String?.self),
            mergedInto: try row.decode(column: "merged_into", as: UUID?.self),
            problemID: try row.decode(column: "problem_id", as: UUID?.self),
            latitude: try row.decode(column: "latitude", as: Double?.self),
            longitude: try row.decode(column: "longitude", as: Double?.self),
            token: try row.decode(column: "token", as: String?.self),
            reopened: try row.decode(column: "reopened", as: Int.self),
            version: try row.decode(column: "version", as: Int.self))
    }

    /// Registers an appeal (受理), numbered 「SQ2026-00001」 per year; audited with the person's name and
    /// phone left out of the log's text.
    public func registerAppeal(_ new: NewAppeal, by actor: AuditActor) async throws -> Appeal {
        let text = new.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 4_000 else {
            throw StoreError.invalid(field: "诉求内容", message: "不能为空，不超过 4000 字。")
        }
        guard new.personName.count <= 50, new.personPhone.count <= 30, new.place.count <= 200 else {
            throw StoreError.invalid(field: "诉求人", message: "姓名不超过 50 字，电话不超过 30 位，地点不超过 200 字。")
        }
        let attachments = try checkUploads(new.attachments)
        let id = ids.next()
        try await write(actor) { tx in
            guard let area = try await UnitModel.find(new.areaID, on: tx.db) else {
                throw StoreError.notFound(what: "地区")
            }
            guard
                try await tx.sql.raw("SELECT code FROM appeal_categories WHERE code = \(bind: new.category)").first()
                    != nil
            else { throw StoreError.invalid(field: "诉求类别", message: "「\(new.category)」不在诉求类别中。") }
            // Checked inside the write (which holds the write lock), so two imports of one sheet at once cannot
            // both pass; the unique index stands behind it.
            if let ref = new.externalRef,
                try await tx.sql.raw("SELECT id FROM appeals WHERE external_ref = \(bind: ref)").first() != nil
            {
                throw StoreError.duplicate("工单「\(ref)」已经导入过。")
            }
            let year = LocalDate(tx.now).year
            let sequence = try await Self.next(counter: "appeal:\(year)", on: tx.db)
            let number = "SQ\(year)-\(ProblemNumber.pad(sequence, 5))"
            try await tx.sql.raw(
                """
                INSERT INTO appeals (id, number, channel, kind, urgent, category, area_id, area_path, place, text,
                  person_name, person_phone, status, received_at, latitude, longitude, token, api_key_id, reopened, version,
                  external_ref)
                VALUES (\(bind: id), \(bind: number), \(bind: new.channel.rawValue), \(bind: new.kind.rawValue),
                  \(bind: new.urgent), \(bind: new.category), \(bind: new.areaID), \(bind: area.path),
                  \(bind: new.place.trimmingCharacters(in: .whitespaces)), \(bind: text), \(bind: new.personName),
                  \(bind: new.personPhone), 'registered', \(bind: min(new.receivedAt ?? tx.now, tx.now).timeIntervalSince1970),
                  \(bind: new.latitude), \(bind: new.longitude), \(bind: new.token), \(bind: new.apiKeyID), 0, 1,
                  \(bind: new.externalRef))
                """
            ).run()
            try await self.insertAppealFiles(attachments, appealID: id, stage: .register, tx: tx)
            let files = attachments.isEmpty ? "" : "，附材料 \(attachments.count) 份"
            try await Self.appealEvent(
                id, kind: "register", note: "\(new.channel.label)受理，\(new.kind.label)\(files)", tx: tx)
            try await tx.record(
                "appeal.register", entity: "appeal", id: id.uuidString, unitPath: area.path, before: nil,
                after: [
                    "number": number, "kind": new.kind.rawValue, "category": new.category,
                    "channel": new.channel.rawValue, "ref": new.externalRef ?? "",
                ])
        }
        return try await appeal(id)
    }

    static func appealEvent(_ id: UUID, kind: String, note: String, tx: WriteTransaction) async throws {
        try await tx.sql.raw(
            """
            INSERT INTO appeal_events (id, appeal_id, kind, at, actor_name, note)
            VALUES (\(bind: UUID()), \(bind: id), \(bind: kind), \(bind: tx.now.timeIntervalSince1970), \(bind: tx.actor.name),
              \(bind: String(note.prefix(4_000))))
            """
        ).run()
    }

    /// One step of the loop: the current appeal is read inside the write (so two steps racing are applied one
    /// after the other, the later one seeing the earlier), `change` checks and edits it, and the edit, an
    /// event and an audit entry are written together. `assists`, when given, replaces the assisting
    /// departments (协办) in the same transaction.
    public func updateAppeal(
        _ id: UUID, event kind: String, by actor: AuditActor, assists: [UUID]? = nil,
        _ change: @escaping @Sendable (inout Appeal, Date) throws -> String
    ) async throws -> Appeal {
        try await write(actor) { tx in
            guard
                let row = try await tx.sql.raw("SELECT \(unsafeRaw: Self.appealColumns) WHERE a.id = \(bind: id)")
                    .first()
            else { throw StoreError.notFound(what: "群众诉求") }
            let before = try Self.appeal(row)
            var after = before
            let note = try change(&after, tx.now)
            after.version += 1
            var departmentPath: String?
            if let department = after.departmentID {
                guard let unit = try await UnitModel.find(department, on: tx.db) else {
                    throw StoreError.notFound(what: "承办单位")
                }
                departmentPath = unit.path
            }
            try await tx.sql.raw(
                """
                UPDATE appeals SET status = \(bind: after.status.rawValue), department_id = \(bind: after.departmentID),
                  department_path = \(bind: departmentPath), dispatched_at = \(bind: after.dispatchedAt?.timeIntervalSince1970),
                  due_on = \(bind: after.dueOn?.iso), answered_at = \(bind: after.answeredAt?.timeIntervalSince1970),
                  answer = \(bind: after.answer), closed_at = \(bind: after.closedAt?.timeIntervalSince1970),
                  reject_reason = \(bind: after.rejectReason), dispute_reason = \(bind: after.disputeReason),
                  satisfaction = \(bind: after.satisfaction), satisfaction_reason = \(bind: after.satisfactionReason),
                  merged_into = \(bind: after.mergedInto), problem_id = \(bind: after.problemID),
                  category = \(bind: after.category), reopened = \(bind: after.reopened), version = \(bind: after.version)
                WHERE id = \(bind: id) AND version = \(bind: before.version)
                """
            ).run()
            var recorded = ["status": after.status.rawValue, "note": note]
            if let assists {
                let kept = try await Self.replaceAssists(id, with: assists, lead: after.departmentID, tx: tx)
                recorded["assists"] = kept.map(\.departmentName).joined(separator: "、")
            }
            try await Self.appealEvent(id, kind: kind, note: note, tx: tx)
            try await tx.record(
                "appeal.\(kind)", entity: "appeal", id: id.uuidString, unitPath: before.areaPath,
                before: ["status": before.status.rawValue], after: recorded)
        }
        return try await appeal(id)
    }

    public func appeal(_ id: UUID) async throws -> Appeal {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.appealColumns) WHERE a.id = \(bind: id)").first()
        else {
            throw StoreError.notFound(what: "群众诉求")
        }
        return try Self.appeal(row)
    }

    public func appeal(number: String) async throws -> Appeal? {
        try await sql.raw("SELECT \(unsafeRaw: Self.appealColumns) WHERE a.number = \(bind: number)").first()
            .map(Self.appeal)
    }

    public func appeal(token: String) async throws -> Appeal? {
        try await sql.raw("SELECT \(unsafeRaw: Self.appealColumns) WHERE a.token = \(bind: token)").first()
            .map(Self.appeal)
    }

    /// Which of these hotline work-order numbers are already in (the import preview's 「已导入」).
    public func appealExternalRefs(_ refs: [String]) async throws -> Set<String> {
        var found = Set<String>()
        for chunk in stride(from: 0, to: refs.count, by: 500).map({ Array(refs[$0..<min($0 + 500, refs.count)]) }) {
            let rows = try await sql.select().column("external_ref").from("appeals")
                .where("external_ref", .in, chunk).all()
            for row in rows {
                if let ref = try row.decode(column: "external_ref", as: String?.self) { found.insert(ref) }
            }
        }
        return found
    }

    /// Appeals received in [from, to), newest first, of every area and department in the scope (an appeal is
    /// seen by its area's people, by the department it was sent to and by the departments assisting it).
    public func appeals(in scope: Scope, from: Date? = nil, to: Date? = nil, limit: Int = 1_000) async throws
        -> [Appeal]
    {
        var query = SQLQueryString("SELECT \(unsafeRaw: Self.appealColumns) WHERE 1 = 1")
        if let from {
            query.appendLiteral(" AND a.received_at >= ")
            query.appendInterpolation(bind: from.timeIntervalSince1970)
        }
        if let to {
            query.appendLiteral(" AND a.received_at < ")
            query.appendInterpolation(bind: to.timeIntervalSince1970)
        }
        query.appendLiteral(" ORDER BY a.received_at DESC, a.number DESC LIMIT ")
        query.appendInterpolation(bind: limit * 4)
        let rows = try await sql.raw(query).all()
        // The assisting departments in the scope, read once (few appeals need several departments).
        var assisted = Set<UUID>()
        if scope != .everything {
            for row in try await sql.raw("SELECT appeal_id, department_path FROM appeal_assists").all()
            where scope.contains(try row.decode(column: "department_path", as: String.self)) {
                assisted.insert(try row.decode(column: "appeal_id", as: UUID.self))
            }
        }
        var result: [Appeal] = []
        for row in rows {
            let appeal = try Self.appeal(row)
            let departmentPath = try row.decode(column: "department_path", as: String?.self)
            guard
                scope.contains(appeal.areaPath) || departmentPath.map(scope.contains) == true
                    || assisted.contains(appeal.id)
            else { continue }
            result.append(appeal)
            if result.count == limit { break }
        }
        return result
    }

    public func appealEvents(_ id: UUID) async throws -> [AppealEvent] {
        try await sql.raw(
            "SELECT kind, at, actor_name, note FROM appeal_events WHERE appeal_id = \(bind: id) ORDER BY at"
        )
        .all().map {
            AppealEvent(
                kind: try $0.decode(column: "kind", as: String.self),
                at: Date(timeIntervalSince1970: try $0.decode(column: "at", as: Double.self)),
                actorName: try $0.decode(column: "actor_name", as: String.self),
                note: try $0.decode(column: "note", as: String.self))
        }
    }

    /// The paths the gate reads: the area's, the lead department's (it handles and answers) and the assisting
    /// departments' (they see the appeal and report on it).
    public func appealPaths(_ id: UUID) async throws -> (area: String, department: String?, assists: [String]) {
        guard
            let row = try await sql.raw("SELECT area_path, department_path FROM appeals WHERE id = \(bind: id)").first()
        else { throw StoreError.notFound(what: "群众诉求") }
        let assists = try await sql.raw("SELECT department_path FROM appeal_assists WHERE appeal_id = \(bind: id)")
            .all().map { try $0.decode(column: "department_path", as: String.self) }
        return (
            try row.decode(column: "area_path", as: String.self),
            try row.decode(column: "department_path", as: String?.self), assists
        )
    }

    // MARK: Categories and routing

    public func appealCategories() async throws -> [AppealCategory] {
        try await sql.raw("SELECT * FROM appeal_categories ORDER BY position, code").all().map {
            AppealCategory(
                code: try $0.decode(column: "code", as: String.self),
                name: try $0.decode(column: "name", as: String.self),
                description: try $0.decode(column: "description", as: String.self),
                keywords: try $0.decode(column: "keywords", as: String.self),
                group: try $0.decode(column: "grp", as: String.self))
        }
    }

    public func saveAppealCategory(_ category: AppealCategory, by actor: AuditActor) async throws {
        guard !category.code.isEmpty, category.code.count <= 20,
            category.code.unicodeScalars.allSatisfy({
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
            })
        else { throw StoreError.invalid(field: "类别代码", message: "应为英文字母、数字或 -，不超过 20 位。") }
        try await write(actor) { tx in
            let position =
                try await tx.sql.raw("SELECT COUNT(*) AS n FROM appeal_categories").first()?
                .decode(column: "n", as: Int.self) ?? 0
            try await tx.sql.raw(
                """
                INSERT INTO appeal_categories (code, name, description, keywords, grp, position)
                VALUES (\(bind: category.code), \(bind: category.name), \(bind: category.description), \(bind: category.keywords),
                  \(bind: category.group), \(bind: position))
                ON CONFLICT (code) DO UPDATE SET name = excluded.name, description = excluded.description,
                  keywords = excluded.keywords, grp = excluded.grp
                """
            ).run()
            try await tx.record(
                "appeal.category", entity: "appeal_category", id: category.code, unitPath: nil, before: nil,
                after: category)
        }
    }

    /// Category × area → department; a route without an area applies everywhere.
    public func setAppealRoute(category: String, areaID: UUID?, departmentID: UUID, by actor: AuditActor) async throws {
        try await write(actor) { tx in
            guard let department = try await UnitModel.find(departmentID, on: tx.db) else {
                throw StoreError.notFound(what: "承办单位")
            }
            var delete = SQLQueryString("DELETE FROM appeal_routes WHERE category = \(bind: category) AND area_id ")
            if let areaID {
                delete.appendLiteral("= ")
                delete.appendInterpolation(bind: areaID)
            } else {
                delete.appendLiteral("IS NULL")
            }
            try await tx.sql.raw(delete).run()
            try await tx.sql.raw(
                """
                INSERT INTO appeal_routes (id, category, area_id, department_id)
                VALUES (\(bind: self.ids.next()), \(bind: category), \(bind: areaID), \(bind: departmentID))
                """
            ).run()
            try await tx.record(
                "appeal.route", entity: "appeal_route", id: category, unitPath: department.path, before: nil,
                after: ["category": category, "area": areaID?.uuidString ?? "", "department": department.name])
        }
    }

    /// The department for an appeal of `category` in an area: the route for the nearest unit on the area's
    /// path, else the route for any area.
    public func appealRoute(category: String, areaPath: String) async throws -> UUID? {
        let rows = try await sql.raw(
            "SELECT area_id, department_id FROM appeal_routes WHERE category = \(bind: category)"
        ).all()
        var best: (depth: Int, department: UUID)?
        let ancestors = areaPath.split(separator: "/").map(String.init)
        for row in rows {
            let department = try row.decode(column: "department_id", as: UUID.self)
            guard let area = try row.decode(column: "area_id", as: UUID?.self) else {
                if best == nil { best = (-1, department) }
                continue
            }
            if let depth = ancestors.firstIndex(of: area.uuidString), depth > (best?.depth ?? -2) {
                best = (depth, department)
            }
        }
        return best?.department
    }

    // MARK: Open311 keys

    /// A key for a platform (a 12345 hotline, a city system): printed once, kept as a hash.
    public func addOpen311Key(name: String, by actor: AuditActor) async throws -> (id: UUID, key: String) {
        let key = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 36) }.joined()
        let id = ids.next()
        try await write(actor) { tx in
            try await tx.sql.raw(
                """
                INSERT INTO open311_keys (id, name, key_hash, active, created_at)
                VALUES (\(bind: id), \(bind: name), \(bind: Self.hash(key)), \(bind: true), \(bind: tx.now.timeIntervalSince1970))
                """
            ).run()
            try await tx.record(
                "open311.key.add", entity: "open311_key", id: id.uuidString, unitPath: nil, before: nil,
                after: ["name": name])
        }
        return (id, key)
    }

    public func revokeOpen311Key(_ id: UUID, by actor: AuditActor) async throws {
        try await write(actor) { tx in
            try await tx.sql.raw("UPDATE open311_keys SET active = \(bind: false) WHERE id = \(bind: id)").run()
            try await tx.record(
                "open311.key.revoke", entity: "open311_key", id: id.uuidString, unitPath: nil,
                before: nil, after: ["active": "false"])
        }
    }

    public func open311Keys() async throws -> [(id: UUID, name: String, active: Bool, created: Date)] {
        try await sql.raw("SELECT id, name, active, created_at FROM open311_keys ORDER BY created_at").all().map {
            (
                try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self),
                try $0.decode(column: "active", as: Bool.self),
                Date(timeIntervalSince1970: try $0.decode(column: "created_at", as: Double.self))
            )
        }
    }

    /// The active key with this value, if any.
    public func open311Key(matching key: String) async throws -> (id: UUID, name: String)? {
        guard
            let row = try await sql.raw(
                "SELECT id, name FROM open311_keys WHERE key_hash = \(bind: Self.hash(key)) AND active = \(bind: true)"
            ).first()
        else { return nil }
        return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "name", as: String.self))
    }
}
