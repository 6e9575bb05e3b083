/// What a section or item of a report holds.
public enum SectionRole: String, Codable, Sendable, CaseIterable {
    case problem
    case cause
    case measure
    case achievement
    case other
}

/// Role words of section headings (DOMAIN.md §5) and the cues that a sentence states a shortcoming.
enum SectionRoles {
    private static let mixedProblemCause = Keywords(["问题和原因", "问题及原因", "问题与原因", "问题、原因"])
    private static let cause = Keywords(["原因"])
    private static let problem = Keywords([
        "存在的问题", "存在问题", "问题与不足", "问题和不足", "问题及不足", "不足之处", "存在的不足", "存在不足",
        "主要问题", "查摆问题", "查摆的问题", "问题清单", "突出问题", "差距和不足", "差距与不足", "反馈问题",
        "发现的问题", "问题表现", "具体问题", "反馈意见",
    ])
    private static let measure = Keywords([
        "措施", "下一步", "打算", "努力方向", "整改方向", "改进方向", "今后", "工作思路", "整改计划", "工作计划",
        "对策", "意见建议", "意见与建议", "意见和建议", "建议", "整改意见", "整改建议", "整改要求",
    ])
    private static let rectificationStatus = Keywords([
        "整改进展情况", "整改落实情况", "整改实施情况", "整改完成情况", "整改情况", "整改进展",
    ])
    private static let achievement = Keywords([
        "基本情况", "总体情况", "做法", "成效", "成绩", "概况", "主要工作", "开展情况", "取得的", "亮点", "经验",
        "进展情况", "完成情况",
    ])
    /// Words that make a heading a statement of a shortcoming rather than a section name.
    private static let narrowNegative = Keywords([
        "不", "未", "没有", "没能", "缺乏", "缺少", "欠缺", "差距", "薄弱", "短板", "有待", "滞后", "弱化", "淡化",
    ])

    /// The role a heading's title names, or nil when it names none.
    static func headingRole(_ text: [UInt32], _ title: Range<Int>) -> SectionRole? {
        if cause.any(in: text, title) && !mixedProblemCause.any(in: text, title) && !narrowNegative.any(in: text, title)
        {
            return .cause
        }
        // 「研究制定反馈问题整改方案」 is about rectifying problems, not a list of them.
        let namesProblems = problem.contains(in: text, title) { start, length in
            let after = start + length
            return !(after + 1 < title.upperBound && text[after] == 0x6574 && text[after + 1] == 0x6539)  // 整改
        }
        if namesProblems { return .problem }
        if title.count <= 8 && Scalars.contains(text, title, [0x95EE, 0x9898]) { return .problem }  // 问题
        if narrowNegative.any(in: text, title) { return nil }
        // 「集中整改进展情况」「整改落实情况」 in a bulletin hold the problems with their progress.
        if rectificationStatus.any(in: text, title) { return nil }
        if measure.any(in: text, title) { return .measure }
        if achievement.any(in: text, title) { return .achievement }
        return nil
    }

    /// A line that starts with a role label: "主要原因分析：…", "整改措施：…", or is a short heading
    /// without a marker ("存在的主要问题"). Returns the role and where the content after the label starts.
    static func label(_ text: [UInt32], _ line: Range<Int>) -> (
        role: SectionRole, prefix: Range<Int>, contentStart: Int
    )? {
        guard !line.isEmpty else { return nil }
        let scanEnd = min(line.upperBound, line.lowerBound + 13)
        var colon = line.lowerBound
        while colon < scanEnd && Scalars.fold(text[colon]) != 0x3A { colon += 1 }
        if colon < scanEnd && colon > line.lowerBound {
            let prefix = line.lowerBound..<colon
            if let role = headingRole(text, prefix) ?? (progressLabel.any(in: text, prefix) ? .achievement : nil) {
                var content = colon + 1
                while content < line.upperBound && Scalars.isSpace(text[content]) { content += 1 }
                return (role, prefix, content)
            }
            return nil
        }
        if line.count <= 16 && !Scalars.endsSentence(text[line.upperBound - 1]), let role = headingRole(text, line) {
            return (role, line, line.upperBound)
        }
        return nil
    }

