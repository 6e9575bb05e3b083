import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiServices
import ZhenggaiStore

/// Inside: preparing a publication (which items, which words, which exempt and why), the secretary's
/// approval with the final text in front of them, withdrawal, rating codes, and the quarter's 群众评价.
enum PublicationPages {
    typealias Option = LedgerPage.Option

    struct FormContext: Encodable {
        struct Item: Encodable {
            var id: String
            var number: String
            var text: String
            var status: String
        }
        var layout: Layout
        var sourceTitle: String
        var units: [Option]
        var grounds: [Option]
        var items: [Item]
        var versions: [Version]
        var error: String?
        var action: String
    }

    struct Version: Encodable {
        var label: String
        var link: String
        var status: String
    }

    struct ViewContext: Encodable {
        struct Item: Encodable {
            var number: String
            var text: String
            var measures: String
            var status: String
            var ratings: String
        }
        var layout: Layout
        var title: String
        var status: String
        var version: Int
        var draft: Bool
        var published: Bool
        var prepared: String
        var approved: String?
        var withdrawn: String?
        var items: [Item]
        var exemptions: [String]
        var masked: [String]
        var toCheck: [String]
        var canApprove: Bool
        var canPublish: Bool
        var codes: [String]
        var publicLink: String?
        var noticeLink: String?
        var rateLink: String?
        var links: [String: String]
        var error: String?
        var overall: String
        var ratingLinks: [LinkRow]
        var linkUntil: String
    }

    /// A group link as the clerk sees it: the address to paste in the group, its QR code, how many took a
    /// code from it.
    struct LinkRow: Encodable {
        var id: String
        var label: String
        var address: String
        var qr: String
        var until: String
        var raters: Int
        var open: Bool
        var state: String
    }

    struct RatingsContext: Encodable {
        struct Row: Encodable {
            var unit: String
            var title: String
            var link: String
            var total: Int
            var satisfaction: String
            var distribution: String
            var flagged: Int
        }
        var layout: Layout
        var period: String
        var rows: [Row]
        var total: Row
        var xlsx: String
        var docx: String
        var previous: String
        var next: String?
    }

