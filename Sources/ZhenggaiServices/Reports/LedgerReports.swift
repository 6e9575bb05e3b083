import Foundation
public import ZhenggaiCore
public import ZhenggaiOffice
public import ZhenggaiStore

/// Word reports laid out by GB/T 9704-2012 (GongwenDocument), every number computed from the ledger.
/// Text only a person can write (the assessment, the reasons, the next steps) comes from `Inputs` when
/// filled in on the web form, else stands as a marked placeholder 【待填写：…】.
public enum LedgerReports {
    public enum Kind: String, CaseIterable, Sendable {
        case progress, final, bulletin, notice

        public var label: String {
            switch self {
            case .progress: "整改进展情况报告"
            case .final: "整改情况报告"
            case .bulletin: "整改工作进展情况通报"
            case .notice: "整改情况公示稿"
            }
        }
    }

    public struct Inputs: Sendable {
        public var assessment: String?
        public var reasons: String?
        public var nextSteps: String?
        /// Who signs the bulletin (the inspection office); reports are signed by the unit.
        public var issuer: String?

        public init(assessment: String? = nil, reasons: String? = nil, nextSteps: String? = nil, issuer: String? = nil)
        {
            func clean(_ text: String?) -> String? {
                let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                return trimmed.isEmpty ? nil : trimmed
            }
            self.assessment = clean(assessment)
            self.reasons = clean(reasons)
            self.nextSteps = clean(nextSteps)
            self.issuer = clean(issuer)
        }
    }

    /// Every row a filter selects, paged through the store.
    public static func allRows(store: Store, filter: LedgerFilter, today: LocalDate) async throws -> [LedgerRow] {
        var rows: [LedgerRow] = []
        var page = 1
        while true {
            let batch = try await store.ledger(
                filter, paging: try Paging(page: page, perPage: 500), today: today, sort: .number)
            rows += batch.rows
            if batch.rows.count < batch.perPage || page * batch.perPage >= batch.total { break }
            page += 1
        }
        return rows
    }

    static func officeDate(_ date: LocalDate) -> OfficeDate {
        OfficeDate(year: date.year, month: date.month, day: date.day)
    }

    static func paragraph(_ document: inout GongwenDocument, _ text: String?, placeholder: String) {
        if let text {
            for line in text.split(whereSeparator: \.isNewline) { document.paragraph(String(line)) }
        } else {
            document.paragraph([.placeholder(placeholder)])
        }
    }

    static func tally(_ rows: [LedgerRow]) -> CompletionCounts {
        var counts = CompletionCounts()
        for row in rows { counts.add(row.problem.completion) }
        return counts
    }

    static let chineseOrdinals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    // MARK: 整改进展情况报告 / 整改情况报告

