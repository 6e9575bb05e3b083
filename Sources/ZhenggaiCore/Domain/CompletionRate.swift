/// Counts as the disclosures give them: 完成 / 基本完成并持续整改 / 未完成, and 完成率 = 完成 ÷ 总数.
/// One district's figures (697 problems, 688 done, 4 basically done, 5 not done) give 98.71%, so
/// basically-done items are not counted as done.
public struct CompletionCounts: Codable, Equatable, Sendable {
    public var completed: Int
    public var basicallyCompleted: Int
    public var notCompleted: Int

    public init(completed: Int = 0, basicallyCompleted: Int = 0, notCompleted: Int = 0) {
        self.completed = completed
        self.basicallyCompleted = basicallyCompleted
        self.notCompleted = notCompleted
    }

    public var total: Int { completed + basicallyCompleted + notCompleted }

    /// Nil when there is nothing to count, so a report shows "—" instead of a made-up 0% or 100%.
    public var rate: Double? { total == 0 ? nil : Double(completed) / Double(total) }

    /// "98.71%", rounded half up to two decimals as the disclosures print it.
    public var rateText: String {
        guard let rate else { return "—" }
        let hundredths = Int((rate * 10_000).rounded())
        let whole = hundredths / 100
        let fraction = hundredths % 100
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction)%"
    }

    public mutating func add(_ completion: Completion, count: Int = 1) {
        switch completion {
        case .completed: completed += count
        case .basicallyCompleted: basicallyCompleted += count
        case .notCompleted: notCompleted += count
        }
    }
}
