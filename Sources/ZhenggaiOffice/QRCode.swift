/// QR codes (ISO/IEC 18004) for the printed 公示栏 notice: a resident scans it with a phone and lands on the
/// publication's page. Byte mode, error correction level M, versions 1–10 (up to 213 bytes: any page
/// address), drawn by the server as SVG — no external service, nothing leaves the intranet.
public struct QRCode: Sendable, Equatable {
    public let version: Int
    public let mask: Int
    /// Row-major dark modules, `size × size`, without the quiet zone.
    public let modules: [Bool]
    public var size: Int { version * 4 + 17 }

    public func isDark(row: Int, column: Int) -> Bool { modules[row * size + column] }

    public enum EncodingError: Error, Equatable {
        case tooLong(bytes: Int, limit: Int)
    }

    /// Level M, per version 1…10: EC codewords per block, then (blocks, data codewords) of the two groups.
    static let blocks: [(ec: Int, g1: (Int, Int), g2: (Int, Int))] = [
        (10, (1, 16), (0, 0)), (16, (1, 28), (0, 0)), (26, (1, 44), (0, 0)), (18, (2, 32), (0, 0)),
        (24, (2, 43), (0, 0)), (16, (4, 27), (0, 0)), (18, (4, 31), (0, 0)), (22, (2, 38), (2, 39)),
        (22, (3, 36), (2, 37)), (26, (4, 43), (1, 44)),
    ]
    static let alignment: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    static func dataCodewords(_ version: Int) -> Int {
        let block = blocks[version - 1]
        return block.g1.0 * block.g1.1 + block.g2.0 * block.g2.1
    }

    /// The smallest version that holds `bytes`; `mask` nil chooses the mask with the lowest penalty.
    public init(_ bytes: [UInt8], mask: Int? = nil, version fixed: Int? = nil) throws(EncodingError) {
        func capacity(_ version: Int) -> Int { Self.dataCodewords(version) - 2 - (version >= 10 ? 1 : 0) }
        guard let version = fixed ?? (1...10).first(where: { capacity($0) >= bytes.count }),
            bytes.count <= capacity(version)
        else { throw .tooLong(bytes: bytes.count, limit: capacity(10)) }
        let codewords = Self.codewords(bytes, version: version)
        var base = Matrix(version: version)
        base.drawFunctionPatterns()
        base.placeData(codewords)
        let chosen =
            mask
            ?? (0..<8).min { a, b in
                var left = base
                var right = base
                left.apply(mask: a)
                right.apply(mask: b)
                return left.penalty() < right.penalty()
            }!
        base.apply(mask: chosen)
        self.version = version
        self.mask = chosen
        self.modules = base.dark
    }

    public init(_ text: String, mask: Int? = nil) throws(EncodingError) {
        try self.init(Array(text.utf8), mask: mask)
    }

    // MARK: Codewords

    static func codewords(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version >= 10 ? 16 : 8)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = dataCodewords(version) * 8
        bits.append(0, count: min(4, capacity - bits.count))
        while bits.count % 8 != 0 { bits.append(0, count: 1) }
        var data = bits.bytes
        var pad: UInt8 = 0xEC
        while data.count < dataCodewords(version) {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        let layout = blocks[version - 1]
        var groups: [[UInt8]] = []
        var offset = 0
        for (count, length) in [layout.g1, layout.g2] {
            for _ in 0..<count {
                groups.append(Array(data[offset..<(offset + length)]))
                offset += length
            }
        }
        let generator = ReedSolomon.generator(degree: layout.ec)
        let corrections = groups.map { ReedSolomon.remainder($0, generator: generator) }
        var result: [UInt8] = []
        for index in 0..<(groups.map(\.count).max() ?? 0) {
            for group in groups where index < group.count { result.append(group[index]) }
        }
        for index in 0..<layout.ec {
            for correction in corrections { result.append(correction[index]) }
        }
        return result
    }

