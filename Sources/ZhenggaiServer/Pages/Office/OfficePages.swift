import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiServices
import ZhenggaiStore

/// Ledger export and import, and Word reports, as pages behind the same gate as every other page.
/// Nothing is kept between the import preview and its confirmation but the form: the uploaded file travels
/// back in a hidden field and is checked again in full, so any app server can take the second request.
enum OfficePages {
    static func routes(store: Store) -> [Handler] {
        [exportRoute(store: store)] + importRoutes(store: store) + ReportPages.routes(store: store)
    }

    static func query(_ request: Request, _ key: String) -> String {
        (try? request.query.get(String.self, at: key)) ?? ""
    }

    // MARK: Export

    static func exportRoute(store: Store) -> Handler {
        Handler(
            .ledgerExport, target: { _, _ in .anywhere }
        ) {
            request, caller in
            let today = store.clock.today()
            let parameters = request.queryParameters
            let query = try LedgerQuery(parameters)
            let filter = try await LedgerReading.filter(
                query, reader: caller.principal, readerID: caller.user.id, store: store, today: today)
            var sourceTitle: String?
            if let id = query.source { sourceTitle = try await store.source(id).title }
            var unitName = caller.user.grants.first?.unitName ?? ""
            if let id = query.unit { unitName = try await store.unit(id).name }
            let formatName = try parameters.string("format") ?? "xlsx"
            guard let format = LedgerExport.Format(rawValue: formatName) else {
                throw QueryError("format", "应为 xlsx 或 csv。")
            }
            let title = LedgerExport.title(unit: unitName, source: sourceTitle, today: today)
            if format == .csv {
                // A county's ledger is tens of thousands of rows: CSV goes out as it is read, in flat memory.
                return FileResponse.streamed(
                    fileName: LedgerExport.fileName(title: title, format: format), contentType: format.contentType,
                    logger: request.logger
                ) { write in
                    try await LedgerExport.streamCSV(
                        store: store, filter: filter, today: today, title: title, write: write)
                }
            }
            let rows = try await LedgerExport.rows(store: store, filter: filter, today: today)
            let data = try LedgerExport.data(rows, format: format, title: title)
            return download(
                data, fileName: LedgerExport.fileName(title: title, format: format), type: format.contentType)
        }
    }

    static func download(_ data: Data, fileName: String, type: String) -> Response {
        FileResponse.make(data, fileName: fileName, contentType: type)
    }

    // MARK: Import

    struct ImportContext: Encodable {
        var layout: Layout
        var sources: [LedgerPage.Option]
        var error: String?
        var preview: PreviewView?
        var result: LedgerImportResult?
        var links = [
            "ledger": SiteRoute.ledger.link(), "form": SiteRoute.ledgerImportForm.link(),
            "preview": SiteRoute.ledgerImportPreview.link(), "confirm": SiteRoute.ledgerImportConfirm.link(),
        ]
    }

    struct PreviewView: Encodable {
        var fileName: String
        var sheetName: String
        var source: String
        var payload: String
        var feedbackDate: String
        var notices: [String]
        var proposedSources: [String]
        var proposedPeople: [String]
        var rows: [LedgerImport.PreviewRow]
        var newProblems: Int
        var changedProblems: Int
        var unchangedProblems: Int
        var skippedProblems: Int
        var blocking: Int
        var ready: Bool
    }

    static func importRoutes(store: Store) -> [Handler] {
        let limit = ByteCount(value: LedgerImport.maxFileBytes * 2)
        return [
            Handler(
                .ledgerImportForm, target: { _, _ in .anywhere }
            ) {
                request, caller in
                try await render(request, caller, store: store, selected: query(request, "source"))
            },
            Handler(
                .ledgerImportPreview, bodyLimit: limit,
                target: { request, _ in
                    try await sourceTarget(try? request.content.get(String.self, at: "source"), store: store)
                }
            ) { request, caller in
                struct Upload: Content {
                    var file: File?
                    var source: String?
                    var feedbackDate: String?
                }
                let upload = try? request.content.decode(Upload.self)
                guard let file = upload?.file, file.data.readableBytes > 0 else {
                    return try await render(
                        request, caller, store: store, selected: upload?.source ?? "",
                        error: "请选择要导入的台账文件（.xlsx 或 .csv）。")
                }
                return try await previewOrImport(
                    request, caller, store: store, data: Data(buffer: file.data), fileName: file.filename,
                    sourceID: upload?.source ?? "", feedbackDate: upload?.feedbackDate ?? "", skip: [], confirm: false)
            },
            Handler(
                .ledgerImportConfirm, bodyLimit: limit,
                target: { request, _ in
                    try await sourceTarget(try? request.content.get(String.self, at: "source"), store: store)
                }
            ) { request, caller in
                let form = FormInput(request)
                guard let data = Data(base64Encoded: form["payload"]) else {
                    return try await render(
                        request, caller, store: store, selected: form["source"], error: "导入内容已损坏，请重新选择文件上传。")
                }
                let skip = Set(form.values.keys.compactMap { $0.hasPrefix("skip-") ? Int($0.dropFirst(5)) : nil })
                return try await previewOrImport(
                    request, caller, store: store, data: data, fileName: form["fileName"], sourceID: form["source"],
                    feedbackDate: form["feedbackDate"], skip: skip, confirm: form["action"] == "import")
            },
        ]
    }

