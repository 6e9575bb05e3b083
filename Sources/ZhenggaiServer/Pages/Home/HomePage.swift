import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// Each user's day: what is due soon or overdue, what waits for their review, and where their subtree stands.
enum HomePage {
    struct Context: Encodable {
        var layout: Layout
        var due: [DueRow]
        var reviews: [ReviewRow]
        var counts: [CountRow]
        var total: Int
        var rate: String
        var overdue: Int
        var onlyMine: Bool
        var showsReviews: Bool
    }

    struct DueRow: Encodable {
        var link: String
        var number: String
        var text: String
        var measure: String
        var unitName: String
        var leaderName: String
        var deadline: String
        var daysText: String
        var light: String
    }

    struct ReviewRow: Encodable {
        var link: String
        var number: String
        var text: String
        var unitName: String
        var stage: String
    }

    struct CountRow: Encodable {
        var status: String
        var label: String
        var count: Int
    }

    static func route(store: Store, settings: AppConfiguration) -> Handler {
        Handler(
            .home, target: { _, _ in .anywhere }
        ) { request, caller in
            let today = store.clock.today()
            let onlyLeader = caller.user.grants.allSatisfy { $0.role == .leader }
            let due = try await store.dueTasks(
                scope: caller.scope, responsibleUserID: onlyLeader ? caller.user.id : nil, today: today,
                horizon: today.adding(days: settings.deadlineThresholds.green))
            var reviews: [ReviewRow] = []
            let waiting = try await store.ledger(
                LedgerFilter(scope: caller.scope, statuses: [.pendingFirstReview, .pendingSecondReview]),
                paging: try Paging(page: 1, perPage: 100), today: today)
            for row in waiting.rows {
                let action: Action = row.problem.status == .pendingFirstReview ? .firstReview : .secondReview
                guard AccessPolicy.allows(caller.principal, action, on: AccessTarget(unitPath: row.problem.unitPath))
                else { continue }
                reviews.append(
                    ReviewRow(
                        link: SiteRoute.problem.link(row.problem.id), number: row.problem.number,
                        text: Text.excerpt(row.problem.text, 60), unitName: row.problem.unitName,
                        stage: row.problem.statusLabel))
            }
            let counts = try await store.counts(LedgerFilter(scope: caller.scope), today: today)
            let context = Context(
                layout: Layout(title: "首页", caller: caller, section: .home, notice: Pages.notice(request)),
                due: due.map { item in
                    let light = DeadlineLight.of(
                        deadline: item.task.deadline, today: today, done: false, thresholds: settings.deadlineThresholds
                    )
                    return DueRow(
                        link: SiteRoute.problem.link(item.problem.id), number: item.problem.number,
                        text: Text.excerpt(item.problem.text, 50), measure: Text.excerpt(item.task.measure, 40),
                        unitName: item.problem.unitName, leaderName: item.task.leaderName ?? "—",
                        deadline: item.task.deadline?.chinese ?? "", daysText: Text.daysLeft(item.daysLeft),
                        light: light == .none ? "plain" : light.rawValue)
                },
                reviews: reviews,
                counts: counts.byStatus.map {
                    CountRow(status: $0.key, label: $0.label, count: $0.counts.total)
                },
                total: counts.total, rate: counts.rate, overdue: counts.overdue, onlyMine: onlyLeader,
                showsReviews: caller.user.grants.contains { $0.role == .secretary || $0.role == .inspector })
            return try await Pages.render(request, "home", context)
        }
    }
}

/// Small wording helpers for pages.
enum Text {
    static func excerpt(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length)) + "…"
    }

    static func daysLeft(_ days: Int) -> String {
        if days < 0 { return "逾期 \(-days) 天" }
        if days == 0 { return "今天到期" }
        return "剩 \(days) 天"
    }
}
