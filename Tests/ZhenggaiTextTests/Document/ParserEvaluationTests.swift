import Foundation
import Testing
import ZhenggaiText

@Suite("Evaluation against what a careful reader lists")
struct ParserEvaluationTests {
    @Test(
        "The seeds: recall ≥ 0.95, nothing from measures or achievements, categories ≥ 85%",
        .enabled(if: DocumentFixtures.seedsAvailable, "eval/seeds is absent: skipped"))
    func seeds() throws {
        let report = try ParserEvaluation.evaluate(directory: DocumentFixtures.evaluationFolder)
        let seeds = report.documents.filter { $0.name.hasPrefix("seed-") }
        #expect(seeds.count == 5)
        #expect(seeds.allSatisfy { $0.skipped == nil })
        let expected = seeds.reduce(0) { $0 + $1.expected }
        let matched = seeds.reduce(0) { $0 + $1.matched }
        let found = seeds.reduce(0) { $0 + $1.found }
        let agreeing = seeds.reduce(0) { $0 + $1.categoryAgreements }
        #expect(Double(matched) / Double(expected) >= 0.95)
        #expect(Double(matched) / Double(found) >= 0.95)
        #expect(Double(agreeing) / Double(matched) >= 0.85)
    }

    @Test(
        "No problem comes from a measure section, and every problem sits in a problem section",
        .enabled(if: DocumentFixtures.seedsAvailable, "eval/seeds is absent: skipped"))
    func seedRoles() throws {
        for url in try DocumentFixtures.seedFiles() {
            let document = try DocumentParser.parse(fileAt: url)
            // Roles of each heading, by its path entry (marker + title) and the path above it.
            var roles = [[String]: SectionRole]()
            func walk(_ node: OutlineNode, _ path: [String]) {
                let entry = path + [node.marker + node.title]
                roles[entry] = node.role
                for child in node.children { walk(child, entry) }
            }
            for node in document.outline { walk(node, []) }
            for problem in document.problems {
                let ancestors = problem.path.indices.map { Array(problem.path[...$0]) }
                #expect(ancestors.allSatisfy { roles[$0] != .measure }, "\(url.lastPathComponent): \(problem.text)")
                #expect(
                    ancestors.last.map { roles[$0] == .problem } ?? true, "\(url.lastPathComponent): \(problem.text)")
            }
        }
    }

    @Test("The written evaluation documents (UTF-8, GBK, UTF-16) score well in a fresh clone")
    func writtenDocuments() throws {
        let report = try ParserEvaluation.evaluate(directory: DocumentFixtures.evaluationFolder)
        let written = report.documents.filter { !$0.name.hasPrefix("seed-") }
        #expect(written.count >= 5)
        let expected = written.reduce(0) { $0 + $1.expected }
        let matched = written.reduce(0) { $0 + $1.matched }
        let found = written.reduce(0) { $0 + $1.found }
        #expect(Double(matched) / Double(expected) >= 0.95)
        #expect(Double(matched) / Double(found) >= 0.9)
        #expect(report.description.contains("召回率"))
    }

    @Test("Scoring matches by normalised prefix and counts misses, extras and category disagreements")
    func scoring() {
        let document = DocumentParser.parse(text: "报告\n一、存在的问题\n1.学习不够深入。\n2.制度执行不严。\n3.作风不实。")
        let expected = ExpectedDocument(
            document: nil,
            problems: [
                .init(prefix: "学习不够深入.", category: document.problems[0].category),
                .init(prefix: "制度执行 不严。", category: "Z9"),
                .init(prefix: "不存在的问题", category: "A1"),
            ])
        let score = ParserEvaluation.score("t", expected: expected, parsed: document)
        #expect(score.matched == 2)
        #expect(score.categoryAgreements == 1)
        #expect(score.missing == ["不存在的问题"])
        #expect(score.unexpected == ["作风不实。"])
    }

    @Test("A referenced document that is absent is skipped, not failed")
    func skipsAbsentDocuments() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zhenggai-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"document": "missing.txt", "problems": []}"#.utf8)
            .write(to: folder.appendingPathComponent("a.expected.json"))
        let report = try ParserEvaluation.evaluate(directory: folder)
        #expect(report.documents.first?.skipped != nil)
        #expect(report.description.contains("跳过"))
    }
}
