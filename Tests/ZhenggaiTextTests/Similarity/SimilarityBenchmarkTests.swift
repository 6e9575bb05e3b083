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
        // As many queries as records, or more: every record but the first.
        #expect(SimilarityBenchmark.queryRecords(count: 5, queries: 4) == [1, 2, 3, 4])
        #expect(SimilarityBenchmark.queryRecords(count: 5, queries: Int.max) == [1, 2, 3, 4])
    }

    @Test("F1 and false suggestions per query follow their definitions")
    func qualityFigures() {
        var quality = SimilarityBenchmark.Quality()
        quality.reported = 10
        quality.correct = 6
        quality.reachable = 12
        #expect(abs(quality.f1 - 2 * 0.6 * 0.5 / 1.1) < 1e-12)
        #expect(quality.falsePerQuery(8) == 0.5)
        #expect(SimilarityBenchmark.Quality().f1 == 0)
    }

    @Test("every problem of the independent real set is queried, with the calibrated defaults")
    func independentRealSet() throws {
        let corpus = Self.root.appendingPathComponent("bench/similar/independent/real-pairs.jsonl")
        let candidates = FileManager.default.temporaryDirectory.appendingPathComponent("similar-cand-\(UUID()).tsv")
        defer { try? FileManager.default.removeItem(at: candidates) }
        let options = SimilarityBenchmark.Options(
            corpus: corpus, queries: Int.max, top: 10, comparesThresholdOnly: false, candidates: candidates)

        let report = try SimilarityBenchmark.run(options)

        #expect(report.problems == 298)
        #expect(report.queries == 297)
        // Measured 2026-12-02 (docs/similarity.md): 0.94 / 0.22; these bounds catch a regression.
        #expect(report.quality.precision >= 0.85)
        #expect(report.quality.recall >= 0.15)
        #expect(report.quality.falsePerQuery(report.queries) <= 0.05)
        #expect(report.lines.contains { $0.hasPrefix("f1\t") })
        #expect(report.lines.contains { $0.hasPrefix("false_per_query\t") })
        let lines = try String(contentsOf: candidates, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.split(separator: "\t").count == 4 })
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
