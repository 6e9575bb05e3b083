import Foundation
import SQLKit
import Testing
import ZhenggaiCore
import ZhenggaiTestSupport

@testable import ZhenggaiStore

@Suite
struct LedgerStoreTests {
    struct Cast {
        var county: TestCounty
        var clerk: User
        var secretary: User
        var inspector: User
        var leader: User
    }

    func cast(_ store: Store) async throws -> Cast {
        let county = try await TestCounty.make(in: store)
        return Cast(
            county: county,
            clerk: try await county.user(store, "clerk", .clerk, at: county.township),
            secretary: try await county.user(store, "secretary", .secretary, at: county.township),
            inspector: try await county.user(store, "inspector", .inspector, at: county.county),
            leader: try await county.user(store, "leader", .leader, at: county.township))
    }

    func fields(_ kind: RectificationKind = .scheduled, leader: UUID? = nil, deadline: LocalDate? = nil) -> TaskFields {
        TaskFields(
            measure: "建立村级财务审核制度", kind: kind, leaderID: leader, leadUnit: "镇财政所", assignee: "张三",
            deadline: kind == .ongoing ? nil : (deadline ?? TestStores.today.adding(days: 30)))
    }

    @Test func aProblemRunsFromTaskToClosureThroughTwoReviews() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let clerk = AuditActor(c.clerk)
            let source = try await c.county.source(store, by: c.inspector)
            let problem = try await store.createProblem(
                NewProblem(
                    sourceID: source.id, text: "村级财务管理不规范，白条入账。", outlinePath: ["二、", "（一）"], categoryCode: "B4"),
                by: clerk)
            #expect(problem.number == "XC2026-03-01-001")
            let task = try await store.createTask(problemID: problem.id, fields(leader: c.leader.id), by: clerk)
            _ = try await store.addProgress(taskID: task.id, date: TestStores.today, text: "已清理白条", by: clerk)
            _ = try await store.addEvidence(
                problemID: problem.id, taskID: task.id, fileName: "台账.pdf", data: Fixtures.pdf, by: clerk)
            _ = try await store.completeTask(task.id, version: task.version, by: clerk)
            var now = try await store.requestClosure(problemID: problem.id, statement: "已完成整改", by: clerk)
            #expect(now.status == .pendingFirstReview)
            await #expect(throws: StoreError.self) {
                try await store.approveClosure(problemID: problem.id, stage: .first, by: clerk)
            }
            now = try await store.approveClosure(problemID: problem.id, stage: .first, by: AuditActor(c.secretary))
            #expect(now.status == .pendingSecondReview)
            now = try await store.approveClosure(problemID: problem.id, stage: .second, by: AuditActor(c.inspector))
            #expect(now.status == .closed)
            #expect(now.completion == .completed)
            let detail = try await store.problemDetail(problem.id)
            #expect(detail.closureHistory.map(\.kind) == ["request", "approveFirst", "approveSecond"])
            #expect(detail.progress.count == 1 && detail.evidence.count == 1)
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    @Test func numbersAreNeverReusedAndNameTheirSource() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let first = try await c.county.source(store, by: c.inspector)
            let second = try await c.county.source(store, by: c.inspector, at: c.county.sibling)
            #expect(first.numberPrefix == "XC2026-03-01")
            #expect(second.numberPrefix == "XC2026-03-02")
            var numbers: [String] = []
            for index in 1...3 {
                let problem = try await store.createProblem(
                    NewProblem(sourceID: first.id, text: "问题\(index)", categoryCode: "A1"), by: AuditActor(c.clerk))
                numbers.append(problem.number)
            }
            #expect(numbers == ["XC2026-03-01-001", "XC2026-03-01-002", "XC2026-03-01-003"])
        }
    }

    @Test func theSecondOfTwoEditorsGetsAConflictNotASilentOverwrite() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let source = try await c.county.source(store, by: c.inspector)
            let problem = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "问题", categoryCode: "A1"), by: AuditActor(c.clerk))
            let task = try await store.createTask(problemID: problem.id, fields(), by: AuditActor(c.clerk))
            var first = fields(.scheduled)
            first.measure = "甲的修改"
            var second = fields(.scheduled)
            second.measure = "乙的修改"
            _ = try await store.updateTask(task.id, version: task.version, first, by: AuditActor(c.clerk))
            do {
                _ = try await store.updateTask(task.id, version: task.version, second, by: AuditActor(c.secretary))
                Issue.record("the stale save went through")
            } catch let StoreError.workflow(.versionConflict(current)) {
                #expect(current == task.version + 1)
            }
            #expect(try await store.task(task.id).measure == "甲的修改")
        }
    }

    @Test func anOngoingItemClosesInStagesAndIsNotCountedDone() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let source = try await c.county.source(store, by: c.inspector)
            let problem = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "主体责任落实有差距", categoryCode: "B1"), by: AuditActor(c.clerk))
            let ongoing = try await store.createTask(problemID: problem.id, fields(.ongoing), by: AuditActor(c.clerk))
            await #expect(throws: StoreError.self) {
                try await store.completeTask(ongoing.id, version: ongoing.version, by: AuditActor(c.clerk))
            }
            _ = try await store.addEvidence(
                problemID: problem.id, taskID: nil, fileName: "制度.pdf", data: Fixtures.pdf, by: AuditActor(c.clerk))
            _ = try await store.requestClosure(problemID: problem.id, statement: "阶段性完成", by: AuditActor(c.clerk))
            _ = try await store.approveClosure(problemID: problem.id, stage: .first, by: AuditActor(c.secretary))
            let result = try await store.approveClosure(
                problemID: problem.id, stage: .second, by: AuditActor(c.inspector))
            #expect(result.status == .stageCompleted)
            let counts = try await store.counts(
                LedgerFilter(scope: Scope(subtree: c.county.county.path)), today: TestStores.today)
            #expect(counts.completion == CompletionCounts(completed: 0, basicallyCompleted: 1, notCompleted: 0))
            #expect(counts.rate == "0.00%")
        }
    }

    @Test func aFollowUpCheckReopensTheSameItemAndKeepsItsHistory() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let source = try await c.county.source(store, by: c.inspector)
            let problem = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "白条入账", categoryCode: "B4"), by: AuditActor(c.clerk))
            let task = try await store.createTask(problemID: problem.id, fields(.immediate), by: AuditActor(c.clerk))
            _ = try await store.completeTask(task.id, version: task.version, by: AuditActor(c.clerk))
            _ = try await store.requestClosure(problemID: problem.id, statement: "已整改", by: AuditActor(c.clerk))
            _ = try await store.approveClosure(problemID: problem.id, stage: .first, by: AuditActor(c.secretary))
            _ = try await store.approveClosure(problemID: problem.id, stage: .second, by: AuditActor(c.inspector))
            let reopened = try await store.reopen(problemID: problem.id, reason: "回头看发现反弹", by: AuditActor(c.inspector))
            #expect(reopened.status == .reopened)
            #expect(reopened.number == problem.number)
            #expect(reopened.recurrences == 1)
            #expect(reopened.closedOn == nil)
            let history = try await store.problemDetail(problem.id).closureHistory
            #expect(history.last?.kind == "reopen" && history.count == 4)
        }
    }

    @Test func overdueLeaderTextAndScopeFiltersFindTheRightRows() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let clerk = AuditActor(c.clerk)
            let source = try await c.county.source(store, by: c.inspector)
            let late = try await store.createProblem(
                NewProblem(sourceID: source.id, unitID: c.county.village.id, text: "公务接待超标准", categoryCode: "B2"),
                by: clerk)
            _ = try await store.createTask(
                problemID: late.id, fields(leader: c.leader.id, deadline: TestStores.today.adding(days: -1)), by: clerk)
            let fine = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "理论学习不深入", categoryCode: "A1"), by: clerk)
            _ = try await store.createTask(problemID: fine.id, fields(), by: clerk)
            let other = try await c.county.source(store, by: c.inspector, at: c.county.sibling)
            _ = try await store.createProblem(NewProblem(sourceID: other.id, text: "接待", categoryCode: "B2"), by: clerk)

            let township = Scope(subtree: c.county.township.path)
            func numbers(_ filter: LedgerFilter) async throws -> [String] {
                try await store.ledger(filter, paging: try Paging(page: 1, perPage: 50), today: TestStores.today).rows
                    .map(\.problem.number)
            }
            #expect(try await numbers(LedgerFilter(scope: township, overdueOn: TestStores.today)) == [late.number])
            #expect(try await numbers(LedgerFilter(scope: township, leaderID: c.leader.id)) == [late.number])
            #expect(try await numbers(LedgerFilter(scope: township, text: "接待")) == [late.number])
            #expect(try await numbers(LedgerFilter(scope: township, text: "%")) == [])
            #expect(try await numbers(LedgerFilter(scope: township, text: late.number.lowercased())) == [late.number])
            #expect(try await numbers(LedgerFilter(scope: township, text: "_")) == [])
            #expect(try await numbers(LedgerFilter(scope: township, categoryCode: "A1")) == [fine.number])
            #expect(try await numbers(LedgerFilter(scope: Scope(subtree: c.county.village.path))) == [late.number])
            #expect(try await numbers(LedgerFilter(scope: .nothing)) == [])
            #expect(try await numbers(LedgerFilter(scope: Scope(subtree: c.county.county.path))).count == 3)
            let page = try await store.ledger(
                LedgerFilter(scope: township), paging: try Paging(page: 1, perPage: 50), today: TestStores.today)
            #expect(page.rows.first { $0.problem.id == late.id }?.overdue == true)
            let counts = try await store.counts(LedgerFilter(scope: township), today: TestStores.today)
            #expect(counts.total == 2 && counts.overdue == 1)
            #expect(counts.byCategory.map(\.key) == ["A1", "B2"])
        }
    }

    /// The ledger shows each problem's latest progress: by its date, not by when it was entered, never a
    /// withdrawn one, and nothing for a problem without progress.
    @Test func theLedgerShowsTheLatestProgressThatStands() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let clerk = AuditActor(c.clerk)
            let source = try await c.county.source(store, by: c.inspector)
            var tasks: [RectificationTask] = []
            for text in ["村级财务管理不规范。", "公车私用问题整改不到位。"] {
                let problem = try await store.createProblem(
                    NewProblem(sourceID: source.id, text: text, outlinePath: [], categoryCode: "B4"), by: clerk)
                tasks.append(try await store.createTask(problemID: problem.id, fields(leader: c.leader.id), by: clerk))
            }
            let today = TestStores.today
            let latestEntry = try await store.addProgress(taskID: tasks[0].id, date: today, text: "本周", by: clerk)
            _ = try await store.addProgress(taskID: tasks[0].id, date: today.adding(days: -14), text: "两周前", by: clerk)
            _ = try await store.addProgress(taskID: tasks[0].id, date: today.adding(days: -7), text: "上周", by: clerk)
            func latest() async throws -> [String?] {
                try await store.ledger(LedgerFilter(scope: .everything), paging: Paging(), today: today).rows
                    .map(\.latestProgress)
            }
            #expect(try await latest() == ["\(today.chinese) 本周", nil])
            try await store.withdraw(.progress, latestEntry.id, reason: "录入有误", asAdmin: true, by: clerk)
            #expect(try await latest() == ["\(today.adding(days: -7).chinese) 上周", nil])
        }
    }

    /// Progress goes only to a problem that is being worked on, and to a task that exists; a refused entry
    /// leaves nothing behind, neither the entry nor an audit entry.
    @Test func progressIsRefusedWhileAProblemIsUnderReview() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let clerk = AuditActor(c.clerk)
            let source = try await c.county.source(store, by: c.inspector)
            let problem = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "村级财务管理不规范。", outlinePath: [], categoryCode: "B4"), by: clerk)
            let task = try await store.createTask(problemID: problem.id, fields(leader: c.leader.id), by: clerk)
            let first = try await store.addProgress(taskID: task.id, date: TestStores.today, text: "已部署", by: clerk)
            #expect(first.taskID == task.id)
            let done = try await store.completeTask(task.id, version: task.version, by: clerk)
            _ = try await store.addEvidence(
                problemID: problem.id, taskID: done.id, fileName: "凭证.pdf", data: Fixtures.pdf, by: clerk)
            _ = try await store.requestClosure(problemID: problem.id, statement: "已整改", by: clerk)
            let before = try await store.auditLog(in: .everything, AuditQuery(after: 0, limit: 1_000)).count
            await #expect(throws: StoreError.self) {
                try await store.addProgress(taskID: task.id, date: TestStores.today, text: "审核中补录", by: clerk)
            }
            await #expect(throws: StoreError.self) {
                try await store.addProgress(taskID: UUID(), date: TestStores.today, text: "不存在的任务", by: clerk)
            }
            #expect(try await store.auditLog(in: .everything, AuditQuery(after: 0, limit: 1_000)).count == before)
            let detail = try await store.problemDetail(problem.id)
            #expect(detail.progress.map(\.text) == ["已部署"])
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    /// The search index only chooses candidates: for every query, the rows are exactly those the plain
    /// substring scan (text case-sensitive, number case-insensitive) finds, after edits too.
    /// `createProblems` writes many rows to a statement (issue 15): what it stores must be exactly what
    /// `createProblem` and `createTask` store one by one — rows, numbers, the next deadline, the search index and
    /// the audit entries in the same order.
    @Test func aBatchStoresWhatOneByOneStores() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let clerk = AuditActor(c.clerk)
            let batchSource = try await c.county.source(store, by: c.inspector)
            let singleSource = try await c.county.source(store, by: c.inspector, at: c.county.township)
            let items: [(text: String, tasks: [TaskFields])] = (0..<450).map { n in
                let tasks: [TaskFields] =
                    switch n % 5 {
                    case 0: []
                    case 1: [fields(.ongoing)]
                    case 2: [fields(deadline: TestStores.today.adding(days: n % 40 - 20)), fields(.ongoing)]
                    case 3:
                        [
                            fields(.immediate, leader: c.leader.id, deadline: TestStores.today.adding(days: 9)),
                            fields(deadline: TestStores.today.adding(days: -3)),
                        ]
                    default: [fields(deadline: TestStores.today.adding(days: n % 7))]
                    }
                return ("第\(n)项：村级财务管理不规范，白条入账\(n % 3 == 0 ? "、公车私用" : "")。", tasks)
            }
            let before = try await store.verifyAudit().entriesChecked
            let batch = try await store.createProblems(
                items.map { (NewProblem(sourceID: batchSource.id, text: $0.text, categoryCode: "B4"), $0.tasks) },
                by: clerk)
            let afterBatch = try await store.verifyAudit().entriesChecked
            for item in items {
                let problem = try await store.createProblem(
                    NewProblem(sourceID: singleSource.id, text: item.text, categoryCode: "B4"), by: clerk)
                for task in item.tasks { _ = try await store.createTask(problemID: problem.id, task, by: clerk) }
            }
            #expect(try await store.verifyAudit().isIntact)
            #expect(batch.map(\.number) == (1...450).map { "\(batchSource.numberPrefix)-\(ProblemNumber.pad($0, 3))" })
            // The counter moved past the batch: the next problem never takes a number already given.
            let next = try await store.createProblem(
                NewProblem(sourceID: batchSource.id, text: "批量之后", categoryCode: "A1"), by: clerk)
            #expect(next.number == "\(batchSource.numberPrefix)-451")

            struct Shape: Equatable {
                var number: String
                var text: String
                var status: ProblemStatus
                var nextDeadline: String?
                var tasks: [String]
            }
            func shapes(_ source: Source) async throws -> [Shape] {
                var filter = LedgerFilter(scope: .everything)
                filter.sourceID = source.id
                let rows = try await store.ledgerRows(filter, today: TestStores.today, after: nil, limit: 5_000)
                var result: [Shape] = []
                for row in rows.filter({ $0.problem.text != "批量之后" }) {
                    let next =
                        try await
                        (store.sql.raw(
                            "SELECT next_deadline FROM problems WHERE id = \(bind: row.problem.id)"
                        ).first()?.decode(column: "next_deadline", as: String?.self)) ?? nil
                    result.append(
                        Shape(
                            number: String(row.problem.number.suffix(3)), text: row.problem.text,
                            status: row.problem.status, nextDeadline: next,
                            tasks: row.tasks.map {
                                "\($0.measure)|\($0.kind)|\($0.deadline?.iso ?? "-")|\($0.leaderName ?? "-")|\($0.assignee)|\($0.status)|\($0.version)"
                            }))
                }
                return result
            }
            let batchShapes = try await shapes(batchSource)
            #expect(batchShapes.count == 450)
            #expect(batchShapes == (try await shapes(singleSource)))
            #expect(batchShapes.contains { $0.nextDeadline != nil } && batchShapes.contains { $0.nextDeadline == nil })

            // The same audit entries in the same order: a problem, then its tasks.
            var entries: [AuditEntry] = []
            while true {
                let page = try await store.auditLog(
                    in: .everything, AuditQuery(after: entries.last?.seq ?? before, limit: 1_000))
                entries += page
                if page.count < 1_000 { break }
            }
            let batchEntries = entries.filter { $0.seq <= afterBatch }
            let singleEntries = entries.filter { $0.seq > afterBatch && $0.seq <= 2 * afterBatch - before }
            #expect(batchEntries.count == 450 + items.map(\.tasks.count).reduce(0, +))
            #expect(batchEntries.map(\.action) == singleEntries.map(\.action))

            // Found by the index like any other problem.
            let found = try await store.counts(
                LedgerFilter(scope: Scope(subtree: c.county.township.path), text: "公车私用"), today: TestStores.today)
            #expect(found.total == 300)
        }
    }

    /// Pages past the middle are read from the other end (issue 15): every page of every order must still be
    /// exactly its slice of the whole list, ties and the last short page included.
    @Test func everyPageIsItsSliceOfTheWholeOrderFromEitherEnd() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let source = try await c.county.source(store, by: c.inspector)
            let categories = ["A1", "B4", "C3"]
            _ = try await store.createProblems(
                (0..<23).map { n in
                    (
                        NewProblem(sourceID: source.id, text: "问题\(n)", categoryCode: categories[n % 3]),
                        n % 4 == 0 ? [] : [fields(deadline: TestStores.today.adding(days: n % 5))]
                    )
                }, by: AuditActor(c.clerk))
            let filter = LedgerFilter(scope: .everything)
            for sort in LedgerSort.allCases {
                let whole = try await store.ledger(
                    filter, paging: try Paging(perPage: 50), today: TestStores.today, sort: sort
                ).rows.map(\.problem.number)
                #expect(whole.count == 23)
                var paged: [String] = []
                for page in 1...6 {
                    let rows = try await store.ledger(
                        filter, paging: try Paging(page: page, perPage: 5), today: TestStores.today, sort: sort
                    ).rows.map(\.problem.number)
                    #expect(rows.count == [5, 5, 5, 5, 3, 0][page - 1], "\(sort) page \(page)")
                    paged += rows
                }
                #expect(paged == whole, "\(sort)")
            }
        }
    }

    @Test func indexedTextSearchFindsWhatTheScanFinds() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let clerk = AuditActor(c.clerk)
            let source = try await c.county.source(store, by: c.inspector)
            let texts = [
                "村级财务管理不规范，部分村存在白条入账、大额现金支付现象。", "“三重一大”事项集体决策制度执行不严格", "公车私用问题整改不到位",
                "白条", "ABC abc 混合 Case 100%", "涉农补贴资金未按规定及时拨付到户（第2项）", "白 条分开写", "條例學習不深入（繁体）",
            ]
            var problems: [Problem] = []
            for text in texts {
                problems.append(
                    try await store.createProblem(
                        NewProblem(sourceID: source.id, text: text, categoryCode: "B4"), by: clerk))
            }
            // An edit re-indexes: the old words are no longer found, the new ones are.
            let edited = try await store.updateProblem(
                problems[2].id, version: problems[2].version, Store.ProblemChanges(text: "公务用车管理不规范"), by: clerk)
            var stored = problems
            stored[2] = edited
            let queries = [
                "白条", "白", "条入账", "ab", "AB", "Ca", "0%", "条分", "白条入账、大额", "公车", "公务用车", "“三重一大”", "abc", "ABC",
                "Case 1", "100%", "%", "（第2项）",
                "條例", "条例", "白 条", "不到位", "不存在的词", problems[0].number.lowercased(),
                String(problems[3].number.suffix(3)),
                problems[5].number + "x",
            ]
            let scope = Scope(subtree: c.county.county.path)
            for query in queries {
                let found = try await store.ledger(
                    LedgerFilter(scope: scope, text: query), paging: try Paging(perPage: 50), today: TestStores.today
                ).rows.map(\.problem.number).sorted()
                let scanned = stored.filter {
                    $0.text.contains(query) || $0.number.uppercased().contains(query.uppercased())
                }.map(\.number).sorted()
                #expect(found == scanned, "「\(query)」")
                let total = try await store.counts(LedgerFilter(scope: scope, text: query), today: TestStores.today)
                    .total
                #expect(total == scanned.count, "「\(query)」")
            }
        }
    }

    @Test func changingOneAuditRowByHandIsFound() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            _ = try await c.county.source(store, by: c.inspector)
            #expect(try await store.verifyAudit().isIntact)
            try await store.sql.raw("UPDATE audit_entries SET actor_name = '别人' WHERE seq = 3").run()
            let result = try await store.verifyAudit()
            #expect(!result.isIntact)
            #expect(result.firstBroken == 3)
        }
    }

    @Test func deletingTheLastAuditRowIsFound() async throws {
        try await TestStores.withStore { store in
            _ = try await TestCounty.make(in: store)
            try await store.sql.raw("DELETE FROM audit_entries WHERE seq = 4").run()
            #expect(try await store.verifyAudit().firstBroken == 4)
        }
    }

    @Test func concurrentWritersKeepOneUnbrokenChain() async throws {
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let source = try await c.county.source(store, by: c.inspector)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try await store.createProblem(
                            NewProblem(sourceID: source.id, text: "并发问题\(index)", categoryCode: "A1"),
                            by: AuditActor(c.clerk))
                    }
                }
                try await group.waitForAll()
            }
            let page = try await store.ledger(
                LedgerFilter(scope: Scope(subtree: c.county.county.path)), paging: try Paging(page: 1, perPage: 100),
                today: TestStores.today)
            #expect(Set(page.rows.map(\.problem.number)).count == 40)
            let audit = try await store.verifyAudit()
            #expect(audit.isIntact, "\(audit)")
        }
    }

    @Test(arguments: [false, true])
    func badEvidenceIsRefusedAndNothingIsStored(inDatabase: Bool) async throws {
        try await TestStores.withStore(evidenceInDatabase: inDatabase, evidenceLimitBytes: 1024) { store in
            let c = try await cast(store)
            let source = try await c.county.source(store, by: c.inspector)
            let problem = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "问题", categoryCode: "A1"), by: AuditActor(c.clerk))
            let clerk = AuditActor(c.clerk)
            await #expect(throws: StoreError.self) {
                try await store.addEvidence(
                    problemID: problem.id, taskID: nil, fileName: "a.exe", data: Data("MZ".utf8), by: clerk)
            }
            await #expect(throws: StoreError.self) {
                try await store.addEvidence(
                    problemID: problem.id, taskID: nil, fileName: "fake.pdf", data: Data("<script>".utf8), by: clerk)
            }
            await #expect(throws: StoreError.self) {
                try await store.addEvidence(
                    problemID: problem.id, taskID: nil, fileName: "big.pdf",
                    data: Fixtures.pdf + Data(repeating: 0x20, count: 2048), by: clerk)
            }
            #expect(try await store.problemDetail(problem.id).evidence.isEmpty)
            let stored = try await store.addEvidence(
                problemID: problem.id, taskID: nil, fileName: "../../etc/passwd.pdf", data: Fixtures.pdf, by: clerk)
            #expect(stored.fileName == "passwd.pdf")
            #expect(try await store.evidenceData(stored) == Fixtures.pdf)
            let onDisk = FileManager.default.fileExists(atPath: store.evidenceFile(stored.sha256).path)
            #expect(onDisk == !inDatabase)
        }
    }

    @Test func aBackupIsOneConsistentFileWithTheEvidenceInside() async throws {
        guard TestStores.postgresURL == nil else { return }  // PostgreSQL is backed up with pg_dump
        try await TestStores.withStore { store in
            let c = try await cast(store)
            let source = try await c.county.source(store, by: c.inspector)
            let problem = try await store.createProblem(
                NewProblem(sourceID: source.id, text: "问题", categoryCode: "A1"), by: AuditActor(c.clerk))
            let evidence = try await store.addEvidence(
                problemID: problem.id, taskID: nil, fileName: "a.pdf", data: Fixtures.pdf, by: AuditActor(c.clerk))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zg-backup-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try await store.backup(to: folder.appendingPathComponent("zhenggai.sqlite"))
            #expect(result.evidenceFiles == 1)
            let restored = try Store(
                StoreConfiguration(
                    backend: .sqlite(path: folder.appendingPathComponent("zhenggai.sqlite").path),
                    dataDirectory: folder),
                logger: store.logger)
            try await restored.migrate()
            #expect(try await restored.evidenceData(evidence) == Fixtures.pdf)
            #expect(try await restored.verifyAudit().isIntact)
            await restored.shutdown()
        }
    }
}