    /// "整改进展：已完成" reports what was done; only as a label, since as a heading word it would swallow
    /// problem groups such as "上一轮巡察整改情况".
    private static let progressLabel = Keywords(["整改进展", "整改情况", "完成情况", "整改成效", "进展情况", "整改结果"])

    static func labelEnd(_ text: [UInt32], _ line: Range<Int>) -> Int? {
        label(text, line)?.contentStart
    }

    /// A paragraph that announces what the following items are: "…存在一些问题和不足，主要体现在以下几个方面："
    static func leadIn(_ text: [UInt32], _ line: Range<Int>) -> SectionRole? {
        guard line.count <= 400, !line.isEmpty else { return nil }
        let last = Scalars.fold(text[line.upperBound - 1])
        let announces = last == 0x3A || announcing.any(in: text, line)
        guard announces else { return nil }
        if cause.any(in: text, line) && !rectifying.any(in: text, line) { return .cause }
        if leadProblem.any(in: text, line) && leadPresence.any(in: text, line) && !rectifying.any(in: text, line) {
            return .problem
        }
        if leadMeasure.any(in: text, line) || (pledgeSpeech.any(in: text, line) && !findingWords.any(in: text, line)) {
            return .measure
        }
        return nil
    }

    private static let pledgeWords = Keywords([
        "表态", "表示", "强调", "要求", "提出", "承诺", "指示", "意见建议", "希望", "部署",
    ])
    /// A paragraph that announces a speech of commitment: 「……作表态发言：」
    private static let pledgeSpeech = Keywords(["表态", "表示", "承诺"])
    private static let findingWords = Keywords(["存在", "问题", "不足", "差距", "短板", "发现"])

    /// What introduces a 表态 or the inspection team's requirements (「……表示：一是……」,「组长强调，一是要……」):
    /// the run-ins after it state measures, not problems.
    static func isPledgeLead(_ text: [UInt32], _ range: Range<Int>) -> Bool {
        pledgeWords.any(in: text, range) && !findingWords.any(in: text, range)
    }

    private static let announcing = Keywords(["以下", "如下", "几个方面"])
    private static let rectifying = Keywords(["整改", "措施"])
    private static let leadProblem = Keywords(["问题", "不足", "差距", "短板"])
    private static let leadPresence = Keywords(["存在", "表现", "体现", "查摆", "发现"])
    /// 「现将整改情况报告如下」 opens a bulletin of problems and their progress; only 措施/打算 announce measures.
    private static let leadMeasure = Keywords(["措施", "打算", "下一步"])

    private static let shortcomingWords = Keywords([
        "未", "没有", "没能", "缺乏", "缺少", "缺失", "欠缺", "欠", "差距", "薄弱", "短板", "偏少", "偏低", "偏大",
        "偏高", "偏弱", "有待", "弱化", "淡化", "滞后", "脱节", "乏力", "松懈", "漏洞", "违规", "违反", "违纪",
        "隐患", "流失", "失之于宽", "浮在面上", "时有发生", "仍", "依然", "走过场", "形式主义", "官僚主义", "懈怠",
        "难以", "较弱", "较少", "较低", "存在", "轻", "虚化", "空转", "打折扣", "涣散", "混乱", "偏差", "落差", "缺位",
        "淡薄", "流于形式", "不足", "不够", "不到位", "还没", "挪用", "挤占", "闲置", "截留", "虚报", "冒领",
    ])

