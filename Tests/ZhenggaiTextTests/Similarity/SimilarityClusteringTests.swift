import Foundation
import Testing
import ZhenggaiText

@Suite("共性问题 clustering")
struct SimilarityClusteringTests {
    private static func date(_ year: Int, _ month: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date(timeIntervalSince1970: 0)
    }

    /// One problem in four townships (two rounds), a second one in two, and unrelated noise.
    private static let problems: [ClusterProblem] = [
        ClusterProblem(
            id: "a1", unit: "t1", round: "2023年第1轮巡察", date: date(2023, 3),
            text: "村级财务管理不规范，存在白条入账现象，报销单据审核流于形式。"),
        ClusterProblem(
            id: "a2", unit: "t2", round: "2023年第1轮巡察", date: date(2023, 4),
            text: "XX村财务管理不规范，白条入账现象突出，报销单据审核流于形式。"),
        ClusterProblem(
            id: "a3", unit: "t3", round: "2023年审计", date: date(2023, 6),
            text: "村级财务管理不规范，以白条入账，报销单据审核流于形式，有待进一步加强。"),
        ClusterProblem(
            id: "a4", unit: "t4", round: "2023年审计", date: date(2023, 7),
            text: "某村财务管理不规范，白条入账，报销单据审核流于形式。"),
        ClusterProblem(
            id: "b1", unit: "t1", round: "2023年第1轮巡察", date: date(2023, 3),
            text: "农村改厕质量不高，改厕后无法正常使用，长效管护机制缺失。"),
        ClusterProblem(
            id: "b2", unit: "t5", round: "2023年第1轮巡察", date: date(2023, 3),
            text: "改厕质量不高，部分改厕后无法正常使用，管护机制缺失。"),
        ClusterProblem(
            id: "n1", unit: "t6", round: "2023年审计", date: date(2023, 5),
            text: "公务接待超标准，接待陪餐人数超过规定，在餐费中列支烟酒。"),
        ClusterProblem(
            id: "n2", unit: "t7", round: "2023年审计", date: date(2023, 5),
            text: "干部选拔程序不规范，动议酝酿环节缺失，未经考察直接任用。"),
        ClusterProblem(
            id: "old", unit: "t8", round: "2019年巡察", date: date(2019, 5),
            text: "村级财务管理不规范，白条入账，报销单据审核流于形式。"),
    ]

    @Test("a problem shared by several units forms one cluster with its units and rounds")
    func findsSharedProblem() throws {
        let clusters = SimilarityClustering.clusters(of: Self.problems, minimumUnits: 3)

        let cluster = try #require(clusters.first)
        #expect(clusters.count == 1)
        #expect(Set(cluster.members) == ["a1", "a2", "a3", "a4", "old"])
        #expect(cluster.units == ["t1", "t2", "t3", "t4", "t8"])
        #expect(cluster.rounds == ["2019年巡察", "2023年审计", "2023年第1轮巡察"])
        #expect(cluster.commonPhrases.contains { $0.contains("白条入账") })
        #expect(cluster.members.first == "old")
    }

    @Test("the period and the minimum number of units filter clusters")
    func periodAndMinimumUnits() {
        let period = Self.date(2023, 1)...Self.date(2023, 12)

        let wide = SimilarityClustering.clusters(of: Self.problems, in: period, minimumUnits: 2)

        #expect(wide.map(\.units.count) == [4, 2])
        #expect(!wide.flatMap(\.members).contains("old"))
        #expect(SimilarityClustering.clusters(of: Self.problems, in: period, minimumUnits: 5).isEmpty)
    }

    @Test("clusters do not depend on the order of the input")
    func deterministic() {
        let forward = SimilarityClustering.clusters(of: Self.problems, minimumUnits: 2)
        let backward = SimilarityClustering.clusters(of: Self.problems.reversed(), minimumUnits: 2)

        #expect(forward == backward)
    }

    @Test("empty and odd input give no clusters and no crash")
    func emptyInput() {
        #expect(SimilarityClustering.clusters(of: []).isEmpty)
        let odd = (0..<5).map { ClusterProblem(id: "x\($0)", unit: "u\($0)", round: "", date: nil, text: "") }
        #expect(SimilarityClustering.clusters(of: odd + odd, minimumUnits: 1).isEmpty)
    }
}
