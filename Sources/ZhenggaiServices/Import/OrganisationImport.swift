public import Foundation
public import ZhenggaiCore
import ZhenggaiOffice
public import ZhenggaiStore

/// The unit tree and its people, brought in from a sheet (template: 单位, 上级单位, 姓名, 职务, 角色, 手机号,
/// 用户名). As with the ledger: a preview first that says what each row will do; nothing is stored until no row
/// has a problem; then everything in one transaction. A row with a 角色 also gets a login, with a password
/// made by the system, shown once and changed at the first login.
public enum OrganisationImport {
    enum Field: String, CaseIterable {
        case unit, parent, name, title, role, phone, username

        var synonyms: [String] {
            switch self {
            case .unit: ["单位", "单位名称", "所在单位", "部门"]
            case .parent: ["上级单位", "上级", "所属上级"]
            case .name: ["姓名", "人员", "名字"]
            case .title: ["职务", "职务（岗位）", "岗位"]
            case .role: ["角色", "系统角色", "权限"]
            case .phone: ["手机号", "手机", "联系电话", "电话"]
            case .username: ["用户名", "登录名", "账号"]
            }
        }
    }

    public struct Row: Sendable, Encodable {
        public var number: Int
        public var unit: String
        public var parent: String
        public var name: String
        public var title: String
        public var role: String
        public var hasPhone: Bool
        /// What accepting will do with this row, in words.
        public var actions: [String]
        public var problem: String?
    }

    public struct Preview: Sendable, Encodable {
        public var fileName: String
        public var rows: [Row]
        public var newUnits: Int
        public var newPeople: Int
        public var newLogins: Int
        public var notices: [String]
        public var blocking: Int { rows.filter { $0.problem != nil }.count }
    }

    public struct Login: Sendable, Encodable {
        public var username: String
        public var name: String
        public var unit: String
        public var role: String
        public var password: String
    }

    public struct Result: Sendable, Encodable {
        public var units: Int
        public var people: Int
        public var logins: [Login]
    }

    /// The template people fill in, as an .xlsx with an example row.
    public static func template() throws -> Data {
        let columns = [
            ("单位", 18.0), ("上级单位", 18), ("姓名", 10), ("职务", 16), ("角色", 12), ("手机号", 16), ("用户名", 14),
        ].map { XLSXWriter.Column($0.0, width: $0.1) }
        let examples = [
            ["清河县", "", "", "", "", "", ""],
            ["清河镇", "清河县", "王明", "党委书记", "党组织书记", "", "qh_wangming"],
            ["清河镇", "清河县", "李华", "党政办主任", "经办人", "", "qh_lihua"],
            ["东村", "清河镇", "赵强", "村党支部书记", "", "", ""],
        ]
        var rows = examples.map { XLSXWriter.Row($0.map { CellValue.text($0) }) }
        rows.append(
            XLSXWriter.Row([
                .text("注：角色可填 \(Role.allCases.map(\.label).joined(separator: "、"))，或留空（只登记人员，不开账号）；手机号、用户名可不填。")
            ]))
        let sheet = XLSXWriter.Sheet(name: "单位和人员", columns: columns, rows: rows)
        return try XLSXWriter(sheets: [sheet]).data()
    }

    /// Reads and checks the sheet against the tree. Every unit it names must be inside the admin's scope (or
    /// be created under a unit that is).
    public static func preview(data: Data, fileName: String, admin: Principal, store: Store) async throws -> Preview {
        let plan = try await plan(data: data, fileName: fileName, admin: admin, store: store)
        return plan.preview
    }

    public static func apply(data: Data, fileName: String, admin: Principal, store: Store, by actor: AuditActor)
        async throws -> Result
    {
        let plan = try await plan(data: data, fileName: fileName, admin: admin, store: store)
        guard plan.preview.blocking == 0 else {
            throw LedgerImport.ImportError(userMessage: "有 \(plan.preview.blocking) 行存在问题，请先修改表格再导入。")
        }
        var logins: [Login] = []
        var items: [Store.OrganisationItem] = []
        for item in plan.items {
            var entry = item
            if entry.login != nil {
                let password = Passwords.random()
                entry.login?.passwordHash = await Passwords.hashInBackground(password, cost: 12)
                logins.append(
                    Login(
                        username: entry.login!.username, name: entry.personName ?? "", unit: entry.unitName,
                        role: entry.login!.role.label, password: password))
            }
            items.append(entry)
        }
        let counts = try await store.importOrganisation(items, by: actor)
        return Result(units: counts.units, people: counts.people, logins: logins)
    }

