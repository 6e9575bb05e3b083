import Foundation
import Vapor
import ZhenggaiServices

/// A file sent to the browser: evidence, exports, reports. One place for the headers that keep a stored
/// file from being run as a page (nosniff) and that name it in Chinese (RFC 6266: the UTF-8 name, with an
/// ASCII fallback for old clients).
enum FileResponse {
    static func make(_ data: Data, fileName: String, contentType: String, inline: Bool = false) -> Response {
        Response(
            status: .ok, headers: headers(fileName: fileName, contentType: contentType, inline: inline),
            body: .init(data: data))
    }

    /// A download written while it is read (a ledger export of a whole county): memory holds one chunk, not the
    /// file. A failure after the first bytes breaks the connection, so the browser reports a failed download
    /// instead of saving a file that silently stops.
    static func streamed(
        fileName: String, contentType: String, logger: Logger,
        _ write: @escaping @Sendable (@escaping @Sendable (Data) async throws -> Void) async throws -> Void
    ) -> Response {
        Response(
            status: .ok, headers: headers(fileName: fileName, contentType: contentType, inline: false),
            body: .init(asyncStream: { writer in
                do {
                    try await write { try await writer.writeBuffer(ByteBuffer(data: $0)) }
                    try await writer.write(.end)
                } catch {
                    logger.error("download stopped", metadata: ["file": "\(fileName)", "error": "\(error)"])
                    try? await writer.write(.error(error))
                }
            }))
    }

    static func headers(fileName: String, contentType: String, inline: Bool) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        headers.replaceOrAdd(name: "Cache-Control", value: "no-store")
        if inline {
            // A previewed file may show itself and nothing else.
            headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; img-src 'self'")
        }
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "download"
        headers.replaceOrAdd(
            name: .contentDisposition,
            value: "\(inline ? "inline" : "attachment"); filename=\"download\"; filename*=UTF-8''\(encoded)")
        return headers
    }

    /// An uploaded file (evidence, an appeal's file): pictures and PDFs open in the browser for preview,
    /// everything else downloads, and `?download=1` always downloads.
    static func uploaded(_ data: Data, fileName: String, contentType: String, request: Request) -> Response {
        let inline =
            (contentType.hasPrefix("image/") || contentType == "application/pdf")
            && (try? request.query.get(String.self, at: "download")) == nil
        return make(data, fileName: fileName, contentType: contentType, inline: inline)
    }
}
