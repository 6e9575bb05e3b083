public import Foundation
public import ZhenggaiCore
import ZhenggaiOffice
public import ZhenggaiStore
import ZhenggaiText

/// A ledger sheet brought in from Excel, WPS or CSV: columns found by header name, rows checked against the
/// database, and a preview that lists every problem of every row. Nothing is stored until no row that is
/// not skipped has a problem; then `LedgerImport.apply` stores all of it in one transaction.
public enum LedgerImport {
    /// What a column holds, found from the header's wording (docs/ledger-columns.md lists the synonyms).
    enum Field: String, CaseIterable {
        case index, number, source, category, text, goal, measure, leader, leadUnit, supporting, assignee
        case deadline, kind, progress, completion, evidence, closedOn, remarks

        var label: String {
            switch self {
            case .index: "序号"
            case .number: "问题编号"
            case .source: "来源/轮次"
            case .category: "问题类别"
            case .text: "反馈问题"
            case .goal: "整改目标"
            case .measure: "整改措施"
            case .leader: "责任领导"
            case .leadUnit: "责任单位"
            case .supporting: "配合单位"
            case .assignee: "责任人"
            case .deadline: "整改时限"
            case .kind: "整改类型"
            case .progress: "整改进展"
            case .completion: "完成情况"
            case .evidence: "佐证材料"
            case .closedOn: "销号日期"
            case .remarks: "备注"
            }
        }

        var synonyms: [String] {
            switch self {
            case .index: ["序号", "编号", "序"]
            case .number: ["问题编号", "系统编号"]
            case .source: ["来源/轮次", "来源", "轮次", "问题来源", "来源轮次"]
            case .category: ["问题类别", "类别", "问题类型", "问题分类"]
            case .text: ["反馈问题", "问题", "存在问题", "问题描述", "问题表现", "具体问题", "反馈问题清单", "问题清单"]
            case .goal: ["整改目标", "目标"]
            case .measure: ["整改措施", "措施", "整改举措", "具体措施"]
            case .leader: ["责任领导", "牵头领导", "分管领导"]
            case .leadUnit: ["责任单位", "牵头单位", "责任部门", "牵头部门"]
            case .supporting: ["配合单位", "协办单位", "配合部门"]
            case .assignee: ["责任人", "具体责任人", "经办人"]
            case .deadline: ["整改时限", "完成时限", "时限", "完成时间", "整改期限"]
            case .kind: ["整改类型", "类型", "整改方式"]
            case .progress: ["整改进展", "进展情况", "整改进展情况", "整改情况"]
            case .completion: ["完成情况", "整改状态", "是否完成"]
            case .evidence: ["佐证材料", "佐证"]
            case .closedOn: ["销号日期", "销号时间"]
            case .remarks: ["备注"]
            }
        }

        static let byName: [String: Field] = {
            var table: [String: Field] = [:]
            for field in allCases { for name in field.synonyms { table[name] = field } }
            return table
        }()

        /// "整改时限\n（完成时间）", " 责 任 人 ", "问题类别*" → the field; nil for a column we do not know.
        static func match(_ header: String) -> Field? {
            var name = String(String.UnicodeScalarView(header.unicodeScalars.filter { !$0.properties.isWhitespace }))
            name = name.replacingOccurrences(of: "*", with: "").replacingOccurrences(of: "＊", with: "")
            if let field = byName[name] { return field }
            for mark in ["（", "("] {
                if let range = name.range(of: mark), let field = byName[String(name[..<range.lowerBound])] {
                    return field
                }
            }
            return nil
        }
    }

    /// Most rows a sheet may have: a county ledger has hundreds, a whole county's export some thousands.
    public static let maxDataRows = 20_000
    public static let maxFileBytes = 20 * 1_048_576

    /// One sheet row as the preview shows it.
    public struct PreviewRow: Sendable, Encodable {
        public var row: Int
        public var index: String
        public var number: String
        public var text: String
        public var action: String
        public var errors: [String]
        /// What the import proposes for this row instead of refusing it (a category from the model, say):
        /// shown for a person to check, accepted with the import.
        public var proposals: [String] = []
        public var skipped: Bool
        /// The first row of the problem this row belongs to: skipping any of its rows skips all of them.
        public var groupRow: Int
    }

