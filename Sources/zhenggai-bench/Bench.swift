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
        subcommands: [Ledger.self, Similar.self, Seed.self, Rhythm.self, AppealStatistics.self])

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
        @Option(help: "县的个数（问题平均分到各县；省级规模用 20）") var counties = 1
        @Option(help: "数据目录") var data = "zhenggai-bench-data"

        func run() async throws {
            try await quietly { logger in
                let result = try await LedgerBenchmark.run(
                    dataDirectory: data, problems: problems, counties: counties, rounds: rounds, logger: logger)
                print(result.description)
            }
        }
    }

    struct Rhythm: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "每日提醒任务和季通报的耗时与 CPU 时间（省级规模：默认 100,000 个问题、2,000 个单位）")
        @Option(help: "问题数（每个问题一项任务）") var problems = 100_000
        @Option(help: "单位数") var units = 2_000
        @Option(help: "数据目录（可沿用上次留下的目录）") var data = "zhenggai-bench-rhythm"

        func run() async throws {
            try await quietly { logger in
                let lines = try await RhythmBenchmark.run(
                    dataDirectory: data, problems: problems, units: units, logger: logger)
                for line in lines { print(line) }
            }
        }
    }

    struct AppealStatistics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "appeal-statistics",
            abstract: "一个月的群众诉求统计（三率）和通报的耗时（先用 bench/appeals/seed.py 填入诉求）")
        @Option(help: "月份，如 2026-11") var month = "2026-11"
        @Option(help: "测量轮数") var rounds = 5
        @Option(help: "数据目录") var data = "zhenggai-bench-appeals"

        func run() async throws {
            try await quietly { logger in
                let lines = try await AppealStatisticsBenchmark.run(
                    dataDirectory: data, month: month, rounds: rounds, logger: logger)
                for line in lines { print(line) }
            }
        }
    }

    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "为负载测试准备数据（bench/load/run.sh 调用）：生成问题，输出县管理员的令牌和若干任务编号")
        @Option(help: "问题数") var problems = 100_000
        @Option(help: "数据目录（设置 DATABASE_URL 时只存佐证材料）") var data = "zhenggai-bench-data"
        @Option(help: "输出多少个任务编号（写入测试轮流向这些任务填报进展）") var tasks = 64
        @Option(help: "县的个数（问题平均分到各县；省级规模用 20）") var counties = 1

        func run() async throws {
            try await quietly { logger in
                let seeded = try await LoadSeed.run(
                    dataDirectory: data, problems: problems, counties: counties, tasks: tasks, logger: logger)
                print("TOKEN=\(seeded.token)")
                print("TASKS=\(seeded.taskIDs.map(\.uuidString).joined(separator: ","))")
                print("OPEN311_KEYS=\(seeded.open311Keys.joined(separator: ","))")
                print("PROBLEMS=\(seeded.problems)")
                print("SEED_SECONDS=\(String(format: "%.1f", seeded.seconds))")
            }
        }
    }
}

/// Runs a store-backed benchmark with the store's own logging at warning, so the figures are not
/// buried in info lines; a failure is one line in Chinese and a failing exit status.
private func quietly(_ body: (Logger) async throws -> Void) async throws {
    var logger = Logger(label: "zhenggai-bench")
    logger.logLevel = .warning
    do {
        try await body(logger)
    } catch {
        FileHandle.standardError.write(Data("错误：\(error)\n".utf8))
        throw ExitCode.failure
    }
}