    static func routes(store: Store, settings: AppConfiguration) -> [Handler] {
        @Sendable func sourceTarget(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
            try await store.accessTarget(source: try request.id("sourceID"))
        }
        @Sendable func publicationTarget(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
            AccessTarget(unitPath: try await store.publication(try request.id("publicationID")).unitPath)
        }
        @Sendable func form(_ request: Request, _ caller: Caller, error: String? = nil) async throws -> Response {
            let source = try await store.source(try request.id("sourceID"))
            let unit = try await store.unit(source.unitID)
            let rows = try await store.ledger(
                LedgerFilter(scope: caller.scope, sourceID: source.id), paging: try Paging(perPage: 500),
                today: store.clock.today()
            ).rows
            let context = FormContext(
                layout: Layout(title: "公开公示：\(source.title)", caller: caller, section: .sources),
                sourceTitle: source.title,
                units: Pickers.units(
                    try await store.units(in: Scope(subtree: unit.path)), selected: unit.id.uuidString),
                grounds: ExemptionGround.allCases.map {
                    Option(value: String($0.rawValue), label: $0.label, selected: false)
                },
                items: rows.map {
                    .init(
                        id: $0.problem.id.uuidString, number: $0.problem.number, text: $0.problem.text,
                        status: $0.problem.completion.label(for: $0.sourceKind))
                },
                versions: try await store.publications(in: caller.scope, sourceID: source.id).map(version),
                error: error, action: SiteRoute.publicationPrepare.link(source.id))
            return try await Pages.render(
                request, "publication-form", context, status: error == nil ? .ok : .unprocessableEntity)
        }
        @Sendable func view(_ request: Request, _ caller: Caller, codes: [String] = [], error: String? = nil)
            async throws
            -> Response
        {
            let publication = try await store.publication(try request.id("publicationID"))
            let target = AccessTarget(unitPath: publication.unitPath)
            let period = Publishing.ratingPeriod(store.clock.today())
            let summaries = try await store.ratingSummaries(
                items: publication.content.items.map(\.problemID.uuidString) + ["all"], period: period)
            func describe(_ summary: RatingSummary?) -> String {
                guard let summary, summary.total + summary.flagged > 0 else { return "本季度暂无评价" }
                return "满意率 \(summary.satisfaction)（\(summary.total) 人次："
                    + zip(RatingLevel.allCases, summary.counts).map { "\($0.0.label) \($0.1)" }.joined(separator: "、")
                    + "）" + (summary.flagged > 0 ? "，另有 \(summary.flagged) 条疑似异常未计入" : "")
            }
            let open = publication.status == .published || publication.status == .corrected
            let now = store.clock.now()
            let base = PublicPages.publicAddress(request, settings: settings)
            let ratingLinks = try await store.ratingLinks(publicationID: publication.id).map { link in
                let address =
                    base + SiteRoute.publicRateForm.link(publication.id, query: [("link", link.token)])
                let live = link.isOpen(at: now) && publication.status == .published
                return LinkRow(
                    id: link.id.uuidString, label: link.label, address: address,
                    qr: live ? try QRCode(address).svg(module: 3, label: "扫码评价") : "",
                    until: LocalDate(link.expiresAt.addingTimeInterval(-1)).chinese, raters: link.raters, open: live,
                    state: link.revokedAt != nil ? "已停用" : (live ? "有效" : "已过期"))
            }
            let quarterEnd = Publishing.firstDay(ofRatingPeriod: period)!.adding(months: 3).adding(days: -1)
            let context = ViewContext(
                layout: Layout(
                    title: "公开版本", caller: caller, section: .sources, notice: Pages.notice(request)),
                title: publication.content.title, status: publication.status.label, version: publication.version,
                draft: publication.status == .draft, published: publication.status == .published,
                prepared: "\(publication.preparedByName) \(LocalDate.chineseTime(publication.preparedAt))",
                approved: publication.approvedAt.map {
                    "\(publication.approvedByName ?? "") \(LocalDate.chineseTime($0))"
                },
                withdrawn: publication.withdrawnAt.map {
                    "\(LocalDate.chineseTime($0))撤回：\(publication.withdrawnReason ?? "")"
                },
                items: publication.content.items.map {
                    .init(
                        number: $0.number, text: $0.text, measures: PublicPages.measureText($0.measures),
                        status: $0.status, ratings: describe(summaries[$0.problemID.uuidString]))
                },
                exemptions: publication.internalNotes.exemptions.map {
                    "\($0.number)：\($0.ground.rawValue). \($0.ground.label)——\($0.reason)"
                },
                masked: publication.internalNotes.masked, toCheck: publication.internalNotes.toCheck,
                canApprove: publication.status == .draft
                    && AccessPolicy.allows(caller.principal, .approvePublication, on: target)
                    && publication.preparedBy != caller.user.id,
                canPublish: AccessPolicy.allows(caller.principal, .publish, on: target), codes: codes,
                publicLink: open ? SiteRoute.publicPublication.link(publication.id) : nil,
                noticeLink: open ? SiteRoute.publicNotice.link(publication.id) : nil,
                rateLink: publication.status == .published ? SiteRoute.publicRateForm.link(publication.id) : nil,
                links: [
                    "approve": SiteRoute.publicationApprove.link(publication.id),
                    "withdraw": SiteRoute.publicationWithdraw.link(publication.id),
                    "codes": SiteRoute.publicationCodes.link(publication.id),
                    "links": SiteRoute.publicationLinks.link(publication.id),
                    "again": SiteRoute.publicationForm.link(publication.sourceID),
                ], error: error, overall: describe(summaries["all"]), ratingLinks: ratingLinks,
                linkUntil: quarterEnd.iso)
            return try await Pages.render(
                request, "publication", context, status: error == nil ? .ok : .unprocessableEntity)
        }
        return [
            Handler(.publicationForm, target: sourceTarget) { request, caller in try await form(request, caller) },
            Handler(.publicationPrepare, target: sourceTarget) { request, caller in
                let sourceID = try request.id("sourceID")
                let input = FormInput(request)
                var exemptions: [UUID: (ground: ExemptionGround, reason: String)] = [:]
                var summaries: [UUID: String] = [:]
                for (key, value) in input.values where key.hasPrefix("exempt_") && value == "1" {
                    guard let id = UUID(uuidString: String(key.dropFirst(7))) else { continue }
                    let ground = Int(input["ground_\(id.uuidString)"]).flatMap(ExemptionGround.init(rawValue:))
                    guard let ground else {
                        return try await form(request, caller, error: "请为每一项不予公开的问题选择依据（五种情形之一）。")
                    }
                    exemptions[id] = (ground, input["reason_\(id.uuidString)"])
                }
                for (key, value) in input.values where key.hasPrefix("summary_") {
                    let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
                    if let id = UUID(uuidString: String(key.dropFirst(8))), !text.isEmpty { summaries[id] = text }
                }
                do {
                    let draft = try await Publishing.prepare(
                        .init(
                            sourceID: sourceID, unitID: input.uuid("unitID"), exemptions: exemptions,
                            summaries: summaries), store: store, by: caller.actor)
                    return Pages.redirect(request, to: SiteRoute.publicationView.link(draft.id), notice: .created)
                } catch let error as StoreError {
                    return try await form(request, caller, error: error.userMessage)
                }
            },
            Handler(.publicationView, target: publicationTarget) { request, caller in try await view(request, caller) },
            Handler(.publicationApprove, target: publicationTarget) { request, caller in
                do {
                    _ = try await store.approvePublication(try request.id("publicationID"), by: caller.actor)
                } catch let error as StoreError {
                    return try await view(request, caller, error: error.userMessage)
                }
                return Pages.redirect(
                    request, to: SiteRoute.publicationView.link(try request.id("publicationID")), notice: .published)
            },
            Handler(.publicationWithdraw, target: publicationTarget) { request, caller in
                do {
                    _ = try await store.withdrawPublication(
                        try request.id("publicationID"), reason: FormInput(request)["reason"], by: caller.actor)
                } catch let error as StoreError {
                    return try await view(request, caller, error: error.userMessage)
                }
                return Pages.redirect(
                    request, to: SiteRoute.publicationView.link(try request.id("publicationID")), notice: .withdrawn)
            },
            Handler(.publicationCodes, target: publicationTarget) { request, caller in
                do {
                    let codes = try await store.issueRatingCodes(
                        publicationID: try request.id("publicationID"), count: Int(FormInput(request)["count"]) ?? 0,
                        by: caller.actor)
                    return try await view(request, caller, codes: codes)
                } catch let error as StoreError {
                    return try await view(request, caller, error: error.userMessage)
                }
            },
            Handler(.publicationLinks, target: publicationTarget) { request, caller in
                let id = try request.id("publicationID")
                let form = FormInput(request)
                do {
                    if let link = form.uuid("revoke") {
                        try await store.revokeRatingLink(link, publicationID: id, by: caller.actor)
                    } else {
                        guard let until = LocalDate(iso: form["until"]) else {
                            throw StoreError.invalid(field: "有效期", message: "请选择有效期截止日期。")
                        }
                        _ = try await store.issueRatingLink(
                            publicationID: id, label: form["label"], lastDay: until, by: caller.actor)
                    }
                } catch let error as StoreError {
                    return try await view(request, caller, error: error.userMessage)
                }
                return Pages.redirect(request, to: SiteRoute.publicationView.link(id), notice: .saved)
            },
            Handler(.ratingsReport) { request, caller in
                let today = store.clock.today()
                let current = Publishing.ratingPeriod(today)
                let asked = (try? request.query.get(String.self, at: "period")) ?? current
                guard let first = Publishing.firstDay(ofRatingPeriod: asked), asked <= current else {
                    throw StoreError.invalid(field: "季度", message: "应写成 2026-Q4 这样的季度，且不晚于本季度。")
                }
                let report = try await RatingReport.compute(period: asked, scope: caller.scope, store: store)
                // Issued in the name of the top unit of the caller's scope (the county for its office).
                let issuer = try await store.units(in: caller.scope).min { $0.path.count < $1.path.count }?.name ?? ""
                switch try? request.query.get(String.self, at: "format") {
                case "xlsx":
                    return OfficePages.download(
                        try report.xlsx(issuer: issuer), fileName: "\(report.title(issuer: issuer)).xlsx",
                        type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                case "docx":
                    return OfficePages.download(
                        try report.docx(issuer: issuer, issuedOn: today),
                        fileName: "\(report.title(issuer: issuer)).docx",
                        type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                default: break
                }
                func row(_ unit: String, _ title: String, _ link: String, _ summary: RatingSummary)
                    -> RatingsContext.Row
                {
                    RatingsContext.Row(
                        unit: unit, title: title, link: link, total: summary.total,
                        satisfaction: summary.total == 0 ? "—" : summary.satisfaction,
                        distribution: zip(RatingLevel.allCases, summary.counts).map { "\($0.0.label) \($0.1)" }
                            .joined(separator: "、"), flagged: summary.flagged)
                }
                let previous = Publishing.ratingPeriod(first.adding(months: -3))
                let next = Publishing.ratingPeriod(first.adding(months: 3))
                let context = RatingsContext(
                    layout: Layout(title: "群众评价", caller: caller, section: .sources),
                    period: report.periodLabel,
                    rows: report.rows.map {
                        row($0.unit, $0.title, SiteRoute.publicationView.link($0.publicationID), $0.summary)
                    },
                    total: row("合计", "", "", report.total),
                    xlsx: SiteRoute.ratingsReport.link(query: [("period", asked), ("format", "xlsx")]),
                    docx: SiteRoute.ratingsReport.link(query: [("period", asked), ("format", "docx")]),
                    previous: SiteRoute.ratingsReport.link(query: [("period", previous)]),
                    next: next <= current ? SiteRoute.ratingsReport.link(query: [("period", next)]) : nil)
                return try await Pages.render(request, "ratings", context)
            },
        ]
    }

    static func version(_ publication: Publication) -> Version {
        Version(
            label: "第\(publication.version)版 \(LocalDate.chineseTime(publication.preparedAt))",
            link: SiteRoute.publicationView.link(publication.id), status: publication.status.label)
    }
}
