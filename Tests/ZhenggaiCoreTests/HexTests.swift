import Foundation
import Testing
import ZhenggaiCore

@Suite struct HexTests {
    /// Stored digests (the audit chain, session tokens) must read exactly as before the table-driven encoder.
    @Test func everyByteReadsAsFormatWroteIt() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(bytes.hexString == bytes.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().hexString == "")
    }
}