    public struct Preview: Sendable {
        public var fileName: String
        public var sheetName: String
        public var notices: [String]
        public var rows: [PreviewRow]
        public var items: [LedgerImportItem]
        /// Created on acceptance: the source named by the title row or the 来源 column, people named in
        /// the sheet who are not yet in the system.
        public var setup = LedgerImportSetup()
        public var proposedSources: [String] = []
        public var proposedPeople: [String] = []
        public var newProblems = 0
        public var changedProblems = 0
        public var unchangedProblems = 0
        public var skippedProblems = 0

        /// Rows whose problems block the import (skipped rows excluded).
        public var blockingRows: [PreviewRow] { rows.filter { !$0.errors.isEmpty && !$0.skipped } }
        public var isReady: Bool { blockingRows.isEmpty && !items.isEmpty }

        /// The problems, one line each, for the command line and for error messages.
        public var problemLines: [String] {
            blockingRows.flatMap { row in row.errors.map { "第 \(row.row) 行：\($0)" } }
        }
    }

    /// A file that cannot be read as a ledger at all (as opposed to rows with problems).
    public struct ImportError: Error, CustomStringConvertible, Sendable {
        public var userMessage: String
        public var description: String { userMessage }
    }

    /// Who imports: the CLI acts as the system (no principal, the whole tree), a web user only inside what
    /// the gate allows them.
    public struct Importer: Sendable {
        public var principal: Principal?
        public var scope: Scope
        public init(principal: Principal) {
            self.principal = principal
            self.scope = Scope(principal)
        }
        private init() {
            principal = nil
            scope = .everything
        }
        public static let system = Importer()
        func allows(_ action: Action, _ path: String, leaders: Set<UUID> = []) -> Bool {
            guard let principal else { return true }
            return AccessPolicy.allows(
                principal, action, on: AccessTarget(unitPath: path, taskLeaderIDs: Set(leaders.map(\.uuidString))))
        }
    }

    // MARK: Reading the file

