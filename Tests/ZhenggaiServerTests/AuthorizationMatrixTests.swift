import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// Calls every route as every role, inside and outside the role's subtree, and compares each answer with
/// docs/permissions.md. Every role is held at the township T; "inside" targets sit in its village V (below
/// T, so the superior-secretary rule applies), "outside" targets in the sibling township S.
@Suite struct AuthorizationMatrixTests {
    struct Row {
        var method: String
        var path: String
        var action: String
        var scoped: Bool
        /// Acts on the top of the tree (the national calendar, the jobs): "inside" is the county.
        var top: Bool
        var marks: [Role: String]
    }

    static func documentedRows() throws -> [Row] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/permissions.md"), encoding: .utf8)
        let roles: [Role] = [.admin, .inspector, .supervisor, .secretary, .leader, .clerk]
        return text.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count == 12, ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(cells[1]) else { return nil }
            var marks: [Role: String] = [:]
            for (index, role) in roles.enumerated() { marks[role] = cells[5 + index] }
            return Row(
                method: cells[1], path: cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`")),
                action: cells[3], scoped: cells[4] == "单位", top: cells[4].hasPrefix("最上级"), marks: marks)
        }
    }

    @Test func everyRouteIsDocumentedWithItsAction() throws {
        let rows = try Self.documentedRows()
        let documented = Set(rows.map { "\($0.method) \($0.path)" })
        let routes = Set(SiteRoute.allCases.filter { $0 != .apiLogin }.map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented == routes)
        for route in SiteRoute.allCases where route != .apiLogin {
            let row = rows.first { $0.method == route.method.rawValue && $0.path == route.path }
            #expect(row?.action == (route.action.map { "`\($0.rawValue)`" } ?? "—"), "\(route)")
        }
    }

    /// Every link the site builds comes from the table, with each placeholder filled.
    @Test func everyRouteBuildsItsLink() {
        let id = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!
        for route in SiteRoute.allCases {
            let values = route.parameters.map { _ in id }
            let link = route.link(values: values)
            #expect(!link.contains("{"), "\(route)")
            #expect(link.hasPrefix("/"))
            #expect(link == "/" || link.split(separator: "/").count == route.path.split(separator: "/").count)
        }
        #expect(
            SiteRoute.problem.link(id, query: [("q", "白条&现金")])
                == "/problems/\(id)?q=%E7%99%BD%E6%9D%A1%26%E7%8E%B0%E9%87%91")
    }

    struct Targets {
        var unit: UnitNode
        var user: User
        var source: Source
        var problem: Problem
        var task: RectificationTask
        var evidence: Evidence
        var progress: ProgressEntry
        var channel: MessageChannel
        var pressing: Pressing
        var publication: Publication
        var appeal: Appeal
        var appealFile: AppealFile
    }

    static func targets(_ world: APIWorld, in unit: UnitNode, parent: UnitNode, leader: User) async throws -> Targets {
        let store = world.store
        let clerk = try await world.county.user(store, "c_\(unit.id.uuidString.prefix(8))", .clerk, at: unit)
        let source = try await store.createSource(
            NewSource(
                kind: .inspection, title: "反馈", issuer: "巡察组", round: 1, unitID: parent.id,
                feedbackDate: TestStores.today),
            by: AuditActor(clerk))
        let problem = try await store.createProblem(
            NewProblem(sourceID: source.id, unitID: unit.id, text: "问题", categoryCode: "A1"), by: AuditActor(clerk))
        let task = try await store.createTask(
            problemID: problem.id,
            TaskFields(
                measure: "措施", kind: .scheduled, leaderID: leader.id, leadUnit: "办", assignee: "甲",
                deadline: TestStores.today),
            by: AuditActor(clerk))
        let evidence = try await store.addEvidence(
            problemID: problem.id, taskID: task.id, fileName: "a.pdf", data: Fixtures.pdf, by: AuditActor(clerk))
        let progress = try await store.addProgress(
            taskID: task.id, date: TestStores.today, text: "进展", by: AuditActor(clerk))
        let channel = try await store.addChannel(
            unitID: unit.id, kind: .wecom, target: "https://robot.example.invalid/send?key=k", secret: nil,
            by: .commandLine)
        let pressing = try await store.createPressing(
            NewPressing(
                kind: .order, problemID: problem.id, text: "请限期报送", answerDue: TestStores.today.adding(days: 7)),
            by: .commandLine)
        let publication = try await Publishing.prepare(.init(sourceID: source.id), store: store, by: .commandLine)
        try await store.saveAppealCategory(
            AppealCategory(code: "T1", name: "测试", description: "", keywords: "", group: ""), by: .commandLine)
        let registered = try await store.registerAppeal(
            NewAppeal(
                channel: .phone, kind: .help, category: "T1", areaID: unit.id, place: "", text: "测试诉求",
                personName: "某人",
                personPhone: ""), by: .commandLine)
        let appeal = try await AppealDesk.dispatch(registered.id, to: unit.id, store: store, by: .commandLine)
        let files = try await store.addAppealFiles(
            appeal.id, [FileUpload(name: "现场.pdf", data: Fixtures.pdf)], by: AuditActor(clerk))
        return Targets(
            unit: unit, user: clerk, source: source, problem: problem, task: task, evidence: evidence,
            progress: progress, channel: channel, pressing: pressing, publication: publication, appeal: appeal,
            appealFile: files[0])
    }

    func request(_ route: SiteRoute, _ t: Targets) -> (String, String?) {
        let p =
            route.path
            .replacingOccurrences(of: "{unitID}", with: t.unit.id.uuidString)
            .replacingOccurrences(of: "{userID}", with: t.user.id.uuidString)
            .replacingOccurrences(of: "{sourceID}", with: t.source.id.uuidString)
            .replacingOccurrences(of: "{problemID}", with: t.problem.id.uuidString)
            .replacingOccurrences(of: "{taskID}", with: t.task.id.uuidString)
            .replacingOccurrences(of: "{evidenceID}", with: t.evidence.id.uuidString)
            .replacingOccurrences(of: "{progressID}", with: t.progress.id.uuidString)
            .replacingOccurrences(of: "{channelID}", with: t.channel.id.uuidString)
            .replacingOccurrences(of: "{pressingID}", with: t.pressing.id.uuidString)
            .replacingOccurrences(of: "{publicationID}", with: t.publication.id.uuidString)
            .replacingOccurrences(of: "{appealID}", with: t.appeal.id.uuidString)
            .replacingOccurrences(of: "{appealFileID}", with: t.appealFile.id.uuidString)
            .replacingOccurrences(of: "{cadence}", with: "quarterly")
            .replacingOccurrences(
                of: "{start}", with: ReportPeriod.containing(TestStores.today, .quarter).start.iso)
            + ([.periods, .period, .periodExport].contains(route) ? "?unit=\(t.unit.id.uuidString)" : "")
            .replacingOccurrences(of: "{matchID}", with: t.problem.id.uuidString)
            .replacingOccurrences(of: "{code}", with: "E1")
        let unit = t.unit.id.uuidString
        let taskBody = """
            {"version":\(t.task.version),"measure":"措施","kind":"scheduled","leaderID":"\(t.task.leaderID!)",\
            "leadUnit":"办","assignee":"甲","deadline":"2026-12-31"}
            """
        let body: String? =
            switch route {
            case .apiCreateUnit:
                #"{"name":"新村\#(UUID().uuidString.prefix(6))","kind":"village","parentID":"\#(t.unit.id)"}"#
            case .apiCreateUser:
                #"{"username":"u\#(UUID().uuidString.prefix(6))","displayName":"新","password":"Pass-2026-ok","grants":[{"role":"clerk","unitID":"\#(unit)"}]}"#
            case .apiSaveCategory: #"{"code":"E1","name":"测试类别","group":"测试"}"#
            case .apiCreateSource:
                #"{"kind":"selfCheck","title":"自查","issuer":"党委","unitID":"\#(unit)","feedbackDate":"2026-10-01"}"#
            case .apiCreateProblem:
                #"{"sourceID":"\#(t.source.id)","unitID":"\#(unit)","text":"新问题","categoryCode":"A1"}"#
            case .apiUpdateProblem: #"{"version":\#(t.problem.version),"text":"改"}"#
            case .apiCreateTask, .apiUpdateTask: taskBody
            case .apiCompleteTask: #"{"version":\#(t.task.version)}"#
            case .apiAddProgress: #"{"text":"进展"}"#
            case .apiRequestClosure: #"{"statement":"已完成"}"#
            case .apiFirstReview, .apiSecondReview: #"{"decision":"approve"}"#
            case .apiReopen: #"{"reason":"回头看"}"#
            // Page forms, url-encoded: where the form names the unit, the gate reads it from the body.
            case .sourceCreate:
                "kind=selfCheck&title=%E8%87%AA%E6%9F%A5&issuer=x&unitID=\(unit)&feedbackDate=2026-10-01"
            case .adminUnitCreate: "name=%E6%96%B0%E6%9D%91\(UUID().uuidString.prefix(6))&kind=village&parentID=\(unit)"
            case .adminUserCreate:
                "username=p\(UUID().uuidString.prefix(6))&displayName=x&password=Pass-2026-ok&role=clerk&unitID=\(unit)"
            case .reportCreate: "kind=progress&source=\(t.source.id)&unit=\(unit)"
            case .adminUnitMove: "parentID=\(t.source.unitID)"
            case .adminUserGrant: "role=clerk&unitID=\(unit)"
            case .adminUserRevoke: "role=clerk&unitID=\(unit)"
            case .adminPersonCreate: "name=p\(UUID().uuidString.prefix(6))&unitID=\(unit)"
            case .apiAddGrant: #"{"role":"leader","unitID":"\#(unit)"}"#
            case .apiChangePassword: #"{"current":"wrong","new":"another-pass-2026"}"#
            case .adminChannelCreate: "unitID=\(unit)&kind=wecom&webhook=https%3A%2F%2Frobot.example.invalid%2Fx"
            case .pressingCreate: "kind=talk&text=%E7%BA%A6%E8%B0%88&talkDate=\(TestStores.today.iso)&participants=x"
            case .pressingAnswer: "answer=%E5%B7%B2%E5%8A%9E%E7%90%86"
            case .apiCreatePressing:
                #"{"kind":"talk","text":"约谈","talkDate":"\#(TestStores.today.iso)","participants":"x"}"#
            case .apiAnswerPressing: #"{"answer":"已办理"}"#
            case .adminCalendarSet: "date=2027-02-06&kind=holiday&name=%E6%98%A5%E8%8A%82"
            case .adminCalendarYear: "year=2027"
            case .publicationCodes: "count=3"
            case .publicationLinks: "label=%E6%9D%91%E6%B0%91%E7%BE%A4&until=\(TestStores.today.adding(days: 30).iso)"
            case .appealRegister: "areaID=\(unit)&channel=phone&kind=help&category=T1&text=%E8%AF%89%E6%B1%82"
            case .appealManage: "step=close"
            case .appealHandle: "step=progress&note=%E5%8A%9E%E7%90%86"
            case .appealPress:
                "kind=order&text=%E7%9D%A3%E5%8A%9E&answerDue=\(TestStores.today.adding(days: 5).iso)"
            case .publicationWithdraw: "reason=%E6%B5%8B%E8%AF%95"
            default: nil
            }
        return (p, body)
    }

    @Test func everyRouteAnswersAsThePermissionsDocumentSays() async throws {
        let rows = Dictionary(uniqueKeysWithValues: try Self.documentedRows().map { ("\($0.method) \($0.path)", $0) })
        try await APIWorld.with { world in
            var callers: [Role: User] = [:]
            var countyCallers: [Role: User] = [:]
            for role in Role.allCases {
                callers[role] = try await world.county.user(
                    world.store, "m_\(role.rawValue)", role, at: world.county.township)
                countyCallers[role] = try await world.county.user(
                    world.store, "mc_\(role.rawValue)", role, at: world.county.county)
            }
            let inside = try await Self.targets(
                world, in: world.county.village, parent: world.county.township, leader: callers[.leader]!)
            // A 责任领导 is a person of the inspected unit, so the other township's task has its own.
            let outsideLeader = try await world.county.user(
                world.store, "m_leader_outside", .leader, at: world.county.sibling)
            let outside = try await Self.targets(
                world, in: world.county.sibling, parent: world.county.sibling, leader: outsideLeader)
            for route in SiteRoute.allCases where route.access != .open {
                let row = try #require(rows["\(route.method.rawValue) \(route.path)"])
                for role in Role.allCases {
                    for (where_, t) in [("inside", inside), ("outside", outside)] {
                        if where_ == "outside" && !row.scoped { continue }
                        let allowed = where_ == "inside" && row.marks[role] != "—"
                        // The top of the tree is reached from the county; a township's admin is refused there.
                        let caller = row.top ? countyCallers[role]! : callers[role]!
                        let token = try await world.store.createSession(
                            userID: caller.id, kind: "test", lifetime: 600
                        ).token
                        let (path, body) = request(route, t)
                        let response: TestingHTTPResponse
                        if [.apiUploadEvidence, .evidenceUpload, .appealFiles].contains(route) {
                            var headers = HTTPHeaders()
                            headers.bearerAuthorization = .init(token: token)
                            headers.contentType = HTTPMediaType(
                                type: "multipart", subType: "form-data", parameters: ["boundary": "b"])
                            var buffer = ByteBuffer()
                            buffer.writeString(
                                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n\r\n")
                            buffer.writeBytes(Fixtures.pdf)
                            buffer.writeString("\r\n--b--\r\n")
                            response = try await world.app.testing().sendRequest(
                                route.method, path, headers: headers, body: buffer)
                        } else if route.isAPI {
                            response = try await world.call(route.method, path, as: nil, json: body, token: token)
                        } else {
                            var headers = HTTPHeaders()
                            headers.contentType = .urlEncodedForm
                            response = try await world.call(
                                route.method, path, as: nil, token: token, headers: headers, body: body ?? "")
                        }
                        let label = "\(route.method.rawValue) \(route.path) as \(role.rawValue) \(where_)"
                        if allowed {
                            #expect(
                                ![401, 403].contains(response.status.code),
                                "\(label): \(response.status) \(response.errorMessage)")
                            #expect(response.status.code < 500, "\(label): \(response.status)")
                        } else {
                            #expect(response.status == .forbidden, "\(label): \(response.status)")
                        }
                    }
                }
                let anonymous = try await world.call(route.method, request(route, inside).0, as: nil)
                // The API answers 401; a page sends the visitor to the login form, a form post gets the 401 page.
                let expected: HTTPResponseStatus = !route.isAPI && route.method == .GET ? .seeOther : .unauthorized
                #expect(anonymous.status == expected, "\(route.path) without a session")
            }
        }
    }

    @Test func listsOnlyShowWhatIsInScope() async throws {
        try await APIWorld.with { world in
            let inspector = world.users[.inspector]!
            _ = try await world.county.source(world.store, by: inspector, at: world.county.township)
            _ = try await world.county.source(world.store, by: inspector, at: world.county.sibling)
            let clerkSees = try await world.call(.GET, "/api/v1/sources", as: .clerk)
            let list = (try JSONSerialization.jsonObject(with: Data(buffer: clerkSees.body))) as? [[String: Any]] ?? []
            #expect(list.count == 1)
            #expect(list.first?["unitID"] as? String == world.county.township.id.uuidString)
            let foreign = try await world.call(.GET, "/api/v1/ledger?unit=\(world.county.sibling.id)", as: .clerk)
            #expect(foreign.status == .forbidden)
        }
    }
}
