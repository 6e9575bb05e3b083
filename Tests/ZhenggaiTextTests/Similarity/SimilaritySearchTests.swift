import Foundation
import Testing
import ZhenggaiText

/// The search's fast paths (reused buffers, galloping to the `before` cut, radix-sorted query terms)
/// must give exactly what the plain definition gives.
@Suite("Similarity search paths")
struct SimilaritySearchTests {
    private static let target = "村级财务管理不规范，存在白条入账现象，大额资金支出未经集体研究。"
    private static let others = [
        "公务接待超标准，接待陪餐人数超过规定，在餐费中列支烟酒。",
        "低保对象动态调整不及时，死亡人员仍在领取救助金。",
        "农村改厕质量不高，改厕后无法正常使用，长效管护机制缺失。",
        "工程项目化整为零规避招标，设计变更未经审批，超进度拨付工程款。",
    ]

    /// Problems carrying the target text, unevenly spread: a dense start, every 13th, a late burst.
    private static func hasTarget(_ number: Int) -> Bool {
        number < 200 || number % 13 == 0 || (1_500..<1_520).contains(number)
    }

    private static func built() -> SimilarityIndex {
        var builder = SimilarityIndex.Builder()
        for number in 0..<2_000 {
            let text = hasTarget(number) ? target : others[number % others.count]
            let id = "p" + String(repeating: "0", count: 4 - String(number).count) + String(number)
            builder.add(SimilarityProblem(id: id, unit: "u", date: nil, text: text), sequence: UInt64(number + 1))
        }
        return builder.build()
    }

    @Test(
        "`before` sees exactly the earlier problems, wherever the cut falls",
        arguments: [
            1, 2, 3, 100, 200, 201, 202, 650, 1_001, 1_500, 1_501, 1_502, 1_510, 1_520, 1_521, 1_522, 1_999,
            2_000, 2_001, 5_000,
        ])
    func beforeCutIsExact(_ before: Int) {
        let index = Self.built()

        let matches = index.search(Self.target, limit: 10, before: UInt64(before))

        // Identical texts score 1, so the ten newest earlier ones are reported, ordered by id.
        let earlier = (0..<2_000).filter { Self.hasTarget($0) && $0 + 1 < before }
        let expected = earlier.suffix(10).map { "p" + String(repeating: "0", count: 4 - String($0).count) + String($0) }
        #expect(matches.map(\.id) == expected)
        #expect(matches.allSatisfy { $0.score == 1 && $0.sequence < UInt64(before) })
    }

    @Test("searches running at the same time on one index give the same results as one after another")
    func concurrentSearchesAgree() async {
        let index = Self.built()
        let queries = [Self.target] + Self.others + ["村级财务白条入账", "改厕质量", ""]
        let serial = queries.map { index.search($0, limit: 10) }

        let results = await withTaskGroup(of: (Int, [SimilarityMatch]).self) { group in
            for round in 0..<8 {
                for (number, query) in queries.enumerated() {
                    group.addTask { (number, index.search(query, limit: 10, before: round % 2 == 0 ? nil : 5_000)) }
                }
            }
            var all: [(Int, [SimilarityMatch])] = []
            for await result in group {
                all.append(result)
            }
            return all
        }

        #expect(results.count == 8 * queries.count)
        for (number, matches) in results {
            #expect(matches == serial[number])
        }
    }

    @Test("a long query with many repeated and distinct shingles matches itself fully")
    func longQuery() {
        var index = SimilarityIndex()
        let long =
            (0..<300).map { Self.others[$0 % Self.others.count] + "第\($0)项" }.joined()
            + String(repeating: Self.target, count: 20)
        index.insert(SimilarityProblem(id: "long", unit: "u", date: nil, text: long))
        for (number, text) in Self.others.enumerated() {
            index.insert(SimilarityProblem(id: "o\(number)", unit: "u", date: nil, text: text))
        }

        let matches = index.search(long, limit: 10)

        #expect(matches.first?.id == "long")
        #expect(matches.first?.score == 1)
    }
}
