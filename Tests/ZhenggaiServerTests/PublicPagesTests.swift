import Foundation
import SQLKit
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiDemo
import ZhenggaiOffice
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// The public side of the demo county, crawled as a resident would: no name, phone, ID or card number
/// planted in problems, progress or evidence appears anywhere public, an exempt item never appears, and a
/// code rates an item once per quarter.
@Suite(.serialized) struct PublicPagesTests {
    static let idNumber = "11010519491231002X"  // a valid check digit
    static let phone = "13812345678"
    static let plate = "鲁A12345"
    static let address = "幸福路12号3单元"
    static let secret = "测试用不予公开的专有表述"

    static func card() -> String {
        let body = "621700123456789012"
        for digit in 0...9 where Redactor.luhn(body + String(digit)) { return body + String(digit) }
        return body
    }

    /// The demo county, and 青山镇's clerk, secretary and inspection source.
    static func qingshan(_ store: Store) async throws -> (
        users: [User], clerk: AuditActor, secretary: AuditActor, source: Source
    ) {
        _ = try await Demo.load(into: store, password: "Demo-2026-pass", bcryptCost: 4)
        let users = try await store.users(in: .everything)
        let source = try #require(
            try await store.sources(in: .everything).first { $0.kind == .inspection && $0.unitName == "青山镇" })
        return (
            users, AuditActor(users.first { $0.username == "qs_jingban" }!),
            AuditActor(users.first { $0.username == "qs_shuji" }!), source
        )
    }

    @Test func aCrawlOfEveryPublicPageFindsNoPersonalDataAndNoExemptItem() async throws {
        try await TestStores.withStore { store in
            let (users, clerk, secretary, source) = try await Self.qingshan(store)
            // Personal data planted where a clerk might type it.
            let planted = try await store.createProblem(
                NewProblem(
                    sourceID: source.id,
                    text: "村民张经办反映低保审核不公，联系电话\(Self.phone)，身份证号\(Self.idNumber)，"
                        + "补贴打入银行卡\(Self.card())，车辆\(Self.plate)，住\(Self.address)。",
                    categoryCode: "B5"), by: clerk)
            let task = try await store.createTask(
                problemID: planted.id,
                TaskFields(
                    measure: "入户核查，联系人王书记（\(Self.phone)）", kind: .scheduled, leadUnit: "民政办", assignee: "张经办",
                    deadline: store.clock.today().adding(days: 30)), by: clerk)
            _ = try await store.addProgress(
                taskID: task.id, date: store.clock.today(), text: "已联系张经办，电话\(Self.phone)", by: clerk)
            _ = try await store.addEvidence(
                problemID: planted.id, taskID: task.id, fileName: "张经办\(Self.phone).pdf", data: Fixtures.pdf, by: clerk)
            let exempt = try await store.createProblem(
                NewProblem(sourceID: source.id, text: Self.secret, categoryCode: "A1"), by: clerk)
            let draft = try await Publishing.prepare(
                .init(sourceID: source.id, exemptions: [exempt.id: (.caseUnderInvestigation, "内部理由：案件在查")]),
                store: store, by: clerk)
            #expect(draft.internalNotes.masked.contains { $0.hasPrefix("电话 138") })
            #expect(draft.internalNotes.masked.contains { $0.hasPrefix("身份证号") })
            #expect(draft.internalNotes.masked.contains { $0.hasPrefix("银行卡号") })
            #expect(draft.internalNotes.masked.contains { $0.hasPrefix("车牌号") })
            #expect(draft.internalNotes.masked.contains { $0.hasPrefix("住址") })
            #expect(draft.internalNotes.masked.contains { $0.hasPrefix("姓名 张某") })

            let settings = AppConfiguration(store: store.configuration, bcryptCost: 4)
            try await withApp(configure: { app in
                app.logger.logLevel = .error
                ZhenggaiApp.configure(app, settings: settings, store: store)
            }) { app in
                // A draft is not public, whatever its address.
                let hidden = try await app.testing().sendRequest(.GET, SiteRoute.publicPublication.link(draft.id))
                #expect(hidden.status == .notFound)
                _ = try await store.approvePublication(draft.id, by: secretary)

                // Crawl everything reachable from /public, as a visitor.
                var queue = [SiteRoute.publicIndex.link()]
                var seen = Set<String>()
                var pages: [String: String] = [:]
                while let path = queue.popLast() {
                    guard seen.insert(path).inserted, seen.count < 200 else { continue }
                    let response = try await app.testing().sendRequest(.GET, path)
                    #expect(response.status == .ok, "\(path)")
                    let body = String(buffer: response.body)
                    pages[path] = body
                    let links = body.matches(of: /(?:href|src)="(\/public[^"#]*)"/).map { String($0.1) }
                    queue += links.map { $0.replacingOccurrences(of: "&amp;", with: "&") }
                }
                #expect(
                    pages.keys.contains { $0.hasSuffix("/notice") } && pages.keys.contains { $0.hasSuffix("/rate") })
                // The demo's first version, replaced by this one, stays readable and says 已更正.
                #expect(pages.values.contains { $0.contains("已更正") })
                #expect(pages.values.contains { $0.contains(planted.number) })
                let names = users.map(\.displayName) + (try await store.people(in: .everything)).map(\.name)
                let forbidden =
                    [
                        Self.phone, Self.idNumber, Self.card(), Self.plate, Self.address, Self.secret, "内部理由",
                        exempt.number,
                    ]
                    + names
                for (path, body) in pages {
                    for word in forbidden where body.contains(word) {
                        Issue.record("\(path) shows 「\(word)」")
                    }
                    #expect(!body.contains("审核公开："), "\(path): who approved is internal")
                }
                // The printed notice's QR code leads to the page.
                let notice = try #require(pages[SiteRoute.publicNotice.link(draft.id)])
                #expect(notice.contains("<svg") && notice.contains(SiteRoute.publicPublication.link(draft.id)))

                // Caching: the same version answers 304 to its ETag.
                let page = try await app.testing().sendRequest(.GET, SiteRoute.publicPublication.link(draft.id))
                let etag = try #require(page.headers.first(name: .eTag))
                #expect(page.headers.first(name: .lastModified) != nil)
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .ifNoneMatch, value: etag)
                let again = try await app.testing().sendRequest(
                    .GET, SiteRoute.publicPublication.link(draft.id), headers: headers)
                #expect(again.status == .notModified)

                // A resident rates with a code from the 评议会: once per item and quarter.
                let codes = try await store.issueRatingCodes(publicationID: draft.id, count: 2, by: clerk)
                func rate(_ code: String, _ level: Int) async throws -> TestingHTTPResponse {
                    var form = HTTPHeaders()
                    form.contentType = .urlEncodedForm
                    return try await app.testing().sendRequest(
                        .POST, SiteRoute.publicRate.link(draft.id), headers: form,
                        body: ByteBuffer(string: "code=\(code)&item=\(planted.id.uuidString)&level=\(level)&reason="))
                }
                #expect(String(buffer: try await rate(codes[0], 2).body).contains("感谢您的评价"))
                let twice = try await rate(codes[0], 5)
                #expect(twice.status == .unprocessableEntity)
                #expect(String(buffer: twice.body).contains("每人每项每季度评价一次"))
                #expect(try await rate("WRONGCODE1", 5).status == .unprocessableEntity)
                #expect(String(buffer: try await rate(codes[1].lowercased(), 1).body).contains("感谢您的评价"))
                let summary = try await Publishing.ratings(of: planted.id, store: store)
                #expect(summary.total == 2 && summary.counts == [0, 0, 0, 1, 1] && summary.satisfaction == "0.0%")

                // The quarter's 群众评价 result per unit, as a page, .xlsx and .docx for the county's acceptance.
                let inspector = try #require(users.first { $0.username == "xunchaban" })
                var signedIn = HTTPHeaders()
                signedIn.bearerAuthorization = .init(
                    token: try await store.createSession(userID: inspector.id, kind: "test", lifetime: 600).token)
                let report = try await RatingReport.compute(
                    period: Publishing.ratingPeriod(store.clock.today()), scope: .everything, store: store)
                let row = try #require(report.rows.first { $0.publicationID == draft.id })
                #expect(row.unit == "青山镇" && row.summary.total >= 2 && report.total.total >= row.summary.total)
                let xlsx = try await app.testing().sendRequest(.GET, "/ratings?format=xlsx", headers: signedIn)
                let sheet = try XLSXReader.read(Data(buffer: xlsx.body)).sheets[0]
                let cells = sheet.rows.map { $0.cells.map(\.value.displayText) }
                #expect(cells.contains { $0.first == "青山镇" && $0.contains(String(row.summary.total)) }, "\(cells)")
                #expect(cells.contains { $0.first == "合计" })
                let docx = try await app.testing().sendRequest(.GET, "/ratings?format=docx", headers: signedIn)
                let text = try DocxReader.read(Data(buffer: docx.body), fileName: "r.docx").plainText
                #expect(text.contains("整改成效群众评价结果") && text.contains("满意率") && text.contains("青山镇"))
                #expect(!text.contains("张经办") && !text.contains(Self.phone))
                let ratingsPage = String(
                    buffer: try await app.testing().sendRequest(.GET, "/ratings", headers: signedIn).body)
                #expect(ratingsPage.contains("下载 Excel") && ratingsPage.contains("上一季度") && ratingsPage.contains("合计"))
                let bad = try await app.testing().sendRequest(.GET, "/ratings?period=2026-Q9", headers: signedIn)
                #expect(bad.status == .unprocessableEntity)
            }
        }
    }

    /// Public pages are kept rendered per server (heavy traffic from a WeChat group), but never past a change:
    /// a correction, a withdrawal or the month's appeal figures, made outside this server (straight in the
    /// database, as another app server or a script would), show on the next request.
    @Test func keptPublicPagesFollowEveryPublicationChange() async throws {
        try await TestStores.withStore { store in
            let (users, clerk, secretary, source) = try await Self.qingshan(store)
            let first = try await store.approvePublication(
                try await Publishing.prepare(.init(sourceID: source.id), store: store, by: clerk).id, by: secretary)
            let settings = AppConfiguration(store: store.configuration, bcryptCost: 4)
            try await withApp(configure: { app in
                app.logger.logLevel = .error
                ZhenggaiApp.configure(app, settings: settings, store: store)
            }) { app in
                func get(_ path: String) async throws -> (HTTPStatus, String, String?) {
                    let response = try await app.testing().sendRequest(.GET, path)
                    return (response.status, String(buffer: response.body), response.headers.first(name: .eTag))
                }
                let page = SiteRoute.publicPublication.link(first.id)
                let (status, before, tag) = try await get(page)
                #expect(status == .ok && !before.contains("本版本已更正"))
                #expect(try await get(page).2 == tag)
                let index = try await get(SiteRoute.publicIndex.link()).1
                #expect(index.contains(page))

                // A correction: the old version now says 已更正 and the index leads to the new one.
                let second = try await store.approvePublication(
                    try await Publishing.prepare(.init(sourceID: source.id), store: store, by: clerk).id, by: secretary)
                let (_, corrected, newTag) = try await get(page)
                #expect(corrected.contains("本版本已更正") && newTag != tag)
                let newIndex = try await get(SiteRoute.publicIndex.link()).1
                #expect(newIndex.contains(SiteRoute.publicPublication.link(second.id)) && !newIndex.contains(page))

                // A withdrawal: gone from the public at once.
                let secondPage = SiteRoute.publicPublication.link(second.id)
                #expect(try await get(secondPage).0 == .ok)
                _ = try await store.withdrawPublication(second.id, reason: "数据有误，核实后重新公开", by: secretary)
                #expect(try await get(secondPage).0 == .notFound)
                #expect(!(try await get(SiteRoute.publicIndex.link()).1.contains(secondPage)))

                // The month's appeal figures: published, corrected, withdrawn.
                let today = store.clock.today()
                let month = String(format: "%04d-%02d", today.year, today.month)
                let inspector = AuditActor(users.first { $0.username == "jiwei" }!)
                let empty = try await get(SiteRoute.publicAppeals.link()).1
                _ = try await AppealReports.publish(month: month, store: store, by: inspector)
                let published = try await get(SiteRoute.publicAppeals.link()).1
                #expect(published != empty && published.contains("第 1 版"))
                try await store.withdrawAppealMonth(month: month, by: inspector)
                #expect(try await get(SiteRoute.publicAppeals.link()).1 != published)
            }

            // Another app server (its own Store on the same database) withdraws: this server's kept page goes
            // once the stamp's lifetime has passed.
            let other = try Store(store.configuration, clock: store.clock, logger: store.logger)
            let third = try await other.approvePublication(
                try await Publishing.prepare(.init(sourceID: source.id), store: other, by: clerk).id, by: secretary)
            let cache = PublicPageCache(stampLifetime: .milliseconds(300))
            try await withApp(configure: { app in
                app.logger.logLevel = .error
                app.get("kept", ":publicationID") { request in
                    try await cache.serve(request, store: store) {
                        let status = try await store.publication(try request.id("publicationID")).status
                        return Response(body: .init(string: status.rawValue))
                    }
                }
            }) { app in
                let path = "/kept/\(third.id.uuidString)"
                #expect(String(buffer: try await app.testing().sendRequest(.GET, path).body) == "published")
                _ = try await other.withdrawPublication(third.id, reason: "另一台服务器撤回", by: secretary)
                try await Task.sleep(for: .milliseconds(400))
                #expect(String(buffer: try await app.testing().sendRequest(.GET, path).body) == "withdrawn")
            }
            await other.shutdown()

            // The keeping is bounded: past its limit it starts again rather than grow.
            let small = PublicPageCache(maximumPages: 2)
            try await withApp(configure: { app in
                app.logger.logLevel = .error
                app.get("p", ":n") { request in
                    try await small.serve(request, store: store) { Response(body: .init(string: "page")) }
                }
            }) { app in
                for n in 0..<5 { _ = try await app.testing().sendRequest(.GET, "/p/\(n)") }
                #expect(small.count <= 2)
            }
        }
    }

    /// Requirement 4's other ways in: a signed link posted in the village's WeChat group gives each phone's
    /// browser its own code (kept in a cookie: the same phone rates an item once); a forged, moved, revoked
    /// or expired link gives nothing; and a county that wants one rating per person asks for an SMS first,
    /// sent through its SMS platform (here a real HTTP endpoint on loopback).
    @Test func groupLinksAndTheSMSCheck() async throws {
        let clock = MutableClock(TestStores.today.date.addingTimeInterval(9 * 3_600))
        try await TestStores.withStore(clock: clock) { store in
            let (users, clerk, secretary, source) = try await Self.qingshan(store)
            let publication = try await store.approvePublication(
                try await Publishing.prepare(.init(sourceID: source.id), store: store, by: clerk).id, by: secretary)
            let item = try #require(publication.content.items.first).problemID.uuidString
            try await RobotEndpoint.with { endpoint, base in
                let settings = AppConfiguration(
                    store: store.configuration, bcryptCost: 4,
                    sms: HTTPSMSGateway(url: URL(string: base + "/sms")!, token: "t"))
                try await withApp(configure: { app in
                    app.logger.logLevel = .error
                    ZhenggaiApp.configure(app, settings: settings, store: store)
                }) { app in
                    // The clerk makes the link on the publication's page (a form, as in the browser).
                    let jingban = try #require(users.first { $0.username == "qs_jingban" })
                    var signedIn = HTTPHeaders()
                    signedIn.bearerAuthorization = .init(
                        token: try await store.createSession(userID: jingban.id, kind: "test", lifetime: 600).token)
                    var form = signedIn
                    form.contentType = .urlEncodedForm
                    let until = store.clock.today().adding(days: 20)
                    let made = try await app.testing().sendRequest(
                        .POST, SiteRoute.publicationLinks.link(publication.id), headers: form,
                        body: ByteBuffer(
                            string: "label=%E9%9D%92%E5%B1%B1%E6%9D%91%E6%9D%91%E6%B0%91%E7%BE%A4&until=\(until.iso)"))
                    #expect(made.status == .seeOther)
                    let page = String(
                        buffer: try await app.testing().sendRequest(
                            .GET, SiteRoute.publicationView.link(publication.id), headers: signedIn
                        ).body)
                    #expect(page.contains("青山村村民群") && page.contains("扫码评价") && page.contains(until.chinese))
                    let link = try #require(try await store.ratingLinks(publicationID: publication.id).first)
                    let address = SiteRoute.publicRateForm.link(publication.id, query: [("link", link.token)])
                    #expect(
                        page.contains(address.replacingOccurrences(of: "&", with: "&amp;")) || page.contains(address))

                    // A resident opens it: no code asked, one kept in a cookie for this publication's pages.
                    let opened = try await app.testing().sendRequest(.GET, address)
                    #expect(opened.status == .ok)
                    let body = String(buffer: opened.body)
                    #expect(body.contains("无需输入评价码") && !body.contains("青山村村民群"))
                    let cookie = try #require(opened.headers.setCookie?[PublicPages.raterCookie])
                    #expect(cookie.isHTTPOnly && cookie.path == SiteRoute.publicPublication.link(publication.id))
                    let code = cookie.string
                    #expect(body.contains("value=\"\(code)\""))
                    /// A resident's form, as the phone's browser posts it (no session).
                    func post(_ route: SiteRoute, _ fields: String) async throws -> TestingHTTPResponse {
                        var headers = HTTPHeaders()
                        headers.contentType = .urlEncodedForm
                        return try await app.testing().sendRequest(
                            .POST, route.link(publication.id), headers: headers, body: ByteBuffer(string: fields))
                    }
                    func rate(_ code: String) async throws -> TestingHTTPResponse {
                        try await post(.publicRate, "code=\(code)&item=\(item)&level=4&via=x")
                    }
                    #expect(String(buffer: try await rate(code).body).contains("感谢您的评价"))
                    // The same phone comes back: the same code, and the item is not rated twice.
                    var again = HTTPHeaders()
                    again.cookie = HTTPCookies(dictionaryLiteral: (PublicPages.raterCookie, .init(string: code)))
                    let back = try await app.testing().sendRequest(.GET, address, headers: again)
                    #expect(String(buffer: back.body).contains("value=\"\(code)\""))
                    #expect(try await rate(code).status == .unprocessableEntity)
                    // Another phone gets its own code.
                    let other = try await app.testing().sendRequest(.GET, address)
                    #expect(other.headers.setCookie?[PublicPages.raterCookie]?.string != code)
                    #expect(try await store.ratingLinks(publicationID: publication.id).first?.raters == 2)

                    // A link altered by one character, or moved to another publication, gives nothing.
                    var forged = link.token
                    forged.replaceSubrange(
                        forged.index(before: forged.endIndex)..., with: forged.hasSuffix("0") ? "1" : "0")
                    let bad = try await app.testing().sendRequest(
                        .GET, SiteRoute.publicRateForm.link(publication.id, query: [("link", forged)]))
                    #expect(bad.status == .unprocessableEntity && bad.headers.setCookie == nil)
                    #expect(String(buffer: bad.body).contains("已被改动"))

                    // A county that wants one rating per person: the link asks for the phone first.
                    var rules = try await store.rhythmSettings(at: publication.unitPath).settings
                    rules.ratingLinkNeedsSMS = true
                    let county = try #require(try await store.units(in: .everything).first { $0.parentID == nil })
                    try await store.saveRhythmSettings(rules, at: county.id, by: .commandLine)
                    let asked = String(buffer: try await app.testing().sendRequest(.GET, address).body)
                    #expect(asked.contains("获取验证码") && !asked.contains("无需输入评价码"))
                    func phone(_ fields: String) async throws -> TestingHTTPResponse {
                        try await post(.publicRatePhone, "link=\(link.token)&\(fields)")
                    }
                    #expect(String(buffer: try await phone("phone=12345").body).contains("11 位手机号码"))
                    let sent = try await phone("phone=13900001111")
                    #expect(String(buffer: sent.body).contains("短信验证码"))
                    let message = try #require(await endpoint.received.last)
                    let json = try JSONSerialization.jsonObject(with: message.body) as? [String: String]
                    #expect(json?["phone"] == "13900001111")
                    let digits = try #require(json?["text"]?.firstMatch(of: /\d{6}/)).output
                    // Asked again within the minute: refused, no second message.
                    #expect(String(buffer: try await phone("phone=13900001111").body).contains("过于频繁"))
                    #expect(await endpoint.received.count == 1)
                    #expect(String(buffer: try await phone("phone=13900001111&digits=000000").body).contains("不正确"))
                    let verified = try await phone("phone=13900001111&digits=\(digits)")
                    let phoneCode = try #require(verified.headers.setCookie?[PublicPages.raterCookie]).string
                    #expect(String(buffer: verified.body).contains("无需输入评价码"))
                    #expect(String(buffer: try await rate(phoneCode).body).contains("感谢您的评价"))
                    // The number is kept only as a keyed hash.
                    let stored = try await store.sql.raw(
                        "SELECT phone_hash FROM rating_codes WHERE phone_hash IS NOT NULL"
                    ).all().map { try $0.decode(column: "phone_hash", as: String.self) }
                    #expect(stored.count == 1 && !stored[0].contains("13900001111"))

                    // Revoked, or past its date: closed.
                    let fresh = try await store.issueRatingLink(
                        publicationID: publication.id, label: "河口群", lastDay: store.clock.today(), by: clerk)
                    try await store.revokeRatingLink(fresh.id, publicationID: publication.id, by: clerk)
                    let revoked = try await app.testing().sendRequest(
                        .GET, SiteRoute.publicRateForm.link(publication.id, query: [("link", fresh.token)]))
                    #expect(String(buffer: revoked.body).contains("已过期或已停用"))
                    clock.advance(by: 21 * 86_400)
                    let late = try await app.testing().sendRequest(.GET, address)
                    #expect(String(buffer: late.body).contains("已过期或已停用"))
                }
            }
        }
    }

    /// Requirement 5's other half: when the county wants it, poor ratings reopen a closed item for 二次整改 —
    /// once, even when the ratings that cross the line arrive together.
    @Test func poorRatingsReopenAClosedItemWhenTheCountyWantsIt() async throws {
        try await TestStores.withStore { store in
            _ = try await Demo.load(into: store, password: "Demo-2026-pass", bcryptCost: 4)
            let users = try await store.users(in: .everything)
            let clerk = AuditActor(users.first { $0.username == "qs_jingban" }!)
            let secretary = AuditActor(users.first { $0.username == "qs_shuji" }!)
            let closedID = try #require(
                try await store.sql.raw("SELECT id FROM problems WHERE status = 'closed'").first()?
                    .decode(column: "id", as: UUID.self))
            let closed = try await store.problem(closedID)
            let draft = try await Publishing.prepare(.init(sourceID: closed.sourceID), store: store, by: clerk)
            let published = try await store.approvePublication(draft.id, by: secretary)
            #expect(published.content.items.contains { $0.problemID == closedID })
            let codes = try await store.issueRatingCodes(publicationID: published.id, count: 12, by: clerk)
            func rate(_ code: String) async throws {
                let result = try await Publishing.rate(
                    publicationID: published.id, item: closedID.uuidString, code: code, level: .veryDissatisfied,
                    reason: "", address: "10.1.0.\(code.count)", store: store)
                if case .failure(let refusal) = result { Issue.record("\(refusal)") }
            }
            // The county's rule stops second reviews (the default) but does not reopen: nothing happens.
            for code in codes.prefix(10) { try await rate(code) }
            #expect(try await store.problem(closedID).status == .closed)
            // Now it does: the next two ratings, sent together, reopen the item once.
            var rules = try await store.rhythmSettings(at: closed.unitPath).settings
            rules.ratingReopensClosed = true
            let county = try #require(try await store.units(in: .everything).first { $0.parentID == nil })
            try await store.saveRhythmSettings(rules, at: county.id, by: .commandLine)
            async let first: Void = rate(codes[10])
            async let second: Void = rate(codes[11])
            _ = try await (first, second)
            let reopened = try await store.problem(closedID)
            #expect(reopened.status == .reopened && reopened.recurrences == closed.recurrences + 1)
            let reopenings = try await store.sql.raw(
                """
                SELECT actor_name FROM audit_entries WHERE action = 'closure.reopen' AND entity_id = \(bind: closedID.uuidString)
                """
            ).all().map { try $0.decode(column: "actor_name", as: String.self) }
            #expect(reopenings == ["群众评价"])
            // The system's account signs nobody in.
            let system = try await store.sql.raw(
                "SELECT active, password_hash FROM users WHERE username = 'system-ratings'"
            ).first()
            #expect(try system?.decode(column: "active", as: Bool.self) == false)
            #expect(try system?.decode(column: "password_hash", as: String.self) == "!")
        }
    }

    /// Settings saved by an earlier version (without the fields added since) keep what the county chose.
    @Test func savedSettingsSurviveNewFields() throws {
        let old = #"{"planDueWorkdays":20,"reportDueMonths":3,"greenDays":30,"yellowDays":7,"counting":"workdays"}"#
        let rules = try JSONDecoder().decode(RhythmSettings.self, from: Data(old.utf8))
        #expect(rules.planDueWorkdays == 20 && rules.reportDueMonths == 3 && rules.counting == .workdays)
        #expect(rules.appealLimits == AppealLimits() && rules.ratingReopensClosed == false)
        #expect(rules.cadences == RhythmSettings.defaultCadences)
    }

    @Test func redactionKnowsItsPatterns() {
        let redactor = Redactor(names: ["张经办", "欧阳明华"])
        let out = redactor.redact(
            "欧阳明华和张经办，电话0531-88886666，身份证110105194912310021，车牌京B·12345，联系人李小红反映")
        #expect(out.text.contains("欧阳某") && out.text.contains("张某"))
        #expect(out.text.contains("（电话已隐去）") && out.text.contains("（车牌号已隐去）"))
        // A wrong check digit is a number, not an ID: left alone.
        #expect(out.text.contains("110105194912310021"))
        #expect(out.toCheck == ["「李小红反映」"] || out.toCheck == ["「李小红」"])
        // The longest known name wins where names overlap; each name is listed once, however often it occurs.
        let overlapping = Redactor(names: ["欧阳", "欧阳明华", "王五", "王"]).redact("欧阳明华说欧阳和王五，王五也说欧阳明华")
        #expect(overlapping.text == "欧阳某说欧某和王某，王某也说欧阳某")
        #expect(overlapping.masked == ["姓名 欧阳某", "姓名 王某", "姓名 欧某"])  // longest first, then by name
        #expect(Redactor(names: []).redact("王五").text == "王五")
    }

    @Test func poorRatingsBlockTheSecondReview() {
        var rules = RhythmSettings()
        rules.ratingMinimum = 3
        #expect(rules.ratingBlock(RatingSummary(counts: [1, 0, 0, 1, 1])) != nil)  // 33% satisfied
        #expect(rules.ratingBlock(RatingSummary(counts: [2, 1, 0, 0, 0])) == nil)
        #expect(rules.ratingBlock(RatingSummary(counts: [0, 1, 0, 0, 0])) == nil)  // too few to judge
        rules.ratingRuleEnabled = false
        #expect(rules.ratingBlock(RatingSummary(counts: [0, 0, 0, 0, 9])) == nil)
    }
}
