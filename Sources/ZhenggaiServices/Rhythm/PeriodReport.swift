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
    /// (The problem's id is the audit entry's entity id: tasks find their problem by that text.)
    struct ProblemFacts: Decodable {
        var number: String
        var unitPath: String
        var status: ProblemStatus
        var createdAt: Date

        static let keys = ["number", "unitPath", "status", "createdAt"]

        /// The fast reading (`SnapshotFields`); nil sends the caller to `JSONDecoder`.
        init?(reading json: String) {
            guard let found = SnapshotFields.strings(json, keys: Self.keys), let number = found[0],
                let unitPath = found[1], let status = found[2].flatMap(ProblemStatus.init(rawValue:)),
                let createdAt = found[3].flatMap(SnapshotFields.instant)
            else { return nil }
            self.number = number
            self.unitPath = unitPath
            self.status = status
            self.createdAt = createdAt
        }
    }

    /// What a listed item shows besides its number: read again for the few hundred lines kept, not held for
    /// every problem.
    struct LineFacts: Decodable {
        var unitName: String
        var text: String

        init?(reading json: String) {
            guard let found = SnapshotFields.strings(json, keys: ["unitName", "text"]), let unitName = found[0],
                let text = found[1]
            else { return nil }
            self.unitName = unitName
            self.text = text
        }
    }

    struct TaskFacts: Decodable {
        var problemID: String
        var kind: RectificationKind
        var deadline: LocalDate?
        var status: TaskStatus
        var completedOn: LocalDate?
        var leaderName: String?
        var assignee: String

        static let keys = ["problemID", "kind", "deadline", "status", "completedOn", "leaderName", "assignee"]

        init?(reading json: String) {
            guard let found = SnapshotFields.strings(json, keys: Self.keys), let problemID = found[0],
                let kind = found[1].flatMap(RectificationKind.init(rawValue:)),
                let status = found[3].flatMap(TaskStatus.init(rawValue:)), let assignee = found[6]
            else { return nil }
            let deadline = found[2].map(LocalDate.init(iso:))
            let completedOn = found[4].map(LocalDate.init(iso:))
            // A date that is present must read as one.
            if deadline == .some(nil) || completedOn == .some(nil) { return nil }
            self.problemID = problemID
            self.kind = kind
            self.deadline = deadline ?? nil
            self.status = status
            self.completedOn = completedOn ?? nil
            self.leaderName = found[5]
            self.assignee = assignee
        }
    }

    struct StatusFacts: Decodable {
        var status: ProblemStatus
    }

    /// One reading of the audit log and what was read from its snapshots, by position: the period before
    /// reads the same entries up to its own end, so the log is read once and each snapshot at most once.
    final class Snapshots: @unchecked Sendable {
        let decoder: JSONDecoder = {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return decoder
        }()
        /// The entries under `path` before `end`, in chain order.
        private(set) var facts: [AuditFact] = []
        private var path: String?
        private var end = ""
        private var problemsAt: [ProblemFacts?] = []
        private var tasksAt: [TaskFacts?] = []

        /// What one chunk of the log's snapshots say, read while the next chunk is fetched.
        struct Chunk: Sendable {
            var problems: [(Int, ProblemFacts)] = []
            var tasks: [(Int, TaskFacts)] = []
        }

        static func read(_ facts: [AuditFact], from base: Int) -> Chunk {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            var chunk = Chunk()
            for (offset, fact) in facts.enumerated() {
                guard let json = fact.after else { continue }
                if fact.action.hasPrefix("task.") {
                    if let task = TaskFacts(reading: json)
                        ?? (try? decoder.decode(TaskFacts.self, from: Data(json.utf8)))
                    {
                        chunk.tasks.append((base + offset, task))
                    }
                } else if fact.action.hasPrefix("problem.") || fact.action.hasPrefix("closure.") {
                    if let problem =
                        ProblemFacts(reading: json) ?? (try? decoder.decode(ProblemFacts.self, from: Data(json.utf8)))
                    {
                        chunk.problems.append((base + offset, problem))
                    }
                }
            }
            return chunk
        }

        /// The entries under the unit before `endInstant`: read from the store unless a reading that covers
        /// them is at hand. Their snapshots are read on the other cores while the store reads on (a county's
        /// 通报 at 100,000 problems reads 200,000 of them, docs/benchmarks.md).
        func load(store: Store, unitPath: String, before endInstant: Date) async throws -> [AuditFact] {
            let stamp = Store.auditTimestamp(endInstant)
            guard path != unitPath || end < stamp else { return facts }
            let reading = ChunkReading()
            facts = try await store.auditFacts(
                under: unitPath, before: endInstant, actions: ["problem.", "closure.", "task.", "progress."]
            ) { base, chunk in
                reading.add(Task.detached { Self.read(chunk, from: base) })
            }
            path = unitPath
            end = stamp
            problemsAt = Array(repeating: nil, count: facts.count)
            tasksAt = Array(repeating: nil, count: facts.count)
            for task in reading.tasks {
                let chunk = await task.value
                for (position, problem) in chunk.problems { problemsAt[position] = problem }
                for (position, task) in chunk.tasks { tasksAt[position] = task }
            }
            return facts
        }

        /// The facts of the snapshots at these positions; unreadable ones are left out, as the ledger leaves out
        /// what it cannot show.
        func problem(at position: Int) -> ProblemFacts? { problemsAt[position] }

        func task(at position: Int) -> TaskFacts? { tasksAt[position] }

        func line(at position: Int) -> LineFacts? {
            guard let json = facts[position].after else { return nil }
            return LineFacts(reading: json) ?? (try? decoder.decode(LineFacts.self, from: Data(json.utf8)))
        }

        func status(_ json: String?) -> ProblemStatus? {
            guard let json else { return nil }
            if let raw = SnapshotFields.strings(json, keys: ["status"])?[0] ?? nil,
                let status = ProblemStatus(rawValue: raw)
            {
                return status
            }
            return try? decoder.decode(StatusFacts.self, from: Data(json.utf8)).status
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
        // The period before reads the same history up to its own end: the entries already read, those before
        // its end (the same rows, in the same order, as the query would give).
        let endStamp = Store.auditTimestamp(endInstant)
        let facts = try await snapshots.load(store: store, unitPath: unit.path, before: endInstant)
        // Where the latest snapshot of each problem and task is; read once each, after the walk.
        var problemAt: [String: Int] = [:]
        var withdrawnProblems = Set<String>()
        var taskAt: [String: Int] = [:]
        var withdrawnTasks = Set<String>()
        var lastProgress: [String: String] = [:]
        var progressInPeriod: [String: Int] = [:]
        var closedInPeriod: [String: Int] = [:]
        var reopenedInPeriod: [String: Int] = [:]
        var movedIDs = Set<String>()
        problemAt.reserveCapacity(facts.count / 2)
        taskAt.reserveCapacity(facts.count / 2)
        for (position, fact) in facts.enumerated() where fact.at < endStamp {
            let inPeriod = fact.at >= startStamp
            switch fact.action {
            case "problem.create", "problem.update", "problem.relapse":
                if fact.after != nil { problemAt[fact.entityID] = position }
            case "problem.withdraw": withdrawnProblems.insert(fact.entityID)
            case "problem.restore": withdrawnProblems.remove(fact.entityID)
            case "task.create", "task.update", "task.complete":
                if fact.after != nil { taskAt[fact.entityID] = position }
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
                problemAt[fact.entityID] = position
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
        // segment after the unit's own path. Rows are kept in a list (0 is the unit itself) and each distinct
        // path is resolved once.
        let nodes = [unit] + children
        var rows = nodes.map { PeriodFigures.UnitRow(unitID: $0.id.uuidString, unitName: $0.name) }
        var childRow: [String: Int] = [:]
        for (index, child) in children.enumerated() { childRow[child.path] = index + 1 }
        var rowOfPath: [String: Int] = [:]
        let ownLength = unit.path.utf8.count
        func row(for path: String) -> Int {
            if let known = rowOfPath[path] { return known }
            var found = 0
            if path.hasPrefix(unit.path), path.utf8.count > ownLength,
                let slash = path.utf8.dropFirst(ownLength).firstIndex(of: UInt8(ascii: "/"))
            {
                found = childRow[String(path[...slash])] ?? 0
            }
            rowOfPath[path] = found
            return found
        }
        let endDay = asOf
        var tasksByProblem: [String: [TaskFacts]] = [:]
        tasksByProblem.reserveCapacity(taskAt.count)
        let liveTasks = taskAt.compactMap { withdrawnTasks.contains($0.key) ? nil : $0.value }
        for position in liveTasks {
            if let task = snapshots.task(at: position) { tasksByProblem[task.problemID, default: []].append(task) }
        }
        var problems: [(id: String, position: Int, problem: ProblemFacts)] = []
        problems.reserveCapacity(problemAt.count)
        for (id, position) in problemAt where !withdrawnProblems.contains(id) {
            if let problem = snapshots.problem(at: position) { problems.append((id, position, problem)) }
        }
        // Sorted as positions, then laid out once: moving the entries themselves is slower.
        problems = problems.indices.sorted { problems[$0].problem.number < problems[$1].problem.number }.map {
            problems[$0]
        }
        // Lines are built only for what the lists keep (maxLines each): candidates first, as positions in
        // `problems` (number order) with the deadline they are sorted by.
        var overdueCandidates: [(index: Int, deadline: LocalDate)] = []
        var dueCandidates: [(index: Int, deadline: LocalDate)] = []
        var stuckIndices: [Int] = []
        var movedIndices: [Int] = []
        let nextEnd = period.end == asOf ? period.next.end : period.end
        let stuckSince = endDay.adding(days: -settings.stuckDays)
        for index in problems.indices {
            let id = problems[index].id
            let problem = problems[index].problem
            let at = row(for: problem.unitPath)
            rows[at].total += 1
            switch problem.status.completion {
            case .completed: rows[at].completed += 1
            case .basicallyCompleted: rows[at].basicallyCompleted += 1
            case .notCompleted: rows[at].notCompleted += 1
            }
            let open = problem.status.completion == .notCompleted
            let own = tasksByProblem[id] ?? []
            let late = own.filter { task in
                guard task.kind != .ongoing, let deadline = task.deadline else { return false }
                // As the ledger reads it on the period's last day: past due when the deadline is before it.
                return open
                    ? (task.status != .completed && deadline < endDay)
                    : (task.completedOn.map { $0 > deadline } ?? false)
            }
            if open, let earliest = late.compactMap(\.deadline).min() {
                rows[at].overdue += 1
                overdueCandidates.append((index, earliest))
            } else if !open && !late.isEmpty {
                rows[at].lateDone += 1
            }
            rows[at].closedInPeriod += closedInPeriod[id] ?? 0
            rows[at].reopenedInPeriod += reopenedInPeriod[id] ?? 0
            rows[at].progressInPeriod += progressInPeriod[id] ?? 0
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
        }
        func line(_ index: Int, _ deadline: LocalDate?) -> PeriodFigures.ItemLine {
            let (id, position, problem) = problems[index]
            let own = tasksByProblem[id] ?? []
            let people = Set(own.flatMap { [$0.leaderName ?? "", $0.assignee] }.filter { !$0.isEmpty }).sorted()
            let shown = snapshots.line(at: position)
            return PeriodFigures.ItemLine(
                problemID: id, number: problem.number, unitName: shown?.unitName ?? "",
                text: String((shown?.text ?? "").prefix(60)), deadline: deadline,
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
        var list = rows
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

/// The parsing tasks of one reading of the audit log, added from the database's thread and awaited by the
/// reader.
final class ChunkReading: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Task<PeriodReport.Snapshots.Chunk, Never>] = []

    func add(_ task: Task<PeriodReport.Snapshots.Chunk, Never>) { lock.withLock { list.append(task) } }

    var tasks: [Task<PeriodReport.Snapshots.Chunk, Never>] { lock.withLock { list } }
}