    /// Whether a sentence states a shortcoming: a negation (other than 不断, 不忘, 坚定不移 …) or a
    /// shortcoming word, not itself denied (未发现……, 不存在……, 没有发现……).
    static func statesShortcoming(_ text: [UInt32], _ range: Range<Int>) -> Bool {
        for index in range where text[index] == 0x4E0D {  // 不
            let next = index + 1 < range.upperBound ? text[index + 1] : 0
            let previous = index > range.lowerBound ? text[index - 1] : 0
            // 不断 不忘 不懈 不仅 不少 不同 不论 不但 不管 不移 不渝 不放 不折(不扣) 不停 不存在 are not
            // negations of duty; nor 毫不 绝不 决不 (pledges) or 不折不扣's second 不.
            switch next {
            case 0x65AD, 0x5FD8, 0x61C8, 0x4EC5, 0x5C11, 0x540C, 0x8BBA, 0x4F46, 0x7BA1, 0x79FB, 0x6E1D, 0x653E, 0x6298,
                0x505C, 0x5B58, 0x6263:
                continue
            default: break
            }
            switch previous {
            case 0x6BEB, 0x7EDD, 0x51B3, 0x6298: continue  // 毫 绝 决 折
            default: return true
            }
        }
        return shortcomingWords.contains(in: text, range) { start, length in
            let previous = start > range.lowerBound ? text[start - 1] : 0
            let after = start + length
            let next = after < range.upperBound ? text[after] : 0
            let next2 = after + 1 < range.upperBound ? text[after + 1] : 0
            // 毫不松懈 决不懈怠: the shortcoming is denied.
            if previous == 0x4E0D && start - 2 >= range.lowerBound
                && (text[start - 2] == 0x6BEB || text[start - 2] == 0x7EDD || text[start - 2] == 0x51B3)
            {
                return false
            }
            switch text[start] {
            case 0x672A where length == 1:  // 未发现 未出现
                return !((next == 0x53D1 && next2 == 0x73B0) || (next == 0x51FA && next2 == 0x73B0))
            case 0x6CA1 where length == 2:  // 没有发现
                return !(next == 0x53D1 && next2 == 0x73B0)
            case 0x5B58:  // 不存在 未存在 无存在
                return !(previous == 0x4E0D || previous == 0x672A || previous == 0x65E0)
            case 0x4ECD where length == 1:  // 仍将 仍要 仍然坚持 promise, they do not find
                return !(next == 0x8981 || next == 0x5C06 || (next == 0x7136 && next2 == 0x575A))
            default:
                return true
            }
        }
    }

    private static let progress = Keywords([
        "已完成整改", "已整改", "整改完成", "已完成", "整改到位", "正在整改", "持续整改", "基本完成", "整改情况", "整改进展",
        "整改成效", "已落实", "已办结",
    ])

    /// A problem's own text reports what was done about it ("该问题已完成整改").
    static func reportsProgress(_ text: [UInt32], _ range: Range<Int>) -> Bool {
        progress.any(in: text, range)
    }

    private static let wrapperOpenings = Keywords(["关于", "对于", "针对"])
    private static let problemWord = Scalars.of("问题")

    /// 「关于……的问题」, 「关于“……”问题」: a heading that wraps a problem statement by its form.
    static func isProblemWrapper(_ text: [UInt32], _ range: Range<Int>) -> Bool {
        guard range.count >= 6,
            wrapperOpenings.any(in: text, range.lowerBound..<(range.lowerBound + 2))
        else { return false }
        var end = range.upperBound
        while end > range.lowerBound && (Scalars.endsSentence(text[end - 1]) || Scalars.isSpace(text[end - 1])) {
            end -= 1
        }
        return end - range.lowerBound > 4 && Array(text[(end - 2)..<end]) == problemWord
    }

    /// Where a problem's own words start inside a quoting wrapper: after 「关于“」, 「对于“」, 「针对“」.
    static func wrapperContentStart(_ text: [UInt32], _ start: Int, _ end: Int) -> Int {
        guard end - start > 4, wrapperOpenings.any(in: text, start..<(start + 2)) else { return start }
        let quote = text[start + 2]
        guard quote == 0x201C || quote == 0x22 || quote == 0x300C || quote == 0xFF02 else { return start }
        return start + 3
    }

    private static let explanation = Keywords(["由于", "因为", "原因"])

    /// Run-in items that explain rather than list shortcomings: "一是由于编制受限……".
    static func isExplanation(_ text: [UInt32], _ start: Int, _ end: Int) -> Bool {
        let window = start..<min(end, start + 6)
        return explanation.any(in: text, window)
    }
}
