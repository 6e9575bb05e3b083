/// The warning colour of a deadline (DOMAIN.md §3). Thresholds are configurable; defaults follow
/// one county's rule: green from 20 days left, yellow from 10, red when overdue.
public enum DeadlineLight: String, Codable, Sendable {
    case none, green, yellow, red

    public struct Thresholds: Codable, Equatable, Sendable {
        public var green: Int
        public var yellow: Int
        public init(green: Int = 20, yellow: Int = 10) {
            self.green = green
            self.yellow = yellow
        }
    }

    public static func of(deadline: LocalDate?, today: LocalDate, done: Bool, thresholds: Thresholds = .init())
        -> DeadlineLight
    {
        guard let deadline, !done else { return .none }
        let left = today.days(until: deadline)
        if left < 0 { return .red }
        if left <= thresholds.yellow { return .yellow }
        if left <= thresholds.green { return .green }
        return .none
    }

    public var label: String {
        switch self {
        case .none: ""
        case .green: "临近时限"
        case .yellow: "即将到期"
        case .red: "已逾期"
        }
    }
}
