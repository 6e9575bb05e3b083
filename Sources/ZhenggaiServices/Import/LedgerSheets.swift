import Foundation
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiStore

extension LedgerImport {
    /// What ledgers people already keep look like around their data: a title row merged across the sheet
    /// that names the round, note rows (注：…), subtotal rows, the header repeated on every printed page.
    enum Sheets {
        static let noteStarts = ["注", "说明", "备注", "填表说明", "注释", "附注", "制表", "填表人", "审核人", "填报人", "联系人"]
        static let totals: Set<String> = ["合计", "小计", "总计", "共计", "合　计", "小　计"]

        /// Why a row is not a problem, or nil when it may be one.
        static func skipReason(_ row: WorksheetRow) -> String? {
            let texts = row.cells.map { $0.value.displayText.trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }
            guard let first = texts.first else { return nil }
            if noteStarts.contains(where: { first.hasPrefix($0) }) && (first.contains("：") || first.contains(":")) {
                return "说明行（「\(String(first.prefix(20)))」）"
            }
            if texts.contains(where: { totals.contains($0.replacingOccurrences(of: " ", with: "")) }) {
                return "合计行"
            }
            var named = Set<Field>()
            for cell in row.cells {
                if case .text(let text) = cell.value, let field = Field.match(text) { named.insert(field) }
            }
            if named.count >= 3 { return "重复的表头" }
            return nil
        }

        /// The title above the header: the last row before it with one text (a cell merged across the sheet
        /// reads the same in every cell it covers).
        static func titleRow(_ sheet: Worksheet, before header: Int) -> String? {
            for row in sheet.rows.reversed() where row.number < header {
                let texts = Set(
                    row.cells.map { $0.value.displayText.trimmingCharacters(in: .whitespacesAndNewlines) }
                        .filter { !$0.isEmpty })
                if texts.count == 1, let text = texts.first, text.count >= 6 { return text }
            }
            return nil
        }

        /// A 2–4 character Chinese name (or a name with a · for minority names): one person, not "张三、李四"
        /// nor "党政办".
        static func isPersonName(_ text: String) -> Bool {
            let scalars = text.unicodeScalars
            guard (2...8).contains(scalars.count) else { return false }
            guard scalars.allSatisfy({ (0x4E00...0x9FFF).contains($0.value) || $0 == "·" }) else { return false }
            let offices = ["办", "局", "委", "组", "部", "所", "站", "中心", "科", "室", "队", "院", "会", "镇", "村", "社区", "街道"]
            return !offices.contains { text.hasSuffix($0) }
        }

        struct ProposedSource {
            var source: NewSource
            var unitName: String
            var description: String
        }

        /// A source from the sheet's own words: 「清河镇党委落实县委第三巡察组反馈意见整改台账」 names the
        /// inspected unit (清河镇), the issuer (县委第三巡察组) and the kind (巡察). Nil when no unit of the
        /// importer's scope is named.
        static func proposeSource(
            from column: String?, title: String?, units: [UnitNode], today: LocalDate, feedbackDate: LocalDate?
        ) -> ProposedSource? {
            guard let text = column ?? title else { return nil }
            // The longest unit name wins (清河镇 over 清河), ties to the higher unit.
            guard
                let unit = units.filter({ text.contains($0.name) })
                    .max(by: { ($0.name.count, -$0.depth) < ($1.name.count, -$1.depth) })
            else { return nil }
            let kind: SourceKind =
                text.contains("审计")
                ? .audit
                : text.contains("巡视")
                    ? .tour
                    : text.contains("回头看")
                        ? .followUp
                        : text.contains("自查")
                            ? .selfCheck
                            : text.contains("督查")
                                ? .supervision
                                : text.contains("民主生活会") ? .democraticLife : .inspection
            let issuer = issuerName(in: text) ?? (kind == .audit ? "审计机关" : "巡察组")
            var round: Int?
            if let range = text.range(of: #"第[一二三四五六七八九十0-9]+轮"#, options: .regularExpression) {
                round = chineseNumber(String(text[range].dropFirst().dropLast()))
            }
            var name = text
            for suffix in ["整改工作台账", "整改落实台账", "问题整改台账", "整改台账", "台账", "清单"] where name.hasSuffix(suffix) {
                name = String(name.dropLast(suffix.count))
                break
            }
            let stated = statedDate(in: text)
            let day = feedbackDate ?? stated ?? today
            var description =
                "将新建来源「\(name)」：\(kind.label)，反馈单位 \(issuer)，被\(kind == .audit ? "审计" : "巡察（检查）")单位 \(unit.name)"
            if let round { description += "，第\(round)轮" }
            description += "，反馈日期 \(day.chinese)"
            if feedbackDate == nil && stated == nil { description += "（表中未写明，暂按今天，请核对）" }
            return ProposedSource(
                source: NewSource(
                    kind: kind, title: name, issuer: issuer, round: round, unitID: unit.id, feedbackDate: day),
                unitName: unit.name, description: description)
        }

        static func issuerName(in text: String) -> String? {
            let patterns = [
                #"(中共)?[\p{Han}]{0,6}?(县|市|区|州|旗)委(第[一二三四五六七八九十0-9]+)?巡(察|视)组"#,
                #"(县|市|区|州|旗)委巡(察|视)(工作领导小组)?办公室"#, #"(省|市|县|区)委第[一二三四五六七八九十0-9]+巡视组"#,
                #"[\p{Han}]{0,4}(县|市|区)审计局"#,
            ]
            for pattern in patterns {
                if let range = text.range(of: pattern, options: .regularExpression) {
                    var found = String(text[range])
                    // 「清河镇党委落实县委第三巡察组」: keep from the last 县委/市委/区委.
                    for head in ["县委", "市委", "区委", "州委", "旗委", "省委"] {
                        if let start = found.range(of: head, options: .backwards) {
                            found = String(found[start.lowerBound...])
                        }
                    }
                    return found
                }
            }
            return nil
        }

        static func chineseNumber(_ text: String) -> Int? {
            if let value = Int(text) { return value }
            let digits: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
            if text == "十" { return 10 }
            if text.hasPrefix("十"), let last = text.last, let unit = digits[last] { return 10 + unit }
            if text.count == 1, let first = text.first { return digits[first] }
            if text.count == 2, let first = text.first, text.last == "十" { return digits[first].map { $0 * 10 } }
            if text.count == 3, let first = text.first, let last = text.last, let tens = digits[first],
                let unit = digits[last]
            {
                return tens * 10 + unit
            }
            return nil
        }

        /// 「2024年3月15日」 written in the title.
        static func statedDate(in text: String) -> LocalDate? {
            guard let range = text.range(of: #"(20\d\d)年(\d{1,2})月(\d{1,2})日"#, options: .regularExpression) else {
                return nil
            }
            let numbers = text[range].split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            guard numbers.count == 3 else { return nil }
            return LocalDate(year: numbers[0], month: numbers[1], day: numbers[2])
        }
    }
}

extension LedgerImportItem {
    /// Whether a row refers to a planned person (so the person is created only when some row needs them).
    func uses(_ person: UUID) -> Bool {
        tasks.contains { change in
            switch change {
            case .create(let fields), .update(_, _, let fields):
                fields.leaderPersonID == person || fields.assigneePersonID == person
            }
        }
    }
}
