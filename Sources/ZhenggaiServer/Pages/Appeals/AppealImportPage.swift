import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// A 12345 work-order sheet: upload, read the preview row by row, confirm. As with the organisation import,
/// the file travels back in the confirming form, so any app server can take the second request, and the
/// confirmation checks every row again.
enum AppealImportPage {
    struct Context: Encodable {
        var layout: Layout
        var error: String?
        var preview: AppealImport.Preview?
        var payload: String?
        var result: AppealImport.Result?
        var links = [
            "preview": SiteRoute.appealImportPreview.link(), "confirm": SiteRoute.appealImportConfirm.link(),
            "appeals": SiteRoute.appeals.link(),
        ]
    }

    static func routes(store: Store) -> [Handler] {
        let limit = ByteCount(value: 10 * 1_048_576)
        // The confirming form carries the file back in Base64, a third larger and URL-encoded: a sheet just under
        // the upload limit must still fit.
        let confirmLimit = ByteCount(value: 15 * 1_048_576)
        @Sendable func render(_ request: Request, _ caller: Caller, _ context: (inout Context) -> Void) async throws
            -> Response
        {
            var value = Context(layout: Layout(title: "导入热线工单", caller: caller, section: .appeals))
            context(&value)
            return try await Pages.render(
                request, "appeal-import", value, status: value.error == nil ? .ok : .unprocessableEntity)
        }
        return [
            Handler(.appealImportForm) { request, caller in try await render(request, caller) { _ in } },
            Handler(.appealImportPreview, bodyLimit: limit) { request, caller in
                struct Upload: Content { var file: File? }
                guard let file = (try? request.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
                    return try await render(request, caller) { $0.error = "请选择从热线平台导出的工单表（.xlsx 或 .csv）。" }
                }
                let data = Data(buffer: file.data)
                let name = EvidenceFiles.cleanName(file.filename)
                do {
                    let preview = try await AppealImport.preview(
                        data: data, fileName: name, principal: caller.principal, store: store)
                    return try await render(request, caller) {
                        $0.preview = preview
                        $0.payload = data.base64EncodedString()
                    }
                } catch let error as LedgerImport.ImportError {
                    return try await render(request, caller) { $0.error = error.userMessage }
                }
            },
            Handler(.appealImportConfirm, bodyLimit: confirmLimit) { request, caller in
                let form = FormInput(request)
                guard let data = Data(base64Encoded: form["payload"]) else {
                    return try await render(request, caller) { $0.error = "导入内容已损坏，请重新选择文件上传。" }
                }
                do {
                    let result = try await AppealImport.apply(
                        data: data, fileName: EvidenceFiles.cleanName(form["fileName"]), principal: caller.principal,
                        store: store, by: caller.actor)
                    return try await render(request, caller) { $0.result = result }
                } catch let error as LedgerImport.ImportError {
                    return try await render(request, caller) { $0.error = error.userMessage }
                }
            },
        ]
    }
}