    struct BitBuffer {
        var bits: [Bool] = []
        var count: Int { bits.count }
        mutating func append(_ value: Int, count: Int) {
            for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
        }
        var bytes: [UInt8] {
            stride(from: 0, to: bits.count, by: 8).map { start in
                bits[start..<(start + 8)].reduce(UInt8(0)) { ($0 << 1) | ($1 ? 1 : 0) }
            }
        }
    }

    enum ReedSolomon {
        static let (exp, log): ([UInt8], [Int]) = {
            var exp = [UInt8](repeating: 0, count: 512)
            var log = [Int](repeating: 0, count: 256)
            var value = 1
            for index in 0..<255 {
                exp[index] = UInt8(value)
                log[value] = index
                value <<= 1
                if value & 0x100 != 0 { value ^= 0x11D }
            }
            for index in 255..<512 { exp[index] = exp[index - 255] }
            return (exp, log)
        }()

        static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
            a == 0 || b == 0 ? 0 : exp[log[Int(a)] + log[Int(b)]]
        }

        static func generator(degree: Int) -> [UInt8] {
            var polynomial: [UInt8] = [1]
            for index in 0..<degree {
                var next = [UInt8](repeating: 0, count: polynomial.count + 1)
                for (offset, coefficient) in polynomial.enumerated() {
                    next[offset] ^= coefficient
                    next[offset + 1] ^= multiply(coefficient, exp[index])
                }
                polynomial = next
            }
            return polynomial
        }

