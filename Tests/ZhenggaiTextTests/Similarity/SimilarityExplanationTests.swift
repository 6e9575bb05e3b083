import Foundation
import Testing
import ZhenggaiText

@Suite("Similarity explanations")
struct SimilarityExplanationTests {
    private let query = "村级财务管理不规范，存在白条入账现象，有待进一步加强。"
    private let stored = "XX村白条入账问题突出，村级财务管理混乱。"

    @Test("an explanation names the shared phrases and where they are in both texts")
    func namesSharedPhrases() throws {
        var index = SimilarityIndex()
        index.insert(SimilarityProblem(id: "p1", unit: "u", date: nil, text: stored))

        let explanation = try #require(index.explain(query, matching: "p1"))

        let phrases = Set(explanation.phrases.map(\.text))
        #expect(phrases.contains("白条入账"))
        #expect(phrases.contains("村级财务管理"))
        for phrase in explanation.phrases {
            for range in phrase.queryRanges {
                #expect(substring(query, range) == phrase.text)
            }
            #expect(!phrase.matchRanges.isEmpty)
            for range in phrase.matchRanges {
                #expect(phrase.text.contains(substring(stored, range)))
            }
        }
        #expect(explanation.score == index.search(query, in: SimilarityScope(unit: "u")).first?.score)
    }

    @Test("boilerplate is never offered as a reason to match")
    func boilerplateIsNotAPhrase() {
        let index = SimilarityIndex()

        let explanation = index.explain("学习不够深入，有待进一步加强。", against: "作风建设不够深入，有待进一步加强。")

        #expect(explanation.phrases.isEmpty)
        #expect(explanation.score == 0)
    }

    @Test("ranges are UTF-16 offsets into the original text, across characters outside the BMP")
    func rangesSurviveSupplementaryCharacters() throws {
        let index = SimilarityIndex()
        let text = "𠀀𠀁，白条入账"

        let explanation = index.explain(text, against: "白条入账")

        let range = try #require(explanation.queryRanges.first)
        #expect(substring(text, range) == "白条入账")
    }

    private func substring(_ text: String, _ range: Range<Int>) -> String {
        let start = String.Index(utf16Offset: range.lowerBound, in: text)
        let end = String.Index(utf16Offset: range.upperBound, in: text)
        return String(text[start..<end])
    }
}
