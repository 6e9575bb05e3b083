/// Why a document could not be read as text. Each case names the file so the message says where.
public enum DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input is larger than the configured cap; nothing was read beyond the size check.
    case tooLarge(fileName: String, size: Int, limit: Int)
    /// The bytes are not text (NUL-heavy, control characters, or a known binary signature).
    case binary(fileName: String, offset: Int, detail: String)
    /// The bytes are neither UTF-8, UTF-16 nor GB18030.
    case undecodable(fileName: String)
    /// The file could not be opened or read.
    case unreadable(fileName: String, reason: String)

    /// One sentence in Chinese for the person who gave us the file.
    public var userMessage: String {
        switch self {
        case .tooLarge(let fileName, let size, let limit):
            "文件“\(fileName)”大小为 \(Self.megabytes(size))，超过上限 \(Self.megabytes(limit))，未读取。请拆分后再导入。"
        case .binary(let fileName, let offset, let detail):
            "文件“\(fileName)”不是文本文件（\(detail)，位置：第 \(offset) 字节）。请另存为 .txt 或 .docx 后再导入。"
        case .undecodable(let fileName):
            "文件“\(fileName)”的编码无法识别（不是 UTF-8、UTF-16 或 GB18030/GBK）。请用记事本另存为 UTF-8 后再导入。"
        case .unreadable(let fileName, let reason):
            "无法读取文件“\(fileName)”：\(reason)。"
        }
    }

    /// For logs: stable English wording with the same facts.
    public var description: String {
        switch self {
        case .tooLarge(let fileName, let size, let limit):
            "document too large: \(fileName) has \(size) bytes, limit \(limit)"
        case .binary(let fileName, let offset, let detail):
            "binary input: \(fileName) at byte \(offset) (\(detail))"
        case .undecodable(let fileName):
            "undecodable text: \(fileName) is not UTF-8, UTF-16 or GB18030"
        case .unreadable(let fileName, let reason):
            "unreadable file: \(fileName): \(reason)"
        }
    }

    private static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
