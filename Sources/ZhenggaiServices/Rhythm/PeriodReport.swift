public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// The figures of one period of a cadence (周调度 / 月督查 / 季通报) for one unit and the units one level
/// below it, **as of the period's end**: recomputed from the audit log (entries written before the end), so
/// that a quarter generated today shows that quarter, and the same figures again whenever recomputed.
/// Stored once the period is closed; the stored figures are what pages and files show afterwards.
public struct PeriodFigures: Codable, Sendable, Equatable {
    public struct UnitRow: Codable, Sendable, Equatable {
        public var unitID: String
        public var unitName: String
        public var total = 0
        public var completed = 0
        public var basicallyCompleted = 0
        public var notCompleted = 0
        /// 完成率 in tenths of a percent (integers keep stored figures exact).
        public var ratePermille = 0
        public var overdue = 0
        public var lateDone = 0
        public var closedInPeriod = 0
        public var reopenedInPeriod = 0
        public var progressInPeriod = 0
        public var rankByRate = 0
        public var rankByOverdue = 0
        /// 「33.3%」, kept with the figures so pages and files print the same text.
        public var rate = "0.0%"

        mutating func setRate() {
            ratePermille = total == 0 ? 0 : (completed * 1000 + total / 2) / total
            rate = "\(ratePermille / 10).\(ratePermille % 10)%"
        }
    }

    public struct ItemLine: Codable, Sendable, Equatable {
        public var problemID: String
        public var number: String
        public var unitName: String
        public var text: String
        public var deadline: LocalDate?
        /// Overdue by this many days at the period's end.
        public var daysOverdue: Int?
        public var lastProgress: LocalDate?
        /// 责任领导 and 责任人: whom to press.
        public var who: String
    }

    public struct PressLine: Codable, Sendable, Equatable {
        public var kind: String
        public var unitName: String
        public var number: String?
        public var person: String?
        public var issuedOn: LocalDate
        public var answerDue: LocalDate?
        public var answered: Bool
        public var text: String
    }

    public var cadence: String
    public var name: String
    public var content: RhythmSettings.Content
    public var period: ReportPeriod
    /// The day the figures stand at: the period's last day, or today while the period runs.
    public var asOf: LocalDate
    public var unitID: String
    public var unitName: String
    public var units: [UnitRow]
    public var totals: UnitRow
    /// The period before, for the comparison columns (units only).
    public var previousUnits: [UnitRow]
    public var moved: [ItemLine]
    public var stuck: [ItemLine]
    public var dueNext: [ItemLine]
    public var overdue: [ItemLine]
    public var pressings: [PressLine]
}

public enum PeriodReport {
    /// Lines of each list kept in the figures (the counts cover everything).
    static let maxLines = 500

    /// What the figures read from a problem's audit snapshot: decoding whole `Problem`s and
    /// `RectificationTask`s was a third of a county's 通报 at 100,000 problems (docs/benchmarks.md).
    struct ProblemFacts: Decodable {
        var id: UUID
        var number: String
        var unitPath: String
        var unitName: String
        var text: String
        var status: ProblemStatus
        var createdAt: Date
    }

    struct TaskFacts: Decodable {
        var problemID: UUID
        var kind: RectificationKind
        var deadline: LocalDate?
        var status: TaskStatus
        var completedOn: LocalDate?
        var leaderName: String?
        var assignee: String
    }

    struct StatusFacts: Decodable {
        var status: ProblemStatus
    }

    /// Snapshots decoded once per text: the previous period's pass meets mostly the same snapshots.
    final class Snapshots: @unchecked Sendable {
        let decoder: JSONDecoder = {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return decoder
        }()
        private var problems: [String: (json: String, facts: ProblemFacts)] = [:]
        private var tasks: [String: (json: String, facts: TaskFacts)] = [:]

        func problem(_ id: String, _ json: String) -> ProblemFacts? {
            if let cached = problems[id], cached.json == json { return cached.facts }
            guard let facts = try? decoder.decode(ProblemFacts.self, from: Data(json.utf8)) else { return nil }
            problems[id] = (json, facts)
            return facts
        }

        func task(_ id: String, _ json: String) -> TaskFacts? {
            if let cached = tasks[id], cached.json == json { return cached.facts }
            guard let facts = try? decoder.decode(TaskFacts.self, from: Data(json.utf8)) else { return nil }
            tasks[id] = (json, facts)
            return facts
        }

        func status(_ json: String?) -> ProblemStatus? {
            json.flatMap { try? decoder.decode(StatusFacts.self, from: Data($0.utf8)).status }
        }
    }

