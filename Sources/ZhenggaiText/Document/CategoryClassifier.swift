import Foundation

/// Assigns a problem to a category of DOMAIN.md §4 (A1 … D4): a multinomial naive Bayes model over
/// character 1-3 grams of ideographs, trained by training/category/train.py and shipped as the resource
/// category-model.tsv (read once, from the library's own bundle; no network).
/// The tables are built once into buffers that live as long as the process and are never written
/// again, hence `@unchecked Sendable`; lookups then run without bounds or uniqueness checks.
struct CategoryClassifier: @unchecked Sendable {
    static let shared = CategoryClassifier()

    /// Classes are scored in lanes of three SIMD8 vectors, so at most 24 categories.
    private static let lanes = 3
    typealias Row = SIMD8<Float>

    let classes: [String]
    private let letters: [UInt32]
    private let priors: [Double]
    private let defaults: [Double]
    private let temperature: Double
    private let headlineWeight: Int
    /// Open-addressing table from packed n-gram (keys 0 = empty) to its dense row of per-class deltas:
    /// slot s holds rows[rowOf[s] * lanes ..< rowOf[s] * lanes + lanes].
    private let keys: UnsafeBufferPointer<UInt64>
    private let rowOf: UnsafeBufferPointer<Int32>
    private let rows: UnsafeBufferPointer<Row>
    private let mask: Int

