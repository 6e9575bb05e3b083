public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// A month of appeals, counted the way DOMAIN.md §6 asks: the 三率 (按时响应率, 解决率, 满意率), never
/// satisfaction alone, with average and p90 days to answer, by department and by kind. A rate over fewer
/// appeals than the county's minimum is not given ("—"), so three appeals are not read as a trend.
public struct AppealStatistics: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public var label: String
        public var received = 0
        public var accepted = 0
        public var onTime = 0
        public var resolved = 0
        public var visited = 0
        public var satisfied = 0
        public var answerDays: [Double] = []
        public var onTimeRate: String = "—"
        public var resolvedRate: String = "—"
        public var satisfiedRate: String = "—"
        public var averageDays: String = "—"
        public var p90Days: String = "—"
    }

    public var month: String
    public var total: Row
    public var byDepartment: [Row]
    public var byKind: [Row]
    public var minimum: Int

    /// Appeals received in `month` ("2026-11"), in the scope.
    public static func compute(month: String, scope: Scope, store: Store) async throws -> AppealStatistics {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, let first = LocalDate(year: parts[0], month: parts[1], day: 1) else {
            throw StoreError.invalid(field: "月份", message: "应写成 2026-11 这样的月份。")
        }
        let appeals = try await store.appeals(
            in: scope, from: first.date, to: first.adding(months: 1).date, limit: 2_000_000)
        let tops = try await store.units(in: .everything).filter { $0.parentID == nil }
        let rules = try await store.rhythmSettings(at: tops.first?.path ?? "/").settings
        var total = Row(label: "合计")
        var departments: [String: Row] = [:]
        var kinds: [String: Row] = [:]
        func add(_ appeal: Appeal, to row: inout Row) {
            row.received += 1
            guard appeal.status != .rejected && appeal.status != .merged else { return }
            row.accepted += 1
            if let answered = appeal.answeredAt {
                let answerDay = LocalDate(answered)
                if let due = appeal.dueOn, answerDay <= due { row.onTime += 1 }
                row.answerDays.append(answered.timeIntervalSince(appeal.receivedAt) / 86_400)
            }
            if appeal.status == .closed { row.resolved += 1 }
            if let level = appeal.satisfaction {
                row.visited += 1
                if level >= RatingLevel.satisfied.rawValue { row.satisfied += 1 }
            }
        }
        for appeal in appeals {
            add(appeal, to: &total)
            add(
                appeal,
                to: &departments[appeal.departmentName ?? "未派单", default: Row(label: appeal.departmentName ?? "未派单")])
            add(appeal, to: &kinds[appeal.kind.label, default: Row(label: appeal.kind.label)])
        }
        let minimum = rules.appealMinimumForRates
        func finish(_ row: Row) -> Row {
            var row = row
            func rate(_ part: Int, _ whole: Int) -> String {
                guard whole >= minimum, whole > 0 else { return "—" }
                let permille = (part * 1000 + whole / 2) / whole
                return "\(permille / 10).\(permille % 10)%"
            }
            row.onTimeRate = rate(row.onTime, row.accepted)
            row.resolvedRate = rate(row.resolved, row.accepted)
            row.satisfiedRate = rate(row.satisfied, row.visited)
            if row.answerDays.count >= minimum {
                let sorted = row.answerDays.sorted()
                row.averageDays = String(format: "%.1f", sorted.reduce(0, +) / Double(sorted.count))
                row.p90Days = String(
                    format: "%.1f", sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.9).rounded(.up)) - 1)])
            }
            row.answerDays = []
            return row
        }
        return AppealStatistics(
            month: month, total: finish(total),
            byDepartment: departments.values.map(finish).sorted { $0.label < $1.label },
            byKind: Appeal.Kind.allCases.compactMap { kinds[$0.label] }.map(finish), minimum: minimum)
    }
}
