import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

/// What to create for a new person.
public struct NewPerson: Codable, Sendable {
    public var name: String
    public var unitID: UUID
    public var title: String
    public var phone: String?

    public init(name: String, unitID: UUID, title: String = "", phone: String? = nil) {
        self.name = name
        self.unitID = unitID
        self.title = title
        self.phone = phone
    }
}

extension Store {
    /// People of the organisation: those with a login and those without (a 责任人 named in a sheet).
    public func createPerson(_ new: NewPerson, by actor: AuditActor) async throws -> Person {
        let name = new.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 50 else {
            throw StoreError.invalid(field: "姓名", message: "不能为空，且不超过 50 字。")
        }
        return try await write(actor) { tx in
            try await self.insertPerson(
                NewPerson(name: name, unitID: new.unitID, title: new.title, phone: new.phone), userID: nil, tx: tx)
        }
    }

    func insertPerson(_ new: NewPerson, id: UUID? = nil, userID: UUID?, tx: WriteTransaction) async throws -> Person {
        guard let unit = try await UnitModel.find(new.unitID, on: tx.db) else { throw StoreError.notFound(what: "单位") }
        guard unit.retiredOn == nil else {
            throw StoreError.invalid(field: "所在单位", message: "「\(unit.name)」已撤销，不能再添加人员。")
        }
        if try await PersonModel.query(on: tx.db).filter(\.$unitID == new.unitID).filter(\.$name == new.name).first()
            != nil
        {
            throw StoreError.duplicate("「\(unit.name)」已有名为「\(new.name)」的人员。同名的两人请在姓名后注明以区分。")
        }
        let model = PersonModel()
        model.id = id ?? self.ids.next()
        model.name = new.name
        model.unitID = new.unitID
        model.title = new.title.trimmingCharacters(in: .whitespacesAndNewlines)
        model.phone = new.phone.flatMap { $0.isEmpty ? nil : $0 }
        model.userID = userID
        model.createdAt = tx.now
        try await model.create(on: tx.db)
        let person = Self.person(model, unit: unit)
        // The phone number is personal: the log keeps that one was given, not the number.
        var logged = person
        logged.phone = person.phone.map { _ in "（已填写）" }
        try await tx.record(
            "person.create", entity: "person", id: model.id!.uuidString, unitPath: unit.path, before: nil,
            after: logged)
        return person
    }

    public func person(_ id: UUID) async throws -> Person {
        guard let model = try await PersonModel.find(id, on: db) else { throw StoreError.notFound(what: "人员") }
        guard let unit = try await UnitModel.find(model.unitID, on: db) else { throw StoreError.notFound(what: "单位") }
        return Self.person(model, unit: unit)
    }

    public func person(userID: UUID) async throws -> Person? {
        guard let model = try await PersonModel.query(on: db).filter(\.$userID == userID).first(),
            let unit = try await UnitModel.find(model.unitID, on: db)
        else { return nil }
        return Self.person(model, unit: unit)
    }

    /// Every name the system knows a person by (users' display names, people's names), for masking names in
    /// what leaves the system. One query of one column: every Open311 answer and public page builds its
    /// redactor from it, and reading whole users and people there cost more than the answer itself.
    public func knownNames() async throws -> [String] {
        try await sql.raw("SELECT display_name AS name FROM users UNION SELECT name FROM people").all().map {
            try $0.decode(column: "name", as: String.self)
        }
    }

    /// People of units in the scope, in tree order then by name.
    public func people(in scope: Scope) async throws -> [Person] {
        let units = try await self.units(in: scope)
        guard !units.isEmpty else { return [] }
        let byID = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0) })
        var result: [Person] = []
        for start in stride(from: 0, to: units.count, by: 1_000) {
            let chunk = Array(units[start..<min(start + 1_000, units.count)]).map(\.id)
            for model in try await PersonModel.query(on: db).filter(\.$unitID ~~ chunk).all() {
                guard let unit = byID[model.unitID] else { continue }
                result.append(
                    Person(
                        id: model.id!, name: model.name, unitID: unit.id, unitName: unit.name, unitPath: unit.path,
                        title: model.title, phone: model.phone, userID: model.userID))
            }
        }
        return result.sorted { ($0.unitPath, $0.name, $0.id.uuidString) < ($1.unitPath, $1.name, $1.id.uuidString) }
    }

    static func person(_ model: PersonModel, unit: UnitModel) -> Person {
        Person(
            id: model.id!, name: model.name, unitID: model.unitID, unitName: unit.name, unitPath: unit.path,
            title: model.title, phone: model.phone, userID: model.userID)
    }

    /// Names of people by id, for pages and ledgers.
    func personNames(_ ids: Set<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var names: [UUID: String] = [:]
        let list = Array(ids)
        for start in stride(from: 0, to: list.count, by: 2_000) {
            let chunk = Array(list[start..<min(start + 2_000, list.count)])
            for row in try await sql.select().columns("id", "name").from("people").where("id", .in, chunk).all() {
                names[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        return names
    }
}
