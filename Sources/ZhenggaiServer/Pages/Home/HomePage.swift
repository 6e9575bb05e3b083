import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// Each user's day as a list of what to do next, for their roles: items returned to them with the reason,
/// reopened items that need a new plan, problems without a measure, their tasks due or overdue, requests
/// waiting for their review, their own requests waiting for others. Every count links to the ledger
/// filtered to exactly those items.
enum HomePage {
    struct Context: Encodable {
        var layout: Layout
        var todo: [Todo]
        var due: [DueRow]
        var dueLink: String
        var total: Int
        var rate: String
        var overdue: Int
        var lateDone: Int
        var links: [String: String]
        var onlyMine: Bool
        var signInWarning: String?
    }

    /// One kind of work, with the items (at most a few shown) and the link to all of them.
    struct Todo: Encodable {
        var title: String
        var hint: String
        var count: Int
        var link: String
        var items: [Item]
    }

    struct Item: Encodable {
        var link: String
        var number: String
        var text: String
        var unitName: String
        var note: String
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

    static func route(store: Store, settings: AppConfiguration) -> Handler {
        Handler(.home) { request, caller in
            let today = store.clock.today()
            let principal = caller.principal
            let me = caller.user.id
            func has(_ action: Action) -> Bool {
                AccessPolicy.roles(for: action).contains { role in caller.user.grants.contains { $0.role == role } }
            }
            func rows(_ filter: LedgerFilter) async throws -> (total: Int, rows: [LedgerRow]) {
                let page = try await store.ledger(filter, paging: try Paging(perPage: 200), today: today)
                return (page.total, page.rows)
            }
            func item(_ row: LedgerRow, note: String = "") -> Item {
                Item(
                    link: SiteRoute.problem.link(row.problem.id), number: row.problem.number,
                    text: Text.excerpt(row.problem.text, 50), unitName: row.problem.unitName, note: note)
            }
            func ledger(_ items: [(String, String)]) -> String { SiteRoute.ledger.link(query: items) }
            var todo: [Todo] = []

            if has(.requestClosure) || has(.editTask) {
                // Returned: the reviewer's reason is what the person needs to see.
                var filter = LedgerFilter(scope: caller.scope, statuses: [.returned])
                if !has(.requestClosure) { filter.responsibleUserID = me }
                let returned = try await rows(filter)
                let reasons = try await store.latestClosureEvents(kind: "return", of: returned.rows.map(\.problem.id))
                todo.append(
                    Todo(
                        title: "退回补正，待我处理", hint: "审核人退回的销号申请：按理由补正后再申请。",
                        count: returned.total,
                        link: ledger([("status", "returned")] + (has(.requestClosure) ? [] : [("mine", "1")])),
                        items: returned.rows.prefix(5).map { row in
                            let reason = reasons[row.problem.id].map { "\($0.actorName)：\($0.note)" } ?? ""
                            return item(row, note: reason)
                        }))
            }
            if has(.createTask) {
                let reopened = try await rows(LedgerFilter(scope: caller.scope, statuses: [.reopened]))
                let needing = reopened.rows.filter { row in !row.tasks.contains { $0.status == .inProgress } }
                todo.append(
                    Todo(
                        title: "回头看重新打开，须重新制定措施", hint: "问题反弹后重新打开，尚无进行中的整改任务。",
                        count: needing.count, link: ledger([("status", "reopened")]),
                        items: needing.prefix(5).map { item($0, note: "第\($0.problem.recurrences)次反弹") }))
                var bare = LedgerFilter(scope: caller.scope, statuses: [.open, .returned, .reopened])
                bare.withoutTasks = true
                let withoutTasks = try await rows(bare)
                todo.append(
                    Todo(
                        title: "尚无整改措施的问题", hint: "须制定整改措施、明确责任领导和时限。", count: withoutTasks.total,
                        link: ledger([("nomeasure", "1")]), items: withoutTasks.rows.prefix(5).map { item($0) }))
            }
            // Waiting for my review: the stage my roles may give, never my own request or my own first review.
            let waiting = try await rows(
                LedgerFilter(scope: caller.scope, statuses: [.pendingFirstReview, .pendingSecondReview]))
            let mine = waiting.rows.filter { row in
                let action: Action = row.problem.status == .pendingFirstReview ? .firstReview : .secondReview
                return AccessPolicy.allows(principal, action, on: AccessTarget(unitPath: row.problem.unitPath))
                    && row.problem.requestedBy != me && row.problem.firstReviewedBy != me
            }
            if has(.firstReview) || has(.secondReview) {
                let statuses = [
                    has(.firstReview) ? "pendingFirstReview" : nil, has(.secondReview) ? "pendingSecondReview" : nil,
                ].compactMap { $0 }.joined(separator: ",")
                todo.append(
                    Todo(
                        title: "待我审核的销号申请", hint: "单位审核（审核1）或巡察办审核（审核2）。", count: mine.count,
                        link: ledger([("status", statuses)]),
                        items: mine.prefix(5).map { item($0, note: $0.problem.statusLabel) }))
            }
            if has(.requestClosure) {
                var asked = LedgerFilter(scope: caller.scope, statuses: [.pendingFirstReview, .pendingSecondReview])
                asked.requestedBy = me
                let waitingOthers = try await rows(asked)
                todo.append(
                    Todo(
                        title: "我提出、等待他人审核的销号申请", hint: "单位审核之前可以撤回。", count: waitingOthers.total,
                        link: ledger([("asked", "1"), ("status", "pendingFirstReview,pendingSecondReview")]),
                        items: waitingOthers.rows.prefix(5).map { item($0, note: $0.problem.statusLabel) }))
            }

            // Tasks: a leader or assignee sees their own; those who keep the ledger see everything due in scope.
            let onlyMine = !has(.requestClosure)
            let due = try await store.dueTasks(
                scope: caller.scope, responsibleUserID: onlyMine ? me : nil, today: today,
                horizon: today.adding(days: settings.deadlineThresholds.green))
            let counts = try await store.counts(LedgerFilter(scope: caller.scope), today: today)
            let failures = try await store.failedSignInsSinceLastSuccess(username: caller.user.username)
            let context = Context(
                layout: Layout(title: "首页", caller: caller, section: .home, notice: Pages.notice(request)),
                todo: todo,
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
                dueLink: ledger([("sort", "deadline")] + (onlyMine ? [("mine", "1")] : [])),
                total: counts.total, rate: counts.rate, overdue: counts.overdue, lateDone: counts.lateDone,
                links: [
                    "all": ledger([]), "overdue": ledger([("overdue", "1")]), "late": ledger([("late", "1")]),
                    "closed": ledger([("status", "closed")]),
                ],
                onlyMine: onlyMine,
                signInWarning: failures.count > 0
                    ? "上次登录以来，有 \(failures.count) 次以您的用户名登录失败（最近一次 \(failures.at.map(LocalDate.chineseTime) ?? "")，来自 \(failures.address ?? "未知地址")）。如果不是您本人，请立即修改密码。"
                    : nil)
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
