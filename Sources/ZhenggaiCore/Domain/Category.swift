/// One entry of the 四个落实 taxonomy (DOMAIN.md §4). The store keeps an editable copy; this is its seed.
public struct Category: Codable, Hashable, Sendable {
    public var code: String
    public var name: String
    public var group: String

    public init(code: String, name: String, group: String) {
        self.code = code
        self.name = name
        self.group = group
    }

    /// The group letter: "B4" → "B".
    public var groupCode: String { String(code.prefix(1)) }

    public static func isWellFormedCode(_ code: String) -> Bool {
        let scalars = Array(code.unicodeScalars)
        guard scalars.count >= 2, scalars.count <= 4, ("A"..."Z").contains(scalars[0]) else { return false }
        return scalars.dropFirst().allSatisfy { ("0"..."9").contains($0) }
    }

    public static let groups: [(code: String, name: String)] = [
        ("A", "落实党的理论和路线方针政策、党中央重大决策部署"),
        ("B", "落实全面从严治党"),
        ("C", "落实新时代党的组织路线"),
        ("D", "落实巡视巡察、审计等监督发现问题整改"),
    ]

    public static let defaults: [Category] = {
        let entries: [(String, String)] = [
            ("A1", "理论学习"), ("A2", "重大决策部署"), ("A3", "履职尽责、主责主业"),
            ("A4", "民主集中制、“三重一大”"), ("A5", "民生、惠民政策落实"),
            ("B1", "“两个责任”"), ("B2", "中央八项规定精神、“四风”"), ("B3", "重点领域廉洁风险"),
            ("B4", "“三资”管理、村级财务"), ("B5", "惠民资金"), ("B6", "群众身边腐败和不正之风、小微权力"),
            ("B7", "纪律教育与日常监督"),
            ("C1", "领导班子建设"), ("C2", "选人用人"), ("C3", "基层党组织建设"), ("C4", "干部队伍与人才"),
            ("D1", "上轮巡察整改"), ("D2", "审计整改"), ("D3", "其他监督整改"), ("D4", "屡改屡犯、边改边犯、新官不理旧账"),
        ]
        return entries.map { code, name in
            let group = groups.first { $0.code == String(code.prefix(1)) }!.name
            return Category(code: code, name: name, group: group)
        }
    }()
}
