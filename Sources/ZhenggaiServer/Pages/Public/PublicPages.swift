import Crypto
import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiServices
import ZhenggaiStore

/// What a resident opens from the QR code on the village board or a link in the WeChat group: no login,
/// phone-first, and made only of what a secretary approved for publication — never a draft, an exempt item,
/// a reason, a user's name or the audit log. Cacheable: every answer carries an ETag and Last-Modified.
enum PublicPages {
    struct Base: Encodable {
        var title: String
        var index = SiteRoute.publicIndex.link()
    }

    struct IndexContext: Encodable {
        struct Unit: Encodable {
            var name: String
            var publications: [Entry]
        }
        struct Entry: Encodable {
            var title: String
            var link: String
            var date: String
            var rate: String
        }
        var base: Base
        var units: [Unit]
    }

    struct PublicationContext: Encodable {
        struct Item: Encodable {
            var number: String
            var text: String
            var measures: String
            var status: String
            var statusClass: String
        }
        struct Version: Encodable {
            var label: String
            var link: String
            var current: Bool
        }
        var base: Base
        var content: PublicationContent
        var asOf: String
        var feedback: String
        var items: [Item]
        var version: Int
        var published: String
        var corrected: String?
        var current: String?
        var versions: [Version]
        var chart: String
        var notice: String
        var rate: String
        var canRate: Bool
    }

    struct NoticeContext: Encodable {
        var base: Base
        var content: PublicationContent
        var asOf: String
        var feedback: String
        var version: Int
        var published: String
        var qr: String
        var address: String
    }

    struct RateContext: Encodable {
        struct Item: Encodable {
            var value: String
            var label: String
            var selected: Bool
        }
        var base: Base
        var title: String
        var items: [Item]
        var levels: [Item]
        var action: String
        var back: String
        var code: String
        var reason: String
        var error: String?
        var done: Bool
        var period: String
        /// The rater came by a group link: the code is theirs already and is not asked for. (Not which group:
        /// its name is the clerk's words, not for the public page.)
        var byLink: Bool
        /// The SMS step of a group link in a county that wants one rating per person.
        var phoneStep: PhoneStep?
    }

    struct PhoneStep: Encodable {
        var action: String
        var link: String
        var phone: String
        var codeSent: Bool
    }

