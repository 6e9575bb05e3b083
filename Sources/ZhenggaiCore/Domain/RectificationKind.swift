/// 整改类型. An ongoing (长期坚持) task is never shown as done: its problem closes only as 阶段性完成.
public enum RectificationKind: String, Codable, CaseIterable, Sendable {
    case immediate  // 立行立改
    case scheduled  // 限期整改
    case ongoing  // 长期坚持

    public var label: String {
        switch self {
        case .immediate: "立行立改"
        case .scheduled: "限期整改"
        case .ongoing: "长期坚持"
        }
    }

    public init?(label: String) {
        guard let kind = Self.allCases.first(where: { $0.label == label }) else { return nil }
        self = kind
    }
}
