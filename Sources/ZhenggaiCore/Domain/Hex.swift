extension Sequence where Element == UInt8 {
    /// Lower-case hex, two digits a byte: how digests are stored and compared (tokens, the audit chain,
    /// evidence files). Built from a table, not `String(format:)`, which cost a twelfth of every request's
    /// time in the session check (docs/benchmarks.md).
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
