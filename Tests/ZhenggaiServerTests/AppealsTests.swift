import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// The appeals desk end to end: the loop per kind with its working-day limit, a dispute and re-dispatch, a
/// reopening, 并单, the step into the ledger and back, the month's figures, and Open311 in JSON and XML.
@Suite(.serialized) struct AppealsTests {
    struct Desk {
        var store: Store
        var county: TestCounty
        var clerk: AuditActor
        var department: UnitNode
    }

    static func with(_ day: LocalDate, _ body: (Desk) async throws -> Void) async throws {
        try await TestStores.withStore(clock: FixedClock(day.date.addingTimeInterval(9 * 3600))) { store in
            let county = try await TestCounty.make(in: store)
            let department = try await store.createUnit(
                name: "县住建局", kind: .department, parentID: county.county.id, by: .commandLine)
            for (code, name) in [("HJWS", "环境卫生"), ("NCJF", "农村建房")] {
                try await store.saveAppealCategory(
                    AppealCategory(code: code, name: name, description: name, keywords: name, group: "测试"),
                    by: .commandLine)
            }
            try await store.setAppealRoute(
                category: "HJWS", areaID: county.township.id, departmentID: county.township.id, by: .commandLine)
            try await store.setAppealRoute(category: "NCJF", areaID: nil, departmentID: department.id, by: .commandLine)
            let clerk = AuditActor(try await county.user(store, "qs_clerk", .clerk, at: county.township))
            try await body(Desk(store: store, county: county, clerk: clerk, department: department))
        }
    }

    static func new(_ desk: Desk, _ kind: Appeal.Kind, _ category: String, _ text: String) -> NewAppeal {
        NewAppeal(
            channel: .phone, kind: kind, category: category, areaID: desk.county.village.id, place: "村口",
            text: text, personName: "王大爷", personPhone: "13900001111")
    }

    /// Registered on 中秋 2026-09-25: limits count working days from the next, across 国庆 (10-01 to 10-07 off,
    /// Saturday 10-10 worked): 10 working days end on 10-15, 15 on 10-22.
    @Test(arguments: [
        (Appeal.Kind.consultation, "2026-09-29"), (.help, "2026-10-15"), (.complaint, "2026-10-22"),
        (.report, "2026-10-22"), (.suggestion, "2026-10-15"),
    ])
    func theLoopForEachKindCountsWorkingDays(kind: Appeal.Kind, due: String) async throws {
        try await Self.with(LocalDate(year: 2026, month: 9, day: 25)!) { desk in
            let store = desk.store
            let appeal = try await AppealDesk.register(
                Self.new(desk, kind, "HJWS", "垃圾池没人清运"), store: store, by: desk.clerk)
            #expect(appeal.status == .dispatched && appeal.departmentName == "青山镇")
            #expect(appeal.dueOn == LocalDate(iso: due), "\(kind)")
            _ = try await AppealDesk.progress(appeal.id, note: "已安排清运", store: store, by: desk.clerk)
            _ = try await AppealDesk.answer(appeal.id, text: "已清运，并每周清运一次", store: store, by: desk.clerk)
            let closed = try await AppealDesk.close(appeal.id, store: store, by: desk.clerk)
            #expect(closed.status == .closed)
            let visited = try await AppealDesk.visit(
                appeal.id, level: .verySatisfied, reason: "", reopen: false, store: store, by: desk.clerk)
            #expect(visited.satisfaction == 5)
            let history = try await store.appealEvents(appeal.id).map(\.kind)
            #expect(history == ["register", "dispatch", "progress", "answer", "close", "visit"])
        }
    }

