public import Foundation
public import ZhenggaiText

/// The `zhenggai bench similar` core: load a JSONL corpus, build the index, query each sampled problem
/// against the problems before it, and measure time, memory and (with labels) precision and recall.
/// Definitions are in docs/similarity.md; `bench/similar/datasketch_compare.py` computes the same ones.
public enum SimilarityBenchmark {
    public struct Options: Sendable {
        public var corpus: URL
        /// How many problems to query, spread evenly over the corpus (see `queryRecords`); `Int.max` (or
        /// anything at or above the number of problems) queries every problem but the first.
        public var queries: Int
        /// How many matches a query may report.
        public var top: Int
        /// Where to write every reported match as `query_id<TAB>match_id<TAB>score`.
        public var pairs: URL?
        public var configuration: SimilarityConfiguration
        /// Whether to also measure reporting by threshold alone (a second, untimed search per query).
        public var comparesThresholdOnly: Bool
        /// Where to write, for calibration, every candidate a query scores in full with no floor and no
        /// relative cut (a third, untimed search), as `query_id<TAB>match_id<TAB>score<TAB>tier`.
        public var candidates: URL?

        public init(
            corpus: URL,
            queries: Int = 1_000,
            top: Int = 10,
            pairs: URL? = nil,
            configuration: SimilarityConfiguration = SimilarityConfiguration(keepsText: false),
            comparesThresholdOnly: Bool = true,
            candidates: URL? = nil
        ) {
            self.comparesThresholdOnly = comparesThresholdOnly
            self.candidates = candidates
            self.corpus = corpus
            self.queries = queries
            self.top = top
            self.pairs = pairs
            self.configuration = configuration
        }
    }

    /// Precision and recall of one way of reporting matches.
    public struct Quality: Sendable, Hashable {
        public var reported = 0
        public var correct = 0
        /// Sum over queries of the earlier same-cluster problems that could be reported (capped at top-k
        /// when the reporting is top-k).
        public var reachable = 0

        public init(reported: Int = 0, correct: Int = 0, reachable: Int = 0) {
            self.reported = reported
            self.correct = correct
            self.reachable = reachable
        }

        public var precision: Double { reported == 0 ? 1 : Double(correct) / Double(reported) }
        public var recall: Double { reachable == 0 ? 1 : Double(correct) / Double(reachable) }
        /// Harmonic mean of precision and recall; 0 when nothing correct was reported.
        public var f1: Double { correct == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        /// Wrong matches reported, per query.
        public func falsePerQuery(_ queries: Int) -> Double {
            queries == 0 ? 0 : Double(reported - correct) / Double(queries)
        }
    }

    public struct Report: Sendable {
        public var problems: Int
        public var loadSeconds: Double
        public var buildSeconds: Double
        /// VmHWM from /proc/self/status; `nil` where there is no /proc.
        public var peakMemoryBytes: Int?
        public var queries: Int
        public var top: Int
        public var queryP50Microseconds: Double
        public var queryP99Microseconds: Double
        public var queryMeanMicroseconds: Double
        /// Whether the corpus carries `cluster` labels (then the qualities below mean something).
        public var labelled: Bool
        /// The index's reporting: scope order, top-k, minimum and relative score.
        public var quality: Quality
        /// Reported matches by tier: same unit, parent's subtree, elsewhere (reported, correct).
        public var byTier: [SimilarityTier: (reported: Int, correct: Int)]
        /// For comparison: one global threshold (the lowest minimum score), no scope, no top-k, no relative cut.
        public var thresholdOnly: Quality

        /// The report as printed by `zhenggai bench similar`, one figure a line.
        public var lines: [String] {
            var lines = [
                "problems\t\(problems)",
                "load_seconds\t\(format(loadSeconds, 2))",
                "build_seconds\t\(format(buildSeconds, 2))",
                "peak_memory_mb\t\(peakMemoryBytes.map { format(Double($0) / 1_048_576, 0) } ?? "unavailable")",
                "queries\t\(queries)",
                "top_k\t\(top)",
                "query_p50_us\t\(format(queryP50Microseconds, 1))",
                "query_p99_us\t\(format(queryP99Microseconds, 1))",
                "query_mean_us\t\(format(queryMeanMicroseconds, 1))",
            ]
            if labelled {
                lines += [
                    "reported\t\(quality.reported)",
                    "precision\t\(format(quality.precision, 4))",
                    "recall\t\(format(quality.recall, 4))",
                    "f1\t\(format(quality.f1, 4))",
                    "false_per_query\t\(format(quality.falsePerQuery(queries), 4))",
                ]
                for tier in [SimilarityTier.sameUnit, .parentSubtree, .elsewhere] {
                    let counts = byTier[tier] ?? (0, 0)
                    let precision = counts.reported == 0 ? 1 : Double(counts.correct) / Double(counts.reported)
                    lines.append("tier_\(tier.name)\treported \(counts.reported) precision \(format(precision, 4))")
                }
                guard thresholdOnly.reported > 0 || thresholdOnly.reachable > 0 else { return lines }
                lines += [
                    "threshold_only_reported\t\(thresholdOnly.reported)",
                    "threshold_only_precision\t\(format(thresholdOnly.precision, 4))",
                    "threshold_only_recall\t\(format(thresholdOnly.recall, 4))",
                ]
            }
            return lines
        }
    }

