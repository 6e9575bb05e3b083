public import Foundation

/// What a careful reader expects from one document: its problems, each by its first 20 characters and
/// its category. Stored as `NAME.expected.json` in an evaluation folder (see eval/README.md). The real
/// corpus (eval/real/ANNOTATION.md) writes each problem's verbatim `text` instead of a `prefix`, and adds the
/// document's `genre`; both forms are read.
public struct ExpectedDocument: Codable, Sendable {
    public struct Problem: Codable, Sendable {
        /// The problem's first 20 characters (fewer if the problem is shorter), marker excluded.
        public var prefix: String
        public var category: String

        public init(prefix: String, category: String) {
            self.prefix = prefix
            self.category = category
        }

        enum CodingKeys: String, CodingKey { case prefix, text, category }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            category = try container.decode(String.self, forKey: .category)
            if let prefix = try container.decodeIfPresent(String.self, forKey: .prefix) {
                self.prefix = prefix
            } else {
                prefix = try container.decode(String.self, forKey: .text)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(prefix, forKey: .prefix)
            try container.encode(category, forKey: .category)
        }
    }

    /// Path of the document, relative to the expected file; default `NAME.txt` beside it.
    public var document: String?
    /// 巡察反馈, 整改进展通报, 审计整改报告, …: figures are also given per genre.
    public var genre: String?
    public var problems: [Problem]

    public init(document: String?, genre: String? = nil, problems: [Problem]) {
        self.document = document
        self.genre = genre
        self.problems = problems
    }
}

public struct EvaluationReport: Sendable, CustomStringConvertible {
    public struct DocumentScore: Sendable {
        public var name: String
        public var genre: String = ""
        /// Set when the document was not scored (for example a seed absent from a fresh clone).
        public var skipped: String?
        public var expected: Int
        public var found: Int
        public var matched: Int
        public var categoryAgreements: Int
        /// Prefixes of expected problems the parser missed.
        public var missing: [String]
        /// Prefixes of problems the parser reported that nobody expected.
        public var unexpected: [String]
        /// Matched problems whose category differs: prefix, expected, found.
        public var disagreements: [String]
    }

    public var documents: [DocumentScore]

    private var scored: [DocumentScore] {
        documents.filter { $0.skipped == nil }
    }

    public var recall: Double {
        Self.ratio(scored.reduce(0) { $0 + $1.matched }, scored.reduce(0) { $0 + $1.expected })
    }

    public var precision: Double {
        Self.ratio(scored.reduce(0) { $0 + $1.matched }, scored.reduce(0) { $0 + $1.found })
    }

    public var categoryAccuracy: Double {
        Self.ratio(scored.reduce(0) { $0 + $1.categoryAgreements }, scored.reduce(0) { $0 + $1.matched })
    }

    private static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }

    private static func percent(_ value: Double) -> String {
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Figures over a subset of the documents (one genre).
    public func restricted(to genre: String) -> EvaluationReport {
        EvaluationReport(documents: documents.filter { $0.genre == genre })
    }

    /// Documents with nothing to find, and the problems reported in them anyway.
    public var emptyDocuments: (count: Int, falseProblems: Int) {
        let empty = scored.filter { $0.expected == 0 }
        return (empty.count, empty.reduce(0) { $0 + $1.found })
    }

    /// One line: recall, precision, category agreement, the counts behind them, false problems in empty
    /// documents.
    public var summary: String {
        let empty = emptyDocuments
        return "召回率 \(Self.percent(recall))，精确率 \(Self.percent(precision))，类别准确率 \(Self.percent(categoryAccuracy))"
            + "（\(scored.count) 份文档，应有 \(scored.reduce(0) { $0 + $1.expected })，识别 \(scored.reduce(0) { $0 + $1.found })，"
            + "命中 \(scored.reduce(0) { $0 + $1.matched })；无问题文档 \(empty.count) 份，其中误报 \(empty.falseProblems) 条）"
    }

    public var description: String {
        var lines = [String]()
        for document in documents {
            if let skipped = document.skipped {
                lines.append("\(document.name): 跳过（\(skipped)）")
                continue
            }
            lines.append(
                "\(document.name): 应有 \(document.expected)，识别 \(document.found)，命中 \(document.matched)，"
                    + "类别一致 \(document.categoryAgreements)")
            for prefix in document.missing { lines.append("  漏识别：\(prefix)") }
            for prefix in document.unexpected { lines.append("  多识别：\(prefix)") }
            for line in document.disagreements { lines.append("  类别不一致：\(line)") }
        }
        let genres = Array(Set(scored.map(\.genre).filter { !$0.isEmpty })).sorted()
        if genres.count > 1 {
            for genre in genres { lines.append("【\(genre)】\(restricted(to: genre).summary)") }
        }
        let skipped = documents.count - scored.count
        lines.append("合计：\(summary)" + (skipped > 0 ? "，跳过 \(skipped) 份" : ""))
        return lines.joined(separator: "\n")
    }
}