        static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
            var remainder = [UInt8](repeating: 0, count: generator.count - 1)
            for byte in data {
                let factor = byte ^ remainder[0]
                remainder.removeFirst()
                remainder.append(0)
                for index in 0..<remainder.count { remainder[index] ^= multiply(generator[index + 1], factor) }
            }
            return remainder
        }
    }

    // MARK: The matrix

    struct Matrix {
        let version: Int
        let size: Int
        var dark: [Bool]
        var function: [Bool]

        init(version: Int) {
            self.version = version
            size = version * 4 + 17
            dark = [Bool](repeating: false, count: size * size)
            function = [Bool](repeating: false, count: size * size)
        }

        mutating func set(_ row: Int, _ column: Int, _ value: Bool) {
            dark[row * size + column] = value
            function[row * size + column] = true
        }

        mutating func drawFunctionPatterns() {
            for (row, column) in [(0, 0), (0, size - 7), (size - 7, 0)] { finder(row, column) }
            for index in 8..<(size - 8) {
                set(6, index, index % 2 == 0)
                set(index, 6, index % 2 == 0)
            }
            let centres = QRCode.alignment[version - 1]
            for row in centres {
                for column in centres {
                    let corner =
                        (row == 6 && column == 6) || (row == 6 && column == centres.last!)
                        || (row == centres.last! && column == 6)
                    if !corner { alignmentPattern(row, column) }
                }
            }
            // Format areas reserved now, written after masking; the dark module.
            drawFormat(mask: 0)
            set(size - 8, 8, true)
            if version >= 7 { drawVersion() }
        }

        mutating func finder(_ top: Int, _ left: Int) {
            for dy in -1...7 {
                for dx in -1...7 {
                    let (row, column) = (top + dy, left + dx)
                    guard row >= 0, row < size, column >= 0, column < size else { continue }
                    let ring = max(abs(dy - 3), abs(dx - 3))
                    set(row, column, ring != 2 && ring != 4)
                }
            }
        }

        mutating func alignmentPattern(_ row: Int, _ column: Int) {
            for dy in -2...2 {
                for dx in -2...2 { set(row + dy, column + dx, max(abs(dy), abs(dx)) != 1) }
            }
        }

        /// Level M (bits 00) with the mask, BCH(15, 5), XOR 101010000010010.
        mutating func drawFormat(mask: Int) {
            let data = (0b00 << 3) | mask
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = ((data << 10) | remainder) ^ 0x5412
            func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
            for index in 0...5 { set(index, 8, bit(index)) }
            set(7, 8, bit(6))
            set(8, 8, bit(7))
            set(8, 7, bit(8))
            for index in 9..<15 { set(8, 14 - index, bit(index)) }
            for index in 0..<8 { set(8, size - 1 - index, bit(index)) }
            for index in 8..<15 { set(size - 15 + index, 8, bit(index)) }
        }

        mutating func drawVersion() {
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = (version << 12) | remainder
            for index in 0..<18 {
                let value = (bits >> index) & 1 == 1
                let (a, b) = (size - 11 + index % 3, index / 3)
                set(a, b, value)
                set(b, a, value)
            }
        }

        mutating func placeData(_ codewords: [UInt8]) {
            var bitIndex = 0
            let total = codewords.count * 8
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for offset in 0..<2 {
                        let column = right - offset
                        let upward = ((right + 1) & 2) == 0
                        let row = upward ? size - 1 - vertical : vertical
                        guard !function[row * size + column] else { continue }
                        if bitIndex < total {
                            dark[row * size + column] = (codewords[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1 == 1
                            bitIndex += 1
                        }
                    }
                }
                right -= 2
            }
        }

        static func masked(_ mask: Int, _ row: Int, _ column: Int) -> Bool {
            switch mask {
            case 0: (row + column) % 2 == 0
            case 1: row % 2 == 0
            case 2: column % 3 == 0
            case 3: (row + column) % 3 == 0
            case 4: (row / 2 + column / 3) % 2 == 0
            case 5: row * column % 2 + row * column % 3 == 0
            case 6: (row * column % 2 + row * column % 3) % 2 == 0
            default: ((row + column) % 2 + row * column % 3) % 2 == 0
            }
        }

        mutating func apply(mask: Int) {
            for row in 0..<size {
                for column in 0..<size where !function[row * size + column] && Self.masked(mask, row, column) {
                    dark[row * size + column].toggle()
                }
            }
            drawFormat(mask: mask)
        }

        /// The four penalty rules of the standard: runs, 2×2 blocks, finder-like patterns, balance.
        func penalty() -> Int {
            var score = 0
            func module(_ row: Int, _ column: Int) -> Bool { dark[row * size + column] }
            for horizontal in [true, false] {
                for line in 0..<size {
                    var run = 1
                    var previous = horizontal ? module(line, 0) : module(0, line)
                    var window = 0
                    for index in 0..<size {
                        let value = horizontal ? module(line, index) : module(index, line)
                        if index > 0 {
                            if value == previous {
                                run += 1
                            } else {
                                if run >= 5 { score += run - 2 }
                                run = 1
                                previous = value
                            }
                        }
                        window = ((window << 1) | (value ? 1 : 0)) & 0x7FF
                        if index >= 10 && (window == 0b101_11010000 || window == 0b000_01011101) { score += 40 }
                    }
                    if run >= 5 { score += run - 2 }
                }
            }
            for row in 0..<(size - 1) {
                for column in 0..<(size - 1) {
                    let value = module(row, column)
                    if value == module(row, column + 1) && value == module(row + 1, column)
                        && value == module(row + 1, column + 1)
                    {
                        score += 3
                    }
                }
            }
            let darkCount = dark.filter { $0 }.count
            let total = size * size
            score += (abs(darkCount * 20 - total * 10) + total - 1) / total * 10
            return score
        }
    }

    /// An SVG drawing with a four-module quiet zone; `module` pixels per module.
    public func svg(module: Int = 6, label: String? = nil) -> String {
        let quiet = 4
        let side = (size + quiet * 2) * module
        var path = ""
        for row in 0..<size {
            for column in 0..<size where isDark(row: row, column: column) {
                path += "M\((column + quiet) * module) \((row + quiet) * module)h\(module)v\(module)h-\(module)z"
            }
        }
        let title = label.map { "<title>\(Self.escaped($0))</title>" } ?? ""
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side)" height="\(side)" \
            shape-rendering="crispEdges" role="img">\(title)<rect width="100%" height="100%" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
