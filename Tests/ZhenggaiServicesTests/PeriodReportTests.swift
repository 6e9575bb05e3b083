import Foundation
import Testing
import ZhenggaiCore
import ZhenggaiTestSupport

@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// 季通报 figures as of the quarter's end, recomputed from the audit log: the same numbers before and after
/// later changes, and the quarter after compared with it.
@Suite struct PeriodReportTests {
    @Test func aClosedQuarterKeepsItsFiguresAndTheNextComparesWithIt() async throws {
        let clock = MutableClock(LocalDate(year: 2026, month: 7, day: 6)!.date.addingTimeInterval(9 * 3600))
        try await TestStores.withStore(clock: clock) { store in
            let county = try await TestCounty.make(in: store)
            let clerk = try await county.user(store, "qs_clerk", .clerk, at: county.township)
            let hkClerk = try await county.user(store, "hk_clerk", .clerk, at: county.sibling)
            let secretary = try await county.user(store, "qs_secretary", .secretary, at: county.township)
            let hkSecretary = try await county.user(store, "hk_secretary", .secretary, at: county.sibling)
            let inspector = try await county.user(store, "xunchaban", .inspector, at: county.county)
            func make(_ unit: UnitNode, _ by: User, _ count: Int) async throws -> [(Problem, RectificationTask)] {
                let source = try await county.source(store, by: by, at: unit)
                var made: [(Problem, RectificationTask)] = []
                for index in 0..<count {
                    let problem = try await store.createProblem(
                        NewProblem(sourceID: source.id, text: "\(unit.name)问题\(index)", categoryCode: "B4"),
                        by: AuditActor(by))
                    let task = try await store.createTask(
                        problemID: problem.id,
                        TaskFields(
                            measure: "整改", kind: .scheduled, leadUnit: "党政办", assignee: "经办",
                            deadline: LocalDate(year: 2026, month: 8, day: 31)!),
                        by: AuditActor(by))
                    _ = try await store.addEvidence(
                        problemID: problem.id, taskID: task.id, fileName: "a.pdf", data: Fixtures.pdf,
                        by: AuditActor(by))
                    made.append((problem, task))
                }
                return made
            }
            func close(_ item: (Problem, RectificationTask), asker: User, secretary: User) async throws {
                let task = try await store.task(item.1.id)
                _ = try await store.completeTask(task.id, version: task.version, by: AuditActor(asker))
                _ = try await store.requestClosure(problemID: item.0.id, statement: "已整改", by: AuditActor(asker))
                _ = try await store.approveClosure(problemID: item.0.id, stage: .first, by: AuditActor(secretary))
                _ = try await store.approveClosure(problemID: item.0.id, stage: .second, by: AuditActor(inspector))
            }
            let qingshan = try await make(county.township, clerk, 3)
            let hekou = try await make(county.sibling, hkClerk, 2)
            clock.set(LocalDate(year: 2026, month: 8, day: 10)!.date.addingTimeInterval(10 * 3600))
            try await close(qingshan[0], asker: clerk, secretary: secretary)

            let settings = RhythmSettings()
            let quarterly = settings.cadences.first { $0.period == .quarter }!
            let q3 = ReportPeriod.containing(LocalDate(year: 2026, month: 9, day: 1)!, .quarter)
            #expect(q3.label == "2026年第三季度")

            // Generated on 5 October: the quarter as it stood on 30 September.
            clock.set(LocalDate(year: 2026, month: 10, day: 5)!.date.addingTimeInterval(9 * 3600))
            let (first, closed) = try await PeriodReport.figures(
                store: store, unit: county.county, cadence: quarterly, period: q3, settings: settings)
            #expect(closed)
            let qs = try #require(first.units.first { $0.unitName == "青山镇" })
            let hk = try #require(first.units.first { $0.unitName == "河口镇" })
            #expect(qs.total == 3 && qs.completed == 1 && qs.ratePermille == 333 && qs.overdue == 2)
            #expect(qs.closedInPeriod == 1 && qs.rankByRate == 1)
            #expect(hk.total == 2 && hk.completed == 0 && hk.overdue == 2 && hk.rankByRate == 2)
            #expect(first.totals.total == 5 && first.totals.overdue == 4)
            #expect(first.overdue.count == 4 && first.overdue.allSatisfy { $0.daysOverdue == 30 })

            // Later: 河口镇 closes both, 回头看 reopens 青山镇's.
            clock.set(LocalDate(year: 2026, month: 10, day: 20)!.date.addingTimeInterval(10 * 3600))
            for item in hekou { try await close(item, asker: hkClerk, secretary: hkSecretary) }
            _ = try await store.reopen(problemID: qingshan[0].0.id, reason: "回头看发现反弹", by: AuditActor(inspector))

            // The third quarter, asked for again in December: the same figures, stored or recomputed.
            clock.set(LocalDate(year: 2026, month: 12, day: 1)!.date.addingTimeInterval(9 * 3600))
            let again = try await PeriodReport.figures(
                store: store, unit: county.county, cadence: quarterly, period: q3, settings: settings)
            #expect(again.figures == first)
            let recomputed = try await PeriodReport.compute(
                store: store, unit: county.county, cadence: quarterly, period: q3, settings: settings)
            #expect(recomputed == first)

            // The fourth quarter so far (open: not stored), compared with the third.
            let q4 = try await PeriodReport.figures(
                store: store, unit: county.county, cadence: quarterly, period: q3.next, settings: settings)
            #expect(!q4.closed)
            #expect(q4.figures.previousUnits == first.units)
            let hk4 = try #require(q4.figures.units.first { $0.unitName == "河口镇" })
            let qs4 = try #require(q4.figures.units.first { $0.unitName == "青山镇" })
            #expect(hk4.completed == 2 && hk4.closedInPeriod == 2 && hk4.rankByRate == 1)
            #expect(qs4.completed == 0 && qs4.reopenedInPeriod == 1)
            #expect(try await store.frozenPeriods(cadence: "quarterly", unitID: county.county.id).count == 1)
        }
    }

