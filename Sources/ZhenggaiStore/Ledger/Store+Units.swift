import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

extension Store {
    public func createUnit(name rawName: String, kind: UnitKind, parentID: UUID?, by actor: AuditActor) async throws
        -> UnitNode
    {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw StoreError.invalid(field: "单位名称", message: "不能为空，且不超过 100 字。")
        }
        return try await write(actor) { tx in
            try await self.insertUnit(name: name, kind: kind, parentID: parentID, tx: tx)
        }
    }

    func insertUnit(name: String, kind: UnitKind, parentID: UUID?, tx: WriteTransaction) async throws -> UnitNode {
        var path = ""
        if let parentID {
            guard let parent = try await UnitModel.find(parentID, on: tx.db) else {
                throw StoreError.notFound(what: "上级单位")
            }
            guard parent.retiredOn == nil else {
                throw StoreError.invalid(field: "上级单位", message: "「\(parent.name)」已撤销，不能再设下级单位。")
            }
            guard let parentKind = UnitKind(rawValue: parent.kind), parentKind.allowsChild(kind) else {
                throw StoreError.invalid(
                    field: "单位类型", message: "「\(kind.label)」不能设在「\(parent.name)」之下。")
            }
            path = parent.path
        } else if kind != .county {
            throw StoreError.invalid(field: "上级单位", message: "只有县（市、区）可以作为顶级单位，请指定上级单位。")
        }
        let sibling = try await UnitModel.query(on: tx.db).filter(\.$name == name)
            .filter(\.$parentID == parentID).first()
        if sibling != nil { throw StoreError.duplicate("同一上级单位下已有名为「\(name)」的单位。") }
        let model = UnitModel()
        let id = self.ids.next()
        model.id = id
        model.name = name
        model.kind = kind.rawValue
        model.parentID = parentID
        model.path = path.isEmpty ? "/\(id.uuidString)/" : "\(path)\(id.uuidString)/"
        model.createdAt = tx.now
        try await model.create(on: tx.db)
        let unit = Self.unit(model)
        try await tx.record(
            "unit.create", entity: "unit", id: id.uuidString, unitPath: unit.path, before: nil,
            after: unit)
        return unit
    }

    public func unit(_ id: UUID) async throws -> UnitNode {
        guard let model = try await UnitModel.find(id, on: db) else { throw StoreError.notFound(what: "单位") }
        return Self.unit(model)
    }

    /// Finds a unit by its id or, for scripts, by its exact name (which must then be unambiguous).
    public func unit(named reference: String) async throws -> UnitNode {
        if let id = UUID(uuidString: reference), let model = try await UnitModel.find(id, on: db) {
            return Self.unit(model)
        }
        let matches = try await UnitModel.query(on: db).filter(\.$name == reference).all()
        if matches.count > 1 { throw StoreError.duplicate("有 \(matches.count) 个单位名为「\(reference)」，请改用单位编号。") }
        guard let model = matches.first else { throw StoreError.notFound(what: "单位「\(reference)」") }
        return Self.unit(model)
    }

    /// Units inside the given subtrees, parents before children, siblings by name.
    public func units(in scope: Scope) async throws -> [UnitNode] {
        let roots = scope.roots
        guard !roots.isEmpty else { return [] }
        // SQLKit rows, not Fluent models: every page asks this for its unit picker, and building a model
        // reflects over its properties at run time, which cost more than the query (docs/benchmarks.md).
        let rows = try await sql.select().columns("id", "name", "kind", "parent_id", "path", "retired_on").from("units")
            .where { group in
                for root in roots { group.orWhere("path", .like, "\(root)%") }
                return group
            }
            .all()
        let units = try rows.map { row in
            UnitNode(
                id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                kind: UnitKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .township,
                parentID: try row.decode(column: "parent_id", as: UUID?.self),
                path: try row.decode(column: "path", as: String.self),
                retiredOn: try row.decode(column: "retired_on", as: String?.self).flatMap(LocalDate.init(iso:)))
        }
        return units.map { ($0.path.count, $0.name, $0.id.uuidString, $0) }.sorted {
            ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2)
        }
        .map(\.3)
    }

    public func unitCount() async throws -> Int { try await UnitModel.query(on: db).count() }

    public func renameUnit(_ id: UUID, to rawName: String, by actor: AuditActor) async throws -> UnitNode {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw StoreError.invalid(field: "单位名称", message: "不能为空，且不超过 100 字。")
        }
        return try await write(actor) { tx in
            guard let model = try await UnitModel.find(id, on: tx.db) else { throw StoreError.notFound(what: "单位") }
            let before = Self.unit(model)
            if try await UnitModel.query(on: tx.db).filter(\.$name == name).filter(\.$parentID == model.parentID)
                .filter(\.$id != id).first() != nil
            {
                throw StoreError.duplicate("同一上级单位下已有名为「\(name)」的单位。")
            }
            model.name = name
            try await model.save(on: tx.db)
            let after = Self.unit(model)
            try await tx.record(
                "unit.rename", entity: "unit", id: id.uuidString, unitPath: model.path, before: before, after: after)
            return after
        }
    }

    /// Moves a unit and everything below it under another parent: the materialised paths of the subtree, of
    /// its sources, problems, appeals and pressings are rewritten in the same transaction, so scopes follow at once.
    /// (Audit entries keep the path they were written with: the chain is history.)
    public func moveUnit(_ id: UUID, under parentID: UUID, by actor: AuditActor) async throws -> UnitNode {
        try await write(actor) { tx in
            guard let model = try await UnitModel.find(id, on: tx.db) else { throw StoreError.notFound(what: "单位") }
            guard let parent = try await UnitModel.find(parentID, on: tx.db) else {
                throw StoreError.notFound(what: "上级单位")
            }
            guard !parent.path.hasPrefix(model.path) else {
                throw StoreError.invalid(field: "上级单位", message: "不能把单位移到它自己或它的下级单位之下。")
            }
            guard parent.retiredOn == nil else {
                throw StoreError.invalid(field: "上级单位", message: "「\(parent.name)」已撤销。")
            }
            guard let kind = UnitKind(rawValue: model.kind), let parentKind = UnitKind(rawValue: parent.kind),
                parentKind.allowsChild(kind)
            else {
                throw StoreError.invalid(field: "上级单位", message: "「\(model.name)」不能设在「\(parent.name)」之下。")
            }
            if try await UnitModel.query(on: tx.db).filter(\.$name == model.name).filter(\.$parentID == parentID)
                .first() != nil
            {
                throw StoreError.duplicate("「\(parent.name)」下已有名为「\(model.name)」的单位。")
            }
            let before = Self.unit(model)
            let oldPath = model.path
            let newPath = "\(parent.path)\(id.uuidString)/"
            let cut = oldPath.count + 1
            // Every materialised path that names the subtree: the appeals desk's and the pressings' too, or a
            // moved township's appeals would fall out of its people's scope.
            let paths = [
                ("units", "path"), ("sources", "unit_path"), ("problems", "unit_path"), ("appeals", "area_path"),
                ("appeals", "department_path"), ("appeal_assists", "department_path"), ("pressings", "unit_path"),
            ]
            for (table, column) in paths {
                try await tx.sql.raw(
                    """
                    UPDATE \(ident: table) SET \(ident: column) = \(bind: newPath) || substr(\(ident: column), \(bind: cut))
                    WHERE \(ident: column) LIKE \(bind: oldPath + "%")
                    """
                ).run()
            }
            guard let moved = try await UnitModel.find(id, on: tx.db) else { throw StoreError.notFound(what: "单位") }
            moved.parentID = parentID
            try await moved.save(on: tx.db)
            let after = Self.unit(moved)
            try await tx.record(
                "unit.move", entity: "unit", id: id.uuidString, unitPath: newPath, before: before, after: after)
            return after
        }
    }

    /// Retires a unit and every unit below it: they stay in the tree and in history, nothing new is entered
    /// for them. `retire: false` brings them back.
    public func retireUnit(_ id: UUID, retire: Bool, by actor: AuditActor) async throws -> UnitNode {
        try await write(actor) { tx in
            guard let model = try await UnitModel.find(id, on: tx.db) else { throw StoreError.notFound(what: "单位") }
            guard model.parentID != nil else {
                throw StoreError.invalid(field: "单位", message: "县（市、区）本身不能撤销。")
            }
            let before = Self.unit(model)
            let day = retire ? LocalDate(tx.now).iso : nil
            try await tx.sql.raw(
                "UPDATE units SET retired_on = \(bind: day) WHERE path LIKE \(bind: model.path + "%")"
            ).run()
            guard let after = try await UnitModel.find(id, on: tx.db).map(Self.unit) else {
                throw StoreError.notFound(what: "单位")
            }
            try await tx.record(
                retire ? "unit.retire" : "unit.restore", entity: "unit", id: id.uuidString, unitPath: model.path,
                before: before, after: after)
            return after
        }
    }

    /// Refuses new records for a retired unit.
    static func requireActive(_ unitID: UUID, on database: any Database) async throws {
        guard let unit = try await UnitModel.find(unitID, on: database) else { throw StoreError.notFound(what: "单位") }
        try requireActive(unit)
    }

    static func requireActive(_ unit: UnitModel) throws(StoreError) {
        if unit.retiredOn != nil {
            throw StoreError.invalid(field: "单位", message: "「\(unit.name)」已于 \(unit.retiredOn ?? "") 撤销，不能再录入新的事项。")
        }
    }

    static func unit(_ model: UnitModel) -> UnitNode {
        UnitNode(
            id: model.id!, name: model.name, kind: UnitKind(rawValue: model.kind) ?? .township,
            parentID: model.parentID, path: model.path, retiredOn: model.retiredOn.flatMap(LocalDate.init(iso:)))
    }
}
