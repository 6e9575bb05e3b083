#!/bin/sh
# Parser benchmark: builds bench/parse/ParseBench in a scratch package (release, outside the repo's
# .build), makes the corpus, times the parser and jieba on it. Usage: bench/parse/run.sh [REPETITIONS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scratch=${SCRATCH:-/tmp/zhenggai-parse-bench}
corpus=${CORPUS:-/tmp/zhenggai-parse-corpus}
mkdir -p "$scratch/Sources/ZhenggaiBenchmarks"
ln -sfn "$root/Sources/ZhenggaiText" "$scratch/Sources/ZhenggaiText"
ln -sfn "$here/ParseBench" "$scratch/Sources/ParseBench"
# Only the parser's benchmark of ZhenggaiBenchmarks (the others need ZhenggaiOffice).
ln -sfn "$root/Sources/ZhenggaiBenchmarks/ParserBenchmark.swift" "$scratch/Sources/ZhenggaiBenchmarks/ParserBenchmark.swift"
cat > "$scratch/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "zhenggai-parse-bench",
    platforms: [.macOS(.v14)],
    targets: [
        .target(name: "ZhenggaiText", resources: [.copy("Resources")], swiftSettings: strict),
        .target(name: "ZhenggaiBenchmarks", dependencies: ["ZhenggaiText"], swiftSettings: strict),
        .executableTarget(name: "ParseBench", dependencies: ["ZhenggaiText", "ZhenggaiBenchmarks"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
(cd "$scratch" && swift build -c release --product ParseBench)
python3 "$here/make_corpus.py" "$corpus"
"$scratch/.build/release/ParseBench" bench "$corpus" "${1:-10}"
python3 "$here/jieba_cut.py" "$corpus"
