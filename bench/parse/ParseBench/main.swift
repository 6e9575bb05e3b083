// Benchmark and inspection tool for the document parser (built by bench/parse/run.sh).
//   ParseBench bench CORPUS_DIR [REPETITIONS]   throughput over every .txt file below CORPUS_DIR
//   ParseBench parse FILE [--json]              print the outline (or the JSON) of one file
//   ParseBench eval DIR                         score the parser against an evaluation folder
import Foundation
import ZhenggaiBenchmarks
import ZhenggaiText

let arguments = CommandLine.arguments.dropFirst()

func textFiles(under directory: URL) -> [URL] {
    let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
    var files = [URL]()
    while let url = enumerator?.nextObject() as? URL {
        if url.pathExtension == "txt" { files.append(url) }
    }
    return files.sorted { $0.path < $1.path }
}

switch arguments.first {
case "bench":
    guard arguments.count >= 2 else {
        print("usage: ParseBench bench CORPUS_DIR [REPETITIONS]")
        exit(2)
    }
    let directory = URL(fileURLWithPath: Array(arguments)[1])
    let repetitions = arguments.count >= 3 ? Int(Array(arguments)[2]) ?? 5 : 5
    let texts = textFiles(under: directory).compactMap { try? String(contentsOf: $0, encoding: .utf8) }
    _ = ParserBenchmark.run(texts: texts, repetitions: 1)  // warm-up: model tables, page cache
    print(ParserBenchmark.run(texts: texts, repetitions: repetitions))
case "parse":
    guard arguments.count >= 2 else {
        print("usage: ParseBench parse FILE [--json]")
        exit(2)
    }
    do {
        let document = try DocumentParser.parse(fileAt: URL(fileURLWithPath: Array(arguments)[1]))
        if arguments.contains("--json") {
            print(String(decoding: document.jsonData(), as: UTF8.self))
        } else {
            print(document.summary())
        }
    } catch {
        print(error.userMessage)
        exit(1)
    }
case "eval":
    guard arguments.count >= 2 else {
        print("usage: ParseBench eval DIR")
        exit(2)
    }
    do {
        print(try ParserEvaluation.evaluate(directory: URL(fileURLWithPath: Array(arguments)[1])))
    } catch {
        print(error.userMessage)
        exit(1)
    }
default:
    print("usage: ParseBench bench CORPUS_DIR [REPETITIONS] | parse FILE [--json] | eval DIR")
    exit(2)
}
