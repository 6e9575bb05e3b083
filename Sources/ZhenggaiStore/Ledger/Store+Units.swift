import FluentKit
public import Foundation
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
            var path = ""
            if let parentID {
                guard let parent = try await UnitModel.find(parentID, on: tx.db) else {
                    throw StoreError.notFound(what: "上级单位")
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
        let models = try await UnitModel.query(on: db).group(.or) { group in
            for root in roots { group.filter(\.$path, .custom("LIKE"), "\(root)%") }
        }.all()
        return models.map(Self.unit).sorted {
            ($0.path.count, $0.name, $0.id.uuidString) < ($1.path.count, $1.name, $1.id.uuidString)
        }
    }

    public func unitCount() async throws -> Int { try await UnitModel.query(on: db).count() }

    static func unit(_ model: UnitModel) -> UnitNode {
        UnitNode(
            id: model.id!, name: model.name, kind: UnitKind(rawValue: model.kind) ?? .township,
            parentID: model.parentID, path: model.path)
    }
}
