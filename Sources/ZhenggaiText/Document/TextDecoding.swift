public import Foundation

/// The encodings a Chinese text file arrives in.
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case utf8WithBOM = "UTF-8 (BOM)"
    case utf16LittleEndian = "UTF-16LE"
    case utf16BigEndian = "UTF-16BE"
    case gb18030 = "GB18030"
}

/// Detects the encoding of raw bytes and decodes them, refusing binary data and oversized input.
public enum TextDecoding {
    /// Default input cap: large enough for any real report, small enough to keep memory bounded.
    public static let defaultSizeLimit = 64 * 1_048_576

    /// CFStringEncoding GB_18030_2000; Foundation on Linux decodes GBK text through it as well.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    public static func decode(
        _ data: Data,
        fileName: String,
        sizeLimit: Int = defaultSizeLimit
    ) throws(DocumentError) -> (text: String, encoding: TextEncoding) {
        let decoded = try decodeScalars(data, fileName: fileName, sizeLimit: sizeLimit)
        return (Scalars.string(decoded.scalars), decoded.encoding)
    }

    /// Decodes straight to Unicode scalar values, the parser's working form (one pass for UTF-8).
    static func decodeScalars(
        _ data: Data,
        fileName: String,
        sizeLimit: Int
    ) throws(DocumentError) -> (scalars: [UInt32], encoding: TextEncoding) {
        guard data.count <= sizeLimit else {
            throw .tooLarge(fileName: fileName, size: data.count, limit: sizeLimit)
        }
        let bytes = [UInt8](data)
        if let signature = binarySignature(bytes) {
            throw .binary(fileName: fileName, offset: 0, detail: signature)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let scalars = utf8Scalars(bytes, from: 3) ?? Scalars.of(String(decoding: bytes[3...], as: UTF8.self))
            return (try checked(scalars, fileName: fileName), .utf8WithBOM)
        }
        if bytes.starts(with: [0xFF, 0xFE]) {
            return (
                try checked(Scalars.of(utf16(bytes[2...], littleEndian: true)), fileName: fileName), .utf16LittleEndian
            )
        }
        if bytes.starts(with: [0xFE, 0xFF]) {
            return (
                try checked(Scalars.of(utf16(bytes[2...], littleEndian: false)), fileName: fileName), .utf16BigEndian
            )
        }
        let firstZero = bytes.withUnsafeBytes { buffer -> Int? in
            guard let base = buffer.baseAddress, let found = memchr(base, 0, buffer.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
        if firstZero != nil, let endian = utf16ByZeroBytes(bytes) {
            let scalars = Scalars.of(utf16(bytes[...], littleEndian: endian))
            return (try checked(scalars, fileName: fileName), endian ? .utf16LittleEndian : .utf16BigEndian)
        }
        if let offset = firstZero {
            // Zero bytes without a clear UTF-16 pattern (Chinese such as 一 U+4E00 has zero bytes on
            // both sides): keep UTF-16 only if it reads as Chinese text.
            if bytes.count % 2 == 0 {
                let little = utf16(bytes[...], littleEndian: true)
                let big = utf16(bytes[...], littleEndian: false)
                let (littleShare, bigShare) = (textShare(little), textShare(big))
                if max(littleShare, bigShare) >= 0.9 {
                    let littleWins = littleShare >= bigShare
                    let scalars = Scalars.of(littleWins ? little : big)
                    return (try checked(scalars, fileName: fileName), littleWins ? .utf16LittleEndian : .utf16BigEndian)
                }
            }
            throw .binary(fileName: fileName, offset: offset, detail: "含有空字节")
        }
        if let scalars = utf8Scalars(bytes, from: 0) {
            return (try checked(scalars, fileName: fileName), .utf8)
        }
        // Not UTF-8: GB18030 covers GBK and GB2312. UTF-16 without BOM or zero bytes (pure CJK) is
        // rare but possible, so keep whichever decoding yields more Chinese.
        let gbText = String(data: data, encoding: gb18030)
        let utf16Text = bytes.count % 2 == 0 ? utf16(bytes[...], littleEndian: true) : nil
        let gbScore = gbText.map(chineseShare) ?? -1
        let utf16Score = utf16Text.map(chineseShare) ?? -1
        if let gbText, gbScore >= utf16Score, gbScore > 0.2 {
            return (try checked(Scalars.of(gbText), fileName: fileName), .gb18030)
        }
        if let utf16Text, utf16Score > 0.5, textShare(utf16Text) >= 0.9 {
            return (try checked(Scalars.of(utf16Text), fileName: fileName), .utf16LittleEndian)
        }
        if let gbText, gbScore > 0 {
            return (try checked(Scalars.of(gbText), fileName: fileName), .gb18030)
        }
        throw .undecodable(fileName: fileName)
    }

    /// Rejects decoded text that is mostly control characters (a binary file that happened to decode).
    /// The start is enough: binary formats show it at once, and NUL bytes were already checked throughout.
    private static func checked(_ scalars: [UInt32], fileName: String) throws(DocumentError) -> [UInt32] {
        let sample = min(scalars.count, 8_192)
        var control = 0
        var firstControl = -1
        for index in 0..<sample {
            let value = scalars[index]
            if value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D && value != 0x0C || value == 0xFFFD {
                if firstControl < 0 { firstControl = index }
                control += 1
            }
        }
        if sample > 0 && control * 20 > sample {
            throw .binary(fileName: fileName, offset: max(firstControl, 0), detail: "控制字符或无效字节过多")
        }
        return scalars
    }

    /// Strict UTF-8 straight to scalars; a sequence cut at the very end (a truncated file) is dropped.
    /// Returns nil on any other invalid byte.
    static func utf8Scalars(_ bytes: [UInt8], from start: Int) -> [UInt32]? {
        var valid = true
        let result = [UInt32](unsafeUninitializedCapacity: max(0, bytes.count - start)) { target, written in
            written = 0
            bytes.withUnsafeBufferPointer { buffer in
                let count = buffer.count
                var index = start
                var out = 0
                defer { written = out }
                while index < count {
                    let lead = UInt32(buffer[index])
                    if lead < 0x80 {
                        target[out] = lead
                        out += 1
                        index += 1
                        continue
                    }
                    let length: Int
                    var value: UInt32
                    let minimum: UInt32
                    switch lead {
                    case 0xC2...0xDF: (length, value, minimum) = (2, lead & 0x1F, 0x80)
                    case 0xE0...0xEF: (length, value, minimum) = (3, lead & 0x0F, 0x800)
                    case 0xF0...0xF4: (length, value, minimum) = (4, lead & 0x07, 0x10000)
                    default:
                        valid = false
                        return
                    }
                    if index + length > count {
                        // Truncated final character: keep what came before.
                        for tail in (index + 1)..<count where buffer[tail] & 0xC0 != 0x80 { valid = false }
                        return
                    }
                    for offset in 1..<length {
                        let byte = UInt32(buffer[index + offset])
                        guard byte & 0xC0 == 0x80 else {
                            valid = false
                            return
                        }
                        value = value << 6 | byte & 0x3F
                    }
                    guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
                        valid = false
                        return
                    }
                    target[out] = value
                    out += 1
                    index += length
                }
            }
        }
        return valid ? result : nil
    }

    private static func binarySignature(_ bytes: [UInt8]) -> String? {
        let signatures: [([UInt8], String)] = [
            ([0x50, 0x4B, 0x03, 0x04], "ZIP 压缩包或 .docx/.xlsx 文件"),
            ([0xD0, 0xCF, 0x11, 0xE0], "旧版 Office（.doc/.xls）文件"),
            ([0x25, 0x50, 0x44, 0x46], "PDF 文件"),
            ([0x89, 0x50, 0x4E, 0x47], "PNG 图片"),
            ([0xFF, 0xD8, 0xFF], "JPEG 图片"),
            ([0x1F, 0x8B], "gzip 压缩文件"),
            ([0x7F, 0x45, 0x4C, 0x46], "可执行文件"),
        ]
        return signatures.first { bytes.starts(with: $0.0) }?.1
    }

    /// UTF-16 without BOM: text with any ASCII has zero bytes on one side only.
    private static func utf16ByZeroBytes(_ bytes: [UInt8]) -> Bool? {
        let sample = min(bytes.count, 8_192) & ~1
        guard sample >= 4 else { return nil }
        var evenZeros = 0
        var oddZeros = 0
        var index = 0
        while index < sample {
            if bytes[index] == 0 { evenZeros += 1 }
            if bytes[index + 1] == 0 { oddZeros += 1 }
            index += 2
        }
        let pairs = sample / 2
        if oddZeros * 10 >= pairs && evenZeros * 50 < oddZeros { return true }
        if evenZeros * 10 >= pairs && oddZeros * 50 < evenZeros { return false }
        return nil
    }

    private static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String {
        var units = [UInt16]()
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            units.append(littleEndian ? first | second << 8 : first << 8 | second)
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// Share of scalars that plausible Chinese text is made of (ideographs, CJK and full-width punctuation,
    /// printable ASCII, line breaks). Random bytes read as UTF-16 land all over the code space instead.
    private static func textShare(_ text: String) -> Double {
        var plausible = 0
        var total = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            total += 1
            if (0x20...0x7E).contains(value) || value == 0x0A || value == 0x0D || value == 0x09
                || (0x4E00...0x9FFF).contains(value) || (0x3000...0x303F).contains(value)
                || (0xFF00...0xFFEF).contains(value) || (0x2000...0x206F).contains(value)
                || (0x2460...0x24FF).contains(value)
            {
                plausible += 1
            }
            if total == 8_192 { break }
        }
        return total == 0 ? 0 : Double(plausible) / Double(total)
    }

    /// Share of CJK ideographs and CJK punctuation among the first scalars.
    private static func chineseShare(_ text: String) -> Double {
        var chinese = 0
        var total = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x20 || value == 0x0A || value == 0x0D || value == 0x09 { continue }
            total += 1
            if (0x4E00...0x9FFF).contains(value) || (0x3000...0x303F).contains(value)
                || (0xFF00...0xFFEF).contains(value)
            {
                chinese += 1
            }
            if total == 8_192 { break }
        }
        return total == 0 ? 0 : Double(chinese) / Double(total)
    }
}
