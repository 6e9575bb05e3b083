import Foundation
import Vapor
import ZhenggaiServices

/// A file sent to the browser: evidence, exports, reports. One place for the headers that keep a stored
/// file from being run as a page (nosniff) and that name it in Chinese (RFC 6266: the UTF-8 name, with an
/// ASCII fallback for old clients).
enum FileResponse {
    static func make(_ data: Data, fileName: String, contentType: String, inline: Bool = false) -> Response {
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
        return Response(status: .ok, headers: headers, body: .init(data: data))
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
