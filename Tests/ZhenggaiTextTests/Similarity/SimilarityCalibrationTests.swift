import Foundation
import Testing
import ZhenggaiText

private let financeA = "村级财务管理不规范，存在白条入账现象，大额资金支出未经集体研究，有待进一步加强。"
private let background = [
    "公务接待超标准，接待陪餐人数超过规定，在餐费中列支烟酒。",
    "低保对象动态调整不及时，死亡人员仍在领取救助金。",
    "农村改厕质量不高，改厕后无法正常使用，长效管护机制缺失。",
    "干部选拔程序不规范，动议酝酿环节缺失，未经考察直接任用。",
    "工程项目化整为零规避招标，设计变更未经审批，超进度拨付工程款。",
    "意识形态工作责任制落实不到位，舆情处置不及时。",
]

private func problem(_ id: String, _ unit: String, _ text: String, source: String? = nil) -> SimilarityProblem {
    SimilarityProblem(id: id, unit: unit, date: nil, text: text, source: source)
}

private func index(_ problems: [SimilarityProblem], configuration: SimilarityConfiguration = .init()) -> SimilarityIndex
{
    var builder = SimilarityIndex.Builder(configuration: configuration)
    let all = background.enumerated().map { problem("bg\($0)", "c9-t9", $1) } + problems
    for (number, problem) in all.enumerated() {
        builder.add(problem, sequence: UInt64(number + 1))
    }
    return builder.build()
}

@Suite("Similarity calibration")
struct SimilarityCalibrationTests {
    @Test("a curve is a step function: the step at or below the score, the first below all steps")
    func curveLookup() {
        let curve = SimilarityCalibration.Curve(scores: [0, 0.3, 0.5], precisions: [0.1, 0.4, 0.8])

        #expect(curve.precision(at: -1) == 0.1)
        #expect(curve.precision(at: 0.29) == 0.1)
        #expect(curve.precision(at: 0.3) == 0.4)
        #expect(curve.precision(at: 0.49) == 0.4)
        #expect(curve.precision(at: 1) == 0.8)
        #expect(curve.threshold(precision: 0.5) == 0.5)
        #expect(curve.threshold(precision: 0.4) == 0.3)
        #expect(curve.threshold(precision: 0.05) == 0)
        #expect(curve.threshold(precision: 0.9) == nil)
    }

    @Test("the measured curves never fall, and the default minimum scores are where they reach 0.5")
    func defaultsAreCalibrated() {
        let measured = SimilarityCalibration.measured
        for tier in [SimilarityTier.sameUnit, .parentSubtree, .elsewhere] {
            let curve = measured[tier]
            #expect(zip(curve.precisions, curve.precisions.dropFirst()).allSatisfy { $0 <= $1 })
            let threshold = MinimumScores()[tier]
            // At the threshold the tier's measured precision is at least 0.5; just below it, less.
            #expect(measured.precision(score: threshold, tier: tier) >= 0.5)
            #expect(measured.precision(score: threshold - 0.005, tier: tier) < 0.5)
        }
        #expect(MinimumScores() == measured.minimumScores(precision: SimilarityCalibration.shownPrecision))
        #expect(MinimumScores() == MinimumScores.calibrated)
        #expect(SimilarityConfiguration().minimumScore == MinimumScores.calibrated)
        // The values docs/similarity.md states.
        #expect(MinimumScores.calibrated == MinimumScores(sameUnit: 0.30, parentSubtree: 0.30, elsewhere: 0.44))
    }

    @Test("a tier whose precision never reaches the target shows nothing")
    func unreachableTierShowsNothing() {
        let never = SimilarityCalibration.Curve(scores: [0], precisions: [0.2])
        let good = SimilarityCalibration.Curve(scores: [0, 0.3], precisions: [0, 0.9])
        let calibration = SimilarityCalibration(sameUnit: good, parentSubtree: good, elsewhere: never)
        let floors = calibration.minimumScores(precision: 0.5)
        #expect(floors.elsewhere == .infinity)
        #expect(floors.sameUnit == 0.3)

        let configuration = SimilarityConfiguration(minimumScore: floors, calibration: calibration)
        let built = index([problem("p1", "c1-t1", financeA)], configuration: configuration)
        #expect(built.search(financeA, in: SimilarityScope(unit: "c2-t1")).isEmpty)
        #expect(built.search(financeA, in: SimilarityScope(unit: "c1-t1")).map(\.id) == ["p1"])
    }

    @Test("every default match carries its tier's measured precision at its score, at least 0.5")
    func matchesCarryPrecision() {
        let built = index([
            problem("same", "c1-t1", financeA + "票据不全"),
            problem("elsewhere", "c2-t1", financeA),
        ])

        let matches = built.search(financeA, in: SimilarityScope(unit: "c1-t1"))

        #expect(matches.map(\.id) == ["same", "elsewhere"])
        for match in matches {
            #expect(match.precision >= SimilarityCalibration.shownPrecision)
            #expect(match.precision == SimilarityCalibration.measured.precision(score: match.score, tier: match.tier))
        }
        #expect(matches.last?.precision == 1)
    }

    @Test("the relative cut is per tier: a weaker same-unit match stays beside an identical one elsewhere")
    func relativeCutPerTier() {
        let weaker = "村级财务存在白条入账现象，大额资金支出未经集体研究，现金管理混乱，会计凭证装订不规范，账目登记滞后。"
        let built = index([
            problem("own", "c1-t1", weaker),
            problem("copy", "c2-t1", financeA),
        ])

        let matches = built.search(financeA, in: SimilarityScope(unit: "c1-t1"))

        let own = matches.first { $0.id == "own" }
        let copy = matches.first { $0.id == "copy" }
        #expect(copy?.score == 1)
        #expect(own != nil)
        #expect((own?.score ?? 1) < 0.8)
    }

    @Test("another problem of the query's own document in the query's unit is never suggested")
    func sameDocumentSameUnitIsLeftOut() {
        let built = index([
            problem("same-doc", "c1-t1", financeA, source: "doc-1"),
            problem("same-doc-other-unit", "c1-t2", financeA, source: "doc-1"),
            problem("other-doc", "c1-t1", financeA, source: "doc-0"),
            problem("no-doc", "c1-t1", financeA),
        ])
        let scope = SimilarityScope(unit: "c1-t1", parentSubtree: ["c1", "c1-t1", "c1-t2"], source: "doc-1")

        let ids = Set(built.search(financeA, in: scope).map(\.id))

        #expect(ids == ["same-doc-other-unit", "other-doc", "no-doc"])
        // Without a source, or with one the index has never seen, nothing is left out.
        #expect(built.search(financeA, in: SimilarityScope(unit: "c1-t1")).count == 4)
        #expect(built.search(financeA, in: SimilarityScope(unit: "c1-t1", source: "doc-9")).count == 4)
    }
}
