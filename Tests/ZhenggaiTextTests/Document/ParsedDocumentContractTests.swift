import Foundation
import Testing
import ZhenggaiText

@Suite("The JSON contract of issue 4")
struct ParsedDocumentContractTests {
    static func messy() throws -> ParsedDocument {
        try DocumentParser.parse(data: DocumentFixtures.data("messy-report.txt"), fileName: "messy-report.txt")
    }

    @Test("Top-level and nested keys are exactly those of the issue")
    func keys() throws {
        let document = try Self.messy()
        let object = try #require(try JSONSerialization.jsonObject(with: document.jsonData()) as? [String: Any])
        #expect(Set(object.keys) == ["title", "kind", "removed", "outline", "problems", "measures"])
        let problem = try #require((object["problems"] as? [[String: Any]])?.first)
        #expect(
            Set(problem.keys) == ["id", "path", "marker", "text", "start", "end", "category", "confidence", "measures"])
        let measure = try #require((object["measures"] as? [[String: Any]])?.first)
        #expect(Set(measure.keys) == ["id", "path", "text", "start", "end"])
        let node = try #require((object["outline"] as? [[String: Any]])?.first)
        #expect(Set(node.keys) == ["level", "marker", "title", "role", "children"])
        let removal = try #require((object["removed"] as? [[String: Any]])?.first)
        #expect(Set(removal.keys) == ["text", "reason"])
        #expect(object["kind"] as? String == "自查报告")
        #expect(DocumentKind.allCases.map(\.rawValue) == ["自查报告", "工作汇报", "对照检查材料", "巡察反馈", "整改通报", "审计整改报告", "other"])
    }

    @Test("start/end are Unicode scalar offsets into the cleaned text and cover the text exactly")
    func offsets() throws {
        let document = try Self.messy()
        #expect(!document.problems.isEmpty)
        for problem in document.problems {
            #expect(document.cleanedText.scalarSlice(problem.start, problem.end) == problem.text)
        }
        for measure in document.measures {
            #expect(document.cleanedText.scalarSlice(measure.start, measure.end) == measure.text)
        }
    }

    @Test("Ids count from 1 in document order; categories are codes of DOMAIN.md §4 with a confidence")
    func idsAndCategories() throws {
        let document = try Self.messy()
        #expect(document.problems.map(\.id) == Array(1...document.problems.count))
        #expect(document.measures.map(\.id) == Array(1...document.measures.count))
        #expect(document.problems.map(\.start) == document.problems.map(\.start).sorted())
        let codes = Set("ABCD".flatMap { letter in (1...7).map { "\(letter)\($0)" } })
        for problem in document.problems {
            #expect(codes.contains(problem.category))
            #expect(problem.confidence > 0 && problem.confidence <= 1)
            #expect(problem.measures.allSatisfy { (1...document.measures.count).contains($0) })
        }
    }

    @Test("Paths name the headings above an item, outermost first")
    func paths() throws {
        let document = try Self.messy()
        let ledger = try #require(document.problems.first { $0.text.hasPrefix("村级财务管理不规范") })
        #expect(ledger.path == ["二、存在的问题", "（三）廉政建设方面"])
        #expect(ledger.marker == "1、")
        #expect(ledger.category == "B4")
    }

    @Test("Output is deterministic and round-trips through JSON (cleaned text is not encoded)")
    func deterministic() throws {
        let first = try Self.messy().jsonData()
        let second = try Self.messy().jsonData()
        #expect(first == second)
        let decoded = try JSONDecoder().decode(ParsedDocument.self, from: first)
        #expect(decoded.problems == (try Self.messy()).problems)
        #expect(decoded.cleanedText.isEmpty)
        #expect(!String(decoding: first, as: UTF8.self).contains("cleanedText"))
    }

    @Test("The summary shows the outline, the problems with categories and the measures")
    func summary() throws {
        let summary = try Self.messy().summary()
        #expect(summary.contains("标题：XX镇党委关于巡察整改工作的自查报告"))
        #expect(summary.contains("二、存在的问题  〔问题〕"))
        #expect(summary.contains("[B4 "))
        #expect(summary.contains("整改措施（4 条）"))
    }
}
