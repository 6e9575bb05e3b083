import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The organisation, for administrators of a subtree: the unit tree (add, rename, move, retire), the users
/// (add, reset a password, deactivate, roles), and the people without a login who lead or carry out tasks.
enum AdminPages {
    struct UnitsContext: Encodable {
        var layout: Layout
        var units: [UnitRow]
        var parents: [LedgerPage.Option]
        var kinds: [LedgerPage.Option]
        var values: [String: String]
        var errors: FieldErrors
        var action = SiteRoute.adminUnitCreate.link()
        var importLink = SiteRoute.organisationImportForm.link()
    }

    struct UnitRow: Encodable {
        var link: String
        var name: String
        var kind: String
        var indent: String
        var retired: String?
    }

    struct UnitContext: Encodable {
        var layout: Layout
        var name: String
        var kind: String
        var path: [String]
        var retired: String?
        var parents: [LedgerPage.Option]
        var people: [String]
        var errors: FieldErrors
        var renameAction: String
        var moveAction: String
        var retireAction: String
        var restoreAction: String
        var isCounty: Bool
    }

    struct UsersContext: Encodable {
        var layout: Layout
        var users: [UserRow]
        var units: [LedgerPage.Option]
        var roles: [LedgerPage.Option]
        var values: [String: String]
        var errors: FieldErrors
        var action = SiteRoute.adminUserCreate.link()
        var peopleLink = SiteRoute.adminPeople.link()
    }

    struct UserRow: Encodable {
        var link: String
        var username: String
        var displayName: String
        var grants: String
        var active: Bool
        var mustChange: Bool
    }

    struct UserContext: Encodable {
        struct GrantRow: Encodable {
            var label: String
            var role: String
            var unitID: String
        }
        var layout: Layout
        var username: String
        var displayName: String
        var active: Bool
        var mustChange: Bool
        var grants: [GrantRow]
        var roles: [LedgerPage.Option]
        var units: [LedgerPage.Option]
        /// A password the system just made: shown on this one answer and never again.
        var shownPassword: String?
        var errors: FieldErrors
        var links: [String: String]
    }

    struct PeopleContext: Encodable {
        struct Row: Encodable {
            var name: String
            var unitName: String
            var title: String
            var phone: String
            var hasLogin: Bool
        }
        var layout: Layout
        var people: [Row]
        var units: [LedgerPage.Option]
        var values: [String: String]
        var errors: FieldErrors
        var action = SiteRoute.adminPersonCreate.link()
        var importLink = SiteRoute.organisationImportForm.link()
    }

