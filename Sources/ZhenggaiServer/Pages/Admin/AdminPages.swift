import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The unit tree and the users, for administrators of a subtree.
enum AdminPages {
    struct UnitsContext: Encodable {
        var layout: Layout
        var units: [UnitRow]
        var parents: [LedgerPage.Option]
        var kinds: [LedgerPage.Option]
        var values: [String: String]
        var errors: FieldErrors
        var action = SiteRoute.adminUnitCreate.link()
    }

    struct UnitRow: Encodable {
        var id: String
        var name: String
        var kind: String
        var depth: Int
        var indent: String
    }

    struct UsersContext: Encodable {
        var layout: Layout
        var users: [UserRow]
        var units: [LedgerPage.Option]
        var roles: [LedgerPage.Option]
        var values: [String: String]
        var errors: FieldErrors
        var action = SiteRoute.adminUserCreate.link()
    }

    struct UserRow: Encodable {
        var username: String
        var displayName: String
        var grants: String
        var active: Bool
    }

    static func routes(store: Store, settings: AppConfiguration) -> [Handler] {
        @Sendable func unitsPage(_ request: Request, _ caller: Caller, values: [String: String], errors: FieldErrors)
            async throws
            -> Response
        {
            let units = try await store.units(in: Scope(caller.principal, for: .manageUnits))
            // Depth-first order, so the list reads as the tree it is.
            var ordered: [UnitNode] = []
            func visit(_ parent: UUID?) {
                for unit in units
                where unit.parentID == parent || (parent == nil && !units.contains { $0.id == unit.parentID }) {
                    if ordered.contains(where: { $0.id == unit.id }) { continue }
                    ordered.append(unit)
                    visit(unit.id)
                }
            }
            visit(nil)
            let rootDepth = ordered.map { $0.path.split(separator: "/").count }.min() ?? 1
            let context = UnitsContext(
                layout: Layout(title: "单位管理", caller: caller, section: .adminUnits, notice: Pages.notice(request)),
                units: ordered.map {
                    let depth = $0.path.split(separator: "/").count - rootDepth
                    return UnitRow(
                        id: $0.id.uuidString, name: $0.name, kind: $0.kind.label, depth: depth,
                        indent: String(repeating: "　　", count: depth))
                },
                parents: ordered.filter { $0.kind == .county || $0.kind == .township }.map {
                    LedgerPage.Option(
                        value: $0.id.uuidString, label: $0.name, selected: values["parentID"] == $0.id.uuidString)
                },
                kinds: UnitKind.allCases.filter { $0 != .county }.map {
                    LedgerPage.Option(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue)
                },
                values: values, errors: errors)
            return try await Pages.render(
                request, "admin-units", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        @Sendable func usersPage(_ request: Request, _ caller: Caller, values: [String: String], errors: FieldErrors)
            async throws
            -> Response
        {
            let scope = Scope(caller.principal, for: .manageUsers)
            let context = UsersContext(
                layout: Layout(title: "用户管理", caller: caller, section: .adminUsers, notice: Pages.notice(request)),
                users: try await store.users(in: scope).map { user in
                    UserRow(
                        username: user.username, displayName: user.displayName,
                        grants: user.grants.map { "\($0.unitName)·\($0.role.label)" }.joined(separator: "，"),
                        active: user.active)
                },
                units: try await store.units(in: scope).map {
                    LedgerPage.Option(
                        value: $0.id.uuidString, label: $0.name, selected: values["unitID"] == $0.id.uuidString)
                },
                roles: Role.allCases.map {
                    LedgerPage.Option(value: $0.rawValue, label: $0.label, selected: values["role"] == $0.rawValue)
                },
                values: values.filter { $0.key != "password" }, errors: errors)
            return try await Pages.render(
                request, "admin-users", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        @Sendable func unitTarget(_ request: Request, field: String) async throws -> AccessTarget {
            guard let id = FormInput(request).uuid(field) else { return .aboveEveryUnit }
            return AccessTarget(unitPath: try await store.unit(id).path)
        }

        return [
            Handler(
                .adminUnits, target: { _, _ in .anywhere }
            ) {
                request, caller in
                try await unitsPage(request, caller, values: [:], errors: FieldErrors())
            },
            Handler(
                .adminUnitCreate, target: { r, _ in try await unitTarget(r, field: "parentID") }
            ) {
                request, caller in
                let form = FormInput(request)
                var errors = FieldErrors()
                guard let kind = UnitKind(rawValue: form["kind"]), let parentID = form.uuid("parentID") else {
                    errors.add("kind", "请选择单位类型和上级单位。")
                    return try await unitsPage(request, caller, values: form.values, errors: errors)
                }
                do {
                    _ = try await store.createUnit(name: form["name"], kind: kind, parentID: parentID, by: caller.actor)
                    return Pages.redirect(request, to: SiteRoute.adminUnits.link(), notice: .created)
                } catch {
                    errors.add(error, labels: ["单位名称": "name", "单位类型": "kind", "上级单位": "parentID"])
                    return try await unitsPage(request, caller, values: form.values, errors: errors)
                }
            },
            Handler(
                .adminUsers, target: { _, _ in .anywhere }
            ) {
                request, caller in
                try await usersPage(request, caller, values: [:], errors: FieldErrors())
            },
            Handler(
                .adminUserCreate, target: { r, _ in try await unitTarget(r, field: "unitID") }
            ) {
                request, caller in
                let form = FormInput(request)
                var errors = FieldErrors()
                let password = form.values["password"] ?? ""
                do {
                    try Passwords.checkStrength(password)
                } catch let error as PasswordError { errors.add("password", error.description) }
                guard let role = Role(rawValue: form["role"]), let unitID = form.uuid("unitID") else {
                    errors.add("role", "请选择角色和所在单位。")
                    return try await usersPage(request, caller, values: form.values, errors: errors)
                }
                if errors.isEmpty {
                    do {
                        let hash = await Passwords.hashInBackground(password, cost: settings.bcryptCost)
                        _ = try await store.createUser(
                            username: form["username"], displayName: form["displayName"], passwordHash: hash,
                            grants: [NewGrant(role: role, unitID: unitID)], by: caller.actor)
                        return Pages.redirect(request, to: SiteRoute.adminUsers.link(), notice: .created)
                    } catch {
                        errors.add(error, labels: ["用户名": "username", "姓名": "displayName", "角色": "role"])
                    }
                }
                return try await usersPage(request, caller, values: form.values, errors: errors)
            },
        ]
    }
}
