import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// Units and people from the downloadable template: upload, read the preview, confirm. The file travels
/// back in the confirming form, so any app server can take the second request. The logins it opens are
/// shown once, with their passwords, on the answer to the confirmation.
enum OrganisationImportPage {
    struct Context: Encodable {
        var layout: Layout
        var error: String?
        var preview: OrganisationImport.Preview?
        var payload: String?
        var result: OrganisationImport.Result?
        var links = [
            "template": SiteRoute.organisationTemplate.link(), "preview": SiteRoute.organisationImportPreview.link(),
            "confirm": SiteRoute.organisationImportConfirm.link(), "units": SiteRoute.adminUnits.link(),
            "people": SiteRoute.adminPeople.link(),
        ]
    }

    static func routes(store: Store, settings: AppConfiguration) -> [Handler] {
        let limit = ByteCount(value: 10 * 1_048_576)
        // The confirming form carries the file back in Base64, a third larger and URL-encoded: a sheet just under
        // the upload limit must still fit.
        let confirmLimit = ByteCount(value: 15 * 1_048_576)
        @Sendable func render(_ request: Request, _ caller: Caller, _ context: (inout Context) -> Void) async throws
            -> Response
        {
            var value = Context(layout: Layout(title: "导入单位和人员", caller: caller, section: .adminUnits))
            context(&value)
            return try await Pages.render(
                request, "organisation-import", value, status: value.error == nil ? .ok : .unprocessableEntity)
        }
        return [
            Handler(.organisationImportForm) { request, caller in try await render(request, caller) { _ in } },
            Handler(.organisationTemplate) { _, _ in
                FileResponse.make(
                    try OrganisationImport.template(), fileName: "单位和人员导入模板.xlsx",
                    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            },
            Handler(.organisationImportPreview, bodyLimit: limit) { request, caller in
                struct Upload: Content { var file: File? }
                guard let file = (try? request.content.decode(Upload.self))?.file, file.data.readableBytes > 0 else {
                    return try await render(request, caller) { $0.error = "请选择填好的表格（.xlsx 或 .csv）。" }
                }
                let data = Data(buffer: file.data)
                let name = EvidenceFiles.cleanName(file.filename)
                do {
                    let preview = try await OrganisationImport.preview(
                        data: data, fileName: name, admin: caller.principal, store: store)
                    return try await render(request, caller) {
                        $0.preview = preview
                        $0.payload = data.base64EncodedString()
                    }
                } catch let error as LedgerImport.ImportError {
                    return try await render(request, caller) { $0.error = error.userMessage }
                }
            },
            Handler(.organisationImportConfirm, bodyLimit: confirmLimit) { request, caller in
                let form = FormInput(request)
                guard let data = Data(base64Encoded: form["payload"]) else {
                    return try await render(request, caller) { $0.error = "导入内容已损坏，请重新选择文件上传。" }
                }
                do {
                    let result = try await OrganisationImport.apply(
                        data: data, fileName: form["fileName"], admin: caller.principal, store: store, by: caller.actor)
                    return try await render(request, caller) { $0.result = result }
                } catch let error as LedgerImport.ImportError {
                    return try await render(request, caller) { $0.error = error.userMessage }
                }
            },
        ]
    }
}
