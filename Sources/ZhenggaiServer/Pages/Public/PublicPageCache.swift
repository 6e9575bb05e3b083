import Crypto
import Foundation
import Synchronization
import Vapor
import ZhenggaiStore

/// The public pages as this app server last rendered them. A link posted in a WeChat group brings hundreds
/// of readers at once, and every one of them would otherwise render the same Leaf page from the same rows.
/// A page is kept under the database's public stamp (`Store.publicStamp`), which every publication,
/// correction and withdrawal replaces in its own transaction, so a server never shows what another server
/// has since withdrawn; and under the day, for pages whose default is "this month". Not state of the server:
/// losing it costs one render.
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
    }
    /// Bounds against a crawler asking for every query string: past either, the cache starts again.
    let maximumPages: Int
    let maximumBytes: Int
    private let state = Mutex(State())

    init(maximumPages: Int = 2_000, maximumBytes: Int = 64 << 20) {
        self.maximumPages = maximumPages
        self.maximumBytes = maximumBytes
    }

    var count: Int { state.withLock { $0.pages.count } }

    /// The kept page for this request if the stamp still stands, else `make`'s answer, kept when it is a
    /// whole 200 page. Answers 304 when the reader already holds it.
    func serve(_ request: Request, store: Store, _ make: () async throws -> Response) async throws -> Response {
        let stamp = try await store.publicStamp()
        let key = "\(store.clock.today())|\(request.headers.first(name: .host) ?? "")|\(request.url.string)"
        let kept = state.withLock { state -> Page? in
            if state.stamp != stamp { state = State(stamp: stamp) }
            return state.pages[key]
        }
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
                state = State(stamp: stamp)
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
