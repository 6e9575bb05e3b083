import Foundation
import Testing
import ZhenggaiText

/// SplitMix64: a small seeded generator, so every fuzz run is reproducible.
struct DocumentFuzzGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@Suite("Bad input never crashes and stays bounded")
struct RobustnessTests {
    /// Checks what every successful parse must satisfy.
    static func checkInvariants(_ document: ParsedDocument) {
        let scalarCount = document.cleanedText.unicodeScalars.count
        for problem in document.problems {
            #expect(0 <= problem.start && problem.start < problem.end && problem.end <= scalarCount)
            #expect(problem.measures.allSatisfy { $0 >= 1 && $0 <= document.measures.count })
        }
        for measure in document.measures {
            #expect(0 <= measure.start && measure.start < measure.end && measure.end <= scalarCount)
        }
        #expect(document.problems.map(\.id) == Array(stride(from: 1, through: document.problems.count, by: 1)))
        #expect(!document.jsonData(prettyPrinted: false).isEmpty)
    }

    static let fragments = [
        "一、", "（一）", "(二)", "1.", "2、", "（1）", "①", "②", "一是", "二是", "（%1）", "[【公众号：", "】]", "##paidbegin##",
        "\n", "\r\n", "：", "。", "存在的问题", "整改措施：", "主要原因分析：", "— 3 —", "………12", "\u{FEFF}", "\u{0}",
        "由于", "聚焦", "不够", "\u{FFFD}", "𠀀",
    ].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], using generator: inout DocumentFuzzGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...8, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<6, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[position] = UInt8.random(in: 0...255, using: &generator)
            case 1:
                bytes.insert(contentsOf: fragments.randomElement(using: &generator) ?? [], at: position)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...200, using: &generator))
                bytes.removeSubrange(position..<end)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...300, using: &generator))
                bytes.insert(contentsOf: bytes[position..<end], at: Int.random(in: 0...bytes.count, using: &generator))
            case 4:
                bytes = Array(bytes.prefix(position))
            default:
                bytes.insert(UInt8.random(in: 0x80...0xFF, using: &generator), at: position)
            }
        }
        return bytes
    }

    @Test("Seeded random mutations of every fixture for two seconds")
    func fuzz() throws {
        let documents = try DocumentFixtures.allDocuments().map { [UInt8]($0) }
        try #require(!documents.isEmpty)
        var generator = DocumentFuzzGenerator(state: 20_240_601)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(2))
        var runs = 0
        var parsed = 0
        while clock.now < deadline {
            let source = documents[runs % documents.count]
            let input = Self.mutate(source, using: &generator)
            runs += 1
            do {
                let document = try DocumentParser.parse(data: Data(input), fileName: "fuzz-\(runs).txt")
                Self.checkInvariants(document)
                parsed += 1
            } catch {
                #expect(!error.userMessage.isEmpty)
            }
        }
        #expect(runs > 20)
        #expect(parsed > 0)
    }

    @Test(
        "Pathological lines finish quickly with a bounded result",
        arguments: [
            ("one long line of run-ins", String(repeating: "存在问题。一是学习不够。", count: 40_000)),
            ("unclosed brackets", "标题\n" + String(repeating: "【公众", count: 100_000)),
            ("open parentheses", String(repeating: "（", count: 300_000)),
            ("digits without end", "1" + String(repeating: "2", count: 300_000)),
            ("only newlines", String(repeating: "\n", count: 300_000)),
            ("every level nested deeper", String(repeating: "一、标题\n（一）标题\n1.标题\n（1）标题\n①标题\n一是不够。\n", count: 20_000)),
            ("one heading repeated", String(repeating: "存在的问题\n", count: 100_000)),
            ("leaders", String(repeating: "一、目录……………………", count: 50_000)),
        ])
    func pathological(name: String, text: String) {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            let document = DocumentParser.parse(text: text)
            Self.checkInvariants(document)
        }
        #expect(elapsed < .seconds(20), "\(name) took \(elapsed)")
    }

    @Test("Empty and whitespace-only input give an empty document")
    func empty() throws {
        for input in [Data(), Data("   \n\t\n　".utf8)] {
            let document = try DocumentParser.parse(data: input, fileName: "empty.txt")
            #expect(document.problems.isEmpty && document.outline.isEmpty && document.removed.isEmpty)
        }
    }

    @Test("A missing file is reported in Chinese with its name")
    func missingFile() {
        #expect {
            _ = try DocumentParser.parse(fileAt: URL(fileURLWithPath: "/nonexistent/报告.txt"))
        } throws: { error in
            (error as? DocumentError)?.userMessage.contains("报告.txt") == true
        }
    }
}
