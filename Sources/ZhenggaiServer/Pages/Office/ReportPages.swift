import Foundation
import Vapor
import ZhenggaiCore
public import ZhenggaiOffice
import ZhenggaiServices
public import ZhenggaiStore

/// The report form: pick the kind, source and unit, write what only a person can write, get the .docx.
enum ReportPages {
    struct Context: Encodable {
        var layout: Layout
        var kinds: [LedgerPage.Option]
        var sources: [LedgerPage.Option]
        var units: [LedgerPage.Option]
        var period: String
        var action = SiteRoute.reportCreate.link()
    }

    static func routes(store: Store) -> [Handler] {
        [
            Handler(
                .reportForm, target: { _, _ in .anywhere }
            ) {
                request, caller in
                let selected = OfficePages.query(request, "source")
                let kind = OfficePages.query(request, "kind")
                let sources = try await store.sources(in: caller.scope)
                let units = try await store.units(in: caller.scope)
                let context = Context(
                    layout: Layout(title: "生成报告", caller: caller, section: .sources),
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
            Handler(
                .reportCreate,
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
                    kind, store: store, scope: caller.scope, source: form.optional("source"),
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
