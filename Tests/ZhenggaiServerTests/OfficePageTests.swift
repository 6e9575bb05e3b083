import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// The export, import and report pages behind the gate, and the reports' numbers read back from Word.
@Suite struct OfficePageTests {
    func headers(_ world: APIWorld, _ role: Role) async throws -> (HTTPHeaders, String) {
        let session = try await world.store.createSession(userID: world.users[role]!.id, kind: "t", lifetime: 600)
        var headers = HTTPHeaders()
        headers.cookie = HTTPCookies(dictionaryLiteral: ("zg_session", .init(string: session.token)))
        return (headers, session.csrfToken)
    }

    @Test func everyRoleExportsWhatItMayReadAndOnlyEditorsImport() async throws {
        try await APIWorld.with { world in
            let source = try await OfficeLedgerTests.seed(world, count: 5)
            for role in Role.allCases {
                let (headers, csrf) = try await self.headers(world, role)
                let xlsx = try await world.app.testing().sendRequest(
                    .GET, "/ledger/export?source=\(source.id)", headers: headers)
                #expect(xlsx.status == .ok, "\(role)")
                #expect(xlsx.headers.contentType?.subType.contains("spreadsheetml") == true)
                #expect(Array(Data(buffer: xlsx.body).prefix(2)) == [0x50, 0x4B])
                let csv = try await world.app.testing().sendRequest(.GET, "/ledger/export?format=csv", headers: headers)
                #expect(csv.body.string.contains("反馈问题"))
                // A unit outside the role's subtree is refused, not silently emptied.
                let sibling = try await world.app.testing().sendRequest(
                    .GET, "/ledger/export?unit=\(world.county.sibling.id)", headers: headers)
                let reachesSibling = role == .inspector || role == .supervisor
                #expect(sibling.status == (reachesSibling ? .ok : .forbidden), "\(role)")

                let page = try await world.app.testing().sendRequest(.GET, "/ledger/import", headers: headers)
                let mayImport = AccessPolicy.roles(for: .editProblem).contains(role)
                #expect(page.status == (mayImport ? .ok : .forbidden), "\(role)")

                let rows = try await LedgerExport.rows(
                    store: world.store, filter: LedgerFilter(scope: .everything), today: TestStores.today)
                var lines: [[CellValue]] = [LedgerExport.columns.map { .text($0.header) }] + rows.map(\.values)
                lines[1][4] = .text("\(role.rawValue) 改写的问题")
                let payload = CSV.write(lines).base64EncodedString()
                var post = headers
                post.contentType = .urlEncodedForm
                let body =
                    "_csrf=\(csrf)&fileName=a.csv&source=\(source.id)&action=import&payload="
                    + (payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                let confirm = try await world.app.testing().sendRequest(
                    .POST, "/ledger/import/confirm", headers: post, body: ByteBuffer(string: body))
                if mayImport {
                    #expect(confirm.status == .ok, "\(role): \(confirm.body.string.prefix(300))")
                    #expect(confirm.body.string.contains("已导入"), "\(role)")
                } else {
                    #expect(confirm.status == .forbidden, "\(role)")
                }
                let first = try await world.store.ledger(
                    LedgerFilter(scope: .everything), paging: try Paging(page: 1, perPage: 1), today: TestStores.today)
                #expect((first.rows[0].problem.text == "\(role.rawValue) 改写的问题") == mayImport, "\(role)")
            }
            #expect(try await world.store.counts(LedgerFilter(scope: .everything), today: TestStores.today).total == 5)
        }
    }

    @Test func anUploadIsPreviewedAndAWrongRowBlocksTheImport() async throws {
        try await APIWorld.with { world in
            let source = try await world.county.source(world.store, by: world.users[.inspector]!)
            var (headers, csrf) = try await self.headers(world, .clerk)
            let boundary = "zgboundary"
            headers.contentType = HTTPMediaType(
                type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
            var body = ""
            for (name, value) in [("_csrf", csrf), ("source", source.id.uuidString)] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"台账.csv\"\r\n"
            body += "Content-Type: text/csv\r\n\r\n\(OfficeLedgerTests.messy)\r\n--\(boundary)--\r\n"
            let response = try await world.app.testing().sendRequest(
                .POST, "/ledger/import", headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            let html = response.body.string
            #expect(html.contains("只写到月份"))
            #expect(html.contains("name=\"skip-4\""))
            #expect(!html.contains("value=\"import\""))  // no confirm button while rows have problems
            #expect(try await world.store.counts(LedgerFilter(scope: .everything), today: TestStores.today).total == 0)
        }
    }

    @Test func theProgressReportCarriesTheComputedCounts() async throws {
        try await APIWorld.with { world in
            let source = try await OfficeLedgerTests.seed(world, count: 12)
            let made = try await ReportMaker.make(
                .progress, store: world.store, scope: .everything, source: source.numberPrefix, unit: nil, period: nil,
                inputs: .init(assessment: "整改总体扎实。"))
            let text = try DocxReader.read(try made.document.docxData(), fileName: "r.docx").plainText
            let counts = try await world.store.counts(
                LedgerFilter(scope: .everything, sourceID: source.id), today: TestStores.today)
            #expect(text.contains("反馈的12个问题中，完成整改0个，基本完成并持续整改0个，未完成12个，完成率0.00%"))
            #expect(text.contains("尚未完成的问题中已逾期\(counts.overdue)个"))
            #expect(text.contains("整改结果：尚无报送的整改进展。（未完成，逾期）"))
            #expect(text.contains("距报送期限") || text.contains("已超过期限"))
            #expect(text.contains("整改总体扎实。"))
            #expect(text.contains(GongwenDocument.placeholderPrefix))  // reasons and next steps left to a person

            let notice = try await ReportMaker.make(
                .notice, store: world.store, scope: .everything, source: nil, unit: nil, period: nil, inputs: .init())
            let noticeText = try DocxReader.read(try notice.document.docxData(), fileName: "n.docx").plainText
            #expect(noticeText.contains("完成率0.00%"))
            #expect(!noticeText.contains("张三"))  // no 责任人 in what goes public
            #expect(Redaction.phoneNumbers(in: "联系13812345678或0571-87654321") == "联系（电话已隐去）或（电话已隐去）")

            let bulletin = try await ReportMaker.make(
                .bulletin, store: world.store, scope: .everything, source: nil, unit: nil, period: "2026-Q4",
                inputs: .init())
            let bulletinText = try DocxReader.read(try bulletin.document.docxData(), fileName: "b.docx").plainText
            #expect(bulletinText.contains("2026年第四季度"))
            #expect(bulletinText.contains("共反馈问题12个"))
            #expect(bulletinText.contains("青山镇"))

            // The web form gives the same report as a download, to a reader; a unit out of reach is refused.
            var (headers, csrf) = try await self.headers(world, .leader)
            headers.contentType = .urlEncodedForm
            let ok = try await world.app.testing().sendRequest(
                .POST, "/reports", headers: headers,
                body: ByteBuffer(string: "_csrf=\(csrf)&kind=progress&source=\(source.id)"))
            #expect(ok.status == .ok)
            #expect(Array(Data(buffer: ok.body).prefix(2)) == [0x50, 0x4B])
            let refused = try await world.app.testing().sendRequest(
                .POST, "/reports", headers: headers,
                body: ByteBuffer(string: "_csrf=\(csrf)&kind=bulletin&unit=\(world.county.sibling.id)"))
            #expect(refused.status == .forbidden)
        }
    }

    static let renderer: String? = ["/usr/bin/libreoffice", "/usr/bin/soffice", "/usr/local/bin/libreoffice"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let canRender =
        renderer != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdfinfo")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext")

    @Test(.enabled(if: canRender, "libreoffice / poppler-utils not installed: report rendering test skipped"))
    func aReportRendersAsA4WithItsNumbers() async throws {
        try await APIWorld.with { world in
            _ = try await OfficeLedgerTests.seed(world, count: 8)
            let made = try await ReportMaker.make(
                .progress, store: world.store, scope: .everything, source: nil, unit: nil, period: nil, inputs: .init())
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zg-report-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let docx = folder.appendingPathComponent("report.docx")
            try made.document.docxData().write(to: docx)
            try Self.run(
                Self.renderer!,
                [
                    "-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", folder.path, docx.path,
                ])
            let pdf = folder.appendingPathComponent("report.pdf").path
            let info = try Self.run("/usr/bin/pdfinfo", [pdf])
            #expect(info.contains("595.") && info.contains("841."), "\(info)")  // A4 in points
            let text = try Self.run("/usr/bin/pdftotext", [pdf, "-"]).replacingOccurrences(of: "\n", with: "")
                .replacingOccurrences(of: " ", with: "")
            #expect(text.contains("未完成8个"), "\(text.prefix(400))")
        }
    }

    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
