#!/bin/sh
# The similar-problems figures of docs/similarity.md, reproduced.
#
#   bench/similar/run.sh build       # scratch package (release) outside the repo: only the similarity code
#   bench/similar/run.sh calibrate   # calibration corpora -> candidates -> curves (compared with the repo's)
#   bench/similar/run.sh report      # held-out corpora: Zhenggai and datasketch side by side, every problem
#   bench/similar/run.sh test        # the similarity tests in the scratch package
#
# SCRATCH (default /tmp/zhenggai-similar-bench) holds the package, DATA (default /tmp/zhenggai-similar-data)
# the corpora and outputs. `pip install datasketch` first. The main package is never built.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scratch=${SCRATCH:-/tmp/zhenggai-similar-bench}
data=${DATA:-/tmp/zhenggai-similar-data}
bench="$scratch/.build/release/SimilarBench"
mkdir -p "$data"

build() {
    mkdir -p "$scratch/Sources/ZhenggaiBenchmarks" "$scratch/Tests/ZhenggaiTextTests"
    ln -sfn "$root/Sources/ZhenggaiText/Similarity" "$scratch/Sources/ZhenggaiText"
    ln -sfn "$root/Sources/ZhenggaiBenchmarks/SimilarityBenchmark.swift" \
        "$scratch/Sources/ZhenggaiBenchmarks/SimilarityBenchmark.swift"
    ln -sfn "$here/SimilarBench" "$scratch/Sources/SimilarBench"
    ln -sfn "$root/Tests/ZhenggaiTextTests/Similarity" "$scratch/Tests/ZhenggaiTextTests/Similarity"
    ln -sfn "$root/bench" "$scratch/bench"  # the tests find their corpora four levels above themselves
    cat > "$scratch/Package.swift" <<'SWIFT'
// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "zhenggai-similar-bench",
    platforms: [.macOS(.v14)],
    targets: [
        .target(name: "ZhenggaiText", swiftSettings: strict),
        .target(name: "ZhenggaiBenchmarks", dependencies: ["ZhenggaiText"], swiftSettings: strict),
        .executableTarget(
            name: "SimilarBench", dependencies: ["ZhenggaiText", "ZhenggaiBenchmarks"], swiftSettings: strict),
        .testTarget(
            name: "ZhenggaiTextTests", dependencies: ["ZhenggaiText", "ZhenggaiBenchmarks"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
SWIFT
    (cd "$scratch" && swift build -c release --product SimilarBench)
}

corpora() {
    python3 "$here/independent/write_corpus.py" --size 100000 --seed 1 > "$data/independent-100k-seed1.jsonl"
    python3 "$here/independent/write_corpus.py" --size 100000 --seed 2 > "$data/independent-100k-seed2.jsonl"
    python3 "$here/split_real.py" --calibration "$data/real-calibration.jsonl" --report "$data/real-report.jsonl"
    python3 "$here/generate.py" --size 100000 --seed 1 --out "$data/generated-100k-seed1.jsonl"
}

calibrate() {
    "$bench" "$data/independent-100k-seed2.jsonl" all 10 /dev/null --candidates "$data/seed2.candidates"
    "$bench" "$data/real-calibration.jsonl" all 10 /dev/null --candidates "$data/real-calibration.candidates"
    python3 "$here/calibrate.py" \
        "$data/independent-100k-seed2.jsonl:$data/seed2.candidates" \
        "$data/real-calibration.jsonl:$data/real-calibration.candidates" \
        --note "Data: write_corpus.py --size 100000 --seed 2, and the calibration half of real-pairs.jsonl (split_real.py)." \
        --swift "$data/SimilarityCalibration+Measured.swift" | tee "$data/calibration.txt"
    if cmp -s "$data/SimilarityCalibration+Measured.swift" \
        "$root/Sources/ZhenggaiText/Similarity/SimilarityCalibration+Measured.swift"; then
        echo "the repo's calibration is what these data give"
    else
        echo "the repo's calibration differs from these data: see $data/SimilarityCalibration+Measured.swift"
    fi
}

report() {
    date -u
    for corpus in real-report real-calibration; do
        python3 "$here/datasketch_compare.py" "$data/$corpus.jsonl" --queries all --top 10 --zhenggai "$bench"
    done
    python3 "$here/datasketch_compare.py" "$here/independent/real-pairs.jsonl" --queries all --top 10 --zhenggai "$bench"
    for corpus in independent-100k-seed1 generated-100k-seed1; do
        python3 "$here/datasketch_compare.py" "$data/$corpus.jsonl" --queries all --top 10 --processes 2 \
            --zhenggai "$bench"
    done
    date -u
}

case "${1:-all}" in
build) build ;;
calibrate) corpora && calibrate ;;
report) corpora && report ;;
test) (cd "$scratch" && swift test) ;;
all) build && corpora && calibrate && report ;;
*) echo "usage: $0 [build|calibrate|report|test|all]" >&2; exit 2 ;;
esac
