import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// A 12345 work-order sheet as the hotline platform exports it (GBK CSV, Fixtures/12345), and as a
/// workbook: every row checked and named by its row, nothing stored while one is wrong, orders keyed by
/// their 工单编号 so a repeated sheet adds nothing twice, even when two imports race.
@Suite(.serialized) struct AppealImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures/12345")

    static func sheet(_ name: String) throws -> Data { try Data(contentsOf: fixtures.appendingPathComponent(name)) }

    @Test func aGBKSheetIsCheckedRowByRowThenImportedOnce() async throws {
        try await AppealsTests.with(LocalDate(year: 2026, month: 11, day: 5)!) { desk in
            let store = desk.store
            let clerk = try await desk.county.user(store, "qs_desk", .clerk, at: desk.county.township)
            let bad = try Self.sheet("工单导出-有误.csv")
            let preview = try await AppealImport.preview(
                data: bad, fileName: "工单导出-有误.csv", principal: clerk.principal, store: store)
            #expect(preview.blocking == 4 && !preview.isReady)
            func errors(_ row: Int) -> String {
                preview.rows.first { $0.number == row }?.errors.joined(separator: "；") ?? ""
            }
            #expect(errors(2).isEmpty && errors(3).isEmpty && errors(4).isEmpty)
            #expect(errors(5).contains("无法从内容判断诉求分类"), "\(errors(5))")
            #expect(errors(6).contains("所属区域「白云村」不在系统中"), "\(errors(6))")
            #expect(errors(7).contains("诉求类型「表扬」无法识别"), "\(errors(7))")
            #expect(errors(8).contains("工单编号「GD20261101001」在表中重复"), "\(errors(8))")
            await #expect(throws: LedgerImport.ImportError.self) {
                _ = try await AppealImport.apply(
                    data: bad, fileName: "工单导出-有误.csv", principal: clerk.principal, store: store,
                    by: AuditActor(clerk))
            }
            #expect(try await store.appeals(in: .everything).isEmpty)

            // The corrected sheet: three orders, the category of two judged from their words.
            let good = try Self.sheet("工单导出.csv")
            let ready = try await AppealImport.preview(
                data: good, fileName: "工单导出.csv", principal: clerk.principal, store: store)
            #expect(ready.isReady && ready.newAppeals == 3, "\(ready.rows.map(\.errors))")
            #expect(ready.rows.map(\.category) == ["环境卫生", "农村建房（按内容判断）", "环境卫生（按内容判断）"])
            let result = try await AppealImport.apply(
                data: good, fileName: "工单导出.csv", principal: clerk.principal, store: store, by: AuditActor(clerk))
            #expect(result.created == 3 && result.dispatched == 3 && result.skipped == 0)
            let appeals = try await store.appeals(in: .everything).sorted { $0.number < $1.number }
            #expect(appeals.map(\.channel) == [.transfer, .transfer, .transfer])
            #expect(appeals.map(\.kind) == [.help, .consultation, .complaint])
            #expect(appeals.map(\.urgent) == [false, false, true])
            #expect(appeals[0].personName == "王大爷" && appeals[0].personPhone == "13900001111")
            #expect(appeals[1].departmentID == desk.department.id)  // 农村建房 goes to the county's 住建局
            // The platform's time of receipt, in China's time, not the import's.
            #expect(LocalDate.chineseTime(appeals[0].receivedAt).hasPrefix("2026年11月1日 09:12"))
            #expect(appeals[2].text == "投诉石门村3组垃圾乱倒，\"环境卫生\"无人管")

            // The same orders again, as a workbook this time: all skipped, nothing new.
            let book = try XLSXWriter(sheets: [
                XLSXWriter.Sheet(
                    name: "工单", title: "12345热线工单导出（2026年11月）",
                    columns: ["工单编号", "受理时间", "诉求类型", "诉求内容", "所属区域", "诉求分类"].map { XLSXWriter.Column($0) },
                    rows: [
                        XLSXWriter.Row([
                            .text("GD20261101001"),
                            .date(OfficeDate(year: 2026, month: 11, day: 1, secondsOfDay: 33_153)),
                            .text("求决"), .text("石门村垃圾池三天没人清运"), .text("石门村"), .text("环境卫生"),
                        ])
                    ])
            ]).data()
            let again = try await AppealImport.preview(
                data: book, fileName: "工单.xlsx", principal: clerk.principal, store: store)
            #expect(again.newAppeals == 0 && again.alreadyImported == 1 && again.blocking == 0)
            #expect(again.rows.first?.action == "已导入（跳过）")
            #expect(try await store.appeals(in: .everything).count == 3)
            // The import is in the audit log with the platform's number.
            let entries = try await store.auditLog(in: .everything, try AuditQuery(after: 0, limit: 500)).filter {
                $0.action == "appeal.register"
            }
            #expect(entries.count == 3 && entries.allSatisfy { $0.after?.contains("\"ref\":\"GD2026") == true })
        }
    }

    @Test func twoImportsOfOneSheetAtOnceRegisterEachOrderOnce() async throws {
        try await AppealsTests.with(LocalDate(year: 2026, month: 11, day: 5)!) { desk in
            let store = desk.store
            let clerk = try await desk.county.user(store, "qs_desk", .clerk, at: desk.county.township)
            let good = try Self.sheet("工单导出.csv")
            async let first = AppealImport.apply(
                data: good, fileName: "a.csv", principal: clerk.principal, store: store, by: AuditActor(clerk))
            async let second = AppealImport.apply(
                data: good, fileName: "b.csv", principal: clerk.principal, store: store, by: AuditActor(clerk))
            let (a, b) = try await (first, second)
            #expect(a.created + b.created == 3 && a.skipped + b.skipped == 3)
            #expect(try await store.appeals(in: .everything).count == 3)
            #expect(try await store.verifyAudit().isIntact)
        }
    }

    /// The page as a clerk uses it: upload, read the preview, confirm from the form it shows (the file comes
    /// back in the form), see the appeals; a leader may not open it.
    @Test func theImportPageTakesASheetThroughPreviewAndConfirmation() async throws {
        try await APIWorld.with { world in
            for (code, name) in [("HJWS", "环境卫生"), ("NCJF", "农村建房")] {
                try await world.store.saveAppealCategory(
                    AppealCategory(code: code, name: name, description: name, keywords: name, group: "测试"),
                    by: .commandLine)
            }
            let session = try await world.store.createSession(
                userID: world.users[.clerk]!.id, kind: "t", lifetime: 600)
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: ("zg_session", .init(string: session.token)))
            let boundary = "zgboundary"
            var upload = headers
            upload.contentType = HTTPMediaType(
                type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
            var body = ByteBuffer()
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(session.csrfToken)\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"工单导出.csv\"\r\n"
                    + "Content-Type: text/csv\r\n\r\n")
            body.writeBytes(try Self.sheet("工单导出.csv"))
            body.writeString("\r\n--\(boundary)--\r\n")
            let preview = try await world.app.testing().sendRequest(
                .POST, "/appeals/import", headers: upload, body: body)
            #expect(preview.status == .ok)
            let html = preview.body.string
            #expect(html.contains("将新登记 3 件"))
            // The confirming form carries the file back.
            func field(_ name: String) throws -> String {
                let marker = "name=\"\(name)\" value=\""
                let start = try #require(html.range(of: marker)).upperBound
                return String(html[start...].prefix { $0 != "\"" })
            }
            let payload = try field("payload")
            #expect(Data(base64Encoded: payload) == (try Self.sheet("工单导出.csv")))
            var form = headers
            form.contentType = .urlEncodedForm
            var components = URLComponents()
            components.queryItems = [
                URLQueryItem(name: "_csrf", value: session.csrfToken),
                URLQueryItem(name: "fileName", value: try field("fileName")),
                URLQueryItem(name: "payload", value: payload),
            ]
            let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
            let confirm = try await world.app.testing().sendRequest(
                .POST, "/appeals/import/confirm", headers: form, body: ByteBuffer(string: encoded))
            #expect(confirm.status == .ok)
            #expect(confirm.body.string.contains("新登记诉求 3 件"), "\(confirm.body.string)")
            #expect(try await world.store.appeals(in: .everything).count == 3)

            let leader = try await world.store.createSession(
                userID: world.users[.leader]!.id, kind: "t", lifetime: 600)
            var leaderHeaders = HTTPHeaders()
            leaderHeaders.cookie = HTTPCookies(dictionaryLiteral: ("zg_session", .init(string: leader.token)))
            let refused = try await world.app.testing().sendRequest(.GET, "/appeals/import", headers: leaderHeaders)
            #expect(refused.status == .forbidden)
        }
    }

    @Test func ordersOutsideTheImportersUnitsAreRefused() async throws {
        try await AppealsTests.with(LocalDate(year: 2026, month: 11, day: 5)!) { desk in
            let store = desk.store
            let other = try await desk.county.user(store, "hk_desk", .clerk, at: desk.county.sibling)
            let preview = try await AppealImport.preview(
                data: try Self.sheet("工单导出.csv"), fileName: "工单导出.csv", principal: other.principal, store: store)
            #expect(preview.blocking == 3)
            #expect(preview.rows.allSatisfy { $0.errors.contains { $0.contains("不在您受理诉求的范围内") } })
            // A file that is no work-order sheet says so, in Chinese, naming the file.
            await #expect(throws: LedgerImport.ImportError.self) {
                _ = try await AppealImport.preview(
                    data: Data("随便写的一段话\n没有表头".utf8), fileName: "说明.csv", principal: other.principal, store: store)
            }
        }
    }
}
