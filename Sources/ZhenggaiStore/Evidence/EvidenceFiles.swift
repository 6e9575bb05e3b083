import Crypto
public import Foundation
import ZhenggaiCore

/// What may be uploaded as 佐证材料: office documents, PDFs and pictures, checked by their first bytes and
/// not only by the name, so a renamed executable or script is refused.
public enum EvidenceFiles {
    public static let defaultLimit = 20 * 1_048_576

    struct Kind: Sendable {
        var extensions: [String]
        var contentType: String
        var matches: @Sendable (Data) -> Bool
    }

    static func starts(_ data: Data, _ magic: [UInt8]) -> Bool {
        data.count >= magic.count && data.prefix(magic.count).elementsEqual(magic)
    }

    static let kinds: [Kind] = [
        Kind(extensions: ["pdf"], contentType: "application/pdf") { starts($0, Array("%PDF-".utf8)) },
        Kind(extensions: ["jpg", "jpeg"], contentType: "image/jpeg") { starts($0, [0xFF, 0xD8, 0xFF]) },
        Kind(extensions: ["png"], contentType: "image/png") { starts($0, [0x89, 0x50, 0x4E, 0x47]) },
        Kind(
            extensions: ["docx"],
            contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ) { starts($0, [0x50, 0x4B, 0x03, 0x04]) },
        Kind(extensions: ["xlsx"], contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
            starts($0, [0x50, 0x4B, 0x03, 0x04])
        },
        Kind(extensions: ["doc", "xls"], contentType: "application/octet-stream") {
            starts($0, [0xD0, 0xCF, 0x11, 0xE0])
        },
        Kind(extensions: ["ofd"], contentType: "application/ofd") { starts($0, [0x50, 0x4B, 0x03, 0x04]) },
        Kind(extensions: ["txt"], contentType: "text/plain; charset=utf-8") {
            String(data: $0, encoding: .utf8) != nil && !$0.contains(0)
        },
    ]

    /// Keeps the last path component only and drops control characters: a name like "../../etc/passwd"
    /// or "a\u{0}.pdf" never reaches a path or a header.
    public static func cleanName(_ raw: String) -> String {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(
            String.UnicodeScalarView(
                last.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" })
        )
        .trimmingCharacters(in: .whitespaces)
        let bounded = String(cleaned.prefix(120))
        return bounded.isEmpty || bounded == "." || bounded == ".." ? "未命名文件" : bounded
    }

    public static func check(name: String, data: Data, limit: Int) throws(StoreError) -> String {
        guard data.count <= limit else { throw .tooLarge(limitBytes: limit) }
        guard !data.isEmpty else { throw .unsupportedFile("「\(name)」是空文件。") }
        let ext = (name as NSString).pathExtension.lowercased()
        let allowed = kinds.flatMap(\.extensions).joined(separator: "、")
        guard let kind = kinds.first(where: { $0.extensions.contains(ext) }) else {
            throw .unsupportedFile("「\(name)」的文件类型不支持，可上传：\(allowed)。")
        }
        guard kind.matches(data) else {
            throw .unsupportedFile("「\(name)」的内容与扩展名 .\(ext) 不符，文件可能已损坏或被改名。")
        }
        return kind.contentType
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).hexString
    }
}
