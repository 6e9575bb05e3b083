import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiDemo
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// Every page of the demo county, rendered on a fixed day with ids from a counter, compared with the HTML
/// kept in __Snapshots__/: a change to a page shows as a diff in review. The session's CSRF token is the one
/// thing that differs between runs; it is replaced by a placeholder.
///
/// After an intended change: `ZHENGGAI_RECORD_SNAPSHOTS=1 swift test --filter PageSnapshotTests`, then read
/// the diff (`git diff Tests/ZhenggaiServerTests/__Snapshots__`) before committing it.
@Suite(.serialized) struct PageSnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("__Snapshots__")
    static var recording: Bool { ProcessInfo.processInfo.environment["ZHENGGAI_RECORD_SNAPSHOTS"] == "1" }

    struct Page {
        var name: String
        var username: String?
        var path: String
    }

    @Test func everyPageMatchesItsSnapshot() async throws {
        try await TestStores.withStore(ids: SequentialIDs()) { store in
            _ = try await Demo.load(into: store, password: "Demo-2026-pass", bcryptCost: 4)
            let settings = AppConfiguration(store: store.configuration, bcryptCost: 4)
            try await withApp(configure: { app in
                app.logger.logLevel = .error
                ZhenggaiApp.configure(app, settings: settings, store: store)
            }) { app in
                let pages = try await Self.pages(store)
                for page in pages {
                    var headers = HTTPHeaders()
                    var csrf: String?
                    if let username = page.username {
                        let user = try #require(
                            try await store.users(in: .everything).first { $0.username == username })
                        let session = try await store.createSession(userID: user.id, kind: "test", lifetime: 600)
                        headers.cookie = HTTPCookies(
                            dictionaryLiteral: (SessionCookie.name, .init(string: session.token)))
                        csrf = session.csrfToken
                    }
                    let response = try await app.testing().sendRequest(.GET, page.path, headers: headers)
                    var html = "<!-- \(response.status.code) GET \(page.path) -->\n" + String(buffer: response.body)
                    if let csrf { html = html.replacingOccurrences(of: csrf, with: "CSRF-TOKEN") }
                    // The login form's own token (before any session) is random as well.
                    html = html.replacingOccurrences(
                        of: #"name="_csrf" value="[A-Za-z0-9_-]{20,}""#, with: #"name="_csrf" value="CSRF-TOKEN""#,
                        options: .regularExpression)
                    // A group link is signed with the database's own random key, and its QR code with it.
                    html = html.replacingOccurrences(
                        of: #"\?link=[0-9a-f-]{36}\.[0-9a-f]{32}"#, with: "?link=SIGNED", options: .regularExpression)
                    html = html.replacingOccurrences(
                        of: #"<svg[^>]*><title>扫码评价</title>.*?</svg>"#, with: "<svg>QR</svg>",
                        options: .regularExpression)
                    // A link the context failed to provide renders empty, and a form would post back to itself.
                    #expect(!html.contains(#"action="""#) && !html.contains(#"href="""#), "\(page.name): an empty link")
                    try Self.compare(html, name: page.name)
                }
            }
        }
    }

    /// The demo's records looked up by what they are, so the list does not depend on ids.
    static func pages(_ store: Store) async throws -> [Page] {
        let sources = try await store.sources(in: .everything)
        let inspection = try #require(sources.first { $0.kind == .inspection && $0.unitName == "青山镇" })
        let rows = try await store.ledger(
            LedgerFilter(scope: .everything, sourceID: inspection.id), paging: try Paging(perPage: 500),
            today: store.clock.today()
        ).rows
        let all = try await store.ledger(
            LedgerFilter(scope: .everything), paging: try Paging(perPage: 500), today: store.clock.today()
        ).rows
        let worked = try #require(rows.first { !$0.tasks.isEmpty && $0.problem.status == .open })
        let secondStage = try #require(all.first { $0.problem.status == .pendingSecondReview })
        let task = try #require(worked.tasks.first)
        let foreign = try #require(all.first { $0.problem.unitName == "河口镇" })
        let pressed = try #require(try await store.pressings(in: .everything).first?.problemID)
        let publication = try #require(try await store.publicPublications().first)
        let appeal = try #require(try await store.appeals(in: .everything).first { $0.reopened > 0 }?.id)
        let clerk = "qs_jingban"
        return [
            Page(name: "login", username: nil, path: "/login"),
            Page(name: "home-clerk", username: clerk, path: "/"),
            Page(name: "home-secretary", username: "qs_shuji", path: "/"),
            Page(name: "home-leader", username: "qs_zhenzhang", path: "/"),
            Page(name: "home-inspector", username: "xunchaban", path: "/"),
            Page(name: "home-supervisor", username: "jiwei", path: "/"),
            Page(name: "ledger", username: clerk, path: "/ledger"),
            Page(name: "ledger-filtered", username: "xunchaban", path: "/ledger?status=open&sort=deadline"),
            Page(name: "ledger-print", username: clerk, path: "/ledger?print=1"),
            Page(name: "ledger-import", username: clerk, path: "/ledger/import"),
            Page(name: "clusters", username: "xunchaban", path: "/clusters"),
            Page(name: "sources", username: clerk, path: "/sources"),
            Page(name: "source-form", username: clerk, path: "/sources/new"),
            Page(name: "source", username: clerk, path: SiteRoute.source.link(inspection.id)),
            Page(name: "problem-form", username: clerk, path: SiteRoute.problemForm.link(inspection.id)),
            Page(name: "document-import", username: clerk, path: SiteRoute.documentImportForm.link(inspection.id)),
            Page(name: "problem-clerk", username: clerk, path: SiteRoute.problem.link(worked.problem.id)),
            Page(
                name: "problem-inspector", username: "xunchaban", path: SiteRoute.problem.link(secondStage.problem.id)),
            Page(name: "task-edit", username: clerk, path: SiteRoute.taskEditForm.link(task.id)),
            Page(name: "report-form", username: clerk, path: "/reports/new"),
            Page(name: "admin-units", username: "admin", path: "/admin/units"),
            Page(name: "admin-users", username: "admin", path: "/admin/users"),
            Page(name: "admin-rhythm", username: "xunchaban", path: "/admin/rhythm"),
            Page(name: "admin-calendar", username: "admin", path: "/admin/calendar"),
            Page(name: "admin-channels", username: "admin", path: "/admin/channels"),
            Page(name: "admin-jobs", username: "admin", path: "/admin/jobs"),
            Page(name: "inbox", username: clerk, path: "/inbox"),
            Page(name: "periods", username: "xunchaban", path: "/rhythm"),
            Page(
                name: "period-quarter", username: "xunchaban",
                path: SiteRoute.period.link(
                    "quarterly", ReportPeriod.containing(store.clock.today(), .quarter).start.iso)),
            Page(name: "problem-pressed", username: "hk_jingban", path: SiteRoute.problem.link(pressed)),
            Page(name: "public-index", username: nil, path: "/public"),
            Page(name: "public-publication", username: nil, path: SiteRoute.publicPublication.link(publication.id)),
            Page(name: "public-notice", username: nil, path: SiteRoute.publicNotice.link(publication.id)),
            Page(name: "public-rate", username: nil, path: SiteRoute.publicRateForm.link(publication.id)),
            Page(name: "publication-form", username: clerk, path: SiteRoute.publicationForm.link(inspection.id)),
            Page(name: "publication", username: "qs_shuji", path: SiteRoute.publicationView.link(publication.id)),
            Page(name: "ratings", username: "qs_shuji", path: "/ratings"),
            Page(name: "appeals", username: clerk, path: "/appeals"),
            Page(name: "appeal", username: clerk, path: SiteRoute.appeal.link(appeal)),
            Page(name: "appeal-statistics", username: clerk, path: "/appeals/statistics"),
            Page(name: "appeal-import", username: clerk, path: "/appeals/import"),
            Page(name: "public-appeals", username: nil, path: "/public/appeals"),
            Page(name: "error-forbidden", username: clerk, path: SiteRoute.problem.link(foreign.problem.id)),
            Page(name: "error-bad-query", username: clerk, path: "/ledger?per=0"),
        ]
    }

    static func compare(_ html: String, name: String) throws {
        let file = folder.appendingPathComponent("\(name).html")
        let kept = try? String(contentsOf: file, encoding: .utf8)
        if recording || kept == nil {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try html.write(to: file, atomically: true, encoding: .utf8)
            if !recording { Issue.record("no snapshot for \(name): written to \(file.path); read it and commit it") }
            return
        }
        guard let kept, kept != html else { return }
        let old = kept.split(separator: "\n", omittingEmptySubsequences: false)
        let new = html.split(separator: "\n", omittingEmptySubsequences: false)
        let line =
            zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
        let newFile = folder.appendingPathComponent("\(name).new.html")
        try? html.write(to: newFile, atomically: true, encoding: .utf8)
        Issue.record(
            """
            page \(name) differs from its snapshot at line \(line + 1):
              kept: \(line < old.count ? String(old[line]) : "(end)")
              now:  \(line < new.count ? String(new[line]) : "(end)")
            the new page is in \(newFile.lastPathComponent); ZHENGGAI_RECORD_SNAPSHOTS=1 records it
            """)
    }
}
