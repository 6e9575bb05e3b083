import Foundation
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore
import ZhenggaiText

/// Text cut into plain and highlighted pieces, so a template can mark shared phrases without ever
/// emitting unescaped user text.
struct Segment: Encodable {
    var text: String
    var mark: Bool

    /// `ranges` are UTF-16 offsets (as the similarity explanation gives them).
    static func split(_ text: String, marking ranges: [Range<Int>]) -> [Segment] {
        let units = Array(text.utf16)
        var marked = [Bool](repeating: false, count: units.count)
        for range in ranges {
            for offset in range.clamped(to: 0..<units.count) { marked[offset] = true }
        }
        var segments: [Segment] = []
        var start = 0
        while start < units.count {
            var end = start
            while end < units.count && marked[end] == marked[start] { end += 1 }
            let piece = String(decoding: units[start..<end], as: UTF16.self)
            segments.append(Segment(text: piece, mark: marked[start]))
            start = end
        }
        return segments
    }
}

/// One suggested match as the problem page shows it.
struct SimilarView: Encodable {
    var id: String
    var link: String
    var decisionAction: String
    var number: String
    var score: String
    var scoreValue: String
    var tier: String
    /// 「经测算，这一相似度的同单位匹配约 80% 是同一问题」: the calibrated precision, rounded down to 5%.
    var precision: String
    var unitName: String
    var source: String
    var date: String
    var status: String
    var recurrence: Bool
    var relapsed: Bool
    var segments: [Segment]
    var phrases: String
    var decision: String?

    init(_ suggestion: SimilarityService.Suggestion, for problemID: UUID, decision: SimilarityDecision?) {
        id = suggestion.match.id.uuidString
        link = SiteRoute.problem.link(suggestion.match.id)
        decisionAction = SiteRoute.similarDecision.link(problemID, suggestion.match.id)
        number = suggestion.match.number
        score = String(format: "%.0f%%", suggestion.score * 100)
        scoreValue = String(format: "%.4f", suggestion.score)
        tier = SimilarView.tierLabel(suggestion.tier)
        precision = SimilarView.precisionText(suggestion.precision, tier: suggestion.tier)
        unitName = suggestion.match.unitName
        source = suggestion.source.map { s in s.round.map { "\(s.issuer)（第\($0)轮）" } ?? s.title } ?? ""
        date = suggestion.source?.feedbackDate.chinese ?? ""
        status = suggestion.match.statusLabel
        recurrence = suggestion.recurrence
        relapsed = suggestion.match.relapsedBy != nil
        segments = Segment.split(suggestion.match.text, marking: suggestion.explanation.matchRanges)
        phrases = suggestion.explanation.phrases.prefix(6).map(\.text).joined(separator: "、")
        self.decision = decision.map { $0.confirmed ? "已确认（\($0.decidedBy)）" : "已排除（\($0.decidedBy)）" }
    }

    static func precisionText(_ precision: Double, tier: SimilarityTier) -> String {
        let percent = Int((precision * 20).rounded(.down)) * 5
        let what =
            switch tier {
            case .sameUnit: "同单位匹配"
            case .parentSubtree: "同一上级单位所辖单位的匹配"
            case .elsewhere: "其他单位的匹配"
            }
        return "经测算，这一相似度的\(what)约 \(percent)% 是同一问题"
    }

    /// Said once under every list of suggestions.
    static let calibrationNote = "只显示经测算同一问题比例不低于 50% 的相似问题，请人工确认。"

    static func tierLabel(_ tier: SimilarityTier) -> String {
        switch tier {
        case .sameUnit: "本单位（可能屡改屡犯）"
        case .parentSubtree: "同一上级单位所辖其他单位"
        case .elsewhere: "其他单位（可能是共性问题）"
        }
    }
}
