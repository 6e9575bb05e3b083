/// A role is held at a node of the unit tree and reaches that node's subtree (DOMAIN.md §1).
public enum Role: String, Codable, CaseIterable, Sendable, Comparable {
    case admin, inspector, supervisor, secretary, leader, clerk

    public var label: String {
        switch self {
        case .admin: "系统管理员"
        case .inspector: "巡察办"
        case .supervisor: "纪检监督"
        case .secretary: "党组织书记"
        case .leader: "责任领导"
        case .clerk: "经办人"
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
