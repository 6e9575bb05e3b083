import Foundation
import Testing

@testable import ZhenggaiOffice

/// The QR encoder against an independent one: `Fixtures/qr-reference.json` holds the module matrices that
/// the Python `qrcode` package (8.2) draws for the same bytes, level M and mask (versions 1, 6, 9, 10: with
/// and without alignment patterns, version information and two block groups).
@Suite struct QRCodeTests {
    struct Reference: Decodable {
        var text: String
        var mask: Int
        var version: Int
        var rows: [String]
    }

    static let references: [Reference] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/qr-reference.json")
        return (try? JSONDecoder().decode([Reference].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test func matchesTheReferenceModuleForModule() throws {
        #expect(Self.references.count == 4)
        for reference in Self.references {
            let code = try QRCode(reference.text, mask: reference.mask)
            #expect(code.version == reference.version, "\(reference.text.prefix(20))")
            let rows = (0..<code.size).map { row in
                String((0..<code.size).map { code.isDark(row: row, column: $0) ? "1" : "0" })
            }
            #expect(rows == reference.rows, "version \(reference.version), mask \(reference.mask)")
        }
    }

    @Test func choosesAMaskAndRefusesWhatDoesNotFit() throws {
        let code = try QRCode("https://zhenggai.example.gov.cn/public")
        #expect((0..<8).contains(code.mask) && code.version == 3)
        #expect(code.svg().hasPrefix("<svg") && code.svg().contains("<path"))
        #expect(throws: QRCode.EncodingError.tooLong(bytes: 214, limit: 213)) {
            try QRCode(String(repeating: "A", count: 214))
        }
    }
}
