public import Foundation
public import ZhenggaiText

/// Measures parsing throughput (decode + clean + outline + roles + categories + links) on one core.
public enum ParserBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var documents: Int
        public var bytes: Int
        public var repetitions: Int
        /// Wall-clock time.
        public var seconds: Double
        /// CPU time of the measuring thread: the one-core figure, unaffected by other processes.
        public var cpuSeconds: Double
        public var problems: Int

        public var megabytesPerSecond: Double {
            seconds > 0 ? Double(bytes * repetitions) / 1_048_576 / seconds : 0
        }

        public var megabytesPerCPUSecond: Double {
            cpuSeconds > 0 ? Double(bytes * repetitions) / 1_048_576 / cpuSeconds : 0
        }

        public var description: String {
            let mib = (Double(bytes) / 1_048_576 * 100).rounded() / 100
            let elapsed = (seconds * 1000).rounded() / 1000
            let cpu = (cpuSeconds * 1000).rounded() / 1000
            return "\(documents) documents, \(mib) MiB × \(repetitions): wall \(elapsed) s = "
                + "\((megabytesPerSecond * 10).rounded() / 10) MiB/s; CPU \(cpu) s = "
                + "\((megabytesPerCPUSecond * 10).rounded() / 10) MiB/s; \(problems) problems per pass"
        }
    }

    /// Parses every text `repetitions` times and reports the rate over the UTF-8 bytes.
    /// Each text is encoded as UTF-8 bytes first, so decoding is part of what is measured.
    public static func run(texts: [String], repetitions: Int = 5) -> Result {
        let inputs = texts.map { Data($0.utf8) }
        let bytes = inputs.reduce(0) { $0 + $1.count }
        var problems = 0
        let clock = ContinuousClock()
        let cpuStart = threadCPUTime()
        let elapsed = clock.measure {
            for _ in 0..<max(1, repetitions) {
                problems = 0
                for (offset, data) in inputs.enumerated() {
                    let parsed = try? DocumentParser.parse(data: data, fileName: "bench-\(offset).txt")
                    problems += parsed?.problems.count ?? 0
                }
            }
        }
        let cpuSeconds = threadCPUTime() - cpuStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(
            documents: texts.count, bytes: bytes, repetitions: max(1, repetitions), seconds: seconds,
            cpuSeconds: cpuSeconds, problems: problems)
    }

    private static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