    /// The first visible sheet of a workbook, or the CSV, with merged cells filled in.
    static func worksheet(_ data: Data, fileName: String) throws -> (Worksheet, [String]) {
        guard data.count <= maxFileBytes else {
            throw ImportError(userMessage: "「\(fileName)」超过 \(maxFileBytes / 1_048_576) MB，请只保留台账工作表后再导入。")
        }
        let lower = fileName.lowercased()
        do {
            if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") {
                return (try CSV.read(data, fileName: fileName), [])
            }
            let book = try XLSXReader.read(data, fileName: fileName)
            guard let sheet = book.sheets.first(where: { !$0.isHidden }) else {
                throw ImportError(userMessage: "「\(fileName)」没有可见的工作表。请在 Excel 中取消隐藏台账工作表后再导入。")
            }
            let hidden = book.sheets.filter(\.isHidden).map { "「\($0.name)」" }
            var notices: [String] = []
            if !hidden.isEmpty { notices.append("已忽略隐藏的工作表\(hidden.joined(separator: "、"))，只导入「\(sheet.name)」。") }
            let others = book.sheets.filter { !$0.isHidden && $0.name != sheet.name }.map { "「\($0.name)」" }
            if !others.isEmpty { notices.append("只导入第一个工作表「\(sheet.name)」，未导入\(others.joined(separator: "、"))。") }
            return (sheet.fillingMergedCells(), notices)
        } catch let error as OfficeError {
            throw ImportError(userMessage: error.userMessage)
        }
    }

    struct Columns {
        var fields: [Field: Int] = [:]
        var headerRow = 0
        var firstDataRow = 0
    }

    /// The header is the row among the first ten naming the most known columns; a second header row below
    /// it (a merged "责任主体" over 责任领导 / 责任单位 / 责任人) overrides the columns it names.
    static func columns(of sheet: Worksheet, fileName: String) throws -> Columns {
        var best: (row: WorksheetRow, fields: [Field: Int])?
        for row in sheet.rows.prefix(10) {
            let fields = fieldsNamed(in: row)
            if fields.count >= 3, fields.count > (best?.fields.count ?? 0) { best = (row, fields) }
        }
        guard let best else {
            throw ImportError(
                userMessage: "「\(fileName)」的前 10 行中找不到表头（如 序号、反馈问题、整改措施、责任单位、整改时限），请检查是否选错了工作表。")
        }
        var columns = Columns(fields: best.fields, headerRow: best.row.number, firstDataRow: best.row.number + 1)
        if let next = sheet.rows.first(where: { $0.number == best.row.number + 1 }) {
            let sub = fieldsNamed(in: next)
            if sub.count >= 2 {
                for (named, column) in sub {
                    var field = named
                    // Under a group such as 「整改情况」, 完成时间 is the date it was done, not the 时限 the main
                    // header already names; any other field the main header already has elsewhere stays there.
                    if let claimed = columns.fields[field], claimed != column {
                        guard field == .deadline, columns.fields[.closedOn] == nil else { continue }
                        field = .closedOn
                    }
                    // The sub-header wins for its column; whatever the group title had claimed there is dropped.
                    columns.fields = columns.fields.filter { $0.value != column }
                    columns.fields[field] = column
                }
                columns.firstDataRow = next.number + 1
            }
        }
        guard columns.fields[.text] != nil else {
            throw ImportError(userMessage: "「\(fileName)」第 \(best.row.number) 行的表头中没有「反馈问题」（或 问题、存在问题）列。")
        }
        return columns
    }

    private static func fieldsNamed(in row: WorksheetRow) -> [Field: Int] {
        var fields: [Field: Int] = [:]
        for (offset, cell) in row.cells.enumerated() {
            guard case .text(let text) = cell.value, let field = Field.match(text), fields[field] == nil else {
                continue
            }
            fields[field] = offset + 1
        }
        return fields
    }

    // MARK: Checking the rows

    struct SheetRow {
        var number: Int
        var values: [Field: Cell]
        func text(_ field: Field) -> String {
            (values[field]?.value.displayText ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var taskIsEmpty: Bool {
            [Field.measure, .leader, .leadUnit, .supporting, .assignee, .deadline, .kind].allSatisfy {
                text($0).isEmpty
            }
        }
    }

    struct Group {
        var rows: [SheetRow]
        var first: SheetRow { rows[0] }
    }

    /// Reads, groups and checks a sheet. `source` receives rows without a 问题编号 (new problems).
    public static func preview(
        data: Data, fileName: String, source: Source?, skipRows: Set<Int>, importer: Importer, store: Store,
        feedbackDate: LocalDate? = nil
    ) async throws -> Preview {
        let (sheet, notices) = try worksheet(data, fileName: fileName)
        let columns = try columns(of: sheet, fileName: fileName)
        var sheetRows: [SheetRow] = []
        var skippedNotices: [String] = []
        for row in sheet.rows where row.number >= columns.firstDataRow {
            var values: [Field: Cell] = [:]
            for (field, column) in columns.fields where !row[column].value.isEmpty { values[field] = row[column] }
            guard !values.isEmpty else { continue }
            if let reason = Sheets.skipReason(row) {
                skippedNotices.append("第 \(row.number) 行是\(reason)，未作为问题导入。")
                continue
            }
            sheetRows.append(SheetRow(number: row.number, values: values))
            if sheetRows.count > maxDataRows {
                throw ImportError(
                    userMessage: "「\(fileName)」超过 \(maxDataRows) 行（第 \(row.number) 行起），请按来源或单位分开导入。")
            }
        }
        guard !sheetRows.isEmpty else {
            throw ImportError(userMessage: "「\(fileName)」表头（第 \(columns.headerRow) 行）下面没有数据。")
        }
        let groups = group(sheetRows)
        let existing = try await store.problems(numbers: groups.map { $0.first.text(.number) })
        let categories = try await store.categories()
        var preview = Preview(
            fileName: fileName, sheetName: sheet.name, notices: notices + skippedNotices + keptColumnNotice(columns),
            rows: [], items: [])
        preview.setup.fileName = fileName
        // Where new problems go: the chosen source, or one the sheet names (its 来源 column or title row),
        // proposed here and created with the import.
        var chosen = source
        var sourceUnit: UnitNode?
        if let source { sourceUnit = try await store.unit(source.unitID) }
        let needsSource = groups.contains { $0.first.text(.number).isEmpty }
        if chosen == nil && needsSource {
            let units = try await store.units(in: importer.scope).filter { !$0.isRetired }
            let named = groups.compactMap { $0.rows.lazy.map { $0.text(.source) }.first { !$0.isEmpty } }
            let title = Sheets.titleRow(sheet, before: columns.headerRow)
            if let proposal = Sheets.proposeSource(
                from: Set(named).count == 1 ? named.first : nil, title: title, units: units,
                today: store.clock.today(), feedbackDate: feedbackDate)
            {
                let matching = try await store.sources(in: importer.scope).first {
                    $0.title == proposal.source.title && $0.unitID == proposal.source.unitID
                }
                if let matching {
                    chosen = matching
                    preview.notices.append("新问题将导入已有的来源「\(matching.title)」。")
                } else {
                    let id = UUID()
                    preview.setup.sources.append(.init(id: id, source: proposal.source))
                    preview.proposedSources.append(proposal.description)
                    chosen = Source(
                        id: id, kind: proposal.source.kind, title: proposal.source.title,
                        issuer: proposal.source.issuer,
                        round: proposal.source.round, unitID: proposal.source.unitID, unitName: proposal.unitName,
                        feedbackDate: proposal.source.feedbackDate,
                        reportDue: proposal.source.feedbackDate.adding(months: 2), numberPrefix: "")
                }
                sourceUnit = units.first { $0.id == proposal.source.unitID }
            } else if Set(named).count > 1 {
                preview.notices.append("表中「来源」列有 \(Set(named).count) 种写法，请按来源分表导入，或在上方选择一个来源。")
            }
        }
        // People are looked up among those of the inspected unit; a name not found becomes a new person there.
        let peopleScope = sourceUnit.map { Scope(subtree: $0.path) } ?? importer.scope
        var people: [String: [UUID]] = [:]
        for person in try await store.people(in: peopleScope) { people[person.name, default: []].append(person.id) }
        let context = CheckContext(
            source: chosen, categories: categories, people: people, existing: existing, importer: importer,
            sourceUnitPath: sourceUnit?.path ?? "", sourceUnitID: sourceUnit?.id, year: store.clock.today().year,
            planned: PlannedPeople())
        var seenIndex: [String: Int] = [:]
        var seenNumber: [String: Int] = [:]
        for group in groups {
            var errors: [Int: [String]] = [:]
            let index = group.first.text(.index)
            let number = group.first.text(.number)
            if !index.isEmpty, let earlier = seenIndex[index] {
                errors[group.first.number, default: []].append("序号「\(index)」与第 \(earlier) 行重复")
            } else if !index.isEmpty {
                seenIndex[index] = group.first.number
            }
            if !number.isEmpty, let earlier = seenNumber[number] {
                errors[group.first.number, default: []].append("问题编号「\(number)」与第 \(earlier) 行重复")
            } else if !number.isEmpty {
                seenNumber[number] = group.first.number
            }
            let checked = check(group, context)
            for (row, messages) in checked.errors { errors[row, default: []] += messages }
            var proposals: [Int: [String]] = [:]
            for (row, messages) in checked.proposals { proposals[row, default: []] += messages }
            let skipped = group.rows.contains { skipRows.contains($0.number) }
            if skipped {
                preview.skippedProblems += 1
            } else if errors.isEmpty, let item = checked.item {
                preview.items.append(item)
                switch checked.action {
                case .new: preview.newProblems += 1
                case .changed: preview.changedProblems += 1
                case .unchanged: preview.unchangedProblems += 1
                }
            }
            for row in group.rows {
                preview.rows.append(
                    PreviewRow(
                        row: row.number, index: row.text(.index), number: row.text(.number),
                        text: String(row.text(.text).prefix(60)),
                        action: skipped ? "跳过" : checked.action.label, errors: errors[row.number] ?? [],
                        proposals: proposals[row.number] ?? [], skipped: skipped, groupRow: group.first.number))
            }
        }
        for (name, id) in context.planned.all where preview.items.contains(where: { $0.uses(id) }) {
            if let unitID = sourceUnit?.id {
                preview.setup.people.append(.init(id: id, person: NewPerson(name: name, unitID: unitID)))
                preview.proposedPeople.append("\(name)（\(sourceUnit?.name ?? "")）")
            }
        }
        return preview
    }

    private static func keptColumnNotice(_ columns: Columns) -> [String] {
        let kept: [Field] = [.progress, .completion, .evidence, .closedOn, .remarks]
        let present = kept.filter { columns.fields[$0] != nil }.map(\.label)
        guard !present.isEmpty else { return [] }
        return [
            "「\(present.joined(separator: "、"))」列的内容作为「导入时填报」保存在新问题旁，不计为已完成或已销号：完成和销号须走审核流程；"
                + "已有问题的进展以系统记录为准，这些列不再导入。"
        ]
    }

    /// Consecutive rows of one problem: the same 问题编号, or the same 序号 with the same (or an empty)
    /// problem text, or a row with nothing but task columns under the previous one.
    static func group(_ rows: [SheetRow]) -> [Group] {
        var groups: [Group] = []
        for row in rows {
            if let last = groups.last?.rows.last, continues(row, after: last) {
                groups[groups.count - 1].rows.append(row)
            } else {
                groups.append(Group(rows: [row]))
            }
        }
        return groups
    }

    private static func continues(_ row: SheetRow, after previous: SheetRow) -> Bool {
        let number = row.text(.number)
        let text = row.text(.text)
        let sameText = text.isEmpty || text == previous.text(.text)
        // The number decides; a differing text under the same number is reported by `check`.
        if !number.isEmpty { return number == previous.text(.number) }
        guard previous.text(.number).isEmpty else { return false }
        let index = row.text(.index)
        if !index.isEmpty { return index == previous.text(.index) && sameText }
        return text.isEmpty && !row.taskIsEmpty
    }

    struct CheckContext {
        var source: Source?
        var categories: [Category]
        /// People of the inspected unit by name.
        var people: [String: [UUID]]
        var existing: [String: ExistingProblem]
        var importer: Importer
        /// Where new problems land: the source's unit.
        var sourceUnitPath: String
        var sourceUnitID: UUID?
        /// This year, for the example date of a message about a deadline without a year.
        var year: Int
        /// Names the sheet uses for people not yet in the system, each given an id once.
        var planned: PlannedPeople
    }

    /// New people planned while reading a sheet: one id per name, shared by every row that names them.
    final class PlannedPeople: @unchecked Sendable {
        private(set) var ids: [String: UUID] = [:]
        func id(for name: String) -> UUID {
            if let id = ids[name] { return id }
            let id = UUID()
            ids[name] = id
            return id
        }
        var all: [(String, UUID)] { ids.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }

    enum RowAction {
        case new, changed, unchanged
        var label: String {
            switch self {
            case .new: "新增"
            case .changed: "更新"
            case .unchanged: "无变化"
            }
        }
    }

    static func check(_ group: Group, _ context: CheckContext) -> (
        item: LedgerImportItem?, action: RowAction, errors: [Int: [String]], proposals: [Int: [String]]
    ) {
        var errors: [Int: [String]] = [:]
        var proposals: [Int: [String]] = [:]
        func fail(_ row: SheetRow, _ message: String) { errors[row.number, default: []].append(message) }
        func propose(_ row: SheetRow, _ message: String) { proposals[row.number, default: []].append(message) }
        let first = group.first
        for row in group.rows {
            for (field, cell) in row.values.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where cell.isFormula {
                fail(row, "「\(field.label)」列是公式，请复制后“选择性粘贴为数值”再导入")
            }
        }
        let text = first.text(.text)
        if text.isEmpty { fail(first, "缺少反馈问题（问题描述）") }
        for row in group.rows.dropFirst() where !row.text(.text).isEmpty && row.text(.text) != text {
            fail(row, "与第 \(first.number) 行同属一个问题，但「反馈问题」不一致：请改成一致，或只在第一行填写")
        }
        if text.count > 5_000 { fail(first, "反馈问题超过 5000 字") }
        var categoryCode: String?
        let categoryText = first.text(.category)
        if categoryText.isEmpty {
            // No 问题类别 column (most sheets have none): the model proposes one for a person to check.
            if !text.isEmpty {
                let suggestion = CategorySuggestion.suggest(text)
                if context.categories.contains(where: { $0.code == suggestion.code }) {
                    categoryCode = suggestion.code
                    let name = context.categories.first { $0.code == suggestion.code }?.name ?? ""
                    propose(
                        first,
                        "问题类别未填写，按内容建议为「\(suggestion.code) \(name)」（可信度 \(Int((suggestion.confidence * 100).rounded()))%），请核对"
                    )
                } else {
                    fail(first, "缺少问题类别（可写类别代码如 B4，或类别名称）")
                }
            }
        } else if let code = category(categoryText, context.categories) {
            categoryCode = code
        } else {
            fail(first, "未知的问题类别「\(categoryText)」（可写类别代码如 B4，或类别名称）")
        }
        let number = first.text(.number)
        let found = number.isEmpty ? nil : context.existing[number]
        let taskRows = group.rows.filter { !$0.taskIsEmpty }
        let tasks = taskRows.enumerated().compactMap { offset, row in
            let current = found.flatMap { offset < $0.tasks.count ? $0.tasks[offset] : nil }
            return taskFields(row, context, current: current, fail: fail, propose: propose)
        }
        // Progress and completion as the sheet states them: kept beside the problem, never a closure.
        var notes: [(kind: ImportedNote.Kind, text: String)] = []
        let kinds: [(Field, ImportedNote.Kind)] = [
            (.progress, .progress), (.completion, .completion), (.closedOn, .closedOn), (.evidence, .evidence),
            (.remarks, .remarks),
        ]
        for (field, kind) in kinds {
            let texts = group.rows.map { $0.text(field) }.filter { !$0.isEmpty }
            var seen = Set<String>()
            for text in texts where seen.insert(text).inserted { notes.append((kind, text)) }
        }

        if !number.isEmpty {
            guard let found else {
                fail(first, "问题编号「\(number)」在系统中不存在（新问题请将问题编号留空）")
                return (nil, .new, errors, proposals)
            }
            let problem = found.problem
            let inScope =
                context.importer.scope.contains(problem.unitPath)
            guard inScope else {
                fail(first, "问题「\(number)」不在您管理的单位范围内")
                return (nil, .changed, errors, proposals)
            }
            var changes = Store.ProblemChanges()
            if !text.isEmpty, text != problem.text { changes.text = text }
            if let categoryCode, categoryCode != problem.categoryCode { changes.categoryCode = categoryCode }
            let problemChanged = changes.text != nil || changes.categoryCode != nil
            if problemChanged && !context.importer.allows(.editProblem, problem.unitPath) {
                fail(first, "您无权修改问题「\(number)」")
            }
            var taskChanges: [LedgerImportItem.TaskChange] = []
            for (offset, fields) in tasks.enumerated() {
                if offset < found.tasks.count {
                    let current = found.tasks[offset]
                    guard !same(fields, current) else { continue }
                    if !context.importer.allows(
                        .editTask, problem.unitPath, leaders: Set([current.leaderID].compactMap { $0 }))
                    {
                        fail(group.rows[min(offset, group.rows.count - 1)], "您无权修改问题「\(number)」的第 \(offset + 1) 项整改任务")
                    }
                    taskChanges.append(.update(id: current.id, version: current.version, fields))
                } else {
                    if !context.importer.allows(.createTask, problem.unitPath) {
                        fail(first, "您无权为问题「\(number)」新增整改任务")
                    }
                    taskChanges.append(.create(fields))
                }
            }
            let changed = problemChanged || !taskChanges.isEmpty
            if changed && !problem.status.isWorkable {
                fail(first, "问题「\(number)」当前为「\(problem.statusLabel)」，不能通过导入修改（须先退回或重新打开）")
            }
            // The system is the record of an existing problem's progress: a sheet's progress columns
            // (often our own export) are not kept again.
            let item = LedgerImportItem(
                target: .existing(id: problem.id, version: problem.version, changes: problemChanged ? changes : nil),
                tasks: taskChanges)
            return (item, changed ? .changed : .unchanged, errors, proposals)
        }

        guard let source = context.source else {
            fail(first, "这是新问题（没有问题编号），请先选择导入到哪个来源（表中没有可识别来源的标题行或「来源」列）")
            return (nil, .new, errors, proposals)
        }
        if !context.importer.allows(.editProblem, context.sourceUnitPath) {
            fail(first, "您无权在「\(source.unitName)」录入问题")
        }
        if !tasks.isEmpty && !context.importer.allows(.createTask, context.sourceUnitPath) {
            fail(first, "您无权在「\(source.unitName)」制定整改任务")
        }
        guard let categoryCode else { return (nil, .new, errors, proposals) }
        var item = LedgerImportItem(
            target: .new(NewProblem(sourceID: source.id, text: text, categoryCode: categoryCode)),
            tasks: tasks.map { .create($0) })
        item.notes = notes
        return (item, .new, errors, proposals)
    }

    static func same(_ fields: TaskFields, _ task: RectificationTask) -> Bool {
        fields.measure == task.measure && fields.kind == task.kind && fields.leaderPersonID == task.leaderPersonID
            && fields.leadUnit == task.leadUnit && (fields.supportingUnits ?? "") == task.supportingUnits
            && fields.assigneePersonID == task.assigneePersonID && fields.assignee == task.assignee
            && fields.deadline == task.deadline
    }

    static func category(_ text: String, _ categories: [Category]) -> String? {
        let code = String(text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }).uppercased()
        if !code.isEmpty, categories.contains(where: { $0.code == code }) { return code }
        let name = text.trimmingCharacters(in: .whitespaces)
        return categories.first { $0.name == name }?.code
    }

    /// `current` is the task this row updates, if any: a name it already carries stays as it is.
    static func taskFields(
        _ row: SheetRow, _ context: CheckContext, current: RectificationTask?, fail: (SheetRow, String) -> Void,
        propose: (SheetRow, String) -> Void
    ) -> TaskFields? {
        var valid = true
        func problem(_ message: String) {
            valid = false
            fail(row, message)
        }
        let measure = row.text(.measure)
        if measure.isEmpty { problem("有整改任务信息但缺少整改措施") }
        let leadUnit = row.text(.leadUnit)
        if leadUnit.isEmpty { problem("缺少责任单位") }
        let assignee = row.text(.assignee)
        // People: someone of the inspected unit by name, or a new person there (listed in the preview and
        // created with the import); a cell naming several people stays text.
        func person(_ name: String, role: String) -> UUID? {
            let matches = context.people[name] ?? []
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 {
                problem("有 \(matches.count) 位人员名为「\(name)」，无法确定\(role)，请在表中写明或在系统中区分")
                return nil
            }
            guard Sheets.isPersonName(name) else { return nil }
            guard context.sourceUnitID != nil else {
                problem("系统中没有名为「\(name)」的\(role)；请先选择来源（或在人员中添加）后再导入")
                return nil
            }
            propose(row, "\(role)「\(name)」不在系统中，将新增为人员（无登录账号）")
            return context.planned.id(for: name)
        }
        var leaderPersonID: UUID?
        let leaderName = row.text(.leader)
        if let current, !leaderName.isEmpty, leaderName == current.leaderName {
            leaderPersonID = current.leaderPersonID
        } else if !leaderName.isEmpty {
            leaderPersonID = person(leaderName, role: "责任领导")
            if leaderPersonID == nil && !Sheets.isPersonName(leaderName) {
                problem("「责任领导」应为一个人的姓名（收到「\(leaderName)」）")
            }
        }
        let keepsAssignee = current.map { !assignee.isEmpty && $0.assignee == assignee } ?? false
        let assigneePersonID =
            keepsAssignee ? current?.assigneePersonID : assignee.isEmpty ? nil : person(assignee, role: "责任人")
        let kindText = row.text(.kind)
        var deadline: LocalDate?
        var ongoingByDeadline = false
        switch LedgerDate.parse(row.values[.deadline]?.value ?? .empty, year: context.year) {
        case .none: break
        case .date(let date): deadline = date
        case .ongoing: ongoingByDeadline = true
        case .problem(let message): problem("整改时限\(message)")
        }
        let kind: RectificationKind
        if kindText.isEmpty {
            kind = ongoingByDeadline ? .ongoing : .scheduled
        } else if let parsed = rectificationKind(kindText) {
            kind = parsed
        } else {
            problem("未知的整改类型「\(kindText)」（应为 立行立改、限期整改 或 长期坚持）")
            kind = .scheduled
        }
        if kind != .ongoing && deadline == nil && row.values[.deadline] == nil {
            problem("\(kind.label)的任务须填写整改时限")
        }
        guard valid else { return nil }
        return TaskFields(
            measure: measure, kind: kind, leaderPersonID: leaderPersonID, leadUnit: leadUnit,
            supportingUnits: row.text(.supporting), assigneePersonID: assigneePersonID,
            assignee: assignee, deadline: kind == .ongoing ? nil : deadline)
    }

    static func rectificationKind(_ text: String) -> RectificationKind? {
        if text.contains("立行立改") || text.contains("立即") { return .immediate }
        if text.contains("限期") { return .scheduled }
        if text.contains("长期") || text.contains("持续") || text.contains("常态") { return .ongoing }
        return nil
    }

    // MARK: Storing

    public static func apply(_ preview: Preview, store: Store, by actor: AuditActor) async throws -> LedgerImportResult
    {
        guard preview.blockingRows.isEmpty else {
            throw ImportError(userMessage: "还有 \(preview.blockingRows.count) 行存在问题，请修改或勾选跳过后再导入。")
        }
        return try await store.importLedger(preview.items, setup: preview.setup, by: actor)
    }
}

/// Dates as ledgers write them. Only a full day is a deadline: "2024.3" or "3月底前" is reported with the
/// day it probably means, for a person to confirm, never guessed silently.
enum LedgerDate: Equatable {
    case none
    case date(LocalDate)
    case ongoing
    case problem(String)

    static func parse(_ value: CellValue, year: Int) -> LedgerDate {
        switch value {
        case .empty: return .none
        case .date(let date):
            return LocalDate(year: date.year, month: date.month, day: date.day).map(LedgerDate.date)
                ?? .problem("「\(date.isoText)」不是有效日期")
        case .number(let number):
            // Typed as 2024.3, Excel keeps a number; a serial day count is a date without a date format.
            if number >= 1900 && number < 2100 { return parse(text: CellValue.number(number).displayText, year: year) }
            if let date = OfficeDate(serial: number),
                let day = LocalDate(year: date.year, month: date.month, day: date.day)
            {
                return .date(day)
            }
            return .problem("「\(value.displayText)」不是日期")
        case .text(let text): return parse(text: text, year: year)
        case .bool, .error: return .problem("「\(value.displayText)」不是日期")
        }
    }

    static func parse(text raw: String, year: Int) -> LedgerDate {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return .none }
        if text.contains("长期") || text.contains("持续") || text.contains("常态") { return .ongoing }
        var numbers: [Int] = []
        var digits: [Int] = []
        var digitRuns: [Int] = []
        for scalar in text.unicodeScalars {
            var value = scalar.value
            if value >= 0xFF10 && value <= 0xFF19 { value -= 0xFF10 - 0x30 }  // full-width digits
            if value >= 0x30 && value <= 0x39 {
                digits.append(Int(value - 0x30))
            } else if !digits.isEmpty {
                numbers.append(digits.reduce(0) { $0 * 10 + $1 })
                digitRuns.append(digits.count)
                digits = []
            }
        }
        if !digits.isEmpty {
            numbers.append(digits.reduce(0) { $0 * 10 + $1 })
            digitRuns.append(digits.count)
        }
        if numbers.count == 1 && digitRuns[0] == 8 {
            let n = numbers[0]
            numbers = [n / 10_000, n / 100 % 100, n % 100]
        }
        switch numbers.count {
        case 3 where numbers[0] >= 1900:
            guard let date = LocalDate(year: numbers[0], month: numbers[1], day: numbers[2]) else {
                return .problem("「\(text)」不是有效日期")
            }
            return .date(date)
        case 2 where numbers[0] >= 1900:
            guard let first = LocalDate(year: numbers[0], month: numbers[1], day: 1) else {
                return .problem("「\(text)」不是有效日期")
            }
            let last = first.adding(months: 1).adding(days: -1)
            return .problem("「\(text)」只写到月份，请写明具体日期（如 \(last.chinese)）")
        case 1...2 where (1...12).contains(numbers[0]):
            let first = LocalDate(year: year, month: numbers[0], day: 1)
            let example = first.map { $0.adding(months: 1).adding(days: -1).chinese } ?? "\(year)年3月31日"
            return .problem("「\(text)」没有年份，请写明具体日期（如 \(example)）")
        default:
            return .problem("「\(text)」无法识别为日期，请写成 2026年3月31日 或 2026-03-31")
        }
    }
}
