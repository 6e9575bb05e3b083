import Foundation
import Testing
import ZhenggaiText

/// Problems in the genre's own words. Texts 0 and 1 state one problem; 2 and 3 share only stock phrases.
private enum Texts {
    static let financeA = "村级财务管理不规范，存在白条入账现象，大额资金支出未经集体研究，有待进一步加强。"
    static let financeB = "大额开支没有经过村民代表会议讨论，白条入账问题仍然存在，村级财务管理制度执行不到位。"
    static let boilerplateA = "思想认识不到位，理论学习还不够深入，与新形势新任务新要求相比还存在一定差距，有待进一步加强。"
    static let boilerplateB = "安全生产责任落实不到位，与新形势新任务新要求相比还存在一定差距，有待进一步加强。"
    static let unrelated = [
        "公务接待超标准，接待陪餐人数超过规定，在餐费中列支烟酒。",
        "低保对象动态调整不及时，死亡人员仍在领取救助金。",
        "农村改厕质量不高，改厕后无法正常使用，长效管护机制缺失。",
        "干部选拔程序不规范，动议酝酿环节缺失，未经考察直接任用。",
        "工程项目化整为零规避招标，设计变更未经审批，超进度拨付工程款。",
        "意识形态工作责任制落实不到位，舆情处置不及时。",
    ]
}

private func problem(_ id: String, _ unit: String, _ text: String, year: Int = 2023) -> SimilarityProblem {
    SimilarityProblem(id: id, unit: unit, date: date(year), text: text)
}

private func date(_ year: Int, _ month: Int = 1, _ day: Int = 1) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    return calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
}

private func index(_ problems: [SimilarityProblem]) -> SimilarityIndex {
    var index = SimilarityIndex()
    for problem in problems {
        index.insert(problem)
    }
    return index
}

/// A background of unrelated problems so that learned weights mean something.
private func background() -> [SimilarityProblem] {
    Texts.unrelated.enumerated().map { problem("bg\($0)", "c1-t9", $1) }
}

@Suite("Similarity index")
struct SimilarityIndexTests {
    @Test("a paraphrase of the same problem in the same unit matches; elsewhere it needs a higher score")
    func paraphraseMatches() {
        let index = index(background() + [problem("p1", "c1-t1", Texts.financeA)])

        let matches = index.search(Texts.financeB, in: SimilarityScope(unit: "c1-t1"))

        #expect(matches.first?.id == "p1")
        #expect(matches.first?.tier == .sameUnit)
        let score = matches.first?.score ?? 0
        #expect(score >= 0.3 && score < 0.6)
        #expect(index.search(Texts.financeB, in: SimilarityScope(unit: "c9-t9")).isEmpty)
    }

    @Test("two problems that share only boilerplate do not match")
    func boilerplateOnlyDoesNotMatch() {
        let index = index(background() + [problem("p1", "c1-t1", Texts.boilerplateA)])

        let matches = index.search(Texts.boilerplateB)

        #expect(matches.isEmpty)
    }

    @Test("boilerplate-only pairs stay apart even in an empty index")
    func boilerplateWithoutLearnedWeights() {
        let index = index([problem("p1", "c1-t1", "工作落实不到位，有待进一步加强，还存在一定差距。")])

        #expect(index.search("监督管理不到位，有待进一步加强，还存在一定差距。").isEmpty)
    }

    @Test("placeholders, digits and punctuation do not change the match")
    func normalisationIgnoresPlaceholders() {
        let stored = "XX村2022年白条入账12笔，涉及金额3.5万元。"
        let index = index(background() + [problem("p1", "c1-t1", stored)])

        let matches = index.search("某村２０２３年白条入账３笔,涉及金额１０万元")

        #expect(matches.first?.id == "p1")
        #expect((matches.first?.score ?? 0) > 0.9)
    }

    @Test("traditional characters compare as their simplified forms")
    func traditionalCharacters() {
        let index = index(background() + [problem("p1", "c1-t1", "理论学习不够扎实，只满足于看文件、读报纸。")])

        let matches = index.search("理論學習不夠扎實,只滿足于看文件、讀報紙", in: SimilarityScope(unit: "c1-t1"))

        #expect(matches.first?.id == "p1")
        #expect(matches.first?.score == 1)
        let explanation = index.explain("理論學習不夠扎實", against: "理论学习不够扎实")
        #expect(explanation.phrases.first?.text.hasPrefix("理論學習") == true)
    }

    @Test("known place names are treated like XX")
    func placeNamesNormalised() {
        let configuration = SimilarityConfiguration(placeNames: PlaceNames(["青山镇", "张庄村"]))
        var index = SimilarityIndex(configuration: configuration)
        index.insert(problem("p1", "c1-t1", "张庄村集体鱼塘发包未经公开招标"))

        let matches = index.search("青山镇集体鱼塘发包未经公开招标")

        #expect(matches.first?.score == 1)
    }

    @Test("delete removes a problem from results, and re-insert brings it back")
    func deleteWorks() {
        var index = index(background() + [problem("p1", "c1-t1", Texts.financeA)])

        let deleted = index.delete(id: "p1")
        #expect(deleted)
        #expect(!index.contains(id: "p1"))
        #expect(index.search(Texts.financeB, in: SimilarityScope(unit: "c1-t1")).isEmpty)
        let deletedAgain = index.delete(id: "p1")
        #expect(!deletedAgain)

        index.insert(problem("p1", "c1-t1", Texts.financeA))
        #expect(index.search(Texts.financeB, in: SimilarityScope(unit: "c1-t1")).first?.id == "p1")
    }