    @Test func disputedReroutedReopenedMergedAndIntoTheLedger() async throws {
        try await Self.with(LocalDate(year: 2026, month: 11, day: 2)!) { desk in
            let store = desk.store
            // Sent by the table to the county's 住建局, which disputes it; the dispatcher sends it to the town.
            let house = try await AppealDesk.register(
                Self.new(desk, .help, "NCJF", "危房翻建审批没有结果"), store: store, by: desk.clerk)
            #expect(house.departmentID == desk.department.id)
            await #expect(throws: StoreError.self) {
                try await AppealDesk.dispute(house.id, reason: " ", store: store, by: desk.clerk)
            }
            let disputed = try await AppealDesk.dispute(house.id, reason: "审批在镇里", store: store, by: desk.clerk)
            #expect(disputed.status == .disputed)
            let rerouted = try await AppealDesk.dispatch(
                house.id, to: desk.county.township.id, store: store, by: desk.clerk)
            #expect(rerouted.status == .dispatched && rerouted.departmentName == "青山镇")

            // Dissatisfied for cause: the same department again, with a new limit.
            _ = try await AppealDesk.answer(house.id, text: "已受理审批", store: store, by: desk.clerk)
            _ = try await AppealDesk.close(house.id, store: store, by: desk.clerk)
            let reopened = try await AppealDesk.visit(
                house.id, level: .dissatisfied, reason: "只说受理了，没有结果", reopen: true, store: store, by: desk.clerk)
            #expect(reopened.status == .dispatched && reopened.reopened == 1 && reopened.satisfaction == 2)

            // 并单: the engine proposes the earlier appeal; merged ones get the answer and close with it.
            let first = try await AppealDesk.register(
                Self.new(desk, .complaint, "HJWS", "石门村垃圾池长期未清运，夏天臭味严重"), store: store, by: desk.clerk)
            let second = try await AppealDesk.register(
                Self.new(desk, .complaint, "HJWS", "石门村的垃圾池长期没人清运，臭味严重"), store: store, by: desk.clerk)
            let candidates = try await AppealDesk.mergeCandidates(for: second, store: store)
            #expect(candidates.first?.appeal.id == first.id)
            _ = try await AppealDesk.merge(second.id, into: first.id, store: store, by: desk.clerk)
            _ = try await AppealDesk.answer(first.id, text: "已清运", store: store, by: desk.clerk)
            _ = try await AppealDesk.close(first.id, store: store, by: desk.clerk)
            let merged = try await store.appeal(second.id)
            #expect(merged.status == .merged && merged.answer == "已清运" && merged.closedAt != nil)

            // Into the ledger: a problem in the town's 「群众诉求」 source; closing it answers the appeal.
            let many = try await AppealDesk.register(
                Self.new(desk, .complaint, "HJWS", "污水直排河道"), store: store, by: desk.clerk)
            let problem = try await AppealDesk.toProblem(
                [many.id], text: "村庄污水直排问题群众反映集中", categoryCode: "B6", store: store, by: desk.clerk)
            #expect(try await store.appeal(many.id).problemID == problem.id)
            #expect(try await store.source(problem.sourceID).kind == .appeals)
            #expect(problem.number.hasPrefix("QZ"))

            // The month: 4 received appeals, figures only from 5 up (the county's minimum), so rates are "—".
            let month = try await AppealStatistics.compute(month: "2026-11", scope: .everything, store: store)
            #expect(month.total.received == 4 && month.total.accepted == 3)
            #expect(month.total.onTimeRate == "—")
        }
    }

    @Test func open311InJsonAndXmlUpToClosedWithNotes() async throws {
        try await Self.with(LocalDate(year: 2026, month: 11, day: 2)!) { desk in
            let store = desk.store
            let key = try await store.addOpen311Key(name: "12345热线", by: .commandLine)
            let settings = AppConfiguration(store: store.configuration, bcryptCost: 4)
            try await withApp(configure: { app in
                app.logger.logLevel = .error
                ZhenggaiApp.configure(app, settings: settings, store: store)
            }) { app in
                for format in ["json", "xml"] {
                    var headers = HTTPHeaders()
                    headers.contentType = .urlEncodedForm
                    let posted = try await app.testing().sendRequest(
                        .POST, "/open311/v2/requests.\(format)", headers: headers,
                        body: ByteBuffer(
                            string: "api_key=\(key.key)&service_code=HJWS&address_string=%E7%9F%B3%E9%97%A8%E6%9D%91"
                                + "&description=%E5%9E%83%E5%9C%BE&first_name=Test&phone=13911112222&attribute%5Bkind%5D=complaint"
                        ))
                    #expect(posted.status == .ok, "\(format)")
                    let body = String(buffer: posted.body)
                    #expect(!body.contains("13911112222") && !body.contains("Test"))
                    let token = try #require(body.firstMatch(of: /[0-9a-f]{8}-[0-9a-f-]{27}/).map { String($0.0) })
                    let polled = String(
                        buffer: try await app.testing().sendRequest(.GET, "/open311/v2/tokens/\(token).\(format)").body)
                    let number = try #require(polled.firstMatch(of: /SQ2026-\d{5}/).map { String($0.0) })
                    let appeal = try #require(try await store.appeal(number: number))
                    #expect(
                        appeal.areaName == "石门村" && appeal.kind == .complaint && appeal.personPhone == "13911112222")
                    _ = try await AppealDesk.answer(
                        appeal.id, text: "已清运，联系人电话13800001234", store: store, by: desk.clerk)
                    _ = try await AppealDesk.close(appeal.id, store: store, by: desk.clerk)
                    let read = String(
                        buffer: try await app.testing().sendRequest(.GET, "/open311/v2/requests/\(number).\(format)")
                            .body)
                    #expect(read.contains("closed") && read.contains("已办结：已清运"), "\(read)")
                    #expect(!read.contains("13800001234") && !read.contains("13911112222"))
                }
                let wrong = try await app.testing().sendRequest(.GET, "/open311/v2/services.yaml")
                #expect(wrong.status == .badRequest && String(buffer: wrong.body).hasPrefix("<?xml"))
                // The public month page shows nothing until the month is published, as an act.
                let before = String(
                    buffer: try await app.testing().sendRequest(.GET, "/public/appeals?month=2026-11").body)
                #expect(before.contains("本月办理情况尚未公布") && !before.contains("按时响应率 ="))
                #expect(
                    try await app.testing().sendRequest(.GET, "/public/appeals?month=2026-11&format=docx").status
                        == .notFound)
                let first = try await AppealReports.publish(month: "2026-11", store: store, by: .commandLine)
                #expect(first.version == 1 && first.isCurrent)
                // Figures, never a person or an appeal's words.
                let page = String(
                    buffer: try await app.testing().sendRequest(.GET, "/public/appeals?month=2026-11").body)
                #expect(page.contains("群众诉求办理情况") && !page.contains("王大爷") && !page.contains("垃圾"))
                #expect(page.contains("第 1 版") && !page.contains("命令行"))  // dates only, no publisher's name
                // The month's 通报 as a Word file, from the public page: the same figures, no person either.
                #expect(page.contains("format=docx"))
                let file = try await app.testing().sendRequest(.GET, "/public/appeals?month=2026-11&format=docx")
                #expect(file.status == .ok)
                #expect(file.headers.contentType?.description.contains("wordprocessingml") == true)
                let text = try DocxReader.read(Data(buffer: file.body), fileName: "t.docx").plainText
                #expect(text.contains("2026年11月群众诉求办理情况通报") && text.contains("按时响应率"), "\(text)")
                #expect(!text.contains("王大爷") && !text.contains("13911112222") && !text.contains("垃圾"))

                // The published figures stay as published while the desk works on; a correction is version 2,
                // and version 1 stays readable, marked corrected.
                let published = try AppealReports.statistics(of: first)
                _ = try await AppealDesk.register(
                    Self.new(desk, .help, "HJWS", "路灯不亮"), store: store, by: desk.clerk)
                let unchanged = try AppealReports.statistics(
                    of: try await store.appealMonthReports(month: "2026-11")[0])
                #expect(unchanged == published)
                let second = try await AppealReports.publish(month: "2026-11", store: store, by: .commandLine)
                #expect(second.version == 2)
                #expect(try AppealReports.statistics(of: second).total.received == published.total.received + 1)
                let old = String(
                    buffer: try await app.testing().sendRequest(.GET, "/public/appeals?month=2026-11&version=1").body)
                #expect(old.contains("已更正"), "\(old)")
                // Withdrawn: off the public page, recorded in the audit log.
                try await store.withdrawAppealMonth(month: "2026-11", by: .commandLine)
                let gone = String(
                    buffer: try await app.testing().sendRequest(.GET, "/public/appeals?month=2026-11").body)
                #expect(gone.contains("本月办理情况尚未公布"))
                let log = try await store.auditLog(in: .everything, try AuditQuery(after: 0, limit: 1_000))
                #expect(
                    log.filter { $0.action.hasPrefix("appeal.month.") }.map(\.action) == [
                        "appeal.month.publish", "appeal.month.publish", "appeal.month.withdraw",
                    ])
                await #expect(throws: StoreError.self) {
                    _ = try await AppealReports.publish(month: "2027-01", store: store, by: .commandLine)
                }
            }
        }
    }

    /// A multipart body with form fields and files, as the browser sends the register and upload forms.
    static func multipart(_ fields: [(String, String)], files: [(String, Data)]) -> (HTTPHeaders, ByteBuffer) {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": "zz"])
        var buffer = ByteBuffer()
        for (name, value) in fields {
            buffer.writeString("--zz\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (name, data) in files {
            buffer.writeString(
                "--zz\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"\(name)\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n")
            buffer.writeBytes(data)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--zz--\r\n")
        return (headers, buffer)
    }

    /// Requirement 1's rest: files at 受理 and while handling (a bad one stores none, and no appeal), 首接负责制
    /// (one lead answers, assisting departments see and report but cannot answer), and 督办 of a late appeal
    /// by the supervisor, answered by the lead department and shown in the 督查清单's pressings.
    @Test func filesAssistingDepartmentsAndPressingALateAppeal() async throws {
        let clock = MutableClock(LocalDate(year: 2026, month: 11, day: 2)!.date.addingTimeInterval(9 * 3600))
        try await TestStores.withStore(clock: clock) { store in
            let county = try await TestCounty.make(in: store)
            try await store.saveAppealCategory(
                AppealCategory(code: "HJWS", name: "环境卫生", description: "", keywords: "", group: "测试"),
                by: .commandLine)
            let housing = try await store.createUnit(
                name: "县住建局", kind: .department, parentID: county.county.id, by: .commandLine)
            let water = try await store.createUnit(
                name: "县水利局", kind: .department, parentID: county.county.id, by: .commandLine)
            let hash = Passwords.hash("Pass-2026-ok", cost: 4)
            var tokens: [String: String] = [:]
            for (name, role, unit) in [
                ("desk", Role.clerk, county.township), ("lead", .clerk, housing), ("assist", .clerk, water),
                ("sup", .supervisor, county.county), ("other", .clerk, county.sibling),
            ] {
                let user = try await county.user(store, name, role, at: unit, passwordHash: hash)
                tokens[name] = try await store.createSession(userID: user.id, kind: "test", lifetime: 60 * 86_400).token
            }
            let settings = AppConfiguration(store: store.configuration, bcryptCost: 4)
            try await withApp(configure: { app in
                app.logger.logLevel = .error
                ZhenggaiApp.configure(app, settings: settings, store: store)
            }) { app in
                func send(
                    _ method: HTTPMethod, _ path: String, as who: String, form: String? = nil,
                    multipart: (HTTPHeaders, ByteBuffer)? = nil
                ) async throws -> TestingHTTPResponse {
                    var headers = multipart?.0 ?? HTTPHeaders()
                    headers.bearerAuthorization = .init(token: tokens[who]!)
                    var body = multipart?.1
                    if let form {
                        headers.contentType = .urlEncodedForm
                        body = ByteBuffer(string: form)
                    }
                    return try await app.testing().sendRequest(method, path, headers: headers, body: body)
                }
                let fields = [
                    ("channel", "walkIn"), ("kind", "help"), ("category", "HJWS"),
                    ("areaID", county.village.id.uuidString), ("text", "村口排水沟堵塞，雨天积水进屋"),
                    ("personName", "李大姐"), ("personPhone", "13800002222"),
                ]
                // A renamed executable among the photos: nothing is registered, the form says which file.
                let refused = try await send(
                    .POST, "/appeals", as: "desk",
                    multipart: Self.multipart(
                        fields, files: [("现场.pdf", Fixtures.pdf), ("照片.jpg", Data("MZ\u{90}".utf8))]))
                #expect(refused.status == .unprocessableEntity)
                #expect(String(buffer: refused.body).contains("照片.jpg"))
                #expect(try await store.appeals(in: .everything).isEmpty)

                let registered = try await send(
                    .POST, "/appeals", as: "desk",
                    multipart: Self.multipart(fields, files: [("现场.pdf", Fixtures.pdf)]))
                #expect(registered.status == .seeOther)
                let appeal = try #require(try await store.appeals(in: .everything).first)
                #expect(try await store.appealFiles(appeal.id).map(\.stage) == [.register])

                // 首接负责制: 住建局 leads, 水利局 assists.
                let dispatched = try await send(
                    .POST, "/appeals/\(appeal.id)/manage", as: "desk",
                    form: "step=dispatch&departmentID=\(housing.id)&assist=\(water.id)&assist=\(housing.id)")
                #expect(dispatched.status == .seeOther)
                #expect(try await store.appealAssists(appeal.id).map(\.departmentName) == ["县水利局"])
                let assistList = String(buffer: try await send(.GET, "/appeals", as: "assist").body)
                #expect(assistList.contains(appeal.number))
                #expect(!String(buffer: try await send(.GET, "/appeals", as: "other").body).contains(appeal.number))
                let assistPage = String(buffer: try await send(.GET, "/appeals/\(appeal.id)", as: "assist").body)
                #expect(assistPage.contains("协办情况") && !assistPage.contains("答复内容"))
                #expect(assistPage.contains("现场.pdf"))
                let fileID = try await store.appealFiles(appeal.id)[0].id
                #expect(try await send(.GET, "/appeal-files/\(fileID)", as: "assist").status == .ok)
                #expect(try await send(.GET, "/appeal-files/\(fileID)", as: "other").status == .forbidden)
                #expect(
                    try await send(
                        .POST, "/appeals/\(appeal.id)/handle", as: "assist", form: "step=progress&note=已派员疏通上游涵洞"
                    ).status == .seeOther)
                #expect(
                    try await send(.POST, "/appeals/\(appeal.id)/handle", as: "assist", form: "step=answer&text=已疏通")
                        .status == .forbidden)
                #expect(
                    try await send(
                        .POST, "/appeals/\(appeal.id)/files", as: "assist",
                        multipart: Self.multipart([], files: [("疏通后.pdf", Fixtures.pdf)])
                    ).status == .seeOther)
                #expect(try await store.appealFiles(appeal.id).map(\.stage) == [.register, .handling])

                // Three weeks on, unanswered: late. The supervisor presses it; the lead department answers.
                clock.advance(by: 21 * 86_400)
                let late = String(buffer: try await send(.GET, "/appeals?late=1", as: "sup").body)
                #expect(late.contains(appeal.number))
                #expect(
                    try await send(
                        .POST, "/appeals/\(appeal.id)/pressings", as: "desk",
                        form: "text=督办&answerDue=2026-11-30"
                    ).status == .forbidden)
                let pressed = try await send(
                    .POST, "/appeals/\(appeal.id)/pressings", as: "sup",
                    form: "kind=order&text=该诉求已超期，请限期办结&answerDue=2026-11-30")
                #expect(pressed.status == .seeOther)
                let press = try #require(try await store.pressings(ofAppeal: appeal.id).first)
                #expect(press.unitName == "县住建局" && press.appealNumber == appeal.number)
                let leadPage = String(buffer: try await send(.GET, "/appeals/\(appeal.id)", as: "lead").body)
                #expect(leadPage.contains("该诉求已超期，请限期办结") && leadPage.contains("提交反馈"))
                #expect(
                    try await send(.POST, "/pressings/\(press.id)/answer", as: "assist", form: "answer=x").status
                        == .forbidden)
                #expect(
                    try await send(.POST, "/pressings/\(press.id)/answer", as: "lead", form: "answer=已办结并答复")
                        .status == .seeOther)
                #expect(
                    try await send(.POST, "/appeals/\(appeal.id)/handle", as: "lead", form: "step=answer&text=已疏通排水沟")
                        .status == .seeOther)
                #expect(try await store.appeal(appeal.id).status == .answered)
                let audit = try await store.auditLog(in: .everything, try AuditQuery(after: 0, limit: 1_000))
                #expect(audit.contains { $0.action == "pressing.order" && $0.entity == "appeal" })
                #expect(audit.contains { $0.action == "appeal.file" })
            }
        }
    }

    /// The limits per kind are the county's (requirement 1: configurable): set on the rhythm page, checked
    /// there, and used by the next dispatch.
    @Test func theCountySetsItsAppealLimitsOnTheRhythmPage() async throws {
        try await APIWorld.with { world in
            let form = [
                "planDueWorkdays=15", "reportDueMonths=2", "counting=calendarDays", "greenDays=20", "yellowDays=10",
                "toldAtGreen=assignee", "toldAtYellow=leader", "toldAtRed=secretary", "digestHour=8", "stuckDays=14",
                "appealConsultation=2", "appealSuggestion=10", "appealComplaint=15", "appealReport=15",
                "appealUrgent=0", "appealMinimum=5", "ratingRuleEnabled=1", "ratingMinimum=10", "ratingThreshold=60",
                "ratingMaxVeryDissatisfied=5",
            ].joined(separator: "&")
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let refused = try await world.call(
                .POST, "/admin/rhythm", as: .inspector, headers: headers, body: form + "&appealHelp=0")
            #expect(refused.status == .unprocessableEntity)
            #expect(String(buffer: refused.body).contains("诉求办理时限"))
            let saved = try await world.call(
                .POST, "/admin/rhythm", as: .inspector, headers: headers, body: form + "&appealHelp=5")
            #expect(saved.status == .seeOther)
            let rules = try await world.store.rhythmSettings(at: world.county.village.path).settings
            #expect(rules.appealLimits.help == 5 && rules.appealLimits.consultation == 2)
            try await world.store.saveAppealCategory(
                AppealCategory(code: "QT", name: "其他", description: "", keywords: "", group: ""), by: .commandLine)
            let appeal = try await world.store.registerAppeal(
                NewAppeal(
                    channel: .phone, kind: .help, category: "QT", areaID: world.county.village.id, place: "",
                    text: "路灯不亮", personName: "", personPhone: ""), by: .commandLine)
            let dispatched = try await AppealDesk.dispatch(
                appeal.id, to: world.county.township.id, store: world.store, by: .commandLine)
            // Tuesday 2026-11-24 + 5 working days.
            #expect(dispatched.dueOn == LocalDate(year: 2026, month: 12, day: 1))
            let page = String(buffer: try await world.call(.GET, "/admin/rhythm", as: .inspector).body)
            #expect(page.contains("name=\"appealHelp\" type=\"number\" min=\"1\" max=\"60\" value=\"5\""))
            // SMS checks for group-link ratings need the county's SMS platform, which this server lacks.
            #expect(page.contains("尚未配置短信平台"))
            let noSMS = try await world.call(
                .POST, "/admin/rhythm", as: .inspector, headers: headers,
                body: form + "&appealHelp=5&ratingLinkNeedsSMS=1")
            #expect(noSMS.status == .unprocessableEntity)
            #expect(String(buffer: noSMS.body).contains("未配置短信平台（ZHENGGAI_SMS_URL）"))
            #expect(
                try await world.store.rhythmSettings(at: world.county.village.path).settings.ratingLinkNeedsSMS == false
            )
        }
    }
}