    public static func progress(
        store: Store, source: Source, unit: UnitNode, final: Bool, inputs: Inputs, today: LocalDate
    ) async throws -> GongwenDocument {
        let rows = try await allRows(
            store: store, filter: LedgerFilter(scope: Scope(subtree: unit.path), sourceID: source.id), today: today)
        let categories = try await store.categories()
        let counts = tally(rows)
        let overdue = rows.filter(\.overdue).count
        let lateDone = rows.filter { $0.timeliness == .late }.count
        let measures = rows.reduce(0) { $0 + $1.tasks.count }
        let kind: Kind = final ? .final : .progress
        var document = GongwenDocument(title: reportTitle(unit: unit, source: source, kind: kind))
        document.recipient("\(source.issuer)：")
        document.paragraph(
            "\(source.feedbackDate.chinese)，\(source.issuer)向\(source.unitName)反馈了意见，指出问题\(rows.count)个。"
                + "现将\(final ? "整改" : "整改进展")情况报告如下。")
        document.heading(level: 1, text: "整改工作总体情况")
        document.paragraph(
            "截至\(today.chinese)，反馈的\(counts.total)个问题中，完成整改\(counts.completed)个，"
                + "基本完成并持续整改\(counts.basicallyCompleted)个，未完成\(counts.notCompleted)个，"
                + "完成率\(counts.rateText)；共制定整改措施\(measures)条。已完成的问题中逾期完成\(lateDone)个，"
                + "尚未完成的问题中已逾期\(overdue)个。")
        let daysLeft = today.days(until: source.reportDue)
        document.paragraph(
            daysLeft >= 0
                ? "按规定，整改情况报告应于\(source.reportDue.chinese)前报送，距报送期限还有\(daysLeft)天。"
                : "按规定，整改情况报告应于\(source.reportDue.chinese)前报送，已超过期限\(-daysLeft)天。")
        paragraph(&document, inputs.assessment, placeholder: "对整改工作总体成效的评价（由经办人填写）")

        document.heading(level: 1, text: "问题整改情况")
        var ordinal = 0
        for category in categories {
            let inCategory = rows.filter { $0.problem.categoryCode == category.code }
            guard !inCategory.isEmpty else { continue }
            let done = tally(inCategory)
            document.heading(
                level: 2, text: "\(category.name)方面的问题（\(inCategory.count)个，完成整改\(done.completed)个）")
            for row in inCategory {
                ordinal += 1
                document.paragraph([.bold("\(ordinal). "), .text(row.problem.text)])
                let measureText = row.tasks.enumerated().map { offset, task -> String in
                    let deadline = task.kind == .ongoing ? "长期坚持" : (task.deadline.map { "\($0.chinese)前" } ?? "")
                    return
                        "\(row.tasks.count > 1 ? "（\(offset + 1)）" : "")\(task.measure)（\(task.leadUnit)，\(deadline)）"
                }.joined()
                document.paragraph([.bold("整改措施："), .text(measureText.isEmpty ? "尚未制定。" : measureText)])
                document.paragraph([
                    .bold("整改结果："), .text(resultText(row)), .text("（\(statusLine(row))）"),
                ])
            }
        }
        let unfinished = rows.filter { $0.problem.completion != .completed }
        document.heading(level: 1, text: "尚未完成的问题及原因")
        if unfinished.isEmpty {
            document.paragraph("反馈问题已全部完成整改。")
        } else {
            let ongoing = unfinished.filter { $0.problem.completion == .basicallyCompleted }.count
            document.paragraph(
                "尚有\(unfinished.count)个问题未完成整改，其中基本完成并持续整改\(ongoing)个、逾期\(unfinished.filter(\.overdue).count)个：")
            document.table(
                GongwenTable(
                    columns: [
                        .init("问题编号", weight: 1.4), .init("问题", weight: 3), .init("整改时限", weight: 1.3),
                        .init("状态", weight: 1.2),
                    ],
                    rows: unfinished.map { row in
                        [
                            row.problem.number, String(row.problem.text.prefix(40)),
                            row.tasks.compactMap { $0.kind == .ongoing ? "长期坚持" : $0.deadline?.chinese }
                                .joined(separator: "、"),
                            row.statusText,
                        ]
                    }))
            paragraph(&document, inputs.reasons, placeholder: "未完成的原因（由经办人填写）")
        }
        document.heading(level: 1, text: "下一步工作打算")
        paragraph(&document, inputs.nextSteps, placeholder: "下一步工作打算（由经办人填写）")
        document.signature(unit: unit.name, date: officeDate(today))
        return document
    }

    /// "青山镇关于县委第三巡察组反馈意见整改情况的报告": the unit once, the issuer, the kind of report; an
    /// audit's wording for an audit.
    static func reportTitle(unit: UnitNode, source: Source, kind: Kind) -> String {
        let what = kind == .final ? "整改情况的报告" : "整改进展情况的报告"
        switch source.kind {
        case .audit: return "\(unit.name)关于\(source.issuer)审计查出问题\n\(what)"
        default: return "\(unit.name)关于\(source.issuer)反馈意见\n\(what)"
        }
    }

    /// What a report says was done, from the item's state now: a closure statement only for a closed
    /// item; for a reopened one, that it came back and what is being done; otherwise the latest progress.
    /// 「未完成，逾期」: the status inside the report's own brackets, without brackets in brackets.
    static func statusLine(_ row: LedgerRow) -> String {
        let (word, notes) = StatusWords.parts(row.problem.status, kind: row.sourceKind, timeliness: row.timeliness)
        return ([word] + notes).joined(separator: "，")
    }

    static func resultText(_ row: LedgerRow) -> String {
        let latest = row.latestProgress.map(progressText)
        switch row.problem.status {
        case .closed, .stageCompleted:
            return row.problem.closureStatement ?? latest ?? "已完成整改。"
        case .reopened:
            let back = "回头看发现问题反弹（第\(row.problem.recurrences)次），已重新打开整改。"
            return latest.map { back + "最新进展：\($0)" } ?? back
        case .pendingFirstReview, .pendingSecondReview:
            return "已申请销号，待审核。" + (latest.map { "最新进展：\($0)" } ?? "")
        case .open, .returned:
            guard !row.tasks.isEmpty else { return "尚未制定整改措施。" }
            return latest ?? "尚无报送的整改进展。"
        }
    }

