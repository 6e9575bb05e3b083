public import Foundation
public import ZhenggaiCore
public import ZhenggaiOffice
public import ZhenggaiStore

/// Finds the source and unit a report is about (by id, number prefix or exact name; the newest source and
/// the top unit of the scope when omitted) and builds it. Shared by the web form and the command line.
public enum ReportMaker {
    public struct Made: Sendable {
        public var document: GongwenDocument
        public var fileName: String
        public var unitPath: String
    }

    public static func make(
        _ kind: LedgerReports.Kind, store: Store, scope: Scope, source sourceReference: String?,
        unit unitReference: String?, period: String?, inputs: LedgerReports.Inputs
    ) async throws -> Made {
        let today = store.clock.today()
        let units = try await store.units(in: scope)
        func findUnit(_ reference: String) throws -> UnitNode {
            let matches = units.filter { $0.id.uuidString == reference || $0.name == reference }
            guard matches.count == 1 else {
                throw CommandError(matches.isEmpty ? "找不到单位「\(reference)」。" : "有多个单位名为「\(reference)」，请改用单位编号。")
            }
            return matches[0]
        }
        var unit = try unitReference.map(findUnit)
        if kind == .bulletin {
            if let period, LedgerReports.periodLabel(period) == nil {
                throw CommandError("期间「\(period)」格式不对，应如 2026-Q3、2026-08 或 2026。")
            }
            guard let top = unit ?? units.first else { throw CommandError("没有可报告的单位。") }
            let document = try await LedgerReports.bulletin(
                store: store, unit: top, period: period ?? LedgerReports.currentPeriod(today), inputs: inputs,
                today: today)
            return Made(
                document: document, fileName: "\(document.title.replacingOccurrences(of: "\n", with: "")).docx",
                unitPath: top.path)
        }
        let sources = try await store.sources(in: scope)
        let source: Source
        if let reference = sourceReference {
            let matches = sources.filter {
                $0.id.uuidString == reference || $0.numberPrefix == reference || $0.title == reference
            }
            guard matches.count == 1 else {
                throw CommandError(matches.isEmpty ? "找不到来源「\(reference)」。" : "有多个来源名为「\(reference)」，请改用来源编号。")
            }
            source = matches[0]
        } else {
            guard let newest = sources.first else { throw CommandError("还没有任何来源，无法生成报告。") }
            source = newest
        }
        if unit == nil { unit = try findUnit(source.unitID.uuidString) }
        guard let unit else { throw CommandError("找不到单位。") }
        let document: GongwenDocument =
            switch kind {
            case .notice: try await LedgerReports.notice(store: store, source: source, unit: unit, today: today)
            default:
                try await LedgerReports.progress(
                    store: store, source: source, unit: unit, final: kind == .final, inputs: inputs, today: today)
            }
        return Made(
            document: document, fileName: "\(document.title.replacingOccurrences(of: "\n", with: "")).docx",
            unitPath: unit.path)
    }
}