    public static func compute(
        store: Store, unit: UnitNode, cadence: RhythmSettings.Cadence, period: ReportPeriod, settings: RhythmSettings,
        withPrevious: Bool = true
    ) async throws -> PeriodFigures {
        try await compute(
            store: store, unit: unit, cadence: cadence, period: period, settings: settings, withPrevious: withPrevious,
            snapshots: Snapshots())
    }

    static func compute(
        store: Store, unit: UnitNode, cadence: RhythmSettings.Cadence, period: ReportPeriod, settings: RhythmSettings,
        withPrevious: Bool, snapshots: Snapshots
    ) async throws -> PeriodFigures {
        // A running period stands at today; a closed one at its last day.
        let asOf = min(period.end, store.clock.today())
        let endInstant = asOf.adding(days: 1).date
        let startStamp = Store.auditTimestamp(period.start.date)
        let facts = try await store.auditFacts(
            under: unit.path, before: endInstant, actions: ["problem.", "closure.", "task.", "progress."])
        // The latest snapshot of each problem and task as text; decoded once each, after the walk.
        var problemJSON: [String: String] = [:]
        var withdrawnProblems = Set<String>()
        var taskJSON: [String: String] = [:]
        var withdrawnTasks = Set<String>()
        var lastProgress: [String: String] = [:]
        var progressInPeriod: [String: Int] = [:]
        var closedInPeriod: [String: Int] = [:]
        var reopenedInPeriod: [String: Int] = [:]
        var movedIDs = Set<String>()
        for fact in facts {
            let inPeriod = fact.at >= startStamp
            switch fact.action {
            case "problem.create", "problem.update", "problem.relapse":
                if let after = fact.after {
                    problemJSON[fact.entityID] = after
                }
            case "problem.withdraw": withdrawnProblems.insert(fact.entityID)
            case "problem.restore": withdrawnProblems.remove(fact.entityID)
            case "task.create", "task.update", "task.complete":
                if let after = fact.after { taskJSON[fact.entityID] = after }
            case "task.withdraw": withdrawnTasks.insert(fact.entityID)
            case "task.restore": withdrawnTasks.remove(fact.entityID)
            case "progress.add":
                let day = String(fact.at.prefix(10))
                if (lastProgress[fact.entityID] ?? "") < day { lastProgress[fact.entityID] = day }
                if inPeriod {
                    progressInPeriod[fact.entityID, default: 0] += 1
                    movedIDs.insert(fact.entityID)
                }
            default:
                guard fact.action.hasPrefix("closure."), let after = fact.after else { continue }
                // A closure step changes the status only; the rest of the problem is as last created or edited.
                problemJSON[fact.entityID] = after
                guard inPeriod, let status = snapshots.status(after) else { continue }
                if status.completion != .notCompleted && snapshots.status(fact.before)?.completion == .notCompleted {
                    closedInPeriod[fact.entityID, default: 0] += 1
                    movedIDs.insert(fact.entityID)
                }
                if fact.action == "closure.reopen" { reopenedInPeriod[fact.entityID, default: 0] += 1 }
            }
        }
        // Units one level below (and the unit itself for what is filed directly at it).
        let units = try await store.units(in: Scope(subtree: unit.path))
        let children = units.filter { $0.parentID == unit.id }
        // A path names its ancestors ("/county/township/village/"): the child a problem counts under is the
        // segment after the unit's own path, found in one lookup instead of a prefix test per child.
        var childByPath: [Substring: UnitNode] = [:]
        for child in children { childByPath[Substring(child.path)] = child }
        func row(for path: String) -> UnitNode {
            guard path.hasPrefix(unit.path), path.count > unit.path.count else { return unit }
            let rest = path.dropFirst(unit.path.count)
            guard let slash = rest.firstIndex(of: "/") else { return unit }
            return childByPath[path[...slash]] ?? unit
        }
        var rows: [UUID: PeriodFigures.UnitRow] = [:]
        for node in [unit] + children { rows[node.id] = .init(unitID: node.id.uuidString, unitName: node.name) }
        let endDay = asOf
        var tasksByProblem: [UUID: [TaskFacts]] = [:]
        for (id, json) in taskJSON where !withdrawnTasks.contains(id) {
            guard let task = snapshots.task(id, json) else { continue }
            tasksByProblem[task.problemID, default: []].append(task)
        }
        var problems: [(id: String, problem: ProblemFacts)] = []
        problems.reserveCapacity(problemJSON.count)
        for (id, json) in problemJSON where !withdrawnProblems.contains(id) {
            if let problem = snapshots.problem(id, json) { problems.append((id, problem)) }
        }
        problems.sort { $0.problem.number < $1.problem.number }
        // Lines are built only for what the lists keep (maxLines each): candidates first, as positions in
        // `problems` (number order) with the deadline they are sorted by.
        var overdueCandidates: [(index: Int, deadline: LocalDate)] = []
        var dueCandidates: [(index: Int, deadline: LocalDate)] = []
        var stuckIndices: [Int] = []
        var movedIndices: [Int] = []
        let nextEnd = period.end == asOf ? period.next.end : period.end
        let stuckSince = endDay.adding(days: -settings.stuckDays)
        for (index, (id, problem)) in problems.enumerated() {
            let node = row(for: problem.unitPath)
            var figures = rows[node.id]!
            figures.total += 1
            switch problem.status.completion {
            case .completed: figures.completed += 1
            case .basicallyCompleted: figures.basicallyCompleted += 1
            case .notCompleted: figures.notCompleted += 1
            }
            let open = problem.status.completion == .notCompleted
            let own = tasksByProblem[problem.id] ?? []
            let late = own.filter { task in
                guard task.kind != .ongoing, let deadline = task.deadline else { return false }
                // As the ledger reads it on the period's last day: past due when the deadline is before it.
                return open
                    ? (task.status != .completed && deadline < endDay)
                    : (task.completedOn.map { $0 > deadline } ?? false)
            }
            if open, let earliest = late.compactMap(\.deadline).min() {
                figures.overdue += 1
                overdueCandidates.append((index, earliest))
            } else if !open && !late.isEmpty {
                figures.lateDone += 1
            }
            figures.closedInPeriod += closedInPeriod[id] ?? 0
            figures.reopenedInPeriod += reopenedInPeriod[id] ?? 0
            figures.progressInPeriod += progressInPeriod[id] ?? 0
            if movedIDs.contains(id) && movedIndices.count < maxLines { movedIndices.append(index) }
            if open {
                if stuckIndices.count < maxLines {
                    let last = lastProgress[id].flatMap(LocalDate.init(iso:)) ?? LocalDate(problem.createdAt)
                    if last <= stuckSince { stuckIndices.append(index) }
                }
                let upcoming = own.compactMap { task -> LocalDate? in
                    guard task.status != .completed, task.kind != .ongoing, let deadline = task.deadline,
                        deadline > endDay, deadline <= nextEnd
                    else { return nil }
                    return deadline
                }.min()
                if let upcoming { dueCandidates.append((index, upcoming)) }
            }
            rows[node.id] = figures
        }
        func line(_ index: Int, _ deadline: LocalDate?) -> PeriodFigures.ItemLine {
            let (id, problem) = problems[index]
            let own = tasksByProblem[problem.id] ?? []
            let people = Set(own.flatMap { [$0.leaderName ?? "", $0.assignee] }.filter { !$0.isEmpty }).sorted()
            return PeriodFigures.ItemLine(
                problemID: id, number: problem.number, unitName: problem.unitName,
                text: String(problem.text.prefix(60)), deadline: deadline,
                daysOverdue: deadline.map { $0.days(until: endDay) }.flatMap { $0 > 0 ? $0 : nil },
                lastProgress: lastProgress[id].flatMap(LocalDate.init(iso:)),
                who: people.joined(separator: "、"))
        }
        // Most overdue first (the earliest deadline), then by number; due next by deadline, then number.
        let byDeadline: ((index: Int, deadline: LocalDate), (index: Int, deadline: LocalDate)) -> Bool = {
            ($0.deadline, $0.index) < ($1.deadline, $1.index)
        }
        let overdueLines = overdueCandidates.sorted(by: byDeadline).prefix(maxLines).map { line($0.index, $0.deadline) }
        let dueLines = dueCandidates.sorted(by: byDeadline).prefix(maxLines).map { line($0.index, $0.deadline) }
        let stuckLines = stuckIndices.map { line($0, nil) }
        let movedLines = movedIndices.map { line($0, nil) }
        var list = ([unit] + children).compactMap { rows[$0.id] }
        // Only units with items are ranked (the unit itself when items are filed at it directly).
        list = list.filter { $0.total > 0 }
        for index in list.indices { list[index].setRate() }
        let byRate = list.sorted { ($1.ratePermille, $0.unitName) < ($0.ratePermille, $1.unitName) }
        let byOverdue = list.sorted { ($1.overdue, $0.unitName) < ($0.overdue, $1.unitName) }
        for index in list.indices {
            list[index].rankByRate = (byRate.firstIndex { $0.unitID == list[index].unitID } ?? 0) + 1
            list[index].rankByOverdue = (byOverdue.firstIndex { $0.unitID == list[index].unitID } ?? 0) + 1
        }
        list.sort { ($0.rankByRate, $0.unitName) < ($1.rankByRate, $1.unitName) }
        var totals = PeriodFigures.UnitRow(unitID: unit.id.uuidString, unitName: "合计")
        for row in list {
            totals.total += row.total
            totals.completed += row.completed
            totals.basicallyCompleted += row.basicallyCompleted
            totals.notCompleted += row.notCompleted
            totals.overdue += row.overdue
            totals.lateDone += row.lateDone
            totals.closedInPeriod += row.closedInPeriod
            totals.reopenedInPeriod += row.reopenedInPeriod
            totals.progressInPeriod += row.progressInPeriod
        }
        totals.setRate()
        let pressings = try await store.pressings(in: Scope(subtree: unit.path))
            .filter { $0.issuedOn >= period.start && $0.issuedOn <= endDay }
            .map { press in
                PeriodFigures.PressLine(
                    kind: press.kind.label, unitName: press.unitName, number: press.problemNumber ?? press.appealNumber,
                    person: press.personName,
                    issuedOn: press.issuedOn, answerDue: press.answerDue,
                    answered: press.answeredOn.map { $0 <= endDay } ?? false, text: String(press.text.prefix(80)))
            }
        var previous: [PeriodFigures.UnitRow] = []
        if withPrevious {
            previous = try await compute(
                store: store, unit: unit, cadence: cadence, period: period.previous, settings: settings,
                withPrevious: false, snapshots: snapshots
            ).units
        }
        return PeriodFigures(
            cadence: cadence.key, name: cadence.name, content: cadence.content, period: period, asOf: asOf,
            unitID: unit.id.uuidString, unitName: unit.name, units: list, totals: totals, previousUnits: previous,
            moved: movedLines, stuck: stuckLines, dueNext: dueLines, overdue: overdueLines,
            pressings: pressings)
    }

