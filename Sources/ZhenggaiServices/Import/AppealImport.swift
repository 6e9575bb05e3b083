public import Foundation
public import ZhenggaiCore
import ZhenggaiOffice
public import ZhenggaiStore

/// A 12345 hotline work-order sheet (.xlsx, or .csv in UTF-8 or GBK as the platforms export it) brought in
/// as appeals, with the ledger import's rules: columns found by header name, every row checked and shown
/// with what is wrong where, nothing stored while a row has a problem. Orders are keyed by the platform's
/// 工单编号, so next week's sheet that repeats some of them adds only the new ones.
public enum AppealImport {
    enum Field: String, CaseIterable {
        case ref, receivedAt, person, phone, kind, urgency, text, place, area, category

        var synonyms: [String] {
            switch self {
            case .ref: ["工单编号", "工单号", "诉求编号", "受理编号", "单号", "编号"]
            case .receivedAt: ["受理时间", "来电时间", "登记时间", "工单时间", "创建时间", "诉求时间", "来电日期"]
            case .person: ["诉求人", "来电人", "来电人姓名", "诉求人姓名", "市民姓名", "联系人", "姓名"]
            case .phone: ["联系电话", "来电号码", "诉求人电话", "联系方式", "电话", "手机号"]
            case .kind: ["诉求类型", "工单类型", "诉求性质", "来电类型", "类型"]
            case .urgency: ["紧急程度", "缓急程度", "是否紧急", "紧急"]
            case .text: ["诉求内容", "工单内容", "问题描述", "来电内容", "反映内容", "诉求描述", "内容"]
            case .place: ["诉求地址", "事发地址", "事发地点", "详细地址", "地址", "地点"]
            case .area: ["所属区域", "所属镇街", "镇街", "所属街镇", "所属乡镇", "乡镇（街道）", "村（社区）", "所属村居", "区域", "属地"]
            case .category: ["诉求分类", "问题分类", "业务分类", "事项分类", "诉求类别", "分类", "类别"]
            }
        }

        static func match(_ header: String) -> Field? {
            let name = String(String.UnicodeScalarView(header.unicodeScalars.filter { !$0.properties.isWhitespace }))
                .replacingOccurrences(of: "*", with: "")
            return allCases.first { $0.synonyms.contains(name) }
        }
    }

    public static let maxDataRows = 20_000

    public struct Row: Sendable, Encodable {
        public var number: Int
        public var ref: String
        public var excerpt: String
        public var area: String
        public var kind: String
        public var category: String
        /// 新建, or 已导入（跳过）.
        public var action: String
        public var errors: [String]
    }

    public struct Preview: Sendable, Encodable {
        public var fileName: String
        public var notices: [String]
        public var rows: [Row]
        public var newAppeals: Int
        public var alreadyImported: Int
        // Stored, not computed: the page's template reads the encoded preview, and computed properties are
        // not encoded.
        public var blocking: Int
        public var isReady: Bool

        init(fileName: String, notices: [String], rows: [Row], newAppeals: Int, alreadyImported: Int) {
            self.fileName = fileName
            self.notices = notices
            self.rows = rows
            self.newAppeals = newAppeals
            self.alreadyImported = alreadyImported
            blocking = rows.filter { !$0.errors.isEmpty }.count
            isReady = blocking == 0 && newAppeals > 0
        }
    }

    public struct Result: Sendable, Encodable {
        public var created: Int
        public var dispatched: Int
        public var skipped: Int
    }

    public static func preview(data: Data, fileName: String, principal: Principal, store: Store) async throws
        -> Preview
    {
        try await plan(data: data, fileName: fileName, principal: principal, store: store).preview
    }

    /// Registers every new row (auto-dispatched by the routing table like any appeal). Stops at a row the
    /// sheet no longer allows (a second import of the same sheet running at once): what was registered stays,
    /// and importing the sheet again adds the rest, since registered orders are skipped by their number.
    public static func apply(data: Data, fileName: String, principal: Principal, store: Store, by actor: AuditActor)
        async throws -> Result
    {
        let plan = try await plan(data: data, fileName: fileName, principal: principal, store: store)
        guard plan.preview.blocking == 0 else {
            throw LedgerImport.ImportError(userMessage: "有 \(plan.preview.blocking) 行存在问题，请先修改表格再导入。")
        }
        var result = Result(created: 0, dispatched: 0, skipped: plan.preview.alreadyImported)
        for new in plan.appeals {
            do {
                let appeal = try await AppealDesk.register(new, store: store, by: actor)
                result.created += 1
                if appeal.status == .dispatched { result.dispatched += 1 }
            } catch StoreError.duplicate {
                result.skipped += 1
            }
        }
        return result
    }