    static func routes(store: Store, settings: AppConfiguration, cache: PublicPageCache) -> [Handler] {
        [
            Handler(open: .publicIndex) { request, _ in
                try await cache.serve(request, store: store) {
                    let all = try await store.publicPublications().filter { $0.status == .published }
                    var units: [String: [IndexContext.Entry]] = [:]
                    for publication in all {
                        units[publication.content.unitName, default: []].append(
                            .init(
                                title: publication.content.title,
                                link: SiteRoute.publicPublication.link(publication.id),
                                date: publication.approvedAt.map { LocalDate($0).chinese } ?? "",
                                rate: publication.content.rate))
                    }
                    let context = IndexContext(
                        base: Base(title: "整改公示"),
                        units: units.keys.sorted().map { IndexContext.Unit(name: $0, publications: units[$0]!) })
                    return try await cached(
                        request, tag: "index-\(all.map { "\($0.id)\($0.version)" }.joined())",
                        modified: all.compactMap(\.approvedAt).max()
                    ) {
                        try await Pages.render(request, "public-index", context)
                    }
                }
            },
            Handler(open: .publicPublication) { request, _ in
                try await cache.serve(request, store: store) {
                    let publication = try await visible(request, store: store)
                    let siblings = try await store.publicPublications().filter {
                        $0.sourceID == publication.sourceID && $0.unitID == publication.unitID
                    }
                    let current = siblings.first { $0.status == .published }
                    let context = PublicationContext(
                        base: Base(title: publication.content.title), content: publication.content,
                        asOf: publication.content.asOf.chinese, feedback: publication.content.feedbackDate.chinese,
                        items: publication.content.items.map {
                            .init(
                                number: $0.number, text: $0.text, measures: measureText($0.measures), status: $0.status,
                                statusClass: $0.completion.rawValue)
                        },
                        version: publication.version,
                        published: publication.approvedAt.map { LocalDate($0).chinese } ?? "",
                        corrected: publication.correctedAt.map { LocalDate($0).chinese },
                        current: current.flatMap {
                            $0.id == publication.id ? nil : SiteRoute.publicPublication.link($0.id)
                        },
                        versions: siblings.map {
                            .init(
                                label: "第\($0.version)版（\($0.approvedAt.map { LocalDate($0).chinese } ?? "")"
                                    + ($0.correctedAt.map { "，\(LocalDate($0).chinese)已更正" } ?? "") + "）",
                                link: SiteRoute.publicPublication.link($0.id), current: $0.id == publication.id)
                        },
                        chart: chart(publication.content), notice: SiteRoute.publicNotice.link(publication.id),
                        rate: SiteRoute.publicRateForm.link(publication.id), canRate: publication.status == .published)
                    return try await cached(request, tag: tag(publication), modified: lastModified(publication)) {
                        try await Pages.render(request, "public-publication", context)
                    }
                }
            },
            Handler(open: .publicNotice) { request, _ in
                try await cache.serve(request, store: store) {
                    let publication = try await visible(request, store: store)
                    let address =
                        publicAddress(request, settings: settings) + SiteRoute.publicPublication.link(publication.id)
                    let context = NoticeContext(
                        base: Base(title: publication.content.title), content: publication.content,
                        asOf: publication.content.asOf.chinese, feedback: publication.content.feedbackDate.chinese,
                        version: publication.version,
                        published: publication.approvedAt.map { LocalDate($0).chinese } ?? "",
                        qr: try QRCode(address).svg(module: 5, label: "扫码查看整改进展"), address: address)
                    return try await cached(
                        request, tag: tag(publication) + "-notice", modified: lastModified(publication)
                    ) {
                        try await Pages.render(request, "public-notice", context)
                    }
                }
            },
            Handler(open: .publicQR) { request, _ in
                try await cache.serve(request, store: store) {
                    let publication = try await visible(request, store: store)
                    let address =
                        publicAddress(request, settings: settings) + SiteRoute.publicPublication.link(publication.id)
                    let svg = try QRCode(address).svg(module: 8)
                    return try await cached(request, tag: tag(publication) + "-qr", modified: lastModified(publication))
                    {
                        var headers = HTTPHeaders()
                        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
                        return Response(status: .ok, headers: headers, body: .init(string: svg))
                    }
                }
            },
            Handler(open: .publicRateForm) { request, _ in
                let publication = try await visible(request, store: store)
                let item = (try? request.query.get(String.self, at: "item")) ?? "all"
                var context = try await rateContext(
                    publication, store: store, code: (try? request.query.get(String.self, at: "code")) ?? "",
                    item: item, reason: "", level: nil)
                guard let token = try? request.query.get(String.self, at: "link") else {
                    return try await Pages.render(request, "public-rate", context)
                }
                return try await viaLink(
                    request, publication, token: token, context: &context, store: store, settings: settings
                ) { link in
                    try await store.raterCode(for: link)
                }
            },
            Handler(open: .publicRatePhone) { request, _ in
                let publication = try await visible(request, store: store)
                let form = FormInput(request)
                var context = try await rateContext(
                    publication, store: store, code: "", item: "all", reason: "", level: nil)
                return try await viaLink(
                    request, publication, token: form["link"], context: &context, store: store, settings: settings
                ) { link in
                    // The phone step: send six digits, then take them back. Per address as well as per number.
                    let address = request.remoteAddress?.ipAddress ?? "unknown"
                    var step = PhoneStep(
                        action: SiteRoute.publicRatePhone.link(publication.id), link: form["link"],
                        phone: form["phone"].filter(\.isNumber), codeSent: false)
                    if form["digits"].isEmpty {
                        guard try await store.countAttempt(key: "sms:\(address)", window: 3_600, limit: 30) <= 30
                        else { throw PhoneStepRefusal(step: step, message: "此网络获取验证码的次数过多，请稍后再试。") }
                        switch try await store.startPhoneCheck(link: link, phone: form["phone"]) {
                        case .failure(let refusal): throw PhoneStepRefusal(step: step, message: refusal.userMessage)
                        case .success(let digits):
                            guard let sms = settings.sms else {
                                throw PhoneStepRefusal(step: step, message: "短信验证暂不可用，请向村（社区）索取评价码。")
                            }
                            do {
                                try await sms.send(
                                    to: step.phone, text: "【整改公示】您的评价验证码是 \(digits)，10 分钟内有效。如非本人操作请忽略。")
                            } catch {
                                request.logger.warning("sms failed", metadata: ["error": "\(error)"])
                                throw PhoneStepRefusal(step: step, message: "验证码发送失败，请稍后再试，或向村（社区）索取评价码。")
                            }
                            step.codeSent = true
                            throw PhoneStepRefusal(step: step, message: nil)
                        }
                    }
                    step.codeSent = true
                    switch try await store.finishPhoneCheck(link: link, phone: form["phone"], digits: form["digits"]) {
                    case .failure(let refusal): throw PhoneStepRefusal(step: step, message: refusal.userMessage)
                    case .success(let code): return code
                    }
                }
            },
            Handler(open: .publicRate) { request, _ in
                let publication = try await visible(request, store: store)
                let form = FormInput(request)
                let item = form["item"].isEmpty ? "all" : form["item"]
                func again(_ error: String) async throws -> Response {
                    var context = try await rateContext(
                        publication, store: store, code: form["code"], item: item, reason: form["reason"],
                        level: Int(form["level"]))
                    context.byLink = form["via"] == "1"
                    context.error = error
                    return try await Pages.render(request, "public-rate", context, status: .unprocessableEntity)
                }
                guard item == "all" || publication.content.items.contains(where: { $0.problemID.uuidString == item })
                else { return try await again("请选择要评价的事项。") }
                guard let level = Int(form["level"]).flatMap(RatingLevel.init(rawValue:)) else {
                    return try await again("请选择满意程度。")
                }
                guard !form["code"].isEmpty else { return try await again("请输入评价码。") }
                // Per address: enough for a 评议会 on one phone hotspot, not for a script.
                let address = request.remoteAddress?.ipAddress ?? "unknown"
                if try await store.countAttempt(key: "rating:\(address)", window: 3_600, limit: 300) > 300 {
                    return try await again("此网络的评价次数过多，请稍后再试。")
                }
                let result = try await Publishing.rate(
                    publicationID: publication.id, item: item, code: form["code"], level: level, reason: form["reason"],
                    address: address, store: store)
                switch result {
                case .failure(let refusal): return try await again(refusal.userMessage)
                case .success:
                    var context = try await rateContext(
                        publication, store: store, code: form["code"], item: item, reason: "", level: nil)
                    context.byLink = form["via"] == "1"
                    context.done = true
                    return try await Pages.render(request, "public-rate", context)
                }
            },
        ]
    }

