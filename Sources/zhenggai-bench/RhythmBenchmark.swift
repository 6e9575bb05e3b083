import Foundation
import Logging
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The rhythm's two heavy jobs on a province-sized store: the daily reminder job (every open task read,
/// grouped per person and unit, the inbox written) and a county's 季通报 computed from the audit log and
/// written as a GB/T 9704 .docx. CPU time is the process's own (getrusage), SQLite's work included.
enum RhythmBenchmark {
    static func run(dataDirectory: String, problems target: Int, units: Int, logger: Logger) async throws -> [String] {
        let store = try Commands.openStore(dataDirectory: dataDirectory, logger: logger)
        do {
            let lines = try await measure(store: store, target: target, units: units, logger: logger)
            await store.shutdown()
            return lines
        } catch {
            await store.shutdown()
            throw error
        }
    }

    static func measure(store: Store, target: Int, units: Int, logger: Logger) async throws -> [String] {
        try await store.migrate()
        let seedStart = ContinuousClock.now
        _ = try await LedgerBenchmark.seed(store, target: target, units: units)
        let seedTime = seconds(ContinuousClock.now - seedStart)
        let today = store.clock.today()
        let open = try await store.openTasks(dueBy: today.adding(days: 400)).count
        let unitCount = try await store.unitCount()
        var lines = ["问题 \(target)，单位 \(unitCount)，未完成且有时限的任务 \(open)，生成数据 \(String(format: "%.0f", seedTime)) 秒"]

        // The digest for a working day (the job refuses weekends and holidays; find the next working day).
        let calendar = try await store.calendar()
        var day = today
        while !calendar.isWorkday(day) { day = day.adding(days: 1) }
        let cpu0 = cpuSeconds()
        let wall0 = ContinuousClock.now
        let outcome = try await Jobs.run(
            RemindersJob(), store: store, logger: logger, day: day, force: true, holder: "bench")
        let digestWall = seconds(ContinuousClock.now - wall0)
        let digestCPU = cpuSeconds() - cpu0
        lines.append(
            "每日提醒（\(day.iso)）：用时 \(String(format: "%.2f", digestWall)) 秒，CPU \(String(format: "%.2f", digestCPU)) 秒；\(outcome)"
        )

        // The county's 季通报 for the quarter that contains today (as of today), with the quarter before.
        guard let county = try await store.units(in: .everything).first(where: { $0.parentID == nil }) else {
            throw CommandError("没有县级单位")
        }
        let settings = try await store.rhythmSettings(at: county.path).settings
        guard let cadence = settings.cadences.first(where: { $0.period == .quarter }) else {
            throw CommandError("没有按季度的调度设置")
        }
        let period = ReportPeriod.containing(today, .quarter)
        let cpu1 = cpuSeconds()
        let wall1 = ContinuousClock.now
        let figures = try await PeriodReport.compute(
            store: store, unit: county, cadence: cadence, period: period, settings: settings)
        let computeWall = seconds(ContinuousClock.now - wall1)
        let wall2 = ContinuousClock.now
        let docx = try PeriodDocuments.docx(figures)
        let docxWall = seconds(ContinuousClock.now - wall2)
        let bulletinCPU = cpuSeconds() - cpu1
        lines.append(
            "季通报（\(period.start.iso)–\(period.end.iso)，县级，含上季度对比）：计算 \(String(format: "%.2f", computeWall)) 秒，"
                + "生成 docx \(String(format: "%.2f", docxWall)) 秒（\(docx.count / 1024) KB），CPU \(String(format: "%.2f", bulletinCPU)) 秒"
        )
        return lines
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

/// A month's appeal statistics (the 三率 by department and kind) and its 通报 over a province's appeals
/// (bench/appeals/seed.py fills the table).
enum AppealStatisticsBenchmark {
    static func run(dataDirectory: String, month: String, rounds: Int, logger: Logger) async throws -> [String] {
        let store = try Commands.openStore(dataDirectory: dataDirectory, logger: logger)
        do {
            try await store.migrate()
            var lines: [String] = []
            var timings: [Double] = []
            for round in 0...rounds {
                let cpu = RhythmBenchmark.cpuSeconds()
                let start = ContinuousClock.now
                let statistics = try await AppealStatistics.compute(month: month, scope: .everything, store: store)
                let docx = try AppealDocuments.docx(statistics, issuer: "基准测试县", issuedOn: store.clock.today())
                let wall = RhythmBenchmark.seconds(ContinuousClock.now - start)
                // The first round warms the page cache and is not counted.
                if round > 0 { timings.append(wall) }
                if round == rounds {
                    lines.append(
                        "\(month)：收到 \(statistics.total.received) 件，按时响应率 \(statistics.total.onTimeRate)，"
                            + "部门 \(statistics.byDepartment.count) 个，通报 \(docx.count / 1024) KB；"
                            + "末轮 CPU \(String(format: "%.2f", RhythmBenchmark.cpuSeconds() - cpu)) 秒")
                }
            }
            timings.sort()
            lines.append(
                "统计并生成通报 \(rounds) 轮：中位 \(String(format: "%.2f", timings[timings.count / 2])) 秒，"
                    + "最慢 \(String(format: "%.2f", timings.last ?? 0)) 秒")
            await store.shutdown()
            return lines
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