    @Test func periods() {
        let day = LocalDate(year: 2026, month: 9, day: 20)!  // a Sunday
        let week = ReportPeriod.containing(day, .week)
        #expect(week.start == LocalDate(year: 2026, month: 9, day: 14)! && week.end == day)
        #expect(week.label == "2026年9月14日至20日")
        #expect(ReportPeriod.lastClosed(before: LocalDate(year: 2026, month: 10, day: 1)!, .month).label == "2026年9月")
        #expect(ReportPeriod.containing(LocalDate(year: 2026, month: 12, day: 31)!, .quarter).next.label == "2027年第一季度")
    }

    /// The figures read snapshots without `JSONDecoder`; they must read exactly what the decoder reads, and
    /// hand anything unexpected back to it.
    @Test func snapshotsReadFastAsTheDecoderReadsThem() throws {
        struct Snapshot: Encodable {
            var id = UUID()
            var number = "XC2026-03-02-001"
            var unitPath = "/A/B/"
            var unitName = "青山镇"
            var text: String
            var status = "pendingFirstReview"
            var createdAt = Date(timeIntervalSince1970: 1_790_000_123)
            var outlinePath = ["一、", "（二）\"]"]
            var figures = ["a": 1]
            var version = 3
            var leaderName: String? = nil
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let texts = ["普通文本", "引号\"和\\反斜杠", "换行\n制表\t", "emoji 😀 与 /斜杠/", "控制\u{01}字符", ""]
        for text in texts {
            for formatting in [
                JSONEncoder.OutputFormatting.sortedKeys, [.sortedKeys, .withoutEscapingSlashes], .prettyPrinted,
            ] {
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = formatting
                let json = String(decoding: try encoder.encode(Snapshot(text: text)), as: UTF8.self)
                let fast = try #require(PeriodReport.ProblemFacts(reading: json), "\(json)")
                let full = try decoder.decode(PeriodReport.ProblemFacts.self, from: Data(json.utf8))
                #expect(fast.createdAt == full.createdAt && fast.number == full.number)
                #expect(fast.unitPath == full.unitPath && fast.status == full.status)
                let shown = try #require(PeriodReport.LineFacts(reading: json))
                let shownFull = try decoder.decode(PeriodReport.LineFacts.self, from: Data(json.utf8))
                #expect(shown.text == text && shownFull.text == text && shown.unitName == shownFull.unitName)
            }
        }
        // Another writer's escapes, a surrogate pair, nested values with brackets inside strings.
        #expect(
            SnapshotFields.strings(
                #"{"t":"\u4e2d\ud83d\ude00","a":[1,{"b":"]}"}],"c":"d","n":null}"#, keys: ["t", "c", "n"])
                == ["中😀", "d", nil])
        // Not the expected shape: nil, and the decoder decides.
        #expect(SnapshotFields.strings(#"{"text":"abc"#, keys: ["text"]) == nil)
        #expect(SnapshotFields.strings(#"{"text":12}"#, keys: ["text"]) == nil)
        #expect(SnapshotFields.strings(#"["text"]"#, keys: ["text"]) == nil)
        #expect(SnapshotFields.strings(#"{"t":"\ud83d"}"#, keys: ["t"]) == nil)
        #expect(SnapshotFields.instant("2026-11-24T01:02:03Z") == Date(timeIntervalSince1970: 1_795_482_123))
        #expect(SnapshotFields.instant("2026-11-24T01:02:03.5Z") == nil)
        let task =
            #"{"assignee":"经办人","deadline":"2026-13-01","kind":"scheduled","problemID":"\#(UUID())","status":"inProgress"}"#
        #expect(PeriodReport.TaskFacts(reading: task) == nil)
    }
}
