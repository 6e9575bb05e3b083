import ArgumentParser
import Foundation
import Logging
import ZhenggaiBenchmarks

/// The benchmarks, apart from the product: `swift run -c release zhenggai-bench …` (figures in
/// docs/benchmarks.md, with the machine and the date).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zhenggai-bench", abstract: "基准测试（请用 release 构建：swift build -c release）",
        subcommands: [Ledger.self, Similar.self])

    struct Similar: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "相似问题检索基准：读 JSONL 语料（id、unit、year、text，可选 cluster），报告建索引耗时、内存、查询延迟和准确率")
        @Option(help: "语料文件（每行一个 JSON 对象）") var corpus: String
        @Option(help: "查询数（每个查询是一条已存问题，只与它之前的问题比对）") var queries = 1_000
        @Option(help: "每个查询报告的匹配数") var top = 10
        @Option(help: "把每个匹配写成一行 query_id<TAB>match_id<TAB>score") var pairs: String?

        func run() async throws {
            let options = SimilarityBenchmark.Options(
                corpus: URL(fileURLWithPath: corpus), queries: queries, top: top,
                pairs: pairs.map { URL(fileURLWithPath: $0) })
            do {
                let report = try SimilarityBenchmark.run(options)
                for line in report.lines { print(line) }
            } catch {
                FileHandle.standardError.write(Data("错误：\(error.message)\n".utf8))
                throw ExitCode.failure
            }
        }
    }

    struct Ledger: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "生成大量问题并测量台账页面的服务端耗时")
        @Option(help: "问题数") var problems = 100_000
        @Option(help: "每个页面测量的轮数") var rounds = 20
        @Option(help: "数据目录") var data = "zhenggai-bench-data"

        func run() async throws {
            var logger = Logger(label: "zhenggai-bench")
            logger.logLevel = .warning
            do {
                let result = try await LedgerBenchmark.run(
                    dataDirectory: data, problems: problems, rounds: rounds, logger: logger)
                print(result.description)
            } catch {
                FileHandle.standardError.write(Data("错误：\(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
