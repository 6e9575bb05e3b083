public import Foundation
public import ZhenggaiCore

extension Store {
    /// One row of an organisation sheet, resolved: the unit (existing, or new under an existing or an earlier
    /// new parent), the person (existing or new) and the login to open for them.
    public struct OrganisationItem: Sendable {
        public struct Login: Sendable {
            public var username: String
            public var role: Role
            public var passwordHash: String = ""
            public init(username: String, role: Role) {
                self.username = username
                self.role = role
            }
        }
        public var unitName: String
        public var unitID: UUID?
        public var newUnitKind: UnitKind?
        public var parentID: UUID?
        public var parentName: String?
        /// The top of the tree (the county), only into an empty system.
        public var isTop = false
        public var personID: UUID?
        public var personName: String?
        public var title: String = ""
        public var phone: String?
        public var login: Login?

        public init(unitName: String) { self.unitName = unitName }
    }

    /// Creates the units, people and logins of a checked sheet in one transaction: all of it or none.
    public func importOrganisation(_ items: [OrganisationItem], by actor: AuditActor) async throws -> (
        units: Int, people: Int
    ) {
        try await write(actor) { tx in
            var created: [String: UUID] = [:]
            var units = 0
            var people = 0
            for item in items {
                var unitID = item.unitID ?? created[item.unitName]
                if unitID == nil, let kind = item.newUnitKind {
                    let parentID = item.parentID ?? item.parentName.flatMap { created[$0] }
                    if parentID == nil && !item.isTop {
                        throw StoreError.notFound(what: "上级单位「\(item.parentName ?? "")」")
                    }
                    if item.isTop, try await UnitModel.query(on: tx.db).count() > 0 {
                        throw StoreError.duplicate("系统中已有单位，不能再新建最上级单位。")
                    }
                    let unit = try await self.insertUnit(name: item.unitName, kind: kind, parentID: parentID, tx: tx)
                    created[item.unitName] = unit.id
                    unitID = unit.id
                    units += 1
                }
                guard let unitID else { throw StoreError.notFound(what: "单位「\(item.unitName)」") }
                var personID = item.personID
                if personID == nil, let name = item.personName {
                    personID = try await self.insertPerson(
                        NewPerson(name: name, unitID: unitID, title: item.title, phone: item.phone), userID: nil, tx: tx
                    ).id
                    people += 1
                }
                if let login = item.login, let personID, let name = item.personName {
                    _ = try await self.insertUser(
                        username: login.username, name: name, passwordHash: login.passwordHash, phone: nil,
                        grants: [NewGrant(role: login.role, unitID: unitID)], mustChangePassword: true,
                        person: personID, tx: tx)
                }
            }
            return (units, people)
        }
    }
}