    static func progressText(_ latest: String) -> String {
        // "2026-10-08 text" as the store gives it → "2026年10月8日，text".
        let parts = latest.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, let date = LocalDate(iso: String(parts[0])) else { return latest }
        return "\(date.chinese)，\(parts[1])"
    }

    // MARK: 通报

    /// "2026-Q3" → "2026年第三季度", "2026-08" → "2026年8月", "2026" → "2026年"; nil for anything else.
    public static func periodLabel(_ period: String) -> String? {
        let parts = period.split(separator: "-")
        guard let year = parts.first.flatMap({ Int($0) }), (2000...2100).contains(year) else { return nil }
        if parts.count == 1 { return "\(year)年" }
        guard parts.count == 2 else { return nil }
        let rest = parts[1].uppercased()
        if rest.hasPrefix("Q"), let quarter = Int(rest.dropFirst()), (1...4).contains(quarter) {
            return "\(year)年第\(chineseOrdinals[quarter - 1])季度"
        }
        if let month = Int(rest), (1...12).contains(month) { return "\(year)年\(month)月" }
        return nil
    }

    public static func currentPeriod(_ today: LocalDate) -> String { "\(today.year)-Q\((today.month - 1) / 3 + 1)" }

    public static func bulletin(store: Store, unit: UnitNode, period: String, inputs: Inputs, today: LocalDate)
        async throws -> GongwenDocument
    {
        let label = periodLabel(period) ?? period
        let rows = try await allRows(store: store, filter: LedgerFilter(scope: Scope(subtree: unit.path)), today: today)
        let counts = tally(rows)
        let overdueRows = rows.filter(\.overdue)
        var document = GongwenDocument(title: "关于\(label)巡察整改工作进展情况的通报")
        document.recipient("各\(unit.kind == .county ? "乡镇、部门" : "村（社区）")党组织：")
        document.paragraph("现将截至\(today.chinese)\(unit.name)巡察整改工作进展情况通报如下。")
        document.heading(level: 1, text: "总体情况")
        let sources = Set(rows.map(\.problem.sourceID)).count
        document.paragraph(
            "\(sources)个来源共反馈问题\(counts.total)个，完成整改\(counts.completed)个，基本完成并持续整改"
                + "\(counts.basicallyCompleted)个，未完成\(counts.notCompleted)个，完成率\(counts.rateText)；"
                + "已逾期未完成\(overdueRows.count)个。")
        paragraph(&document, inputs.assessment, placeholder: "对本期整改工作的总体评价（由巡察办填写）")

        struct UnitLine {
            var name: String
            var counts = CompletionCounts()
            var overdue = 0
        }
        // Units of one level are compared: the children of the bulletin's unit, each with everything below it
        // (a village's items count for its township), so a village never stands beside the townships.
        let children = try await store.units(in: Scope(subtree: unit.path)).filter { $0.parentID == unit.id }
        var byUnit: [UUID: UnitLine] = [:]
        for row in rows {
            guard let child = children.first(where: { row.problem.unitPath.hasPrefix($0.path) }) else { continue }
            byUnit[child.id, default: UnitLine(name: child.name)].counts.add(row.problem.completion)
            if row.overdue { byUnit[child.id, default: UnitLine(name: child.name)].overdue += 1 }
        }
        let units = byUnit.values.sorted { ($0.name, $0.counts.total) < ($1.name, $1.counts.total) }
        document.heading(level: 1, text: "各单位整改情况")
        document.table(
            GongwenTable(
                caption: "表1 各单位整改情况",
                columns: [
                    .init("单位", weight: 2), .init("问题数"), .init("完成"), .init("基本完成"), .init("未完成"),
                    .init("完成率", weight: 1.2), .init("逾期"),
                ],
                rows: units.map {
                    [
                        $0.name, "\($0.counts.total)", "\($0.counts.completed)", "\($0.counts.basicallyCompleted)",
                        "\($0.counts.notCompleted)", $0.counts.rateText, "\($0.overdue)",
                    ]
                }))
        document.heading(level: 1, text: "逾期未完成的问题")
        if overdueRows.isEmpty {
            document.paragraph("本期没有逾期未完成的问题。")
        } else {
            document.table(
                GongwenTable(
                    caption: "表2 逾期未完成的问题",
                    columns: [
                        .init("问题编号", weight: 1.5), .init("单位", weight: 1.3), .init("问题", weight: 3),
                        .init("整改时限", weight: 1.3), .init("逾期天数"),
                    ],
                    rows: overdueRows.map { row in
                        let deadline = row.tasks.compactMap { $0.kind == .ongoing ? nil : $0.deadline }.min()
                        return [
                            row.problem.number, row.problem.unitName, String(row.problem.text.prefix(30)),
                            deadline?.chinese ?? "", deadline.map { "\($0.days(until: today))" } ?? "",
                        ]
                    }))
        }
        document.heading(level: 1, text: "进度较慢的单位")
        // Lowest 完成率 first, then the most overdue items; units with nothing to do are not "slow".
        let slow = units.filter { $0.counts.notCompleted > 0 }
            .sorted {
                ($0.counts.rate ?? 1, -$0.overdue, $0.name) < ($1.counts.rate ?? 1, -$1.overdue, $1.name)
            }
            .prefix(3)
        if slow.isEmpty {
            document.paragraph("各单位问题均已完成整改。")
        } else {
            document.paragraph(
                slow.map { "\($0.name)（完成率\($0.counts.rateText)，逾期\($0.overdue)个）" }.joined(separator: "、")
                    + "整改进度较慢，请相关单位主要负责人切实履行第一责任人职责，加快推进。")
        }
        paragraph(&document, inputs.nextSteps, placeholder: "下一步工作要求（由巡察办填写）")
        document.signature(unit: inputs.issuer ?? "\(unit.name)巡察工作领导小组办公室", date: officeDate(today))
        return document
    }