    /// A closed period's figures: stored ones if the period was closed before, else computed now and stored.
    /// The current (open) period is computed and never stored.
    public static func figures(
        store: Store, unit: UnitNode, cadence: RhythmSettings.Cadence, period: ReportPeriod, settings: RhythmSettings
    ) async throws -> (figures: PeriodFigures, closed: Bool) {
        let closed = period.end < store.clock.today()
        let decoder = JSONDecoder()
        if closed,
            let stored = try await store.frozenPeriod(cadence: cadence.key, unitID: unit.id, start: period.start),
            let figures = try? decoder.decode(PeriodFigures.self, from: Data(stored.utf8))
        {
            return (figures, true)
        }
        let figures = try await compute(store: store, unit: unit, cadence: cadence, period: period, settings: settings)
        guard closed else { return (figures, false) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let stored = try await store.freezePeriod(
            cadence: cadence.key, unitID: unit.id, start: period.start, end: period.end,
            figures: String(decoding: try encoder.encode(figures), as: UTF8.self))
        return ((try? decoder.decode(PeriodFigures.self, from: Data(stored.utf8))) ?? figures, true)
    }
}

/// Closes the periods that ended: each county's enabled cadences get their last period's figures stored
/// the day after it ends (or at the next run after an outage), so they never change afterwards.
public struct PeriodReportsJob: Job {
    public init() {}
    public var name: String { "period-reports" }
    public var label: String { "周调度、月督查、季通报：结束的期间定格数据" }
    public var interval: TimeInterval { 3600 }

    public func run(_ context: JobContext) async throws -> String {
        let store = context.store
        var closed = 0
        for top in try await store.units(in: .everything) where top.parentID == nil && !top.isRetired {
            let settings = try await store.rhythmSettings(at: top.path).settings
            for cadence in settings.cadences where cadence.enabled {
                let period = ReportPeriod.lastClosed(before: context.day, cadence.period)
                if try await store.frozenPeriod(cadence: cadence.key, unitID: top.id, start: period.start) == nil {
                    _ = try await PeriodReport.figures(
                        store: store, unit: top, cadence: cadence, period: period, settings: settings)
                    closed += 1
                }
            }
        }
        return "定格期间 \(closed) 个"
    }
}
