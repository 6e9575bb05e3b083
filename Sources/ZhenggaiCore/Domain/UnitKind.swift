/// Levels of the unit tree: 县 → 乡镇(街道) and 县直部门 → 村(社区).
public enum UnitKind: String, Codable, CaseIterable, Sendable {
    case county, township, department, village, community

    public var label: String {
        switch self {
        case .county: "县（市、区）"
        case .township: "乡镇（街道）"
        case .department: "县直部门"
        case .village: "村"
        case .community: "社区"
        }
    }

    /// Which kinds may sit directly below this one; keeps the tree shaped like the real hierarchy.
    public func allowsChild(_ child: UnitKind) -> Bool {
        switch self {
        case .county: child == .township || child == .department
        case .township: child == .village || child == .community
        case .department, .village, .community: false
        }
    }
}
