import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// Every page for every role, in process: the status the permissions give, and the content the page is for.
@Suite struct PageTests {
    struct Seeded {
        var source: Source
        var problem: Problem
        var task: RectificationTask
        var evidence: Evidence
    }

    static let hostile = #"<script>alert("x")</script> “引号” "quotes" 'single' {{ title }} #(layout.csrf)"#

    static func seed(_ world: APIWorld) async throws -> Seeded {
        let clerk = AuditActor(world.users[.clerk]!)
        let source = try await world.county.source(world.store, by: world.users[.inspector]!)
        let problem = try await world.store.createProblem(
            NewProblem(sourceID: source.id, unitID: world.county.village.id, text: hostile, categoryCode: "B4"),
            by: clerk)
        let task = try await world.store.createTask(
            problemID: problem.id,
            TaskFields(
                measure: "建立村级财务审核制度", kind: .scheduled, leaderID: world.users[.leader]!.id, leadUnit: "镇财政所",
                assignee: "张三", deadline: TestStores.today.adding(days: -2)),
            by: clerk)
        let evidence = try await world.store.addEvidence(
            problemID: problem.id, taskID: task.id, fileName: "台账.pdf", data: Fixtures.pdf, by: clerk)
        return Seeded(source: source, problem: problem, task: task, evidence: evidence)
    }

