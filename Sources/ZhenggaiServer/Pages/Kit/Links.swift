import Foundation
import ZhenggaiServices

/// Links with a query string, every value percent-encoded (a search for "&" or "+" must not split).
enum Links {
    static func path(_ path: String, query items: [(String, String)]) -> String {
        guard !items.isEmpty else { return path }
        let query = items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        return "\(path)?\(query)"
    }

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// What may stand unescaped in a query value: unreserved characters only.
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
