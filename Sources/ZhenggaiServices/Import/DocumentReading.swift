public import Foundation
import ZhenggaiOffice
public import ZhenggaiText

/// Reads a document a user brings (a .docx, or text in any of the encodings people save in) into the
/// parser's proposed problem list. The Word layer and the text engine stay apart; this is where they meet.
public enum DocumentReading {
    /// 64 MiB: a feedback document is a few hundred KB; anything far larger is not one.
    public static let sizeLimit = 64 * 1_048_576

    public struct ReadError: Error, CustomStringConvertible {
        public var userMessage: String
        public var detail: String
        public var description: String { userMessage }

        public init(userMessage: String, detail: String) {
            self.userMessage = userMessage
            self.detail = detail
        }
    }

    public static func parse(data: Data, fileName: String) throws(ReadError) -> ParsedDocument {
        guard data.count <= sizeLimit else {
            throw ReadError(
                userMessage: "「\(fileName)」超过 \(sizeLimit / 1_048_576) MB，不像一份反馈或报告文件。", detail: "size \(data.count)")
        }
        let isZip = data.starts(with: [0x50, 0x4B, 0x03, 0x04])
        let isOLE = data.starts(with: [0xD0, 0xCF, 0x11, 0xE0])
        if isZip || isOLE || fileName.lowercased().hasSuffix(".docx") {
            do {
                let text = try DocxReader.read(data, fileName: fileName).plainText
                return DocumentParser.parse(text: text)
            } catch let error as OfficeError {
                throw ReadError(userMessage: error.userMessage, detail: error.description)
            } catch {
                throw ReadError(userMessage: "「\(fileName)」无法读取：文件可能已损坏。", detail: "\(error)")
            }
        }
        do {
            return try DocumentParser.parse(data: data, fileName: fileName)
        } catch {
            throw ReadError(userMessage: error.userMessage, detail: error.description)
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
