public import Foundation

/// The kind of document, from its title (or its text when the title is missing).
public enum DocumentKind: String, Codable, Sendable, CaseIterable {
    case selfCheckReport = "自查报告"
    case workReport = "工作汇报"
    case checkMaterial = "对照检查材料"
    case inspectionFeedback = "巡察反馈"
    case rectificationBulletin = "整改通报"
    case auditRectificationReport = "审计整改报告"
    case other
}

/// A heading or item of the outline. `level` is the depth in the tree (1 = outermost), so skipped
/// marker levels and documents that start mid-way still nest correctly.
public struct OutlineNode: Codable, Sendable, Equatable {
    public var level: Int
    /// The marker as written ("一、", "（一）", "1.", "一是", "①", "（%1）"); empty for a role label such as
    /// "主要原因分析：".
    public var marker: String
    /// The heading's first sentence (at most 60 characters).
    public var title: String
    public var role: SectionRole
    public var children: [OutlineNode]
}

/// A problem: the smallest item stating one shortcoming, verbatim.
/// `start`/`end` are Unicode scalar offsets into `ParsedDocument.cleanedText` (end exclusive); the range
/// covers `text` exactly (the marker is not included).
public struct ProblemItem: Codable, Sendable, Equatable {
    public var id: Int
    /// The headings above the problem, outermost first, each as marker + title.
    public var path: [String]
    public var marker: String
    public var text: String
    public var start: Int
    public var end: Int
    /// A code of DOMAIN.md §4, "A1" … "D4".
    public var category: String
    /// Posterior probability of `category`, 0…1.
    public var confidence: Double
    /// Ids of the measures the document gives for this problem.
    public var measures: [Int]
}

/// A rectification measure, same conventions as `ProblemItem`.
public struct MeasureItem: Codable, Sendable, Equatable {
    public var id: Int
    public var path: [String]
    public var text: String
    public var start: Int
    public var end: Int
}

/// The result of parsing one document. Encodes exactly the JSON of issue 4; `cleanedText` and
/// `encoding` are not encoded.
public struct ParsedDocument: Codable, Sendable {
    public var title: String
    public var kind: DocumentKind
    public var removed: [Removal]
    public var outline: [OutlineNode]
    public var problems: [ProblemItem]
    public var measures: [MeasureItem]
    /// The text after cleaning; all offsets point into its Unicode scalars.
    public var cleanedText: String
    /// The encoding the bytes were decoded from, nil when the input was already a String.
    public var encoding: TextEncoding?

    enum CodingKeys: String, CodingKey {
        case title, kind, removed, outline, problems, measures
    }

    public init(
        title: String, kind: DocumentKind, removed: [Removal], outline: [OutlineNode], problems: [ProblemItem],
        measures: [MeasureItem], cleanedText: String, encoding: TextEncoding?
    ) {
        self.title = title
        self.kind = kind
        self.removed = removed
        self.outline = outline
        self.problems = problems
        self.measures = measures
        self.cleanedText = cleanedText
        self.encoding = encoding
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        kind = try container.decode(DocumentKind.self, forKey: .kind)
        removed = try container.decode([Removal].self, forKey: .removed)
        outline = try container.decode([OutlineNode].self, forKey: .outline)
        problems = try container.decode([ProblemItem].self, forKey: .problems)
        measures = try container.decode([MeasureItem].self, forKey: .measures)
        cleanedText = ""
        encoding = nil
    }

    /// The JSON of issue 4, keys sorted so the output is byte-for-byte stable.
    public func jsonData(prettyPrinted: Bool = true) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            prettyPrinted ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        // Every field is a plain value type; encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }

    /// A human-readable outline with the problems and measures, for the terminal.
    public func summary() -> String {
        var lines = [String]()
        lines.append("标题：\(title.isEmpty ? "（无）" : title)")
        lines.append("类型：\(kind == .other ? "其他" : kind.rawValue)")
        if !removed.isEmpty {
            lines.append("已清除：\(removed.count) 处（\(Self.reasonCounts(removed))）")
        }
        lines.append("")
        lines.append("提纲：")
        if outline.isEmpty { lines.append("  （未识别到提纲）") }
        for node in outline { Self.append(node, to: &lines) }
        lines.append("")
        lines.append("问题（\(problems.count) 条）：")
        for problem in problems {
            let links =
                problem.measures.isEmpty ? "" : "  → 措施 \(problem.measures.map(String.init).joined(separator: "、"))"
            let confidence = Int((problem.confidence * 100).rounded())
            lines.append(
                "  \(problem.id). [\(problem.category) \(confidence)%] \(Self.excerpt(problem.text, 50))\(links)")
        }
        lines.append("")
        lines.append("整改措施（\(measures.count) 条）：")
        for measure in measures {
            lines.append("  \(measure.id). \(Self.excerpt(measure.text, 50))")
        }
        return lines.joined(separator: "\n")
    }

    private static func append(_ node: OutlineNode, to lines: inout [String]) {
        let indent = String(repeating: "  ", count: node.level)
        let role = node.role == .other ? "" : "  〔\(roleName(node.role))〕"
        lines.append("\(indent)\(node.marker)\(node.title)\(role)")
        for child in node.children { append(child, to: &lines) }
    }

    static func roleName(_ role: SectionRole) -> String {
        switch role {
        case .problem: "问题"
        case .cause: "原因"
        case .measure: "措施"
        case .achievement: "成效"
        case .other: "其他"
        }
    }

    private static func reasonCounts(_ removed: [Removal]) -> String {
        var order = [String]()
        var counts = [String: Int]()
        for removal in removed {
            if counts[removal.reason] == nil { order.append(removal.reason) }
            counts[removal.reason, default: 0] += 1
        }
        return order.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: "，")
    }

    static func excerpt(_ text: String, _ limit: Int) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > limit else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(limit))) + "…"
    }
}