    /// Record numbers (0-based, in file order) queried when `queries` of `count` are asked for:
    /// `(j + 1) * count / (queries + 1)` for `j` in `0..<queries`, without duplicates and without 0.
    public static func queryRecords(count: Int, queries: Int) -> [Int] {
        guard count > 1, queries > 0 else { return [] }
        if queries >= count - 1 {
            return Array(1..<count)
        }
        var records: [Int] = []
        for j in 0..<queries {
            let record = (j + 1) * count / (queries + 1)
            if record > 0, record != records.last {
                records.append(record)
            }
        }
        return records
    }

    public static func run(_ options: Options) throws(SimilarityBenchmarkError) -> Report {
        let loadStart = ContinuousClock.now
        let count = try countRecords(options.corpus)
        let queried = queryRecords(count: count, queries: options.queries)
        var queryTexts:
            [Int: (id: String, unit: String, source: String?, text: String, cluster: UInt32?, earlier: Int)] = [:]
        var wanted = Set(queried)

        var builder = SimilarityIndex.Builder(configuration: options.configuration)
        var clusterNumbers: [String: UInt32] = [:]
        var clusters: [UInt32] = []
        clusters.reserveCapacity(count)
        var seenPerCluster: [UInt32] = []
        var labelled = true
        var buildDuration = Duration.zero
        var record = 0
        try forEachRecord(options.corpus) {
            (line, problem: SimilarityProblem, cluster: String?) throws(SimilarityBenchmarkError) in
            var clusterNumber: UInt32?
            if let cluster {
                let number: UInt32
                if let known = clusterNumbers[cluster] {
                    number = known
                } else {
                    number = UInt32(clusterNumbers.count)
                    clusterNumbers[cluster] = number
                    seenPerCluster.append(0)
                }
                clusterNumber = number
                clusters.append(number)
            } else {
                labelled = false
                clusters.append(UInt32.max)
            }
            if wanted.remove(record) != nil {
                let earlier = clusterNumber.map { Int(seenPerCluster[Int($0)]) } ?? 0
                queryTexts[record] = (problem.id, problem.unit, problem.source, problem.text, clusterNumber, earlier)
            }
            if let clusterNumber {
                seenPerCluster[Int(clusterNumber)] += 1
            }
            let start = ContinuousClock.now
            guard builder.add(problem, sequence: UInt64(record) + 1) else {
                throw .badRecord(file: options.corpus.path, line: line, reason: "问题编号重复或顺序错误")
            }
            buildDuration += ContinuousClock.now - start
            record += 1
        }
        let compactStart = ContinuousClock.now
        let index = builder.build()
        buildDuration += ContinuousClock.now - compactStart
        let loadSeconds = seconds(ContinuousClock.now - loadStart) - seconds(buildDuration)

        var pairsText = ""
        var candidatesText = ""
        var times: [Double] = []
        times.reserveCapacity(queried.count)
        var quality = Quality()
        var thresholdOnly = Quality()
        var byTier: [SimilarityTier: (reported: Int, correct: Int)] = [:]
        for record in queried {
            guard let query = queryTexts[record] else { continue }
            let scope = benchScope(unit: query.unit, source: query.source)
            let start = ContinuousClock.now
            let matches = index.search(query.text, in: scope, limit: options.top, before: UInt64(record) + 1)
            times.append(seconds(ContinuousClock.now - start) * 1_000_000)
            for match in matches {
                pairsText += "\(query.id)\t\(match.id)\t\(format(match.score, 4))\n"
            }
            if options.candidates != nil {
                let all = index.search(
                    query.text, in: scope, limit: options.top, before: UInt64(record) + 1, excluding: nil,
                    minimumScore: MinimumScores(all: 0), relativeScore: 0)
                for match in all {
                    candidatesText += "\(query.id)\t\(match.id)\t\(format(match.score, 4))\t\(match.tier.rawValue)\n"
                }
            }
            guard labelled, let cluster = query.cluster else { continue }
            let isCorrect = { (match: SimilarityMatch) in clusters[Int(match.sequence) - 1] == cluster }
            let correct = matches.filter(isCorrect)
            quality.reported += matches.count
            quality.correct += correct.count
            quality.reachable += min(options.top, query.earlier)
            for match in matches {
                var counts = byTier[match.tier] ?? (0, 0)
                counts.reported += 1
                counts.correct += isCorrect(match) ? 1 : 0
                byTier[match.tier] = counts
            }
            guard options.comparesThresholdOnly else { continue }
            let all = index.search(
                query.text, in: .everywhere, limit: Int.max, before: UInt64(record) + 1, excluding: nil,
                minimumScore: MinimumScores(all: options.configuration.minimumScore.lowest), relativeScore: 0)
            thresholdOnly.reported += all.count
            thresholdOnly.correct += all.filter(isCorrect).count
            thresholdOnly.reachable += query.earlier
        }
        for (url, text) in [(options.pairs, pairsText), (options.candidates, candidatesText)] {
            guard let url else { continue }
            do {
                try Data(text.utf8).write(to: url)
            } catch {
                throw .unwritable(file: url.path, reason: "\(error)")
            }
        }
        times.sort()
        return Report(
            problems: record,
            loadSeconds: loadSeconds,
            buildSeconds: seconds(buildDuration),
            peakMemoryBytes: peakMemoryBytes(),
            queries: times.count,
            top: options.top,
            queryP50Microseconds: percentile(times, 0.50),
            queryP99Microseconds: percentile(times, 0.99),
            queryMeanMicroseconds: times.isEmpty ? 0 : times.reduce(0, +) / Double(times.count),
            labelled: labelled && record > 0,
            quality: quality,
            byTier: byTier,
            thresholdOnly: thresholdOnly
        )
    }

