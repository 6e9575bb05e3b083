// A small command line over `SimilarityBenchmark.run`, for a scratch package (bench/similar/run.sh):
//
//     similar-bench CORPUS QUERIES TOP PAIRS [--candidates FILE] [--threshold-only]
//                   [--floors SAME,PARENT,ELSEWHERE] [--relative R]
//
// QUERIES is a number or `all` (every problem but the first, each against the problems before it).
// Without --floors and --relative the library's defaults are used, as the product does.
// `datasketch_compare.py --zhenggai "PATH/similar-bench"` appends CORPUS QUERIES TOP PAIRS.
import Foundation
import ZhenggaiBenchmarks
import ZhenggaiText

var positional: [String] = []
var candidates: URL?
var thresholdOnly = false
var configuration = SimilarityConfiguration(keepsText: false)
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--candidates":
        candidates = arguments.popFirst().map { URL(fileURLWithPath: $0) }
    case "--threshold-only":
        thresholdOnly = true
    case "--floors":
        let values = (arguments.popFirst() ?? "").split(separator: ",").compactMap { Double($0) }
        guard values.count == 3 else {
            FileHandle.standardError.write(Data("--floors takes three numbers: same,parent,elsewhere\n".utf8))
            exit(2)
        }
        configuration.minimumScore = MinimumScores(sameUnit: values[0], parentSubtree: values[1], elsewhere: values[2])
    case "--relative":
        configuration.relativeScore = Double(arguments.popFirst() ?? "") ?? configuration.relativeScore
    default:
        positional.append(argument)
    }
}
guard positional.count >= 1 else {
    FileHandle.standardError.write(Data("usage: similar-bench CORPUS [QUERIES|all] [TOP] [PAIRS] [options]\n".utf8))
    exit(2)
}
let queries = positional.count > 1 ? (positional[1] == "all" ? Int.max : Int(positional[1]) ?? 1_000) : 1_000
let top = positional.count > 2 ? Int(positional[2]) ?? 10 : 10
let options = SimilarityBenchmark.Options(
    corpus: URL(fileURLWithPath: positional[0]), queries: queries, top: top,
    pairs: positional.count > 3 ? URL(fileURLWithPath: positional[3]) : nil,
    configuration: configuration, comparesThresholdOnly: thresholdOnly, candidates: candidates)
do {
    let report = try SimilarityBenchmark.run(options)
    for line in report.lines {
        print(line)
    }
} catch {
    FileHandle.standardError.write(Data("\(error.message)\n".utf8))
    exit(1)
}