    struct Plan {
        var preview: Preview
        var appeals: [NewAppeal]
    }

    static func plan(data: Data, fileName: String, principal: Principal, store: Store) async throws -> Plan {
        let (sheet, notices) = try LedgerImport.worksheet(data, fileName: fileName)
        var header: (row: Int, fields: [Field: Int])?
        for row in sheet.rows.prefix(10) {
            var fields: [Field: Int] = [:]
            for (offset, cell) in row.cells.enumerated() {
                guard case .text(let text) = cell.value, let field = Field.match(text), fields[field] == nil else {
                    continue
                }
                fields[field] = offset + 1
            }
            if fields[.text] != nil, fields.count >= 3, fields.count > (header?.fields.count ?? 0) {
                header = (row.number, fields)
            }
        }
        guard let header else {
            throw LedgerImport.ImportError(
                userMessage: "「\(fileName)」的前 10 行中找不到工单表头（如 工单编号、受理时间、诉求类型、诉求内容、所属区域）。")
        }
        let dataRows = sheet.rows.filter { $0.number > header.row }
        guard dataRows.count <= maxDataRows else {
            throw LedgerImport.ImportError(
                userMessage: "「\(fileName)」有 \(dataRows.count) 行，一次最多导入 \(maxDataRows) 行，请分开导入。")
        }
        let scope = Scope(principal, for: .manageAppeals)
        let units = try await store.units(in: scope).filter { !$0.isRetired }
        var byName: [String: [UnitNode]] = [:]
        for unit in units { byName[unit.name, default: []].append(unit) }
        let categories = try await store.appealCategories()
        let today = store.clock.today()

        func text(_ row: WorksheetRow, _ field: Field) -> String {
            guard let column = header.fields[field] else { return "" }
            return row[column].value.displayText.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let refs = dataRows.map { text($0, .ref) }.filter { !$0.isEmpty }
        let imported = try await store.appealExternalRefs(refs)
        var seen = Set<String>()
        var rows: [Row] = []
        var appeals: [NewAppeal] = []
        var alreadyImported = 0
        var fileNotices = notices
        if header.fields[.ref] == nil {
            fileNotices.append("表中没有「工单编号」列：重复导入同一张表会重复登记，请核对。")
        }
        for sheetRow in dataRows {
            let content = text(sheetRow, .text)
            let ref = text(sheetRow, .ref)
            if content.isEmpty && ref.isEmpty { continue }
            let first = sheetRow.cells.first?.value.displayText.trimmingCharacters(in: .whitespaces) ?? ""
            if ["注", "说明", "合计", "小计", "制表"].contains(where: { first.hasPrefix($0) }) && content.isEmpty { continue }
            var row = Row(
                number: sheetRow.number, ref: ref, excerpt: String(content.prefix(40)), area: text(sheetRow, .area),
                kind: text(sheetRow, .kind), category: text(sheetRow, .category), action: "新建", errors: [])
            defer { rows.append(row) }
            if !ref.isEmpty {
                if imported.contains(ref) {
                    row.action = "已导入（跳过）"
                    alreadyImported += 1
                    continue
                }
                if !seen.insert(ref).inserted {
                    row.errors.append("工单编号「\(ref)」在表中重复")
                }
                if ref.count > 60 { row.errors.append("工单编号过长") }
            }
            if content.isEmpty { row.errors.append("缺少「诉求内容」") }
            if content.count > 4_000 { row.errors.append("诉求内容超过 4000 字") }
            let kind = Self.kind(row.kind)
            if kind == nil {
                row.errors.append(
                    row.kind.isEmpty ? "缺少「诉求类型」（咨询、求助、建议、投诉、举报）" : "诉求类型「\(row.kind)」无法识别，应为咨询、求助、建议、投诉或举报")
            }
            var area: UnitNode?
            if row.area.isEmpty {
                row.errors.append("缺少「所属区域」（村、社区或乡镇名称）")
            } else {
                // 「青山镇/青山村」, 「青山镇-青山村」: the last named unit.
                let name = row.area.split(whereSeparator: { "/-－—>＞ ".contains($0) }).last.map(String.init) ?? row.area
                let matches = byName[name] ?? []
                if matches.count > 1 {
                    row.errors.append("有多个单位名为「\(name)」，请写明上级（如 青山镇/\(name)）")
                } else if let unit = matches.first {
                    area = unit
                } else {
                    row.errors.append("所属区域「\(name)」不在系统中，或不在您受理诉求的范围内")
                }
            }
            let category =
                categories.first { $0.code == row.category || $0.name == row.category }
                ?? (row.category.isEmpty ? Self.category(for: content, in: categories) : nil)
            if category == nil {
                row.errors.append(
                    row.category.isEmpty
                        ? "无法从内容判断诉求分类，请填写「诉求分类」" : "诉求分类「\(row.category)」不在本县的诉求类别中")
            } else if row.category.isEmpty {
                row.category = "\(category!.name)（按内容判断）"
            }
            var receivedAt: Date?
            let received = header.fields[.receivedAt].map { sheetRow[$0].value } ?? .empty
            if received != .empty {
                guard let instant = Self.instant(received, year: today.year), instant <= store.clock.now() else {
                    row.errors.append("受理时间「\(received.displayText)」无法识别或晚于现在")
                    continue
                }
                receivedAt = instant
            }
            let person = text(sheetRow, .person)
            let phone = text(sheetRow, .phone)
            let place = text(sheetRow, .place)
            if person.count > 50 || phone.count > 30 || place.count > 200 {
                row.errors.append("姓名不超过 50 字，电话不超过 30 位，地址不超过 200 字")
            }
            guard row.errors.isEmpty, let kind, let area, let category else { continue }
            let urgency = text(sheetRow, .urgency)
            var new = NewAppeal(
                channel: .transfer, kind: kind, urgent: ["紧急", "特急", "加急", "是", "急"].contains(urgency),
                category: category.code, areaID: area.id, place: place, text: content, personName: person,
                personPhone: phone)
            new.externalRef = ref.isEmpty ? nil : ref
            new.receivedAt = receivedAt
            appeals.append(new)
        }
        let preview = Preview(
            fileName: fileName, notices: fileNotices, rows: rows, newAppeals: appeals.count,
            alreadyImported: alreadyImported)
        return Plan(preview: preview, appeals: appeals)
    }

    /// The platforms' words for the five kinds (求决 is 12345's word for a request to have something solved).
    static func kind(_ text: String) -> Appeal.Kind? {
        let words: [(String, Appeal.Kind)] = [
            ("咨询", .consultation), ("求助", .help), ("求决", .help), ("建议", .suggestion), ("意见", .suggestion),
            ("投诉", .complaint), ("举报", .report), ("检举", .report),
        ]
        return words.first { text.contains($0.0) }?.1
    }

    /// The category whose keywords the text names most, when the sheet has no category column.
    static func category(for text: String, in categories: [AppealCategory]) -> AppealCategory? {
        let scored = categories.map { category in
            (
                category,
                category.keywords.split(whereSeparator: { "，,、 ;；".contains($0) }).filter { text.contains($0) }.count
            )
        }
        guard let best = scored.max(by: { $0.1 < $1.1 }), best.1 > 0 else { return nil }
        return best.0
    }

    /// 「2026-11-03 09:12:00」, 「2026/11/3 9:12」, 「2026年11月3日」 or an Excel date-time cell, in China's time.
    static func instant(_ value: CellValue, year: Int) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = LocalDate.timeZone
        if case .date(let date) = value {
            return calendar.date(
                from: DateComponents(
                    year: date.year, month: date.month, day: date.day, second: date.secondsOfDay))
        }
        let text = value.displayText.trimmingCharacters(in: .whitespaces)
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count >= 3, (2000...2100).contains(numbers[0]) else { return nil }
        let time = Array(numbers.dropFirst(3)) + [0, 0, 0]
        guard (1...12).contains(numbers[1]), (1...31).contains(numbers[2]), time[0] < 24, time[1] < 60, time[2] < 60
        else { return nil }
        return calendar.date(
            from: DateComponents(
                year: numbers[0], month: numbers[1], day: numbers[2], hour: time[0], minute: time[1], second: time[2]))
    }
}
