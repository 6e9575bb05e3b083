import Foundation
import Vapor
import ZhenggaiCore
public import ZhenggaiOffice
public import ZhenggaiStore

/// The report form: pick the kind, source and unit, write what only a person can write, get the .docx.
enum ReportPages {
    struct Context: Encodable {
        var layout: Layout
        var kinds: [LedgerPage.Option]
        var sources: [LedgerPage.Option]
        var units: [LedgerPage.Option]
        var period: String
    }

    static func routes(store: Store) -> [PageRoute] {
        [
            PageRoute(method: .GET, path: "/reports/new", action: .read, target: { _, _ in .anywhere }) {
                request, caller in
                let selected = OfficePages.query(request, "source")
                let kind = OfficePages.query(request, "kind")
                let sources = try await store.sources(within: caller.roots)
                let units = try await store.units(within: caller.roots)
                let context = Context(
                    layout: Layout(title: "生成报告", caller: caller, section: "/sources"),
                    kinds: LedgerReports.Kind.allCases.map {
                        LedgerPage.Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == kind)
                    },
                    sources: sources.map {
                        LedgerPage.Option(
                            value: $0.id.uuidString, label: "\($0.title)（\($0.unitName)）",
                            selected: $0.id.uuidString == selected)
                    },
                    units: units.map { LedgerPage.Option(value: $0.id.uuidString, label: $0.name, selected: false) },
                    period: LedgerReports.currentPeriod(store.clock.today()))
                return try await Pages.render(request, "report", context)
            },
            PageRoute(
                method: .POST, path: "/reports", action: .read,
                target: { request, _ in
                    let form = FormInput(request)
                    if let id = form.uuid("unit") { return AccessTarget(unitPath: try await store.unit(id).path) }
                    if let id = form.uuid("source") {
                        return try await store.accessTarget(source: id)
                    }
                    return .anywhere
                }
            ) { request, caller in
                let form = FormInput(request)
                guard let kind = LedgerReports.Kind(rawValue: form["kind"]) else {
                    throw APIError.badRequest("请选择报告类型。")
                }
                let inputs = LedgerReports.Inputs(
                    assessment: form.optional("assessment"), reasons: form.optional("reasons"),
                    nextSteps: form.optional("nextSteps"), issuer: form.optional("issuer"))
                let document = try await ReportMaker.make(
                    kind, store: store, roots: caller.roots, source: form.optional("source"),
                    unit: form.optional("unit"), period: form.optional("period"), inputs: inputs)
                // Both the unit and the source must be inside the caller's reach, not just the one the gate saw.
                try Gate.authorize(caller, .read, AccessTarget(unitPath: document.unitPath))
                return OfficePages.download(
                    try document.document.docxData(), fileName: document.fileName,
                    type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            },
        ]
    }
}

/// Finds the source and unit a report is about (by id, number prefix or exact name; the newest source and
/// the top unit of the scope when omitted) and builds it. Shared by the web form and the command line.
public enum ReportMaker {
    public struct Made: Sendable {
        public var document: GongwenDocument
        public var fileName: String
        public var unitPath: String
    }

    public static func make(
        _ kind: LedgerReports.Kind, store: Store, roots: [String], source sourceReference: String?,
        unit unitReference: String?, period: String?, inputs: LedgerReports.Inputs
    ) async throws -> Made {
        let today = store.clock.today()
        let units = try await store.units(within: roots)
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
        let sources = try await store.sources(within: roots)
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