    static func routes(store: Store, settings: AppConfiguration) -> [Handler] {
        let accounts = Accounts(store: store, bcryptCost: settings.bcryptCost)
        @Sendable func unitsPage(_ request: Request, _ caller: Caller, values: [String: String], errors: FieldErrors)
            async throws -> Response
        {
            let units = try await store.units(in: Scope(caller.principal, for: .manageUnits))
            let top = units.map(\.depth).min() ?? 0
            let context = UnitsContext(
                layout: Layout(title: "单位管理", caller: caller, section: .adminUnits, notice: Pages.notice(request)),
                units: UnitNode.treeOrder(units).map {
                    UnitRow(
                        link: SiteRoute.adminUnit.link($0.id), name: $0.name, kind: $0.kind.label,
                        indent: String(repeating: "　　", count: $0.depth - top), retired: $0.retiredOn?.chinese)
                },
                parents: Pickers.units(units, selected: values["parentID"] ?? ""),
                kinds: UnitKind.allCases.filter { $0 != .county }.map {
                    LedgerPage.Option(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue)
                },
                values: values, errors: errors)
            return try await Pages.render(
                request, "admin-units", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        @Sendable func unitPage(_ request: Request, _ caller: Caller, errors: FieldErrors) async throws -> Response {
            let unit = try await store.unit(try request.id("unitID"))
            let scope = Scope(caller.principal, for: .manageUnits)
            let all = try await store.units(in: scope)
            let path = all.filter { unit.path.hasPrefix($0.path) && $0.id != unit.id }.sorted { $0.depth < $1.depth }
            let people = try await store.people(in: Scope(subtree: unit.path)).filter { $0.unitID == unit.id }
            let context = UnitContext(
                layout: Layout(title: unit.name, caller: caller, section: .adminUnits, notice: Pages.notice(request)),
                name: unit.name, kind: unit.kind.label, path: path.map(\.name), retired: unit.retiredOn?.chinese,
                parents: Pickers.units(
                    all.filter { !$0.path.hasPrefix(unit.path) }, selected: unit.parentID?.uuidString ?? ""),
                people: people.map { [$0.name, $0.title].filter { !$0.isEmpty }.joined(separator: "·") },
                errors: errors, renameAction: SiteRoute.adminUnitRename.link(unit.id),
                moveAction: SiteRoute.adminUnitMove.link(unit.id),
                retireAction: SiteRoute.adminUnitRetire.link(unit.id),
                restoreAction: SiteRoute.adminUnitRestore.link(unit.id), isCounty: unit.parentID == nil)
            return try await Pages.render(
                request, "admin-unit", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        @Sendable func usersPage(_ request: Request, _ caller: Caller, values: [String: String], errors: FieldErrors)
            async throws -> Response
        {
            let scope = Scope(caller.principal, for: .manageUsers)
            let context = UsersContext(
                layout: Layout(title: "用户管理", caller: caller, section: .adminUsers, notice: Pages.notice(request)),
                users: try await store.users(in: scope).map { user in
                    UserRow(
                        link: SiteRoute.adminUser.link(user.id), username: user.username,
                        displayName: user.displayName,
                        grants: user.grants.map { "\($0.unitName)·\($0.role.label)" }.joined(separator: "，"),
                        active: user.active, mustChange: user.mustChangePassword)
                },
                units: Pickers.units(try await store.units(in: scope), selected: values["unitID"] ?? ""),
                roles: Role.allCases.map {
                    LedgerPage.Option(value: $0.rawValue, label: $0.label, selected: values["role"] == $0.rawValue)
                },
                values: values.filter { $0.key != "password" }, errors: errors)
            return try await Pages.render(
                request, "admin-users", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        @Sendable func userPage(
            _ request: Request, _ caller: Caller, id: UUID, shownPassword: String? = nil,
            errors: FieldErrors = FieldErrors()
        ) async throws -> Response {
            let user = try await store.user(id)
            let scope = Scope(caller.principal, for: .manageUsers)
            let context = UserContext(
                layout: Layout(
                    title: "用户 \(user.username)", caller: caller, section: .adminUsers, notice: Pages.notice(request)),
                username: user.username, displayName: user.displayName, active: user.active,
                mustChange: user.mustChangePassword,
                grants: user.grants.map {
                    UserContext.GrantRow(
                        label: "\($0.unitName)·\($0.role.label)", role: $0.role.rawValue, unitID: $0.unitID.uuidString)
                },
                roles: Role.allCases.map { LedgerPage.Option(value: $0.rawValue, label: $0.label, selected: false) },
                units: Pickers.units(try await store.units(in: scope), selected: ""),
                shownPassword: shownPassword, errors: errors,
                links: [
                    "reset": SiteRoute.adminUserReset.link(id), "deactivate": SiteRoute.adminUserDeactivate.link(id),
                    "activate": SiteRoute.adminUserActivate.link(id), "grant": SiteRoute.adminUserGrant.link(id),
                    "revoke": SiteRoute.adminUserRevoke.link(id), "users": SiteRoute.adminUsers.link(),
                ])
            return try await Pages.render(
                request, "admin-user", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        @Sendable func peoplePage(_ request: Request, _ caller: Caller, values: [String: String], errors: FieldErrors)
            async throws -> Response
        {
            let scope = Scope(caller.principal, for: .manageUsers)
            let context = PeopleContext(
                layout: Layout(title: "人员", caller: caller, section: .adminUsers, notice: Pages.notice(request)),
                people: try await store.people(in: scope).map {
                    PeopleContext.Row(
                        name: $0.name, unitName: $0.unitName, title: $0.title, phone: $0.phone ?? "",
                        hasLogin: $0.userID != nil)
                },
                units: Pickers.units(try await store.units(in: scope), selected: values["unitID"] ?? ""),
                values: values, errors: errors)
            return try await Pages.render(
                request, "admin-people", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        @Sendable func unitTarget(_ request: Request, field: String) async throws -> AccessTarget {
            guard let id = FormInput(request).uuid(field) else { return .aboveEveryUnit }
            return AccessTarget(unitPath: try await store.unit(id).path)
        }
        @Sendable func addressedUnit(_ request: Request) async throws -> AccessTarget {
            try await store.accessTarget(unit: try request.id("unitID"))
        }
        @Sendable func addressedUser(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
            let user = try await store.user(try request.id("userID"))
            try Accounts.check(caller.principal, mayManage: user)
            return AccessTarget(unitPath: user.grants.first?.unitPath ?? "/")
        }
        @Sendable func unitAction(
            _ request: Request, _ caller: Caller, notice: Notice, _ act: (UUID) async throws -> Void
        ) async throws -> Response {
            let id = try request.id("unitID")
            do {
                try await act(id)
                return Pages.redirect(request, to: SiteRoute.adminUnit.link(id), notice: notice)
            } catch let error as StoreError {
                var errors = FieldErrors()
                errors.add(error, labels: ["单位名称": "name", "上级单位": "parentID"])
                return try await unitPage(request, caller, errors: errors)
            }
        }
        @Sendable func userAction(
            _ request: Request, _ caller: Caller, notice: Notice, _ act: (UUID) async throws -> Void
        ) async throws -> Response {
            let id = try request.id("userID")
            do {
                try await act(id)
                return Pages.redirect(request, to: SiteRoute.adminUser.link(id), notice: notice)
            } catch let error as StoreError {
                var errors = FieldErrors()
                errors.add(error, labels: [:])
                return try await userPage(request, caller, id: id, errors: errors)
            }
        }

        return [
            Handler(.adminUnits) { request, caller in
                try await unitsPage(request, caller, values: [:], errors: FieldErrors())
            },
            Handler(.adminUnitCreate, target: { r, _ in try await unitTarget(r, field: "parentID") }) {
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
            Handler(.adminUnit, target: { r, _ in try await addressedUnit(r) }) { request, caller in
                try await unitPage(request, caller, errors: FieldErrors())
            },
            Handler(.adminUnitRename, target: { r, _ in try await addressedUnit(r) }) { request, caller in
                try await unitAction(request, caller, notice: .saved) { id in
                    _ = try await store.renameUnit(id, to: FormInput(request)["name"], by: caller.actor)
                }
            },
            Handler(.adminUnitMove) { request, caller in
                // Both ends must be the admin's: the unit that moves and its new parent.
                try Gate.authorize(caller, .manageUnits, try await unitTarget(request, field: "parentID"))
                return try await addressedUnit(request)
            } handle: { request, caller in
                try await unitAction(request, caller, notice: .saved) { id in
                    guard let parent = FormInput(request).uuid("parentID") else {
                        throw StoreError.invalid(field: "上级单位", message: "请选择新的上级单位。")
                    }
                    _ = try await store.moveUnit(id, under: parent, by: caller.actor)
                }
            },
            Handler(.adminUnitRetire, target: { r, _ in try await addressedUnit(r) }) { request, caller in
                try await unitAction(request, caller, notice: .retired) { id in
                    _ = try await store.retireUnit(id, retire: true, by: caller.actor)
                }
            },
            Handler(.adminUnitRestore, target: { r, _ in try await addressedUnit(r) }) { request, caller in
                try await unitAction(request, caller, notice: .restored) { id in
                    _ = try await store.retireUnit(id, retire: false, by: caller.actor)
                }
            },
            Handler(.adminUsers) { request, caller in
                try await usersPage(request, caller, values: [:], errors: FieldErrors())
            },
            Handler(.adminUserCreate, target: { r, _ in try await unitTarget(r, field: "unitID") }) {
                request, caller in
                let form = FormInput(request)
                var errors = FieldErrors()
                // Left empty, the system makes a password and shows it once; either way it is changed at the
                // first login.
                let typed = form.values["password"] ?? ""
                let password = typed.isEmpty ? Passwords.random() : typed
                do {
                    try Passwords.checkStrength(password, username: form["username"])
                } catch let error as PasswordError { errors.add("password", error.description) }
                guard let role = Role(rawValue: form["role"]), let unitID = form.uuid("unitID") else {
                    errors.add("role", "请选择角色和所在单位。")
                    return try await usersPage(request, caller, values: form.values, errors: errors)
                }
                if errors.isEmpty {
                    do {
                        let hash = await Passwords.hashInBackground(password, cost: settings.bcryptCost)
                        let user = try await store.createUser(
                            username: form["username"], displayName: form["displayName"], passwordHash: hash,
                            grants: [NewGrant(role: role, unitID: unitID)], mustChangePassword: true, by: caller.actor)
                        return try await userPage(
                            request, caller, id: user.id, shownPassword: typed.isEmpty ? password : nil)
                    } catch {
                        errors.add(error, labels: ["用户名": "username", "姓名": "displayName", "角色": "role"])
                    }
                }
                return try await usersPage(request, caller, values: form.values, errors: errors)
            },
            Handler(.adminUser, target: { r, c in try await addressedUser(r, c) }) { request, caller in
                try await userPage(request, caller, id: try request.id("userID"))
            },
            Handler(.adminUserReset, target: { r, c in try await addressedUser(r, c) }) { request, caller in
                let id = try request.id("userID")
                let password = try await accounts.resetPassword(userID: id, by: caller.actor)
                return try await userPage(request, caller, id: id, shownPassword: password)
            },
            Handler(.adminUserDeactivate, target: { r, c in try await addressedUser(r, c) }) { request, caller in
                try await userAction(request, caller, notice: .deactivated) { id in
                    _ = try await store.setActive(userID: id, active: false, by: caller.actor)
                }
            },
            Handler(.adminUserActivate, target: { r, c in try await addressedUser(r, c) }) { request, caller in
                try await userAction(request, caller, notice: .activated) { id in
                    _ = try await store.setActive(userID: id, active: true, by: caller.actor)
                }
            },
            Handler(.adminUserGrant) { request, caller in
                try Gate.authorize(caller, .manageUsers, try await unitTarget(request, field: "unitID"))
                return try await addressedUser(request, caller)
            } handle: { request, caller in
                try await userAction(request, caller, notice: .saved) { id in
                    let form = FormInput(request)
                    guard let role = Role(rawValue: form["role"]), let unitID = form.uuid("unitID") else {
                        throw StoreError.invalid(field: "角色", message: "请选择角色和单位。")
                    }
                    _ = try await store.addGrant(userID: id, NewGrant(role: role, unitID: unitID), by: caller.actor)
                }
            },
            Handler(.adminUserRevoke, target: { r, c in try await addressedUser(r, c) }) { request, caller in
                try await userAction(request, caller, notice: .saved) { id in
                    let form = FormInput(request)
                    guard let role = Role(rawValue: form["role"]), let unitID = form.uuid("unitID") else {
                        throw StoreError.invalid(field: "角色", message: "请选择要取消的角色。")
                    }
                    _ = try await store.removeGrant(userID: id, NewGrant(role: role, unitID: unitID), by: caller.actor)
                }
            },
            Handler(.adminPeople) { request, caller in
                try await peoplePage(request, caller, values: [:], errors: FieldErrors())
            },
            Handler(.adminPersonCreate, target: { r, _ in try await unitTarget(r, field: "unitID") }) {
                request, caller in
                let form = FormInput(request)
                var errors = FieldErrors()
                guard let unitID = form.uuid("unitID") else {
                    errors.add("unitID", "请选择所在单位。")
                    return try await peoplePage(request, caller, values: form.values, errors: errors)
                }
                do {
                    _ = try await store.createPerson(
                        NewPerson(
                            name: form["name"], unitID: unitID, title: form["title"], phone: form.optional("phone")),
                        by: caller.actor)
                    return Pages.redirect(request, to: SiteRoute.adminPeople.link(), notice: .created)
                } catch {
                    errors.add(error, labels: ["姓名": "name", "所在单位": "unitID"])
                    return try await peoplePage(request, caller, values: form.values, errors: errors)
                }
            },
        ]
    }
}
