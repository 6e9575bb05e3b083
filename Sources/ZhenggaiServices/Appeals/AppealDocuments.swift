public import Foundation
public import ZhenggaiCore
public import ZhenggaiOffice
public import ZhenggaiStore

/// The month's 群众诉求办理情况通报 as a GB/T 9704 Word file: the figures of the statistics page and nothing
/// else — no person, no phone, no appeal's text — so the same file serves the county's meeting and the
/// public notice board.
public enum AppealDocuments {
    /// 「示范县2026年11月群众诉求办理情况通报」.
    public static func title(_ statistics: AppealStatistics, issuer: String) -> String {
        "\(issuer)\(monthLabel(statistics.month))群众诉求办理情况通报"
    }

    static func monthLabel(_ month: String) -> String {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        return parts.count == 2 ? "\(parts[0])年\(parts[1])月" : month
    }

    public static func docx(_ statistics: AppealStatistics, issuer: String, issuedOn: LocalDate) throws -> Data {
        var document = GongwenDocument(title: title(statistics, issuer: issuer))
        let total = statistics.total
        let month = monthLabel(statistics.month)
        document.paragraph(
            "\(month)，\(issuer)共收到群众诉求\(total.received)件，受理\(total.accepted)件；"
                + "按时响应率\(total.onTimeRate)，解决率\(total.resolvedRate)，满意率\(total.satisfiedRate)"
                + "（回访\(total.visited)件）；平均\(total.averageDays)天答复，90%的诉求在\(total.p90Days)天内答复。")
        document.paragraph(
            "按时响应率为在规定时限内答复的件数除以受理件数，解决率为办结件数除以受理件数，满意率为回访中表示满意或非常满意的件数除以回访件数；"
                + "时限按工作日计算。受理少于\(statistics.minimum)件的，不计算比率（以“—”表示）。")
        let columns = ["", "收到", "受理", "按时响应率", "解决率", "满意率", "平均答复天数", "90%答复天数"]
        func rows(_ list: [AppealStatistics.Row]) -> [[String]] {
            list.map {
                [
                    $0.label, String($0.received), String($0.accepted), $0.onTimeRate, $0.resolvedRate,
                    $0.satisfiedRate,
                    $0.averageDays, $0.p90Days,
                ]
            }
        }
        document.heading(level: 1, text: "各承办部门办理情况")
        document.table(
            GongwenTable(
                columns: columns.enumerated().map { GongwenTable.Column($1, weight: $0 == 0 ? 2 : 1) },
                rows: rows(statistics.byDepartment + [total]), fontSize: 10))
        document.heading(level: 1, text: "各类诉求办理情况")
        document.table(
            GongwenTable(
                columns: columns.enumerated().map { GongwenTable.Column($1, weight: $0 == 0 ? 2 : 1) },
                rows: rows(statistics.byKind + [total]), fontSize: 10))
        document.paragraph("本通报不含诉求人的姓名、电话等个人信息。")
        document.signature(
            unit: issuer, date: OfficeDate(year: issuedOn.year, month: issuedOn.month, day: issuedOn.day))
        return try document.docxData()
    }
}

/// The month's figures before the public: computed for the whole county when published, stored as
/// published, corrected by publishing again (the earlier version stays readable as 「已更正」).
public enum AppealReports {
    public static func publish(month: String, store: Store, by actor: AuditActor) async throws -> AppealMonthReport {
        let today = store.clock.today()
        guard month <= String(today.iso.prefix(7)) else {
            throw StoreError.invalid(field: "月份", message: "\(month) 还没有到，不能公布。")
        }
        let statistics = try await AppealStatistics.compute(month: month, scope: .everything, store: store)
        let issuer = try await store.units(in: .everything).first { $0.parentID == nil }?.name ?? ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try await store.publishAppealMonth(
            month: month, issuer: issuer, figures: String(decoding: try encoder.encode(statistics), as: UTF8.self),
            by: actor)
    }

    /// The statistics as they were published.
    public static func statistics(of report: AppealMonthReport) throws -> AppealStatistics {
        try JSONDecoder().decode(AppealStatistics.self, from: Data(report.figures.utf8))
    }
}
