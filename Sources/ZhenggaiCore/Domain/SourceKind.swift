/// Where a problem came from (DOMAIN.md §2.1). The code is part of a problem's permanent number.
public enum SourceKind: String, Codable, CaseIterable, Sendable {
    case inspection  // 巡察
    case tour  // 巡视
    case audit  // 审计
    case supervision  // 督查
    case followUp  // 回头看
    case specialCheck  // 专项检查
    case selfCheck  // 自查
    case democraticLife  // 民主生活会（对照检查）
    case appeals  // 群众诉求: problems the public's appeals brought up

    public var label: String {
        switch self {
        case .inspection: "巡察"
        case .tour: "巡视"
        case .audit: "审计"
        case .supervision: "督查"
        case .followUp: "回头看"
        case .specialCheck: "专项检查"
        case .selfCheck: "自查"
        case .democraticLife: "民主生活会"
        case .appeals: "群众诉求"
        }
    }

    /// Two letters of the pinyin initials, as ledgers abbreviate them; fixed forever because numbers embed them.
    public var code: String {
        switch self {
        case .inspection: "XC"
        case .tour: "XS"
        case .audit: "SJ"
        case .supervision: "DC"
        case .followUp: "HT"
        case .specialCheck: "ZX"
        case .selfCheck: "ZC"
        case .democraticLife: "MZ"
        case .appeals: "QZ"
        }
    }

    public init?(label: String) {
        guard let kind = Self.allCases.first(where: { $0.label == label }) else { return nil }
        self = kind
    }
}