public enum ParserEvaluation {
    /// Characters compared per problem.
    public static let prefixLength = 20

    /// Scores the parser on every `*.expected.json` in `directory` (sorted by name), reading text files.
    public static func evaluate(directory: URL) throws(DocumentError) -> EvaluationReport {
        do {
            return try evaluate(directory: directory) { url in try DocumentParser.parse(fileAt: url) }
        } catch let error as DocumentError {
            throw error
        } catch {
            // The default loader only throws DocumentError.
            throw .unreadable(fileName: directory.path, reason: String(describing: error))
        }
    }

    /// Same, with the caller's loader (for example one that extracts text from .docx first); errors of
    /// the loader are passed on as they are.
    public static func evaluate(
        directory: URL,
        parse: (URL) throws -> ParsedDocument
    ) throws -> EvaluationReport {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".expected.json") }
                .sorted()
        } catch {
            throw DocumentError.unreadable(fileName: directory.path, reason: "评测目录不存在或无法读取")
        }
        var documents = [EvaluationReport.DocumentScore]()
        for name in names {
            let expectedURL = directory.appendingPathComponent(name)
            let expected: ExpectedDocument
            do {
                expected = try JSONDecoder().decode(ExpectedDocument.self, from: Data(contentsOf: expectedURL))
            } catch {
                throw DocumentError.unreadable(fileName: name, reason: "不是有效的评测文件（\(error.localizedDescription)）")
            }
            let stem = String(name.dropLast(".expected.json".count))
            let documentURL = URL(fileURLWithPath: expected.document ?? "\(stem).txt", relativeTo: directory)
                .standardizedFileURL
            guard FileManager.default.fileExists(atPath: documentURL.path) else {
                documents.append(
                    EvaluationReport.DocumentScore(
                        name: stem, skipped: "文档不存在：\(expected.document ?? "\(stem).txt")", expected: 0, found: 0,
                        matched: 0, categoryAgreements: 0, missing: [], unexpected: [], disagreements: []))
                continue
            }
            var scored = score(stem, expected: expected, parsed: try parse(documentURL))
            scored.genre = expected.genre ?? ""
            documents.append(scored)
        }
        return EvaluationReport(documents: documents)
    }

    /// Matches expected and found problems one to one by normalised prefix, in document order.
    public static func score(
        _ name: String,
        expected: ExpectedDocument,
        parsed: ParsedDocument
    ) -> EvaluationReport.DocumentScore {
        let foundKeys = parsed.problems.map { key($0.text) }
        var used = [Bool](repeating: false, count: foundKeys.count)
        var matched = 0
        var agreements = 0
        var missing = [String]()
        var disagreements = [String]()
        for problem in expected.problems {
            let wanted = key(problem.prefix)
            guard !wanted.isEmpty,
                let position = foundKeys.indices.first(where: { !used[$0] && foundKeys[$0].starts(with: wanted) })
            else {
                missing.append(problem.prefix)
                continue
            }
            used[position] = true
            matched += 1
            if parsed.problems[position].category == problem.category {
                agreements += 1
            } else {
                disagreements.append(
                    "\(problem.prefix)：应为 \(problem.category)，识别为 \(parsed.problems[position].category)")
            }
        }
        let unexpected = parsed.problems.indices.filter { !used[$0] }.map {
            String(String.UnicodeScalarView(parsed.problems[$0].text.unicodeScalars.prefix(prefixLength)))
        }
        return EvaluationReport.DocumentScore(
            name: name, skipped: nil, expected: expected.problems.count, found: parsed.problems.count,
            matched: matched, categoryAgreements: agreements, missing: missing, unexpected: unexpected,
            disagreements: disagreements)
    }

    /// First `prefixLength` scalars, full-width folded to half-width, whitespace dropped.
    static func key(_ text: String) -> [UInt32] {
        var result = [UInt32]()
        for scalar in text.unicodeScalars {
            let value = Scalars.fold(scalar.value)
            if Scalars.isSpace(value) || value == 0x0A || value == 0x0D { continue }
            result.append(value)
            if result.count == prefixLength { break }
        }
        return result
    }
}
