public import Foundation

/// Masks what must not leave the building in any text that goes to the public: the names of people the
/// system knows (users, 责任人, people imported from sheets), mobile and landline numbers, 18-digit ID
/// numbers (with a valid check digit), bank card numbers (Luhn), licence plates and house addresses. What it
/// masked is listed for the preparer and the approver; runs that look like names typed in free text after
/// 联系人, 当事人, 村民 … are listed for the approver to check by eye (the system cannot know them).
public struct Redactor: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var text: String
        public var masked: [String]
        public var toCheck: [String]
    }

    /// Known names, longest first (so 欧阳明 is masked before 欧阳).
    let names: [String]
    /// The same names for one pass over a text: a province knows thousands of names, and searching the text
    /// once per name made an Open311 list of 1,000 appeals take seconds (docs/benchmarks.md).
    let nameSet: Set<String>
    let nameLengths: [Int]
    let nameStarts: Set<Character>

    public init(names: [String]) {
        self.names = Set(names.filter { $0.count >= 2 }).sorted { ($0.count, $0) > ($1.count, $1) }
        nameSet = Set(self.names)
        nameLengths = Set(self.names.map(\.count)).sorted(by: >)
        nameStarts = Set(self.names.compactMap(\.first))
    }

    nonisolated(unsafe) static let idNumber = try! NSRegularExpression(
        pattern:
            #"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9A-Za-z])"#
    )
    nonisolated(unsafe) static let longDigits = try! NSRegularExpression(pattern: #"(?<![0-9])[0-9]{16,19}(?![0-9])"#)
    nonisolated(unsafe) static let phone = try! NSRegularExpression(
        pattern: #"(?<![0-9])(?:1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})(?![0-9])"#)
    nonisolated(unsafe) static let plate = try! NSRegularExpression(
        pattern: #"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])"#)
    nonisolated(unsafe) static let address = try! NSRegularExpression(
        pattern:
            #"[\p{Han}]{1,10}(?:路|街|巷|道|大道|胡同)[0-9０-９一二三四五六七八九十]+号(?:[0-9]+(?:栋|幢|号楼))?(?:[0-9]+单元)?(?:[0-9]+(?:室|号))?|[\p{Han}]{1,6}村[0-9一二三四五六七八九十]+组[0-9]+号"#
    )
    nonisolated(unsafe) static let cue = try! NSRegularExpression(
        pattern: #"(?:联系人|当事人|村民|户主|举报人|投诉人|反映人|家属|群众|农户)[:：]?([\p{Han}]{2,4}?)(?=反映|称|说|表示|家|等|的|和|与|[，,。；;：:（(\s]|$)"#
    )

    public func redact(_ input: String, context: String = "") -> Outcome {
        var text = input
        var masked: [String] = []
        let place = context.isEmpty ? "" : "（\(context)）"
        func replace(_ regex: NSRegularExpression, label: String, keep: (String) -> Bool = { _ in true }) {
            let range = NSRange(text.startIndex..., in: text)
            var pieces: [(Range<String.Index>, String)] = []
            for match in regex.matches(in: text, range: range) {
                guard let found = Range(match.range, in: text) else { continue }
                let value = String(text[found])
                guard keep(value) else { continue }
                pieces.append((found, "（\(label)已隐去）"))
                masked.append("\(label) \(Self.hint(value))\(place)")
            }
            for (found, replacement) in pieces.reversed() { text.replaceSubrange(found, with: replacement) }
        }
        replace(Self.idNumber, label: "身份证号", keep: Self.validID)
        replace(Self.longDigits, label: "银行卡号", keep: Self.luhn)
        replace(Self.phone, label: "电话")
        replace(Self.plate, label: "车牌号")
        replace(Self.address, label: "住址")
        let found = maskNames(&text)
        for name in names where found.contains(name) {
            masked.append("姓名 \(Self.surname(name))某\(place)")
        }
        var toCheck: [String] = []
        let range = NSRange(text.startIndex..., in: text)
        for match in Self.cue.matches(in: text, range: range) {
            guard let found = Range(match.range(at: 1), in: text) else { continue }
            let run = String(text[found])
            if !run.hasSuffix("某") && !run.contains("某") { toCheck.append("「\(run)」\(place)") }
        }
        return Outcome(text: text, masked: masked, toCheck: toCheck)
    }

    static func surname(_ name: String) -> String { String(name.prefix(name.count >= 4 ? 2 : 1)) }

    /// Replaces every known name by its surname and 某, the longest name at each position first; answers the
    /// names found.
    func maskNames(_ text: inout String) -> Set<String> {
        guard !nameSet.isEmpty, text.contains(where: { nameStarts.contains($0) }) else { return [] }
        let characters = Array(text)
        var output = ""
        output.reserveCapacity(text.utf8.count)
        var found = Set<String>()
        var index = 0
        while index < characters.count {
            var matched: String?
            if nameStarts.contains(characters[index]) {
                for length in nameLengths where index + length <= characters.count {
                    let candidate = String(characters[index..<(index + length)])
                    if nameSet.contains(candidate) {
                        matched = candidate
                        break
                    }
                }
            }
            if let name = matched {
                output += Self.surname(name) + "某"
                found.insert(name)
                index += name.count
            } else {
                output.append(characters[index])
                index += 1
            }
        }
        text = output
        return found
    }

    /// 「138****5678」: enough for the approver to recognise, not enough to use.
    static func hint(_ value: String) -> String {
        guard value.count > 6 else { return String(repeating: "*", count: value.count) }
        return String(value.prefix(3)) + String(repeating: "*", count: value.count - 7) + String(value.suffix(4))
    }

    /// GB 11643: the 18th character is the check digit of the first 17.
    static func validID(_ value: String) -> Bool {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let digits = value.prefix(17).compactMap(\.wholeNumberValue)
        guard digits.count == 17 else { return false }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = Array("10X98765432")[sum % 11]
        return String(check) == value.suffix(1).uppercased()
    }

    static func luhn(_ value: String) -> Bool {
        let digits = value.compactMap(\.wholeNumberValue)
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            let doubled = index % 2 == 1 ? digit * 2 : digit
            sum += doubled > 9 ? doubled - 9 : doubled
        }
        return sum % 10 == 0
    }
}