    // MARK: 公示稿

    /// Only what may be published: counts, problems, measures, results. No 责任人 or 责任领导 (names of
    /// leaders and assignees are masked where a text mentions them), no phone numbers, no internal notes.
    public static func notice(store: Store, source: Source, unit: UnitNode, today: LocalDate) async throws
        -> GongwenDocument
    {
        let rows = try await allRows(
            store: store, filter: LedgerFilter(scope: Scope(subtree: unit.path), sourceID: source.id), today: today)
        let categories = try await store.categories()
        let counts = tally(rows)
        let names = Set(rows.flatMap { $0.tasks.flatMap { [$0.assignee, $0.leaderName ?? ""] } })
            .filter { $0.count >= 2 }.sorted { ($0.count, $0) > ($1.count, $1) }
        func publishable(_ text: String) -> String {
            var result = Redaction.phoneNumbers(in: text)
            for name in names { result = result.replacingOccurrences(of: name, with: "××") }
            return result
        }
        var document = GongwenDocument(title: "\(unit.name)关于\(source.title)\n整改进展情况的公示")
        document.paragraph(
            "根据\(source.issuer)反馈意见，\(unit.name)共需整改问题\(counts.total)个。截至\(today.chinese)，"
                + "完成整改\(counts.completed)个，基本完成并持续整改\(counts.basicallyCompleted)个，"
                + "未完成\(counts.notCompleted)个，完成率\(counts.rateText)。现将整改情况公示如下，欢迎社会各界监督。")
        document.paragraph([.placeholder("发布前审核：确认不含国家秘密、未公开的案件、可能引发炒作或群体性上访等不宜公开的内容")])
        var ordinal = 0
        for category in categories {
            let inCategory = rows.filter { $0.problem.categoryCode == category.code }
            guard !inCategory.isEmpty else { continue }
            document.heading(level: 1, text: "\(category.name)方面")
            for row in inCategory {
                ordinal += 1
                document.paragraph([.bold("\(ordinal). "), .text(publishable(row.problem.text))])
                let measures = row.tasks.map { publishable($0.measure) }.joined(separator: "；")
                if !measures.isEmpty { document.paragraph([.bold("整改措施："), .text(measures)]) }
                document.paragraph([.bold("整改情况："), .text(row.problem.completion.label(for: row.sourceKind))])
            }
        }
        document.paragraph([.text("监督电话："), .placeholder("受理监督的电话和地址")])
        document.signature(unit: unit.name, date: officeDate(today))
        return document
    }
}

enum Redaction {
    // Mobile numbers (11 digits from 1) and landlines (area code, then 7–8 digits).
    nonisolated(unsafe) static let phone = try! NSRegularExpression(
        pattern: #"(?<![0-9])(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])"#)

    static func phoneNumbers(in text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        return phone.stringByReplacingMatches(in: text, range: range, withTemplate: "（电话已隐去）")
    }
}
