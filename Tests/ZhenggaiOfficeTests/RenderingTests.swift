import Foundation
import Testing
import ZhenggaiBenchmarks

@testable import ZhenggaiOffice

/// LibreOffice headless and poppler, found on PATH (CI installs libreoffice-writer, libreoffice-calc,
/// fonts-noto-cjk and poppler-utils). Each LibreOffice start costs about a second, so every file type is
/// converted once and shared by the tests below.
enum Renderer {
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    static let libreOffice = executable("libreoffice") ?? executable("soffice")
    static let available = libreOffice != nil && executable("pdftotext") != nil && executable("pdfinfo") != nil

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Runs a program and returns its standard output; throws when it exits non-zero.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OfficeError(
                .invalidArgument(detail: "\(program) exited \(process.terminationStatus)"), fileKind: .document)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Converts `input` with LibreOffice into `format` ("pdf", "csv:…") in a fresh directory, with the
    /// project's font aliases and a private profile (so parallel runs do not share a lock).
    static func convert(_ input: Data, name: String, to format: String) throws -> URL {
        guard let libreOffice else { throw CocoaError(.fileNoSuchFile) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "zhenggai-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = directory.appendingPathComponent(name)
        try input.write(to: source)
        let aliases = repositoryRoot.appendingPathComponent("scripts/fonts/65-gongwen-fonts.conf").path
        let fonts = directory.appendingPathComponent("fonts.conf")
        try """
        <?xml version="1.0"?>
        <fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>\
        <include ignore_missing="yes">\(aliases)</include></fontconfig>
        """.write(to: fonts, atomically: true, encoding: .utf8)
        try run(
            libreOffice,
            [
                "-env:UserInstallation=file://\(directory.path)/profile", "--headless", "--convert-to", format,
                "--outdir",
                directory.path, source.path,
            ],
            environment: ["FONTCONFIG_FILE": fonts.path])
        try? FileManager.default.removeItem(at: directory.appendingPathComponent("profile"))
        let stem = source.deletingPathExtension().lastPathComponent
        let extensionName = String(format.prefix { $0 != ":" })
        return directory.appendingPathComponent("\(stem).\(extensionName)")
    }

    struct Report: Sendable {
        var pdf: URL
        var info: String
        /// Text of each page laid out as printed (pdftotext -layout).
        var pages: [String]
    }

    /// The 20-page sample report, rendered once.
    static let report: Result<Report, any Error> = Result {
        let pdf = try convert(OfficeBenchmark.sampleReport(pages: 20).docxData(), name: "report.docx", to: "pdf")
        let info = try run(executable("pdfinfo") ?? "pdfinfo", [pdf.path])
        let text = try run(executable("pdftotext") ?? "pdftotext", ["-layout", pdf.path, "-"])
        return Report(pdf: pdf, info: info, pages: text.components(separatedBy: "\u{0C}").filter { !$0.isEmpty })
    }

    /// The 50-row sample ledger converted to UTF-8 CSV by Calc, once.
    static let ledgerCSV: Result<Data, any Error> = Result {
        let sheet = OfficeBenchmark.ledgerSheet(rows: 50)
        let csv = try convert(
            XLSXWriter(sheets: [sheet]).data(), name: "ledger.xlsx", to: "csv:Text - txt - csv (StarCalc):44,34,76,1")
        return try Data(contentsOf: csv)
    }
}

@Suite(
    "Rendering with LibreOffice", .serialized,
    .enabled(if: Renderer.available, "libreoffice / poppler-utils not on PATH: rendering tests skipped"))
struct RenderingTests {
    @Test func reportPrintsOnTwentyA4Pages() throws {
        let report = try Renderer.report.get()
        #expect(report.info.contains("(A4)"))
        let pages = report.info.split(separator: "\n").first { $0.hasPrefix("Pages:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
        #expect((19...21).contains(pages ?? 0), "\(report.info)")
        #expect(report.pages.count == pages)
    }

    @Test func reportTextReadsBackWithTheGridAndPageNumbers() throws {
        let report = try Renderer.report.get()
        let squeezed = report.pages.map { $0.filter { !$0.isWhitespace } }
        #expect(squeezed[0].hasPrefix("中共某某县委员会关于县委第一巡察组反馈意见整改进展情况的报告县委巡察工作领导小组："))
        #expect(squeezed[0].contains("一、第1部分整改工作推进情况（一）关于第1类问题的整改1.细化整改措施。"))
        #expect(squeezed.joined().contains("表1整改问题清单（节选）"))
        #expect(squeezed.last?.contains("【待填写：由县委巡察办填写对整改成效的评价】") == true)
        #expect(squeezed.last?.contains("中共某某县委员会2026年8月1日") == true)
        // Page numbers "— n —": right on odd pages, left on even pages.
        for (index, page) in report.pages.enumerated() {
            let footer = page.split(separator: "\n").last { $0.contains("—") }.map(String.init) ?? ""
            #expect(footer.filter { !$0.isWhitespace } == "—\(index + 1)—", "page \(index + 1)")
            let indent = footer.prefix { $0 == " " }.count
            #expect(index % 2 == 0 ? indent > 20 : indent < 10, "page \(index + 1) footer: \(footer)")
        }
        // 28 characters a line: the longest all-Chinese body line holds exactly 28.
        let chineseLines = report.pages.joined(separator: "\n").split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { line in !line.isEmpty && line.unicodeScalars.allSatisfy { $0.value > 0x2000 } }
        #expect(chineseLines.map(\.count).max() == 28)
    }

    @Test func keepsPageOneAsAPicture() throws {
        let report = try Renderer.report.get()
        let target =
            ProcessInfo.processInfo.environment["ZHENGGAI_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
            ?? report.pdf.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let stem = target.appendingPathComponent("report-page1").path
        try Renderer.run(
            Renderer.executable("pdftoppm") ?? "pdftoppm",
            ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", report.pdf.path, stem])
        let png = try Data(contentsOf: URL(fileURLWithPath: stem + ".png"))
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        print("Rendered page 1 of the sample report: \(stem).png")
    }

    @Test func calcReadsTheLedgerAsWritten() throws {
        let sheet = try CSV.read(Renderer.ledgerCSV.get())
        let written = OfficeBenchmark.ledgerSheet(rows: 50)
        #expect(sheet.rows[0].cells.map(\.value.displayText).first == written.title)
        #expect(sheet.rows[1].cells.map(\.value.displayText) == written.columns.map(\.header))
        for (offset, row) in written.rows.enumerated() {
            let shown = sheet.rows[offset + 2].cells.map(\.value.displayText)
            let expected = row.values.map { value -> String in
                if case .date(let date) = value { return date.chineseText }
                return value.displayText
            }
            #expect(
                shown + Array(repeating: "", count: max(0, expected.count - shown.count)) == expected,
                "row \(offset + 3)")
        }
    }
}