    /// New problems land in the chosen source's unit: the gate checks that unit; without a source the
    /// import can only update problems, each checked row by row.
    static func sourceTarget(_ raw: String?, store: Store) async throws -> AccessTarget {
        guard let id = raw.flatMap(UUID.init(uuidString:)) else { return .anywhere }
        let source = try await store.source(id)
        return AccessTarget(unitPath: try await store.unit(source.unitID).path)
    }

    static func previewOrImport(
        _ request: Request, _ caller: Caller, store: Store, data: Data, fileName rawName: String, sourceID: String,
        feedbackDate rawDate: String, skip: Set<Int>, confirm: Bool
    ) async throws -> Response {
        let fileName = EvidenceFiles.cleanName(rawName)
        let dateText = rawDate.trimmingCharacters(in: .whitespaces)
        let feedbackDate = LocalDate(iso: dateText)
        if !dateText.isEmpty && feedbackDate == nil {
            return try await render(
                request, caller, store: store, selected: sourceID, error: "反馈日期「\(dateText)」应写成 2026-09-15 这样的日期。")
        }
        let source = try await UUID(uuidString: sourceID).asyncMap { try await store.source($0) }
        let importer = LedgerImport.Importer(principal: caller.principal)
        let preview: LedgerImport.Preview
        do {
            preview = try await LedgerImport.preview(
                data: data, fileName: fileName, source: source, skipRows: skip, importer: importer, store: store,
                feedbackDate: feedbackDate)
        } catch let error as LedgerImport.ImportError {
            return try await render(request, caller, store: store, selected: sourceID, error: error.userMessage)
        }
        if confirm && preview.isReady {
            let result = try await LedgerImport.apply(preview, store: store, by: caller.actor)
            var context = try await context(caller, store: store, selected: sourceID)
            context.result = result
            return try await Pages.render(request, "import", context)
        }
        var context = try await context(caller, store: store, selected: sourceID)
        context.preview = PreviewView(
            fileName: fileName, sheetName: preview.sheetName, source: sourceID, payload: data.base64EncodedString(),
            feedbackDate: feedbackDate?.description ?? "", notices: preview.notices,
            proposedSources: preview.proposedSources, proposedPeople: preview.proposedPeople, rows: preview.rows,
            newProblems: preview.newProblems,
            changedProblems: preview.changedProblems, unchangedProblems: preview.unchangedProblems,
            skippedProblems: preview.skippedProblems, blocking: preview.blockingRows.count, ready: preview.isReady)
        if confirm && !preview.isReady {
            context.error =
                preview.items.isEmpty && preview.blockingRows.isEmpty
                ? "没有可导入的问题。" : "仍有 \(preview.blockingRows.count) 行存在问题，未导入任何内容。请修改文件后重新上传，或勾选跳过这些行。"
        }
        return try await Pages.render(request, "import", context)
    }

    static func context(_ caller: Caller, store: Store, selected: String) async throws -> ImportContext {
        let sources = try await store.sources(in: caller.scope)
        return ImportContext(
            layout: Layout(title: "导入台账", caller: caller, section: .ledger),
            sources: sources.map {
                LedgerPage.Option(
                    value: $0.id.uuidString, label: "\($0.title)（\($0.unitName)）",
                    selected: $0.id.uuidString == selected)
            })
    }

    static func render(_ request: Request, _ caller: Caller, store: Store, selected: String, error: String? = nil)
        async throws -> Response
    {
        var context = try await context(caller, store: store, selected: selected)
        context.error = error
        return try await Pages.render(request, "import", context, status: error == nil ? .ok : .unprocessableEntity)
    }
}
