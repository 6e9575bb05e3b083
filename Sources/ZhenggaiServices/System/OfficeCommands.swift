public import Foundation
public import ZhenggaiCore
import ZhenggaiOffice
public import ZhenggaiStore

/// The command line's export, import and reports, as library calls. The command line acts as the system
/// (audit actor 命令行) over the whole tree; every change still goes through the store's audited writes.
public enum OfficeCommands {
    public struct ExportSummary: Sendable {
        public var problems: Int
        public var rows: Int
        public var bytes: Int
        public var milliseconds: Double
    }

    public static func exportLedger(store: Store, source: String?, unit: String?, out: URL) async throws
        -> ExportSummary
    {
        let started = ContinuousClock.now
        let today = store.clock.today()
        let units = try await store.units(in: .everything)
        var filter = LedgerFilter(scope: .everything)
        var unitName = units.first { $0.parentID == nil }?.name ?? ""
        if let unit {
            let node = try await store.unit(named: unit)
            filter.unitPath = node.path
            unitName = node.name
        }
        var sourceTitle: String?
        if let source {
            let found = try await findSource(source, store: store)
            filter.sourceID = found.id
            sourceTitle = found.title
        }
        let format = LedgerExport.Format(fileName: out.lastPathComponent)
        let title = LedgerExport.title(unit: unitName, source: sourceTitle, today: today)
        let rows = try await LedgerExport.rows(store: store, filter: filter, today: today)
        let data = try office { try LedgerExport.data(rows, format: format, title: title) }
        do {
            try data.write(to: out, options: .atomic)
        } catch {
            throw CommandError("无法写入 \(out.path)：\(error.localizedDescription)")
        }
        let problems = Set(
            rows.compactMap { row -> String? in
                if case .text(let number) = row.values[1] { return number }
                return nil
            }
        ).count
        let elapsed = started.duration(to: .now)
        return ExportSummary(
            problems: problems, rows: rows.count, bytes: data.count,
            milliseconds: Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }

    public struct ImportOutcome: Sendable {
        public var preview: LedgerImport.Preview
        public var result: LedgerImportResult?
    }

    /// Checks the file; stores it (all or nothing) unless `dryRun` or a row that is not skipped has a problem,
    /// in which case the problems are the error.
    public static func importLedger(
        store: Store, file: URL, source: String?, skipRows: Set<Int>, dryRun: Bool, feedbackDate: LocalDate? = nil
    ) async throws -> ImportOutcome {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw CommandError("无法读取 \(file.path)：\(error.localizedDescription)")
        }
        let found = try await source.asyncMap { try await findSource($0, store: store) }
        let preview: LedgerImport.Preview
        do {
            preview = try await LedgerImport.preview(
                data: data, fileName: file.lastPathComponent, source: found, skipRows: skipRows,
                importer: .system, store: store, feedbackDate: feedbackDate)
        } catch let error as LedgerImport.ImportError {
            throw CommandError(error.userMessage)
        }
        if dryRun { return ImportOutcome(preview: preview) }
        guard preview.blockingRows.isEmpty else {
            throw CommandError(
                "「\(file.lastPathComponent)」有 \(preview.blockingRows.count) 行存在问题，未导入任何内容"
                    + "（修改文件，或用 --skip-rows 跳过这些行）：\n"
                    + preview.problemLines.joined(separator: "\n"))
        }
        let result = try await LedgerImport.apply(preview, store: store, by: .commandLine)
        return ImportOutcome(preview: preview, result: result)
    }

    public static func report(
        _ kind: LedgerReports.Kind, store: Store, source: String?, unit: String?, period: String?, out: URL
    ) async throws -> String {
        let made = try await ReportMaker.make(
            kind, store: store, scope: .everything, source: source, unit: unit, period: period, inputs: .init())
        let data = try office { try made.document.docxData() }
        do {
            try data.write(to: out, options: .atomic)
        } catch {
            throw CommandError("无法写入 \(out.path)：\(error.localizedDescription)")
        }
        return made.document.title.replacingOccurrences(of: "\n", with: "")
    }

    /// A source by id, number prefix (XC2026-3-01) or exact title.
    public static func findSource(_ reference: String, store: Store) async throws -> Source {
        let matches = try await store.sources(in: .everything).filter {
            $0.id.uuidString == reference || $0.numberPrefix == reference || $0.title == reference
        }
        guard matches.count == 1 else {
            throw CommandError(
                matches.isEmpty ? "找不到来源「\(reference)」（可用来源编号、编号前缀或完整名称）。" : "有多个来源名为「\(reference)」，请改用编号前缀。")
        }
        return matches[0]
    }

    static func office<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as OfficeError {
            throw CommandError(error.userMessage)
        }
    }
}

extension Optional {
    /// `map` for an async transform.
    package func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