    /// Where a group link leads: checked (signature, end date, revocation), then the browser's code — kept
    /// from an earlier visit, made by `code` (a new one, or after the phone step), and kept in a cookie
    /// scoped to this publication's pages so the same phone keeps the same code.
    static func viaLink(
        _ request: Request, _ publication: Publication, token: String, context: inout RateContext,
        store: Store, settings: AppConfiguration,
        code: (RatingLink) async throws -> String
    ) async throws -> Response {
        let link: RatingLink
        switch try await store.ratingLink(publicationID: publication.id, token: token) {
        case .failure(let refusal):
            context.error = refusal.userMessage
            return try await Pages.render(request, "public-rate", context, status: .unprocessableEntity)
        case .success(let found): link = found
        }
        let kept = request.cookies[raterCookie]?.string
        let rules = try await store.rhythmSettings(at: publication.unitPath).settings
        var chosen: String
        if let kept, try await store.ratingCodeExists(kept, publicationID: publication.id) {
            chosen = kept
        } else {
            if !rules.ratingLinkNeedsSMS {
                let address = request.remoteAddress?.ipAddress ?? "unknown"
                guard try await store.countAttempt(key: "rater:\(address)", window: 3_600, limit: 300) <= 300 else {
                    context.error = "此网络的评价次数过多，请稍后再试。"
                    return try await Pages.render(request, "public-rate", context, status: .tooManyRequests)
                }
            }
            let phoneStep = PhoneStep(
                action: SiteRoute.publicRatePhone.link(publication.id), link: token, phone: "", codeSent: false)
            if rules.ratingLinkNeedsSMS && request.method == .GET {
                context.phoneStep = phoneStep
                return try await Pages.render(request, "public-rate", context)
            }
            do {
                chosen = try await code(link)
            } catch let refusal as PhoneStepRefusal {
                context.phoneStep = refusal.step
                context.error = refusal.message
                return try await Pages.render(
                    request, "public-rate", context, status: refusal.message == nil ? .ok : .unprocessableEntity)
            }
        }
        context.code = chosen
        context.byLink = true
        let response = try await Pages.render(request, "public-rate", context)
        response.cookies[raterCookie] = HTTPCookies.Value(
            string: chosen, expires: link.expiresAt, path: SiteRoute.publicPublication.link(publication.id),
            isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return response
    }

    static let raterCookie = "zg_rater"

    /// The phone step stops here: the page asks for the number or the digits again, with why.
    struct PhoneStepRefusal: Error {
        var step: PhoneStep
        var message: String?
    }

    /// Only versions the public may open; anything else is the same 404 (a draft's id tells nothing).
    static func visible(_ request: Request, store: Store) async throws -> Publication {
        let id = try request.id("publicationID")
        guard let publication = try? await store.publication(id),
            publication.status == .published || publication.status == .corrected
        else { throw StoreError.notFound(what: "公示内容") }
        return publication
    }

    static func rateContext(
        _ publication: Publication, store: Store, code: String, item: String, reason: String, level: Int?
    ) async throws -> RateContext {
        RateContext(
            base: Base(title: "群众评价"), title: publication.content.title,
            items: [RateContext.Item(value: "all", label: "整体整改成效", selected: item == "all")]
                + publication.content.items.map {
                    RateContext.Item(
                        value: $0.problemID.uuidString, label: "\($0.number) \(String($0.text.prefix(30)))",
                        selected: $0.problemID.uuidString == item)
                },
            levels: RatingLevel.allCases.map {
                RateContext.Item(value: String($0.rawValue), label: $0.label, selected: $0.rawValue == level)
            },
            action: SiteRoute.publicRate.link(publication.id), back: SiteRoute.publicPublication.link(publication.id),
            code: code, reason: reason, error: nil, done: false,
            period: Publishing.periodLabel(Publishing.ratingPeriod(store.clock.today())), byLink: false,
            phoneStep: nil)
    }

    /// One measure as written; several as （1）…（2）….
    static func measureText(_ measures: [String]) -> String {
        measures.count == 1
            ? measures[0] : measures.enumerated().map { "（\($0.offset + 1)）\($0.element)" }.joined()
    }

    static func tag(_ publication: Publication) -> String {
        "\(publication.id.uuidString)-\(publication.version)-\(publication.status.rawValue)-"
            + "\(publication.correctedAt?.timeIntervalSince1970 ?? 0)"
    }

    static func lastModified(_ publication: Publication) -> Date? {
        publication.correctedAt ?? publication.approvedAt
    }

    /// Answers 304 when the browser (or a proxy) holds this version; else the page with its validators.
    static func cached(
        _ request: Request, tag raw: String, modified: Date?, _ make: () async throws -> Response
    ) async throws -> Response {
        let digest = SHA256.hash(data: Data(raw.utf8)).prefix(12).hexString
        let etag = "\"\(digest)\""
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        if let modified {
            headers.replaceOrAdd(name: .lastModified, value: modified.rfc1123)
        }
        if request.headers.first(name: .ifNoneMatch)?.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == etag
        }) == true {
            return Response(status: .notModified, headers: headers)
        }
        let response = try await make()
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }

    /// The address printed under the QR code: ZHENGGAI_PUBLIC_URL, else the host the request came to.
    static func publicAddress(_ request: Request, settings: AppConfiguration) -> String {
        if let base = settings.publicURL { return base }
        let host = request.headers.first(name: .host) ?? "\(settings.host):\(settings.port)"
        return "http://\(host)"
    }

    /// Completion as a horizontal bar, drawn by the server.
    static func chart(_ content: PublicationContent) -> String {
        let total = max(1, content.total)
        let parts: [(Int, String, String)] = [
            (content.completed, "#1a7f37", "完成整改"), (content.basicallyCompleted, "#b08800", "基本完成"),
            (content.notCompleted, "#cf222e", "未完成"),
        ]
        var x = 0.0
        var bars = ""
        var legend = ""
        for (index, (count, colour, label)) in parts.enumerated() {
            let width = 300.0 * Double(count) / Double(total)
            if count > 0 {
                bars +=
                    "<rect x=\"\(String(format: "%.1f", x))\" y=\"0\" width=\"\(String(format: "%.1f", width))\" height=\"24\" fill=\"\(colour)\"/>"
            }
            x += width
            legend +=
                "<rect x=\"\(index * 100)\" y=\"34\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
                + "<text x=\"\(index * 100 + 14)\" y=\"44\" font-size=\"11\">\(label) \(count)</text>"
        }
        return "<svg class=\"chart\" viewBox=\"0 0 300 50\" role=\"img\" aria-label=\"完成情况\">\(bars)\(legend)</svg>"
    }
}