    @Test("delete survives compaction and many inserts")
    func deleteAcrossCompaction() {
        var index = SimilarityIndex()
        for number in 0..<5_000 {
            index.insert(problem("n\(number)", "c1-t1", "第\(number)号" + Texts.unrelated[number % 6]))
        }
        index.insert(problem("p1", "c1-t2", Texts.financeA))
        index.delete(id: "n3")
        index.compact()

        #expect(index.count == 5_000)
        #expect(index.search(Texts.financeB, in: SimilarityScope(unit: "c1-t2")).first?.id == "p1")
        #expect(!index.search(Texts.unrelated[3], limit: 100).contains { $0.id == "n3" })
    }

    @Test("an upsert with a known id replaces the old text")
    func upsertReplaces() {
        var index = index(background() + [problem("p1", "c1-t1", Texts.financeA)])

        index.insert(problem("p1", "c1-t1", Texts.unrelated[0]))

        #expect(index.count == Texts.unrelated.count + 1)
        #expect(index.search(Texts.financeB, in: SimilarityScope(unit: "c1-t1")).isEmpty)
    }

    @Test("same unit first, then the parent's subtree, then elsewhere; score orders within a tier")
    func scopeOrdering() {
        let index = index(
            background() + [
                problem("elsewhere", "c2-t1-v1", Texts.financeA),
                problem("sibling", "c1-t1-v2", Texts.financeA + "报销手续不全"),
                problem("own-weak", "c1-t1-v1", "村级财务存在白条入账现象，大额资金支出未经集体研究，现金管理混乱"),
                problem("own-strong", "c1-t1-v1", Texts.financeA + "票据不全"),
            ])
        let scope = SimilarityScope(unit: "c1-t1-v1", parentSubtree: ["c1-t1", "c1-t1-v1", "c1-t1-v2"])

        let matches = index.search(Texts.financeA, in: scope, limit: 10)

        #expect(matches.map(\.id) == ["own-strong", "own-weak", "sibling", "elsewhere"])
        #expect(matches.map(\.tier) == [.sameUnit, .sameUnit, .parentSubtree, .elsewhere])
        // The best score sits in the last tier: tiers order first, not scores.
        #expect(matches.last?.score == 1)
        #expect(matches[0].score > matches[1].score)
    }

    @Test("period and `before` restrict what a query sees")
    func periodAndBefore() {
        var index = SimilarityIndex()
        index.apply([.upsert(problem("old", "u", Texts.financeA, year: 2019), sequence: 10)])
        index.apply([.upsert(problem("new", "u", Texts.financeA, year: 2024), sequence: 20)])

        let recent = SimilarityScope(unit: "u", period: date(2023)...date(2025))
        let unit = SimilarityScope(unit: "u")
        #expect(index.search(Texts.financeA, in: recent).map(\.id) == ["new"])
        #expect(index.search(Texts.financeA, in: unit, before: 20).map(\.id) == ["old"])
        #expect(index.search(Texts.financeA, in: unit, excluding: "new").map(\.id) == ["old"])
        #expect(index.search(Texts.financeA, in: unit).map(\.id) == ["new", "old"])
    }

    @Test("changes at or below the watermark are skipped, so catching up is idempotent")
    func watermarkCatchUp() {
        var index = SimilarityIndex()
        let changes: [SimilarityChange] = [
            .upsert(problem("a", "u", Texts.financeA), sequence: 1),
            .upsert(problem("b", "u", Texts.unrelated[0]), sequence: 2),
            .delete(id: "a", sequence: 3),
        ]

        let first = index.apply(changes)
        let again = index.apply(changes)
        #expect(first == 3)
        #expect(again == 0)
        #expect(index.watermark == 3)
        #expect(index.count == 1)
        let later = index.apply([.upsert(problem("c", "u", Texts.financeB), sequence: 4)])
        #expect(later == 1)
        #expect(index.watermark == 4)
    }

    @Test("the same input gives the same output, ties broken by id")
    func determinism() {
        let problems = (0..<10).map { problem("p\($0)", "u\($0 % 3)", Texts.financeA) } + background()
        var builder = SimilarityIndex.Builder()
        for (number, problem) in problems.reversed().enumerated() {
            builder.add(problem, sequence: UInt64(number + 1))
        }
        let built = builder.build()
        let inserted = index(problems)

        let first = built.search(Texts.financeA, limit: 10)
        #expect(first.count == 10)
        #expect(first == built.search(Texts.financeA, limit: 10))
        #expect(first.map(\.id) == inserted.search(Texts.financeA, limit: 10).map(\.id))
        #expect(first.map(\.id) == first.map(\.id).sorted())
    }

    @Test(
        "bad input never crashes",
        arguments: [
            "", " ", "。，、；", "XXXXXX", "***", "12345", "\u{0}\u{1}\u{7F}", "👨‍👩‍👧‍👦🇨🇳", "\u{200B}\u{FEFF}\u{202E}",
            "a", "𠀀𠀁𠀂𪚥", "e\u{301}\u{301}\u{301}", String(repeating: "财务", count: 200_000),
            String(repeating: "\u{D7FF}\u{E000}\u{FFFD}", count: 1_000),
        ])
    func badInput(_ text: String) {
        var index = index(background() + [problem("p1", "c1-t1", Texts.financeA)])

        index.insert(problem("odd", "", text))
        _ = index.search(text)
        _ = index.search(text, limit: 0)
        _ = index.explain(text, against: Texts.financeA)
        _ = index.explain(Texts.financeA, matching: "odd")
        index.delete(id: "odd")
        index.compact()

        #expect(index.count == Texts.unrelated.count + 1)
    }
}
