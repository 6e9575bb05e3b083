import Foundation
import Testing
import ZhenggaiText

@Suite("Decoding bytes into text")
struct TextDecodingTests {
    static let sample = "一、存在的问题\n（一）理论学习不够深入。ABC 123"

    @Test("UTF-8 with and without BOM")
    func utf8() throws {
        let plain = try TextDecoding.decode(Data(Self.sample.utf8), fileName: "a.txt")
        #expect(plain.text == Self.sample)
        #expect(plain.encoding == .utf8)
        let withBOM = try TextDecoding.decode(Data([0xEF, 0xBB, 0xBF]) + Data(Self.sample.utf8), fileName: "a.txt")
        #expect(withBOM.text == Self.sample)
        #expect(withBOM.encoding == .utf8WithBOM)
    }

    @Test("UTF-16 with BOM in both byte orders, and without BOM")
    func utf16() throws {
        let units = Array(Self.sample.utf16)
        let little = Data(units.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let big = Data(units.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        let cases: [(Data, TextEncoding)] = [
            (Data([0xFF, 0xFE]) + little, .utf16LittleEndian),
            (Data([0xFE, 0xFF]) + big, .utf16BigEndian),
            (little, .utf16LittleEndian),
            (big, .utf16BigEndian),
        ]
        for (data, encoding) in cases {
            let decoded = try TextDecoding.decode(data, fileName: "a.txt")
            #expect(decoded.text == Self.sample)
            #expect(decoded.encoding == encoding)
        }
    }

    @Test("GB18030 and GBK text")
    func gb18030() throws {
        let encoding = String.Encoding(rawValue: 0x8000_0632)
        let data = try #require(Self.sample.data(using: encoding))
        #expect(String(data: data, encoding: .utf8) == nil)
        let decoded = try TextDecoding.decode(data, fileName: "gbk.txt")
        #expect(decoded.text == Self.sample)
        #expect(decoded.encoding == .gb18030)
    }

    @Test("A UTF-8 file cut in the middle of its last character still decodes")
    func truncatedUTF8() throws {
        let data = Data(Self.sample.utf8) + Data("问".utf8.prefix(2))
        let decoded = try TextDecoding.decode(data, fileName: "cut.txt")
        #expect(decoded.text == Self.sample)
    }

    @Test(
        "Binary input is refused with a Chinese message naming the file",
        arguments: [
            Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]),
            Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0]),
            Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ ($0 >> 3)) }),
            Data(repeating: 0x01, count: 500),
        ])
    func binary(data: Data) {
        #expect {
            _ = try TextDecoding.decode(data, fileName: "image.bin")
        } throws: { error in
            guard let error = error as? DocumentError else { return false }
            switch error {
            case .binary, .undecodable: return error.userMessage.contains("image.bin")
            default: return false
            }
        }
    }

    @Test("Input above the size cap is refused before decoding")
    func tooLarge() {
        let data = Data(repeating: 0x41, count: 2_000)
        #expect(throws: DocumentError.tooLarge(fileName: "big.txt", size: 2_000, limit: 1_000)) {
            _ = try TextDecoding.decode(data, fileName: "big.txt", sizeLimit: 1_000)
        }
        let message = DocumentError.tooLarge(fileName: "big.txt", size: 200 * 1_048_576, limit: 64 * 1_048_576)
            .userMessage
        #expect(message.contains("200.0 MB"))
        #expect(message.contains("64.0 MB"))
    }

    @Test("A 200 MB file is refused from its size alone")
    func hugeFileIsNotRead() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "zhenggai-huge-\(UUID().uuidString).txt")
        try #require(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 200 * 1_048_576)  // sparse: no disk space, no memory
        try handle.close()
        #expect {
            _ = try DocumentParser.parse(fileAt: url)
        } throws: { error in
            if case .tooLarge(_, let size, _) = error as? DocumentError { return size == 200 * 1_048_576 }
            return false
        }
    }
}
