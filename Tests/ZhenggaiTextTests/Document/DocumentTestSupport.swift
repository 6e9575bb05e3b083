import Foundation
import Testing

/// Locations of the repository's fixtures and of the project's seed documents.
enum DocumentFixtures {
    /// The repository root: the first folder above this file that holds Package.swift.
    static let repositoryRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path)
                && FileManager.default.fileExists(atPath: directory.appendingPathComponent("Sources").path)
            {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    }()

    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static let evaluationFolder = repositoryRoot.appendingPathComponent("eval")

    /// The seed documents, copied unchanged into the repository (eval/seeds), so every clone runs their tests.
    static let seedsFolder = repositoryRoot.appendingPathComponent("eval/seeds")

    static var seedsAvailable: Bool {
        FileManager.default.fileExists(atPath: seedsFolder.appendingPathComponent("README.md").path)
    }

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static func seedFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: seedsFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "txt" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// Every text document the project owns or may read: fixtures, evaluation documents, seeds.
    static func allDocuments() throws -> [Data] {
        var urls = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        urls += try FileManager.default.contentsOfDirectory(at: evaluationFolder, includingPropertiesForKeys: nil)
        if seedsAvailable { urls += try seedFiles() }
        return try urls.filter { $0.pathExtension == "txt" }
            .sorted { $0.path < $1.path }
            .map { try Data(contentsOf: $0) }
    }
}

extension String {
    /// The Unicode scalars in `start..<end`, the convention of ProblemItem and MeasureItem offsets.
    func scalarSlice(_ start: Int, _ end: Int) -> String {
        let view = unicodeScalars
        guard start >= 0, start <= end, end <= view.count else { return "<out of range>" }
        let lower = view.index(view.startIndex, offsetBy: start)
        let upper = view.index(lower, offsetBy: end - start)
        return String(view[lower..<upper])
    }
}