    struct Plan {
        var preview: Preview
        var items: [Store.OrganisationItem]
    }

    static func plan(data: Data, fileName: String, admin: Principal, store: Store) async throws -> Plan {
        let (sheet, notices) = try LedgerImport.worksheet(data, fileName: fileName)
        var header: (row: Int, fields: [Field: Int])?
        for row in sheet.rows.prefix(10) {
            var fields: [Field: Int] = [:]
            for (offset, cell) in row.cells.enumerated() {
                guard case .text(let text) = cell.value else { continue }
                let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if let field = Field.allCases.first(where: { $0.synonyms.contains(name) }), fields[field] == nil {
                    fields[field] = offset + 1
                }
            }
            if fields[.unit] != nil, fields.count >= 2, fields.count > (header?.fields.count ?? 0) {
                header = (row.number, fields)
            }
        }
        guard let header else {
            throw LedgerImport.ImportError(
                userMessage: "「\(fileName)」的前 10 行中找不到表头（单位、上级单位、姓名、职务、角色），请使用下载的模板。")
        }
        let scope = Scope(admin, for: .manageUsers)
        let existing = try await store.units(in: .everything)
        var units: [String: [UnitNode]] = [:]
        for unit in existing { units[unit.name, default: []].append(unit) }
        let people = try await store.people(in: .everything)
        let usernames = Set(try await store.users(in: .everything).map(\.username))
        var plannedUnits: [String: (parent: String, kind: UnitKind)] = [:]
        var plannedPeople = Set<String>()
        var plannedUsernames = Set<String>()
        var rows: [Row] = []
        var items: [Store.OrganisationItem] = []
        var newUnits = 0
        var newPeople = 0
        var newLogins = 0

        func resolve(_ name: String) -> (found: UnitNode?, planned: Bool, ambiguous: Bool) {
            let matches = units[name] ?? []
            if matches.count > 1 { return (nil, false, true) }
            if let unit = matches.first { return (unit, false, false) }
            return (nil, plannedUnits[name] != nil, false)
        }

        for sheetRow in sheet.rows where sheetRow.number > header.row {
            func text(_ field: Field) -> String {
                guard let column = header.fields[field] else { return "" }
                return sheetRow[column].value.displayText.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let unitName = text(.unit)
            let first = sheetRow.cells.first?.value.displayText.trimmingCharacters(in: .whitespaces) ?? ""
            if unitName.isEmpty && text(.name).isEmpty { continue }
            if ["注", "说明", "备注", "填表说明"].contains(where: { first.hasPrefix($0) }) { continue }
            var row = Row(
                number: sheetRow.number, unit: unitName, parent: text(.parent), name: text(.name), title: text(.title),
                role: text(.role), hasPhone: !text(.phone).isEmpty, actions: [], problem: nil)
            defer { rows.append(row) }
            guard !unitName.isEmpty else {
                row.problem = "缺少「单位」"
                continue
            }
            var item = Store.OrganisationItem(unitName: unitName)
            let here = resolve(unitName)
            if here.ambiguous {
                row.problem = "有多个单位名为「\(unitName)」，请在系统中先改名以区分"
                continue
            }
            if let unit = here.found {
                guard scope.contains(unit.path) else {
                    row.problem = "「\(unitName)」不在您管理的范围内"
                    continue
                }
                if unit.isRetired {
                    row.problem = "「\(unitName)」已撤销"
                    continue
                }
                item.unitID = unit.id
                if !row.parent.isEmpty, let parentID = unit.parentID,
                    existing.first(where: { $0.id == parentID })?.name != row.parent
                {
                    row.actions.append("注意：「\(unitName)」在系统中不在「\(row.parent)」之下，未改动（如需调整，请在单位页面移动）")
                }
            } else if here.planned {
                item.unitName = unitName
            } else if row.parent.isEmpty && existing.isEmpty && plannedUnits.isEmpty {
                // An empty system: the first row without a parent is the county itself.
                item.newUnitKind = .county
                item.isTop = true
                plannedUnits[unitName] = ("", .county)
                newUnits += 1
                row.actions.append("新建最上级单位「\(unitName)」（\(UnitKind.county.label)）")
            } else {
                guard !row.parent.isEmpty else {
                    row.problem = "「\(unitName)」在系统中不存在，须填写「上级单位」才能新建"
                    continue
                }
                let parent = resolve(row.parent)
                if parent.ambiguous {
                    row.problem = "有多个单位名为「\(row.parent)」"
                    continue
                }
                let parentKind: UnitKind
                if let found = parent.found {
                    guard scope.contains(found.path) else {
                        row.problem = "上级单位「\(row.parent)」不在您管理的范围内"
                        continue
                    }
                    parentKind = found.kind
                    item.parentID = found.id
                } else if let planned = plannedUnits[row.parent] {
                    parentKind = planned.kind
                    item.parentName = row.parent
                } else {
                    row.problem = "上级单位「\(row.parent)」不存在（须在系统中已有，或在本表中更早的行中新建）"
                    continue
                }
                let kind = UnitKind.infer(name: unitName, under: parentKind)
                guard parentKind.allowsChild(kind) else {
                    row.problem = "「\(kind.label)」不能设在「\(row.parent)」之下"
                    continue
                }
                item.newUnitKind = kind
                plannedUnits[unitName] = (row.parent, kind)
                newUnits += 1
                row.actions.append("新建单位「\(unitName)」（\(kind.label)，上级：\(row.parent)）")
            }
            if !row.name.isEmpty {
                let key = "\(unitName)|\(row.name)"
                let known = people.first { $0.unitName == unitName && $0.name == row.name && item.unitID == $0.unitID }
                if let known {
                    item.personID = known.id
                    row.actions.append("已有人员「\(row.name)」")
                } else if plannedPeople.contains(key) {
                    row.problem = "「\(unitName)」的「\(row.name)」在本表中重复"
                    continue
                } else {
                    plannedPeople.insert(key)
                    item.personName = row.name
                    item.title = row.title
                    item.phone = text(.phone).isEmpty ? nil : text(.phone)
                    newPeople += 1
                    row.actions.append("新增人员「\(row.name)」\(row.title.isEmpty ? "" : "（\(row.title)）")")
                }
                if !row.role.isEmpty {
                    guard let role = Role.allCases.first(where: { $0.label == row.role || $0.rawValue == row.role })
                    else {
                        row.problem = "角色「\(row.role)」无法识别（可填：\(Role.allCases.map(\.label).joined(separator: "、"))）"
                        continue
                    }
                    if known?.userID != nil {
                        row.actions.append("已有登录账号，角色未改动（请在用户页面调整）")
                    } else {
                        var username = text(.username)
                        if username.isEmpty {
                            var counter = usernames.count + plannedUsernames.count + 1
                            repeat {
                                username = String(format: "zg%04d", counter)
                                counter += 1
                            } while usernames.contains(username) || plannedUsernames.contains(username)
                        }
                        guard !usernames.contains(username), !plannedUsernames.contains(username) else {
                            row.problem = "用户名「\(username)」已被使用"
                            continue
                        }
                        plannedUsernames.insert(username)
                        item.login = .init(username: username, role: role)
                        newLogins += 1
                        row.actions.append("开通账号 \(username)（\(role.label)，初始密码导入后显示一次）")
                    }
                }
            } else if !row.role.isEmpty {
                row.problem = "填写了角色但没有姓名"
                continue
            }
            items.append(item)
        }
        if rows.isEmpty {
            throw LedgerImport.ImportError(userMessage: "「\(fileName)」表头（第 \(header.row) 行）下面没有数据。")
        }
        return Plan(
            preview: Preview(
                fileName: fileName, rows: rows, newUnits: newUnits, newPeople: newPeople, newLogins: newLogins,
                notices: notices),
            items: items)
    }
}

extension UnitKind {
    /// The kind a new unit takes from its name and its parent: 局、委、办 under a county are departments,
    /// 社区 a community, 村 a village, 镇、乡、街道 a township.
    public static func infer(name: String, under parent: UnitKind) -> UnitKind {
        switch parent {
        case .county:
            if name.hasSuffix("镇") || name.hasSuffix("乡") || name.hasSuffix("街道") { return .township }
            return .department
        default: return name.hasSuffix("社区") ? .community : .village
        }
    }
}
