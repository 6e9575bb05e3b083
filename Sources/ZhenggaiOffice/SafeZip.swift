import Foundation
import ZIPFoundation

/// Bounds on what one uploaded package may cost to open. Real ledgers and reports stay far below them;
/// ZIP bombs and hostile files hit them before they hit memory.
public struct ZipLimits: Sendable, Hashable {
    /// Size of the compressed file itself.
    public var maxArchiveBytes: Int
    public var maxEntries: Int
    /// Inflated size of one part (one sheet's XML, the document body).
    public var maxEntryBytes: Int
    /// Inflated size of all parts read from one package.
    public var maxTotalBytes: Int
    /// Inflated / compressed. Office XML deflates 5-30x; deflate's ceiling is ~1,030x (long runs of one byte).
    public var maxCompressionRatio: Int
    /// Parts smaller than this are never judged by their ratio (tiny repetitive XML compresses very well).
    public var ratioExemptBytes: Int

    public init(
        maxArchiveBytes: Int = 100 << 20,
        maxEntries: Int = 10_000,
        maxEntryBytes: Int = 256 << 20,
        maxTotalBytes: Int = 512 << 20,
        maxCompressionRatio: Int = 200,
        ratioExemptBytes: Int = 1 << 20
    ) {
        self.maxArchiveBytes = maxArchiveBytes
        self.maxEntries = maxEntries
        self.maxEntryBytes = maxEntryBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioExemptBytes = ratioExemptBytes
    }

    public static let standard = ZipLimits()
}

/// Reads parts of an OOXML package with limits, turning every failure into an `OfficeError`.
/// Part sizes are counted while inflating, so a lying header cannot get past the limits.
final class SafeZipReader {
    let fileKind: OfficeFileKind
    let fileName: String?
    private let limits: ZipLimits
    private let archive: Archive
    /// Entries by path, first one wins (as ZIPFoundation's subscript does), built once.
    private let entries: [String: Entry]
    private var bytesRead = 0

    init(data: Data, fileKind: OfficeFileKind, fileName: String?, limits: ZipLimits = .standard) throws {
        self.fileKind = fileKind
        self.fileName = fileName
        self.limits = limits
        func fail(_ reason: OfficeError.Reason) -> OfficeError {
            OfficeError(reason, fileName: fileName, fileKind: fileKind)
        }
        if let ole = OLEProbe.classify(data) {
            throw fail(ole == .encrypted ? .encrypted : .legacyBinaryFormat)
        }
        guard data.count <= limits.maxArchiveBytes else { throw fail(.totalTooLarge(limit: limits.maxArchiveBytes)) }
        let startsLikeZip = data.prefix(2) == Data([0x50, 0x4B])
        guard data.count >= 22 else {
            throw fail(startsLikeZip ? .corrupt(detail: "shorter than EOCD") : .notAnArchive)
        }
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw fail(startsLikeZip ? .corrupt(detail: "\(error)") : .notAnArchive)
        }
        var byPath: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            guard count <= limits.maxEntries else { throw fail(.tooManyEntries(limit: limits.maxEntries)) }
            let path = entry.path
            if byPath[path] == nil { byPath[path] = entry }
        }
        guard count > 0 else { throw fail(startsLikeZip ? .corrupt(detail: "no entries") : .notAnArchive) }
        entries = byPath
    }

    func contains(_ path: String) -> Bool { entries[Self.normalize(path)] != nil }

    /// The inflated bytes of one part, or nil when the package has no such part.
    func read(_ path: String) throws -> Data? {
        let path = Self.normalize(path)
        guard let entry = entries[path], entry.type == .file else { return nil }
        func fail(_ reason: OfficeError.Reason) -> OfficeError {
            OfficeError(reason, fileName: fileName, fileKind: fileKind)
        }
        let declared = entry.uncompressedSize
        guard declared <= UInt64(limits.maxEntryBytes) else {
            throw fail(.entryTooLarge(path: path, limit: limits.maxEntryBytes))
        }
        let compressed = max(Int(clamping: entry.compressedSize), 1)
        let limits = self.limits
        var out = Data()
        out.reserveCapacity(Int(declared))
        var total = bytesRead
        do {
            _ = try archive.extract(entry, bufferSize: 64 * 1024) { chunk in
                out.append(chunk)
                total += chunk.count
                if out.count > limits.maxEntryBytes {
                    throw fail(.entryTooLarge(path: path, limit: limits.maxEntryBytes))
                }
                if total > limits.maxTotalBytes { throw fail(.totalTooLarge(limit: limits.maxTotalBytes)) }
                if out.count > limits.ratioExemptBytes, out.count / compressed > limits.maxCompressionRatio {
                    throw fail(.compressionRatio(path: path, limit: limits.maxCompressionRatio))
                }
            }
        } catch let error as OfficeError {
            throw error
        } catch {
            throw fail(.corrupt(detail: "\(path): \(error)"))
        }
        bytesRead = total
        return out
    }

    func require(_ path: String) throws -> Data {
        guard let data = try read(path) else {
            throw OfficeError(.missingPart(path: Self.normalize(path)), fileName: fileName, fileKind: fileKind)
        }
        return data
    }

    /// Package part names are absolute ("/xl/workbook.xml") in relationships, relative in the ZIP.
    static func normalize(_ path: String) -> String {
        path.hasPrefix("/") ? String(path.dropFirst()) : path
    }
}

/// Recognises OLE compound files (magic D0 CF 11 E0 A1 B1 1A E1): an OOXML file with a password is stored
/// that way (streams "EncryptionInfo" and "EncryptedPackage"), and so are old .xls / .doc / WPS files.
enum OLEProbe {
    enum Kind { case encrypted, legacy }

    static let magic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    static func classify(_ data: Data) -> Kind? {
        guard data.count >= 512, data.prefix(8).elementsEqual(magic) else { return nil }
        // Directory entry names are UTF-16LE; the directory may sit anywhere, so look through the file.
        let name = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        return data.firstRange(of: name) != nil ? .encrypted : .legacy
    }
}

/// Builds a package in memory. Entries get a fixed timestamp so equal input gives equal bytes.
struct ZipWriter {
    private let archive: Archive
    private static let timestamp = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01

    init() throws {
        archive = try Archive(data: Data(), accessMode: .create)
    }

    func add(_ path: String, _ data: Data) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: Self.timestamp,
            compressionMethod: .deflate, bufferSize: 256 * 1024
        ) { position, size in
            let start = data.startIndex + Int(position)
            return data.subdata(in: start..<min(start + size, data.endIndex))
        }
    }

    func add(_ path: String, _ text: String) throws {
        try add(path, Data(text.utf8))
    }

    func finish() -> Data {
        archive.data ?? Data()
    }
}
