import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// The web flow of issue 4: a feedback document in, a reviewed problem list out.
@Suite struct DocumentImportTests {
    static var feedback: Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? Data(contentsOf: root.appendingPathComponent("eval/feedback-township.txt"))) ?? Data()
    }

    func session(_ world: APIWorld) async throws -> (token: String, csrf: String) {
        let session = try await world.store.createSession(userID: world.users[.clerk]!.id, kind: "t", lifetime: 600)
        return (session.token, session.csrfToken)
    }

    func upload(_ world: APIWorld, _ source: Source, _ s: (token: String, csrf: String), file: Data, name: String)
        async throws -> TestingHTTPResponse
    {
        var body = ByteBuffer()
        body.writeString("--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(s.csrf)\r\n")
        body.writeString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(name)\"\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--b--\r\n")
        return try await world.app.testing().sendRequest(
            .POST, "/sources/\(source.id)/import",
            headers: ["Cookie": "zg_session=\(s.token)", "Content-Type": "multipart/form-data; boundary=b"], body: body)
    }

    @Test func aFeedbackDocumentBecomesAReviewedProblemListInOneStep() async throws {
        try await APIWorld.with { world in
            let source = try await world.county.source(world.store, by: world.users[.inspector]!)
            let s = try await session(world)
            let preview = try await upload(world, source, s, file: Self.feedback, name: "反馈意见.txt")
            #expect(preview.status == .ok)
            let html = preview.body.string
            #expect(html.contains("共识别 12 条"))
            #expect(html.contains("<mark id=\"src-1\""))
            #expect(html.contains("已去除的水印"))
            // The reviewer drops item 2, merges item 4 into item 3, splits item 1, and accepts.
            var fields: [String: String] = ["_csrf": s.csrf, "count": "4"]
            let texts = ["理论学习不够扎实。\n//\n学习笔记内容雷同。", "要丢弃的一条", "耕地保护责任落实不到位。", "部分图斑复耕不彻底。"]
            for (index, text) in texts.enumerated() {
                fields["text_\(index)"] = text
                fields["category_\(index)"] = index == 2 ? "A2" : "A1"
                fields["outline_\(index)"] = "一、巡察发现的主要问题 / (一)落实党的理论"
                fields["measure_\(index)"] = index == 0 ? "建立理论学习台账" : ""
                if index != 1 { fields["keep_\(index)"] = "on" }
            }
            fields["merge_3"] = "on"
            let form = fields.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&")
            let accepted = try await world.app.testing().sendRequest(
                .POST, "/sources/\(source.id)/import/accept",
                headers: ["Cookie": "zg_session=\(s.token)", "Content-Type": "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form))
            #expect(accepted.status == .seeOther)
            let page = try await world.store.ledger(
                LedgerFilter(scope: .everything, sourceID: source.id), paging: try Paging(page: 1, perPage: 50),
                today: TestStores.today)
            #expect(page.rows.map(\.problem.text) == ["理论学习不够扎实。", "学习笔记内容雷同。", "耕地保护责任落实不到位。部分图斑复耕不彻底。"])
            #expect(page.rows[0].tasks.map(\.measure) == ["建立理论学习台账"])
            #expect(page.rows[0].tasks.first?.deadline == source.reportDue)
            #expect(page.rows[2].problem.categoryCode == "A2")
            #expect(page.rows[0].problem.outlinePath == ["一、巡察发现的主要问题", "(一)落实党的理论"])
        }
    }

    @Test func aBinaryFileGetsAChineseMessageAndNothingIsStored() async throws {
        try await APIWorld.with { world in
            let source = try await world.county.source(world.store, by: world.users[.inspector]!)
            let s = try await session(world)
            let response = try await upload(world, source, s, file: Data([0, 1, 2, 0, 255, 0, 7]), name: "x.txt")
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("不是文本文件"))
            let broken = try await upload(world, source, s, file: Data("PK\u{3}\u{4}broken".utf8), name: "x.docx")
            #expect(broken.status == .unprocessableEntity)
            #expect(try await world.store.counts(LedgerFilter(scope: .everything), today: TestStores.today).total == 0)
        }
    }
}