    /// The corpus's unit ids are dash paths (`c012-t03-v07`): the parent is the path without its last
    /// part, and the parent's subtree is every unit under it. The query's own document (`source`) is
    /// excluded, as the product does.
    static func benchScope(unit: String, source: String? = nil) -> SimilarityScope {
        guard let dash = unit.lastIndex(of: "-") else { return SimilarityScope(unit: unit, source: source) }
        let parent = String(unit[..<dash])
        let prefix = parent + "-"
        return SimilarityScope(
            unit: unit, isInParentSubtree: { $0 == parent || $0.hasPrefix(prefix) }, source: source)
    }

    // MARK: Reading

    private static func countRecords(_ url: URL) throws(SimilarityBenchmarkError) -> Int {
        var count = 0
        try forEachLine(url) { _, line in
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                count += 1
            }
        }
        return count
    }

    static func forEachRecord(
        _ url: URL,
        _ body: (Int, SimilarityProblem, String?) throws(SimilarityBenchmarkError) -> Void
    ) throws(SimilarityBenchmarkError) {
        try forEachLine(url) { (number, line) throws(SimilarityBenchmarkError) in
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw SimilarityBenchmarkError.badRecord(file: url.path, line: number, reason: "不是 JSON 对象")
                }
                object = parsed
            } catch let error as SimilarityBenchmarkError {
                throw error
            } catch {
                throw .badRecord(file: url.path, line: number, reason: "JSON 无法解析")
            }
            guard let id = scalarString(object["id"]), !id.isEmpty else {
                throw .badRecord(file: url.path, line: number, reason: "缺少 id")
            }
            guard let text = object["text"] as? String else {
                throw .badRecord(file: url.path, line: number, reason: "缺少 text")
            }
            let unit = scalarString(object["unit"]) ?? ""
            var date: Date?
            if let year = (object["year"] as? NSNumber)?.intValue ?? scalarString(object["year"]).flatMap({ Int($0) }) {
                var components = DateComponents()
                components.year = year
                components.month = 1
                components.day = 1
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
                date = calendar.date(from: components)
            }
            let problem = SimilarityProblem(
                id: id, unit: unit, date: date, text: text, source: scalarString(object["source"]))
            try body(number, problem, scalarString(object["cluster"]))
        }
    }

    private static func scalarString(_ value: Any?) -> String? {
        switch value {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    /// Calls `body(lineNumber, bytes)` for each line, reading the file in 4 MB chunks (bounded memory).
    private static func forEachLine(
        _ url: URL,
        _ body: (Int, ArraySlice<UInt8>) throws(SimilarityBenchmarkError) -> Void
    ) throws(SimilarityBenchmarkError) {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw .unreadable(file: url.path, reason: "\(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var number = 0
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 4 << 20)
            } catch {
                throw .unreadable(file: url.path, reason: "\(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            pending.append(contentsOf: chunk)
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                number += 1
                try body(number, pending[start..<newline])
                start = newline + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty {
            number += 1
            try body(number, pending[...])
        }
    }

    // MARK: Measuring

    static func peakMemoryBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let digits = line.filter(\.isNumber)
            return Int(digits).map { $0 * 1_024 }
        }
        return nil
    }

    private static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

private func format(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

extension SimilarityTier {
    var name: String {
        switch self {
        case .sameUnit: "same_unit"
        case .parentSubtree: "parent_subtree"
        case .elsewhere: "elsewhere"
        }
    }
}

/// What can go wrong reading or writing benchmark files.
public enum SimilarityBenchmarkError: Error, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case unwritable(file: String, reason: String)
    case badRecord(file: String, line: Int, reason: String)

    /// For users, in Chinese: what is wrong and where.
    public var message: String {
        switch self {
        case .unreadable(let file, _): "无法读取语料文件 \(file)"
        case .unwritable(let file, _): "无法写入文件 \(file)"
        case .badRecord(let file, let line, let reason): "语料文件 \(file) 第 \(line) 行：\(reason)"
        }
    }

    /// For logs.
    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "unreadable corpus \(file): \(reason)"
        case .unwritable(let file, let reason): "unwritable file \(file): \(reason)"
        case .badRecord(let file, let line, let reason): "bad record at \(file):\(line): \(reason)"
        }
    }
}
