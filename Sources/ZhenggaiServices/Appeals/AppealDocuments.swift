public import Foundation
public import ZhenggaiCore
public import ZhenggaiOffice

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
