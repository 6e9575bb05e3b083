public import ZhenggaiCore

/// Errors a caller can act on. Each carries the sentence the user reads; the edge maps `kind` to a status.
public enum StoreError: Error, Sendable {
    case notFound(what: String)
    case invalid(field: String, message: String)
    case duplicate(String)
    case workflow(WorkflowError)
    case tooLarge(limitBytes: Int)
    case unsupportedFile(String)

    public enum Kind: Sendable { case notFound, invalid, conflict, tooLarge }

    public var kind: Kind {
        switch self {
        case .notFound: .notFound
        case .invalid, .unsupportedFile: .invalid
        case .duplicate, .workflow: .conflict
        case .tooLarge: .tooLarge
        }
    }

    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .invalid: "invalid"
        case .duplicate: "duplicate"
        case .workflow(.versionConflict): "version_conflict"
        case .workflow: "workflow"
        case .tooLarge: "too_large"
        case .unsupportedFile: "unsupported_file"
        }
    }

    public var userMessage: String {
        switch self {
        case .notFound(let what): "找不到该\(what)，可能已被删除或编号有误。"
        case .invalid(let field, let message): "「\(field)」\(message)"
        case .duplicate(let message): message
        case .workflow(let error): error.userMessage
        case .tooLarge(let limit): "文件超过大小上限（\(limit / 1_048_576) MB），请压缩或拆分后再上传。"
        case .unsupportedFile(let message): message
        }
    }
}