    func get(_ world: APIWorld, _ path: String, as role: Role?) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        if let role {
            let token = try await world.token(role)
            headers.cookie = HTTPCookies(dictionaryLiteral: ("zg_session", .init(string: token)))
        }
        return try await world.app.testing().sendRequest(.GET, path, headers: headers)
    }

    @Test func everyPageAnswersEveryRoleAsThePermissionsSay() async throws {
        try await APIWorld.with { world in
            let s = try await Self.seed(world)
            // (path, who may see it, text the page must show)
            let pages: [(String, Set<Role>, String)] = [
                ("/", Set(Role.allCases), "我的工作"),
                ("/ledger", Set(Role.allCases), "整改台账"),
                ("/ledger?print=1", Set(Role.allCases), "整改措施"),
                ("/ledger?overdue=1", Set(Role.allCases), s.problem.number),
                ("/sources", Set(Role.allCases), s.source.title),
                ("/sources/new", AccessPolicy.roles(for: .createSource), "录入来源"),
                ("/sources/\(s.source.id)", Set(Role.allCases), "按问题类别"),
                ("/sources/\(s.source.id)/problems/new", AccessPolicy.roles(for: .editProblem), "录入问题"),
                ("/problems/\(s.problem.id)", Set(Role.allCases), s.problem.number),
                ("/tasks/\(s.task.id)/edit", [.admin, .secretary, .clerk, .leader], "修改整改任务"),
                ("/evidence/\(s.evidence.id)", Set(Role.allCases), "%PDF"),
                ("/admin/units", [.admin], "单位管理"),
                ("/admin/users", [.admin], "用户管理"),
            ]
            for (path, allowed, text) in pages {
                for role in Role.allCases {
                    let response = try await get(world, path, as: role)
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(path) as \(role): \(response.status)")
                        #expect(response.body.string.contains(text), "\(path) as \(role) lacks 「\(text)」")
                    } else {
                        #expect(response.status == .forbidden, "\(path) as \(role): \(response.status)")
                        #expect(response.body.string.contains("没有权限"), "\(path) as \(role)")
                    }
                }
                let anonymous = try await get(world, path, as: nil)
                #expect(anonymous.status == .seeOther, "\(path) without a session")
                #expect(anonymous.headers.first(name: .location)?.hasPrefix("/login") == true)
            }
            let login = try await get(world, "/login", as: nil)
            #expect(login.status == .ok && login.body.string.contains("用户名"))
        }
    }

    @Test func ledgerLinksKeepASearchWholeEvenWithAmpersands() async throws {
        try await APIWorld.with { world in
            let html = try await get(world, "/ledger?q=%E7%99%BD%E6%9D%A1%26%E7%8E%B0%E9%87%91", as: .clerk).body.string
            #expect(html.contains("/ledger/export?q=%E7%99%BD%E6%9D%A1%26%E7%8E%B0%E9%87%91"))
            #expect(!html.contains("q=白条&现金"))
        }
    }

    @Test func aPageOutsideTheSubtreeIsRefused() async throws {
        try await APIWorld.with { world in
            let inspector = world.users[.inspector]!
            let foreign = try await world.county.source(world.store, by: inspector, at: world.county.sibling)
            let problem = try await world.store.createProblem(
                NewProblem(sourceID: foreign.id, text: "河口镇的问题", categoryCode: "A1"), by: AuditActor(inspector))
            for role in [Role.clerk, .secretary, .leader, .admin] {
                #expect(try await get(world, "/problems/\(problem.id)", as: role).status == .forbidden)
                #expect(try await get(world, "/sources/\(foreign.id)", as: role).status == .forbidden)
            }
            #expect(try await get(world, "/problems/\(problem.id)", as: .inspector).status == .ok)
        }
    }

    @Test func userTextIsEscapedEverywhereItIsShown() async throws {
        try await APIWorld.with { world in
            let s = try await Self.seed(world)
            for path in ["/problems/\(s.problem.id)", "/ledger", "/ledger?print=1", "/"] {
                let html = try await get(world, path, as: .secretary).body.string
                #expect(!html.contains("<script>alert"), "\(path) shows a live script tag")
                #expect(!html.contains(#""quotes""#), "\(path) shows raw quotes")
                if path.hasPrefix("/problems") || path.hasPrefix("/ledger") {
                    #expect(html.contains("&lt;script&gt;alert("), "\(path) lost the text")
                    #expect(html.contains("{{ title }}"))
                    #expect(html.contains("#(layout.csrf)"), "\(path) evaluated user text as a template")
                }
            }
        }
    }

    @Test func aFormPostWithoutItsCSRFTokenIsRefused() async throws {
        try await APIWorld.with { world in
            let s = try await Self.seed(world)
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(
                dictionaryLiteral: ("zg_session", .init(string: try await world.token(.clerk))))
            headers.contentType = .urlEncodedForm
            let response = try await world.app.testing().sendRequest(
                .POST, "/tasks/\(s.task.id)/progress", headers: headers, body: ByteBuffer(string: "text=进展"))
            #expect(response.status == .forbidden)
            #expect(try await world.store.problemDetail(s.problem.id).progress.isEmpty)
        }
    }

    @Test func aRejectedFormKeepsWhatWasTypedAndSaysWhatIsWrongNextToTheField() async throws {
        try await APIWorld.with { world in
            let s = try await Self.seed(world)
            let session = try await world.store.createSession(userID: world.users[.clerk]!.id, kind: "t", lifetime: 600)
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: ("zg_session", .init(string: session.token)))
            headers.contentType = .urlEncodedForm
            let body =
                "_csrf=\(session.csrfToken)&measure=&kind=scheduled&deadline=2026-13-40&leadUnit=%E5%85%9A%E6%94%BF%E5%8A%9E&assignee=%E6%9D%8E%E5%9B%9B"
            let response = try await world.app.testing().sendRequest(
                .POST, "/problems/\(s.problem.id)/tasks", headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("「完成时限」日期无效"))
            #expect(html.contains("value=\"党政办\""))
            #expect(html.contains("value=\"李四\""))
            let good =
                "_csrf=\(session.csrfToken)&measure=%E6%8E%AA%E6%96%BD&kind=scheduled&deadline=2026-12-31&leadUnit=x&assignee=%E6%9D%8E%E5%9B%9B"
            let saved = try await world.app.testing().sendRequest(
                .POST, "/problems/\(s.problem.id)/tasks", headers: headers, body: ByteBuffer(string: good))
            #expect(saved.status == .seeOther)
            #expect(try await world.store.problemDetail(s.problem.id).tasks.count == 2)
        }
    }

    @Test func aForgedUnitInASourceFormIsRefusedAndNothingIsStored() async throws {
        try await APIWorld.with { world in
            let session = try await world.store.createSession(userID: world.users[.clerk]!.id, kind: "t", lifetime: 600)
            var headers = HTTPHeaders()
            headers.cookie = HTTPCookies(dictionaryLiteral: ("zg_session", .init(string: session.token)))
            headers.contentType = .urlEncodedForm
            let body =
                "_csrf=\(session.csrfToken)&kind=audit&unitID=\(world.county.sibling.id)&title=t&issuer=i&feedbackDate=2026-10-01"
            let response = try await world.app.testing().sendRequest(
                .POST, "/sources/new", headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .forbidden)
            #expect(try await world.store.sources(in: .everything).isEmpty)
        }
    }

    @Test func theLoginFormSetsTheSessionAndSendsTheUserOnOnlyWithinTheSite() async throws {
        try await APIWorld.with { world in
            // The form first: it sets the pre-session token cookie and puts the same token in the form.
            let form = try await world.app.testing().sendRequest(.GET, "/login")
            let cookie = try #require(form.headers.setCookie?[LoginPage.formCookie]?.string)
            #expect(form.body.string.contains("name=\"_csrf\" value=\"\(cookie)\""))
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            headers.cookie = HTTPCookies(dictionaryLiteral: (LoginPage.formCookie, .init(string: cookie)))
            let good = try await world.app.testing().sendRequest(
                .POST, "/login", headers: headers,
                body: ByteBuffer(
                    string: "username=clerk&password=\(APIWorld.password)&_csrf=\(cookie)&next=//evil.example/x"))
            #expect(good.status == .seeOther)
            #expect(good.headers.first(name: .location) == "/")
            #expect(good.headers.first(name: .setCookie)?.contains("HttpOnly") == true)
            let bad = try await world.app.testing().sendRequest(
                .POST, "/login", headers: headers,
                body: ByteBuffer(string: "username=clerk&password=nope&_csrf=\(cookie)&next=/"))
            #expect(bad.status == .unauthorized)
            #expect(bad.body.string.contains("用户名或密码错误"))
            #expect(bad.body.string.contains("value=\"clerk\""))
            // A form posted from elsewhere has no token: refused before the password is looked at.
            var forged = HTTPHeaders()
            forged.contentType = .urlEncodedForm
            let csrf = try await world.app.testing().sendRequest(
                .POST, "/login", headers: forged,
                body: ByteBuffer(string: "username=clerk&password=\(APIWorld.password)"))
            #expect(csrf.status == .forbidden)
            #expect(csrf.headers.first(name: .setCookie)?.contains("zg_session") != true)
            // The JSON login takes JSON only: text/plain, which a form elsewhere can send, is refused.
            var plain = HTTPHeaders()
            plain.contentType = .plainText
            let text = try await world.app.testing().sendRequest(
                .POST, "/api/v1/login", headers: plain,
                body: ByteBuffer(string: #"{"username":"clerk","password":"\#(APIWorld.password)"}"#))
            #expect(text.status == .unsupportedMediaType)
        }
    }

    /// `next` keeps only a path of this site: a tab or a CR/LF never reaches a header.
    @Test(arguments: [
        "/\t/evil.example", "//evil.example", "https://evil.example", "/%0D%0ASet-Cookie:x=1", "/a\r\nb", "/\\evil",
    ])
    func aNextOutsideTheSiteFallsBackHome(next: String) {
        let kept = LoginPage.safeNext(next)
        #expect(kept.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F })
        #expect(!kept.contains("\\"))
        #expect(!LoginPage.safeNext(next).contains("\t") && !LoginPage.safeNext(next).contains("\r"))
        #expect(!LoginPage.safeNext(next).hasPrefix("//"))
    }
}
