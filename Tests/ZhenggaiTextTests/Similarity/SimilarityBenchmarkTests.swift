import Foundation
import Testing
import ZhenggaiBenchmarks
import ZhenggaiText

@Suite("Similarity benchmark")
struct SimilarityBenchmarkTests {
    /// The repository root: three levels above this file's folder.
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    private static let realLabelled = root.appendingPathComponent("bench/similar/real-labelled.jsonl")

    @Test("query records are spread evenly and never the first")
    func queryRecords() {
        #expect(SimilarityBenchmark.queryRecords(count: 10, queries: 4) == [2, 4, 6, 8])
        #expect(SimilarityBenchmark.queryRecords(count: 3, queries: 10) == [1, 2])
        #expect(SimilarityBenchmark.queryRecords(count: 1, queries: 10).isEmpty)
    }

    @Test("problems from real documents find their labelled counterparts, and pairs can be checked")
    func realDocuments() throws {
        let pairs = FileManager.default.temporaryDirectory.appendingPathComponent("similar-pairs-\(UUID()).tsv")
        defer { try? FileManager.default.removeItem(at: pairs) }
        // Real problems restate a theme loosely: scores run lower than between paraphrases of one text.
        let configuration = SimilarityConfiguration(minimumScore: MinimumScores(all: 0.15), keepsText: false)
        let options = SimilarityBenchmark.Options(
            corpus: Self.realLabelled, queries: 100, top: 10, pairs: pairs, configuration: configuration)

        let report = try SimilarityBenchmark.run(options)

        #expect(report.problems == 40)
        #expect(report.labelled)
        #expect(report.quality.precision >= 0.8)
        #expect(report.quality.recall >= 0.4)
        let lines = try String(contentsOf: pairs, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == report.quality.reported)
        #expect(lines.allSatisfy { $0.split(separator: "\t").count == 3 })
        #expect(report.lines.contains { $0.hasPrefix("query_p99_us\t") })
    }

    @Test("a corpus line that is not JSON is reported with its file and line number")
    func badLine() throws {
        let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("similar-bad-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Data("{\"id\":\"a\",\"unit\":\"u\",\"year\":2023,\"text\":\"白条入账\"}\n\n{oops\n".utf8).write(to: corpus)

        #expect {
            try SimilarityBenchmark.run(SimilarityBenchmark.Options(corpus: corpus))
        } throws: { error in
            guard let error = error as? SimilarityBenchmarkError else { return false }
            return error.message.contains("第 3 行") && error.message.contains(corpus.path)
        }
    }

    @Test("a missing corpus is a typed error, not a crash")
    func missingCorpus() {
        let missing = URL(fileURLWithPath: "/nonexistent/corpus.jsonl")

        #expect(throws: SimilarityBenchmarkError.self) {
            try SimilarityBenchmark.run(SimilarityBenchmark.Options(corpus: missing))
        }
    }
}