    private init() {
        let model = Self.loadModel()
        classes = Array(model.classes.prefix(Self.lanes * 8))
        letters = classes.map { $0.unicodeScalars.first?.value ?? 0 }
        priors = model.priors
        defaults = model.defaults
        temperature = model.temperature
        headlineWeight = model.headlineWeight
        var grams = [UInt64]()
        var dense = [Row]()
        for line in model.table {
            let fields = line.split(separator: "\t")
            guard fields.count == 2 else { continue }
            var key: UInt64 = 0
            for scalar in fields[0].unicodeScalars { key = key << 21 | UInt64(scalar.value) }
            var row = [Row](repeating: Row(), count: Self.lanes)
            for posting in fields[1].split(separator: ",") {
                let parts = posting.split(separator: ":")
                guard parts.count == 2, let index = Int(parts[0]), index < Self.lanes * 8,
                    let delta = Float(parts[1])
                else { continue }
                row[index / 8][index % 8] = delta
            }
            grams.append(key)
            dense.append(contentsOf: row)
        }
        var capacity = 16
        while capacity < grams.count * 2 { capacity <<= 1 }
        let keys = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: capacity)
        let rowOf = UnsafeMutableBufferPointer<Int32>.allocate(capacity: capacity)
        keys.initialize(repeating: 0)
        rowOf.initialize(repeating: 0)
        for (feature, key) in grams.enumerated() {
            var slot = Self.slot(key, mask: capacity - 1)
            while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            rowOf[slot] = Int32(feature)
        }
        let rows = UnsafeMutableBufferPointer<Row>.allocate(capacity: max(1, dense.count))
        _ = rows.initialize(from: dense)
        self.keys = UnsafeBufferPointer(keys)
        self.rowOf = UnsafeBufferPointer(rowOf)
        self.rows = UnsafeBufferPointer(rows)
        self.mask = capacity - 1
    }

    private struct ModelFile {
        var classes: [String] = []
        var priors: [Double] = []
        var defaults: [Double] = []
        var temperature = 1.0
        var headlineWeight = 1
        var table: [Substring] = []
    }

    /// The shipped model. It is part of the library: a missing or damaged resource is a broken build, not
    /// bad input, so it stops the process with the reason rather than classify everything as one class.
    private static func loadModel() -> ModelFile {
        guard
            let url = Bundle.module.url(forResource: "category-model", withExtension: "tsv", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "category-model", withExtension: "tsv"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("ZhenggaiText: the resource category-model.tsv is missing from the build") }
        var model = ModelFile()
        func numbers(_ field: Substring) -> [Double] { field.split(separator: ",").compactMap { Double($0) } }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            let key = line[..<tab]
            let value = line[line.index(after: tab)...]
            switch key {
            case "classes": model.classes = value.split(separator: ",").map(String.init)
            case "priors": model.priors = numbers(value)
            case "defaults": model.defaults = numbers(value)
            case "temperature": model.temperature = Double(value) ?? 1
            case "headline": model.headlineWeight = Int(value) ?? 1
            default: model.table.append(line)
            }
        }
        guard !model.classes.isEmpty, model.priors.count == model.classes.count,
            model.defaults.count == model.classes.count
        else { fatalError("ZhenggaiText: category-model.tsv is damaged (classes, priors and defaults disagree)") }
        return model
    }

    @inline(__always)
    private static func slot(_ key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// Per-class evidence accumulated over a text.
    private struct Sums {
        var lanes = (Row(), Row(), Row())
        var count = 0
    }

    /// The most probable category of `text[range]`, restricted to one letter (A–D) when the document's
    /// grouping says which.
    func classify(_ text: [UInt32], _ range: Range<Int>, letter: UInt32?) -> (code: String, confidence: Double) {
        guard !classes.isEmpty, range.upperBound <= text.count else { return ("", 0) }
        var sums = Sums()
        let headlineEnd = headlineEnd(text, range)
        text.withUnsafeBufferPointer { text in
            var previous1: UInt64 = 0
            var previous2: UInt64 = 0
            for index in range {
                let value = text[index]
                guard Scalars.isIdeograph(value) else {
                    previous1 = 0
                    previous2 = 0
                    continue
                }
                let weight = index < headlineEnd ? headlineWeight : 1
                let current = UInt64(value)
                add(current, weight, &sums)
                if previous1 != 0 {
                    add(previous1 << 21 | current, weight, &sums)
                    if previous2 != 0 {
                        add(previous2 << 42 | previous1 << 21 | current, weight, &sums)
                    }
                }
                previous2 = previous1
                previous1 = current
            }
        }
        var best = -1
        var scores = [Double](repeating: -.infinity, count: classes.count)
        for index in classes.indices where letter == nil || letters[index] == letter {
            let lane = index / 8 == 0 ? sums.lanes.0 : index / 8 == 1 ? sums.lanes.1 : sums.lanes.2
            let evidence = Double(lane[index % 8])
            scores[index] = (priors[index] + Double(sums.count) * defaults[index] + evidence) / temperature
            if best < 0 || scores[index] > scores[best] { best = index }
        }
        guard best >= 0 else { return classify(text, range, letter: nil) }
        var total = 0.0
        for score in scores where score > -.infinity { total += exp(score - scores[best]) }
        return (classes[best], 1 / total)
    }

    /// Adds a known n-gram's evidence `weight` times; unknown n-grams carry none.
    @inline(__always)
    private func add(_ key: UInt64, _ weight: Int, _ sums: inout Sums) {
        var slot = Self.slot(key, mask: mask)
        while true {
            let stored = keys[slot]
            if stored == key { break }
            if stored == 0 { return }
            slot = (slot + 1) & mask
        }
        let base = Int(rowOf[slot]) * Self.lanes
        let factor = Float(weight)
        sums.lanes.0 += factor * rows[base]
        sums.lanes.1 += factor * rows[base + 1]
        sums.lanes.2 += factor * rows[base + 2]
        sums.count += weight
    }

    /// End of the first clause (first 。，,； after the first scalar), which names the shortcoming and is
    /// weighted more; must match headline_end() in train.py.
    private func headlineEnd(_ text: [UInt32], _ range: Range<Int>) -> Int {
        var index = range.lowerBound + 1
        while index < range.upperBound {
            let value = text[index]
            if value == 0x3002 || value == 0xFF0C || value == 0x2C || value == 0xFF1B { return index }
            index += 1
        }
        return range.upperBound
    }

    // MARK: - Group headings

    private static let groupWords: [(UInt32, Keywords)] = [
        (0x41, Keywords(["决策部署", "路线方针政策", "党中央", "新发展理念", "理论武装", "理论学习", "履职尽责", "主责主业", "民生"])),
        (0x42, Keywords(["全面从严治党", "腐败", "不正之风", "四风", "作风", "廉政", "管党治党", "纪律", "廉洁", "八项规定", "两个责任"])),
        (0x43, Keywords(["组织路线", "组织建设", "选人用人", "班子", "基层党组织", "干部队伍", "带队伍", "党建"])),
        (0x44, Keywords(["巡察整改", "上一轮巡察", "上轮巡察", "巡视整改", "审计整改", "整改责任", "问题整改", "屡改屡犯"])),
    ]
    private static let groupOpenings = Keywords(["聚焦", "对照"])

    /// The letter (A–D) of the nearest enclosing group heading of the 四个落实 / 四个聚焦 kind
    /// ("聚焦群众身边腐败问题和不正之风……" → B), or nil when no heading decides.
    /// `titles` runs from the nearest heading outwards.
    static func groupLetter(_ text: [UInt32], titles: [Range<Int>]) -> UInt32? {
        for title in titles {
            let opening = title.lowerBound..<min(title.upperBound, title.lowerBound + 3)
            guard groupOpenings.any(in: text, opening) else { continue }
            var scores = groupWords.map { ($0.0, $0.1.count(in: text, title)) }
            scores.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
            if scores[0].1 > 0 && scores[0].1 > scores[1].1 { return scores[0].0 }
        }
        return nil
    }
}

/// The category model for a problem written anywhere (a ledger sheet without a 问题类别 column, a form):
/// the most likely category of DOMAIN.md §4 and the model's confidence in it. A suggestion for a person to
/// confirm, never a decision.
public enum CategorySuggestion {
    public static func suggest(_ text: String) -> (code: String, confidence: Double) {
        let scalars = text.unicodeScalars.map { TraditionalChinese.simplified($0.value) }
        return CategoryClassifier.shared.classify(scalars, 0..<min(100, scalars.count), letter: nil)
    }
}
