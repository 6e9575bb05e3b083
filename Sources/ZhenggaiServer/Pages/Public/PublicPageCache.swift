import Crypto
import Foundation
import Synchronization
import Vapor
import ZhenggaiStore

/// The public pages as this app server last rendered them. A link posted in a WeChat group brings hundreds
/// of readers at once, and every one of them would otherwise render the same Leaf page from the same rows.
/// A page is kept under the database's public stamp (`Store.publicStamp`), which every publication,
/// correction and withdrawal replaces in its own transaction, so a server never shows what another server
/// has since withdrawn (within `stampLifetime`; its own writes at once); and under the day, for pages whose
/// default is "this month". Not state of the server: losing it costs one render.
final class PublicPageCache: Sendable {
    struct Page: Sendable {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: ByteBuffer
        var etag: String
    }
    private struct State {
        var stamp = ""
        var pages: [String: Page] = [:]
        var bytes = 0
        var readAt: ContinuousClock.Instant?
        var changesSeen = -1
    }
    /// Bounds against a crawler asking for every query string: past either, the cache starts again.
    let maximumPages: Int
    let maximumBytes: Int
    /// How long the stamp read from the database is trusted before it is read again. Reading it on every
    /// request cost a trip to the database's thread and back, which under a WeChat group's burst was most
    /// of the tail latency; a second is how late another app server's publication or withdrawal may show
    /// here. This server's own writes (`Store.publicChangesHere`) show at once.
    let stampLifetime: Duration
    private let state = Mutex(State())

    init(maximumPages: Int = 2_000, maximumBytes: Int = 64 << 20, stampLifetime: Duration = .seconds(1)) {
        self.maximumPages = maximumPages
        self.maximumBytes = maximumBytes
        self.stampLifetime = stampLifetime
    }

    /// The stamp as last read, or read again when it is older than `stampLifetime` or this server wrote.
    func stamp(_ store: Store) async throws -> String {
        let now = ContinuousClock.now
        let changes = store.publicChangesHere
        let known = state.withLock { state -> String? in
            guard state.changesSeen == changes, let at = state.readAt, now - at < stampLifetime else { return nil }
            return state.stamp
        }
        if let known { return known }
        let stamp = try await store.publicStamp()
        state.withLock { state in
            if state.stamp != stamp { state = State(stamp: stamp) }
            state.readAt = now
            state.changesSeen = changes
        }
        return stamp
    }

    var count: Int { state.withLock { $0.pages.count } }

    /// The kept page for this request if the stamp still stands, else `make`'s answer, kept when it is a
    /// whole 200 page. Answers 304 when the reader already holds it.
    func serve(_ request: Request, store: Store, _ make: () async throws -> Response) async throws -> Response {
        let stamp = try await stamp(store)
        let key = "\(store.clock.today())|\(request.headers.first(name: .host) ?? "")|\(request.url.string)"
        let kept = state.withLock { state in state.stamp == stamp ? state.pages[key] : nil }
        if let kept { return Self.response(kept, for: request) }
        let response = try await make()
        guard response.status == .ok, let body = response.body.buffer else { return response }
        var headers = response.headers
        let etag =
            headers.first(name: .eTag)
            ?? "\"\(SHA256.hash(data: Data(body.readableBytesView)).prefix(12).hexString)\""
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=60")
        let page = Page(status: response.status, headers: headers, body: body, etag: etag)
        state.withLock { state in
            guard state.stamp == stamp else { return }
            if state.pages.count >= maximumPages || state.bytes + body.readableBytes > maximumBytes {
                state.pages = [:]
                state.bytes = 0
            }
            state.pages[key] = page
            state.bytes += body.readableBytes
        }
        return Self.response(page, for: request)
    }

    static func response(_ page: Page, for request: Request) -> Response {
        let held = request.headers.first(name: .ifNoneMatch)?.split(separator: ",").contains {
            $0.trimmingCharacters(in: .whitespaces) == page.etag
        }
        if held == true { return Response(status: .notModified, headers: page.headers) }
        return Response(status: page.status, headers: page.headers, body: .init(buffer: page.body))
    }
}
