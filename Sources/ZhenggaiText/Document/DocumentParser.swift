public import Foundation

/// Reads a Chinese report (自查报告, 巡察反馈, 对照检查材料, …) and proposes its problems and measures.
/// Offline and deterministic: the same bytes always give the same result.
public enum DocumentParser {
    public struct Options: Sendable {
        /// Inputs larger than this are refused before decoding.
        public var sizeLimit: Int

        public init(sizeLimit: Int = TextDecoding.defaultSizeLimit) {
            self.sizeLimit = sizeLimit
        }
    }

    /// Parses raw bytes in UTF-8 (with or without BOM), UTF-16 (LE/BE) or GB18030/GBK.
    public static func parse(
        data: Data,
        fileName: String,
        options: Options = Options()
    ) throws(DocumentError) -> ParsedDocument {
        let decoded = try TextDecoding.decodeScalars(data, fileName: fileName, sizeLimit: options.sizeLimit)
        var document = parse(scalars: decoded.scalars)
        document.encoding = decoded.encoding
        return document
    }

    /// Parses a text file, checking its size before reading it and never reading past the cap.
    public static func parse(fileAt url: URL, options: Options = Options()) throws(DocumentError) -> ParsedDocument {
        let name = url.lastPathComponent
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = (attributes?[.size] as? NSNumber)?.intValue, size > options.sizeLimit {
            throw .tooLarge(fileName: name, size: size, limit: options.sizeLimit)
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: options.sizeLimit + 1) ?? Data()
        } catch {
            throw .unreadable(fileName: name, reason: "文件不存在或无权限读取")
        }
        return try parse(data: data, fileName: name, options: options)
    }

    /// Parses text that is already decoded (for example extracted from a .docx).
    public static func parse(text: String) -> ParsedDocument {
        parse(scalars: Scalars.of(text))
    }

    static func parse(scalars input: [UInt32]) -> ParsedDocument {
        let cleaned = TextCleaner.clean(input)
        var analysis = DocumentAnalysis(text: TraditionalChinese.simplified(cleaned.scalars), original: cleaned.scalars)
        analysis.run()
        return ParsedDocument(
            title: analysis.title,
            kind: analysis.kind,
            removed: cleaned.removed,
            outline: analysis.outline(),
            problems: analysis.problems,
            measures: analysis.measures,
            cleanedText: analysis.slicer.string,
            encoding: nil)
    }
}
