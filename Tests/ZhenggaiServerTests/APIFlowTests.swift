import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

@Suite struct APIFlowTests {
    @Test func loginGivesAnHttpOnlySameSiteCookieAndABearerToken() async throws {
        try await APIWorld.with { world in
            let response = try await world.call(
                .POST, "/api/v1/login", as: nil, json: #"{"username":"clerk","password":"\#(APIWorld.password)"}"#)
            #expect(response.status == .ok)
            let cookie = response.headers.first(name: .setCookie) ?? ""
            #expect(cookie.contains("zg_session="))
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            let token = response.id("token")
            let me = try await world.call(.GET, "/api/v1/me", as: nil, token: token)
            #expect(me.json["username"] as? String == "clerk")
        }
    }

    @Test func repeatedFailedLoginsAreThrottled() async throws {
        try await APIWorld.with { world in
            for _ in 0..<5 {
                let wrong = try await world.call(
                    .POST, "/api/v1/login", as: nil, json: #"{"username":"clerk","password":"wrong-one-1"}"#)
                #expect(wrong.status == .unauthorized)
                #expect(wrong.errorMessage == "用户名或密码错误。")
            }
            let blocked = try await world.call(
                .POST, "/api/v1/login", as: nil, json: #"{"username":"clerk","password":"\#(APIWorld.password)"}"#)
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.errorMessage.contains("分钟后再试"))
        }
    }

    @Test func aCookieWriteWithoutItsCSRFTokenIsRefused() async throws {
        try await APIWorld.with { world in
            let login = try await world.call(
                .POST, "/api/v1/login", as: nil, json: #"{"username":"clerk","password":"\#(APIWorld.password)"}"#)
            let token = login.id("token")
            let csrf = login.id("csrfToken")
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: ("zg_session", .init(string: token)))
            let body = """
                {"kind":"selfCheck","title":"自查","issuer":"镇党委","unitID":"\(world.county.township.id)",\
                "feedbackDate":"2026-10-01"}
                """
            let refused = try await world.call(.POST, "/api/v1/sources", as: nil, json: body, headers: headers)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "csrf")
            headers.add(name: "X-CSRF-Token", value: csrf)
            let accepted = try await world.call(.POST, "/api/v1/sources", as: nil, json: body, headers: headers)
            #expect(accepted.status == .created)
        }
    }

    @Test func aProblemIsCarriedToClosureOverTheAPIAndAnOverdueTaskShows() async throws {
        try await APIWorld.with { world in
            let township = world.county.township.id
            let source = try await world.call(
                .POST, "/api/v1/sources", as: .inspector,
                json: """
                    {"kind":"inspection","title":"县委第三巡察组反馈意见","issuer":"县委第三巡察组","round":3,\
                    "unitID":"\(township)","feedbackDate":"2026-09-01"}
                    """)
            #expect(source.status == .created)
            let problem = try await world.call(
                .POST, "/api/v1/problems", as: .clerk,
                json: #"{"sourceID":"\#(source.id())","text":"村级财务管理不规范","categoryCode":"B4"}"#)
            #expect(problem.json["number"] as? String == "XC2026-03-01-001")
            let problemID = problem.id()
            let task = try await world.call(
                .POST, "/api/v1/problems/\(problemID)/tasks", as: .clerk,
                json: """
                    {"measure":"建立财务审核制度","kind":"scheduled","leaderID":"\(world.users[.leader]!.id)",\
                    "leadUnit":"镇财政所","assignee":"张三","deadline":"2026-11-01"}
                    """)
            #expect(task.status == .created)
            let taskID = task.id()
            let overdue = try await world.call(.GET, "/api/v1/ledger?overdue=true", as: .secretary)
            #expect(overdue.json["total"] as? Int == 1)
            let progress = try await world.call(
                .POST, "/api/v1/tasks/\(taskID)/progress", as: .leader, json: #"{"text":"已清理白条 12 张"}"#)
            #expect(progress.status == .created)

            var upload = HTTPHeaders()
            upload.bearerAuthorization = .init(token: try await world.token(.clerk))
            let boundary = "zgboundary"
            upload.contentType = HTTPMediaType(
                type: "multipart", subType: "form-data", parameters: ["boundary": boundary])
            var body = ByteBuffer()
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"台账.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n")
            body.writeBytes(Fixtures.pdf)
            body.writeString("\r\n--\(boundary)--\r\n")
            let evidence = try await world.app.testing().sendRequest(
                .POST, "/api/v1/problems/\(problemID)/evidence", headers: upload, body: body)
            #expect(evidence.status == .created)
            let download = try await world.call(.GET, "/api/v1/evidence/\(evidence.id())", as: .supervisor)
            #expect(Data(buffer: download.body) == Fixtures.pdf)

            let complete = try await world.call(
                .POST, "/api/v1/tasks/\(taskID)/complete", as: .clerk, json: #"{"version":1}"#)
            #expect(complete.status == .ok)
            let asked = try await world.call(
                .POST, "/api/v1/problems/\(problemID)/closure", as: .clerk, json: #"{"statement":"已完成整改"}"#)
            #expect(asked.json["status"] as? String == "pendingFirstReview")
            let first = try await world.call(
                .POST, "/api/v1/problems/\(problemID)/closure/first-review", as: .secretary,
                json: #"{"decision":"approve"}"#)
            #expect(first.json["status"] as? String == "pendingSecondReview")
            let second = try await world.call(
                .POST, "/api/v1/problems/\(problemID)/closure/second-review", as: .inspector,
                json: #"{"decision":"approve"}"#)
            #expect(second.json["status"] as? String == "closed")
            #expect(second.json["statusLabel"] as? String == "已销号")
            let after = try await world.call(.GET, "/api/v1/ledger?overdue=true", as: .secretary)
            #expect(after.json["total"] as? Int == 0)
            let counts = try await world.call(.GET, "/api/v1/counts", as: .supervisor)
            #expect(counts.json["rate"] as? String == "100.00%")
            #expect(try await world.store.verifyAudit().isIntact)
        }
    }

    @Test func twoSavesOfTheSameVersionGiveTheSecondAConflict() async throws {
        try await APIWorld.with { world in
            let source = try await world.county.source(world.store, by: world.users[.inspector]!)
            let problem = try await world.store.createProblem(
                NewProblem(sourceID: source.id, text: "问题", categoryCode: "A1"), by: AuditActor(world.users[.clerk]!))
            let body = """
                {"version":1,"measure":"措施","kind":"scheduled","leadUnit":"党政办","assignee":"甲","deadline":"2026-12-31"}
                """
            let task = try await world.call(.POST, "/api/v1/problems/\(problem.id)/tasks", as: .clerk, json: body)
            let first = try await world.call(.PUT, "/api/v1/tasks/\(task.id())", as: .clerk, json: body)
            #expect(first.status == .ok)
            let second = try await world.call(.PUT, "/api/v1/tasks/\(task.id())", as: .secretary, json: body)
            #expect(second.status == .conflict)
            #expect(second.errorCode == "version_conflict")
            #expect(second.errorMessage.contains("已被他人修改"))
        }
    }

    @Test func badInputGetsAClearChineseAnswerAndNothingIsStored() async throws {
        try await APIWorld.with { world in
            let before = try await world.store.auditLog(in: .everything, try AuditQuery(limit: 1_000)).count
            let cases: [(HTTPMethod, String, String, HTTPResponseStatus)] = [
                (.POST, "/api/v1/sources", "{not json", .badRequest),
                (.POST, "/api/v1/sources", #"{"kind":"inspection","title":5}"#, .badRequest),
                (.POST, "/api/v1/problems", #"{"sourceID":"\#(UUID())","text":"x","categoryCode":"A1"}"#, .notFound),
                (.GET, "/api/v1/problems/not-a-uuid", "", .badRequest),
                (.GET, "/api/v1/problems/\(UUID())", "", .notFound),
                (
                    .POST, "/api/v1/sources",
                    #"{"kind":"audit","title":"审计","issuer":"审计局","unitID":"\#(world.county.sibling.id)","feedbackDate":"2026-10-01"}"#,
                    .forbidden
                ),
                (
                    .POST, "/api/v1/sources",
                    #"{"kind":"audit","title":"审计","issuer":"审计局","unitID":"\#(world.county.township.id)","feedbackDate":"2026-02-30"}"#,
                    .badRequest
                ),
            ]
            for (method, path, json, status) in cases {
                let response = try await world.call(method, path, as: .clerk, json: json.isEmpty ? nil : json)
                #expect(response.status == status, "\(method) \(path) \(json)")
                #expect(response.errorMessage.containsChinese, "\(path): \(response.errorMessage)")
            }
            #expect(try await world.store.auditLog(in: .everything, try AuditQuery(limit: 1_000)).count == before)
        }
    }

    @Test func anOversizedUploadIsRefusedBeforeItIsStored() async throws {
        try await APIWorld.with { world in
            let source = try await world.county.source(world.store, by: world.users[.inspector]!)
            let problem = try await world.store.createProblem(
                NewProblem(sourceID: source.id, text: "问题", categoryCode: "A1"), by: AuditActor(world.users[.clerk]!))
            var headers = HTTPHeaders()
            headers.bearerAuthorization = .init(token: try await world.token(.clerk))
            headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": "b"])
            var body = ByteBuffer()
            body.writeString("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n\r\n%PDF-")
            body.writeBytes([UInt8](repeating: 0x20, count: 21 * 1_048_576))
            body.writeString("\r\n--b--\r\n")
            let response = try await world.app.testing().sendRequest(
                .POST, "/api/v1/problems/\(problem.id)/evidence", headers: headers, body: body)
            #expect(response.status == .payloadTooLarge)
            #expect(try await world.store.problemDetail(problem.id).evidence.isEmpty)
        }
    }
}
