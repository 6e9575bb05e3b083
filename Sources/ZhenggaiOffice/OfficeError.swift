/// What kind of file a reader expected, so an error can name it the way users do.
public enum OfficeFileKind: String, Sendable, Hashable {
    case spreadsheet
    case document
    case csv

    /// The name users know the file by ("Excel 文件", "Word 文档").
    var userName: String {
        switch self {
        case .spreadsheet: "Excel 文件"
        case .document: "Word 文档"
        case .csv: "CSV 文件"
        }
    }
}

/// Every failure of the office layer: a Chinese sentence for users and a precise description for the log.
public struct OfficeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// The bytes are no ZIP archive at all (and no OLE file either).
        case notAnArchive
        /// The archive is damaged or cut short (no end record, bad CRC, unreadable entry).
        case corrupt(detail: String)
        /// An OLE compound file holding an encrypted OOXML package (a file with an opening password).
        case encrypted
        /// An OLE compound file that is an old binary .xls / .doc / WPS file.
        case legacyBinaryFormat
        /// A valid ZIP that is not the expected kind of package (e.g. a .docx given as a spreadsheet).
        case wrongPackage(found: String?)
        /// A part the package must have is missing.
        case missingPart(path: String)
        case tooManyEntries(limit: Int)
        case entryTooLarge(path: String, limit: Int)
        case totalTooLarge(limit: Int)
        /// Expansion ratio far beyond real office files: a ZIP bomb.
        case compressionRatio(path: String, limit: Int)
        /// XML that is not well-formed.
        case malformedXML(part: String, line: Int, detail: String)
        /// DOCTYPE / ENTITY declarations: never needed by OOXML, the door to XXE and billion laughs.
        case forbiddenXMLDeclaration(part: String, line: Int)
        case xmlTooDeep(part: String, line: Int, limit: Int)
        case tooManyRows(sheet: String, limit: Int)
        case tooManyColumns(sheet: String, row: Int, limit: Int)
        case tooManyCells(sheet: String, limit: Int)
        case badCell(sheet: String, reference: String, detail: String)
        /// A value that cannot be written (e.g. text longer than Excel's 32,767 characters per cell).
        case unwritableValue(sheet: String, row: Int, column: Int, detail: String)
        case unreadableText
        case invalidArgument(detail: String)
    }

    public let reason: Reason
    /// The file name as the user knows it, when the caller gave one.
    public let fileName: String?
    public let fileKind: OfficeFileKind

    public init(_ reason: Reason, fileName: String? = nil, fileKind: OfficeFileKind) {
        self.reason = reason
        self.fileName = fileName
        self.fileKind = fileKind
    }

    func naming(_ fileName: String?) -> OfficeError {
        OfficeError(reason, fileName: fileName ?? self.fileName, fileKind: fileKind)
    }

    /// The sentence shown to users: what is wrong, where, and what to do.
    public var userMessage: String {
        let file = fileName.map { "「\($0)」" } ?? "文件"
        let kind = fileKind.userName
        switch reason {
        case .notAnArchive:
            return "\(file)不是有效的 \(kind)，请确认文件类型后重新选择。"
        case .corrupt:
            return "\(file)已损坏或不完整，无法打开。请用 Excel 或 WPS 打开后重新另存，再上传。"
        case .encrypted:
            return "\(file)设置了打开密码（文件加密），无法读取。请在 Office 或 WPS 中取消密码后另存，再上传。"
        case .legacyBinaryFormat:
            let newer = fileKind == .document ? ".docx" : ".xlsx"
            return "\(file)是旧版 97-2003 格式（.xls / .doc）或 WPS 专有格式，请在 Office 或 WPS 中另存为 \(newer) 后再上传。"
        case .wrongPackage(let found):
            let what = found.map { "（看起来是\($0)）" } ?? ""
            return "\(file)不是有效的 \(kind)\(what)，请确认文件类型后重新选择。"
        case .missingPart(let path):
            return "\(file)缺少必要的内容（\(path)），文件已损坏。请重新另存后再上传。"
        case .tooManyEntries(let limit):
            return "\(file)包含的内部文件超过 \(limit) 个，不像正常的\(kind)，已拒绝读取。"
        case .entryTooLarge(_, let limit), .totalTooLarge(let limit):
            return "\(file)解压后超过 \(limit / 1_048_576) MB，超出允许的大小，已拒绝读取。请拆分后再上传。"
        case .compressionRatio:
            return "\(file)的压缩比异常（可能是恶意构造的压缩炸弹），已拒绝读取。"
        case .malformedXML(let part, let line, _):
            return "\(file)内部内容格式错误（\(part) 第 \(line) 行），文件已损坏。请重新另存后再上传。"
        case .forbiddenXMLDeclaration(let part, let line):
            return "\(file)内部含有不允许的 XML 声明（\(part) 第 \(line) 行），为安全起见已拒绝读取。"
        case .xmlTooDeep(let part, let line, _):
            return "\(file)内部结构嵌套过深（\(part) 第 \(line) 行），已拒绝读取。"
        case .tooManyRows(let sheet, let limit):
            return "\(file)的工作表「\(sheet)」超过 \(limit) 行，超出一次导入的上限。请拆分后再导入。"
        case .tooManyColumns(let sheet, let row, let limit):
            return "\(file)的工作表「\(sheet)」第 \(row) 行超过 \(limit) 列，超出导入上限。"
        case .tooManyCells(let sheet, let limit):
            return "\(file)的工作表「\(sheet)」单元格超过 \(limit) 个，超出一次导入的上限。请拆分后再导入。"
        case .badCell(let sheet, let reference, _):
            return "\(file)的工作表「\(sheet)」单元格 \(reference) 内容无法识别，文件可能已损坏。"
        case .unwritableValue(let sheet, let row, let column, let detail):
            return "无法生成「\(sheet)」：第 \(row) 行第 \(column) 列\(detail)。"
        case .unreadableText:
            return "\(file)的文字编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），请另存为 UTF-8 后再上传。"
        case .invalidArgument(let detail):
            return "无法生成文件：\(detail)。"
        }
    }

    /// The line for the log: the reason in full, with the internal part and detail.
    public var description: String {
        "OfficeError(\(fileKind.rawValue), file: \(fileName ?? "-")): \(reason)"
    }
}
