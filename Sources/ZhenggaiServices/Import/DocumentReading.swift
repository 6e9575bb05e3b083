public import Foundation
public import ZhenggaiOffice
public import ZhenggaiText

/// Reads a document a user brings (a .docx, or text in any of the encodings people save in) into the
/// parser's proposed problem list. The Word layer and the text engine stay apart; this is where they meet.
public enum DocumentReading {
    /// 64 MiB: a feedback document is a few hundred KB; anything far larger is not one.
    public static let sizeLimit = 64 * 1_048_576

    /// How much one document may cost. The web import is bounded tightly (any signed-in user who may add
    /// problems can send a file): a feedback document is at most a few hundred pages, so its text is at most
    /// `maxCharacters`; the command line reads large batches for benchmarks and keeps the wide limits.
    public struct Limits: Sendable {
        public var maxBytes: Int
        /// Decoded text, in characters: 600,000 is about 400 pages of a Word document.
        public var maxCharacters: Int
        /// Proposed problems per document; a preview of more is no longer something a person reviews.
        public var maxProblems: Int
        public var zip: ZipLimits

        public static let interactive = Limits(
            maxBytes: 16 * 1_048_576, maxCharacters: 600_000, maxProblems: 1_000,
            zip: ZipLimits(maxEntryBytes: 48 << 20, maxTotalBytes: 96 << 20))
        public static let batch = Limits(
            maxBytes: sizeLimit, maxCharacters: .max, maxProblems: .max, zip: .standard)
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var userMessage: String
        public var detail: String
        public var description: String { userMessage }

        public init(userMessage: String, detail: String) {
            self.userMessage = userMessage
            self.detail = detail
        }
    }

    public static func parse(data: Data, fileName: String, limits: Limits = .batch) throws(ReadError) -> ParsedDocument
    {
        guard data.count <= limits.maxBytes else {
            throw ReadError(
                userMessage: "「\(fileName)」超过 \(limits.maxBytes / 1_048_576) MB，不像一份反馈或报告文件，请分开导入。",
                detail: "size \(data.count)")
        }
        let isZip = data.starts(with: [0x50, 0x4B, 0x03, 0x04])
        let isOLE = data.starts(with: [0xD0, 0xCF, 0x11, 0xE0])
        let document: ParsedDocument
        if isZip || isOLE || fileName.lowercased().hasSuffix(".docx") {
            let text: String
            do {
                text = try DocxReader.read(data, fileName: fileName, limits: limits.zip).plainText
            } catch let error as OfficeError {
                throw ReadError(userMessage: error.userMessage, detail: error.description)
            } catch {
                throw ReadError(userMessage: "「\(fileName)」无法读取：文件可能已损坏。", detail: "\(error)")
            }
            try check(characters: text.unicodeScalars.count, fileName: fileName, limits: limits)
            document = DocumentParser.parse(text: text)
        } else {
            do {
                document = try DocumentParser.parse(data: data, fileName: fileName)
            } catch {
                throw ReadError(userMessage: error.userMessage, detail: error.description)
            }
            try check(characters: document.cleanedText.unicodeScalars.count, fileName: fileName, limits: limits)
        }
        guard document.problems.count <= limits.maxProblems else {
            throw ReadError(
                userMessage: "「\(fileName)」识别出 \(document.problems.count) 条问题，超过一次导入的上限 \(limits.maxProblems) 条："
                    + "请按章节或单位分开导入。",
                detail: "problems \(document.problems.count)")
        }
        return document
    }

    /// Parses pasted text under the same limits as a file.
    public static func parse(text: String, limits: Limits) throws(ReadError) -> ParsedDocument {
        try check(characters: text.unicodeScalars.count, fileName: "粘贴的文字", limits: limits)
        let document = DocumentParser.parse(text: text)
        guard document.problems.count <= limits.maxProblems else {
            throw ReadError(
                userMessage: "粘贴的文字识别出 \(document.problems.count) 条问题，超过一次导入的上限 \(limits.maxProblems) 条。",
                detail: "problems \(document.problems.count)")
        }
        return document
    }

    static func check(characters: Int, fileName: String, limits: Limits) throws(ReadError) {
        guard characters <= limits.maxCharacters else {
            throw ReadError(
                userMessage: "「\(fileName)」约 \(characters / 10_000) 万字，超过一次导入的上限 \(limits.maxCharacters / 10_000) 万字"
                    + "（约 400 页）：反馈意见、整改报告一般不超过几百页，请分开导入。",
                detail: "characters \(characters)")
        }
    }

    /// A file path, or "-" for standard input; reads at most one byte past the limit so a huge input is
    /// refused without being held in memory whole.
    public static func read(path: String) throws(ReadError) -> (data: Data, name: String) {
        let handle: FileHandle
        let name = path == "-" ? "标准输入" : (path as NSString).lastPathComponent
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw ReadError(userMessage: "无法打开文件「\(path)」：文件不存在或没有读取权限。", detail: path)
            }
            handle = opened
        }
        do {
            let data = try handle.read(upToCount: sizeLimit + 1) ?? Data()
            return (data, name)
        } catch {
            throw ReadError(userMessage: "读取「\(name)」时出错。", detail: "\(error)")
        }
    }

    /// Scores the parser on a folder of documents with expected results; .docx files go through Word.
    public static func evaluate(directory: URL) throws -> EvaluationReport {
        try ParserEvaluation.evaluate(directory: directory) { url in
            let data = try Data(contentsOf: url)
            return try parse(data: data, fileName: url.lastPathComponent)
        }
    }
}
