/// One heading or item of the document's outline, with scalar offsets into the cleaned text.
struct OutlineItem {
    var kind: MarkerKind
    var number: Int?
    var marker: Range<Int>
    var contentStart: Int
    /// End of the text the item holds before its first child (or the next item).
    var ownEnd: Int
    /// End of the item's last paragraph that follows its children.
    var tailEnd: Int
    /// End of the item with everything below it.
    var end: Int
    var parent: Int?
    var children: [Int] = []
    var inline: Bool
    var lineEnd: Int
    /// Role named by the item itself (heading words or label).
    var namedRole: SectionRole?
    /// Role announced by a lead-in paragraph of the parent before this item started.
    var announcedRole: SectionRole?
    /// Role this item's own lead-in paragraph announces for the children that follow it.
    var announcing: SectionRole?
    var role: SectionRole = .other
    var depth: Int
    /// Nesting rank: the marker kind's, or for a label one more than its parent's.
    var rank: Int
}

/// Builds the outline tree from the cleaned text, one line (paragraph) at a time.
struct OutlineBuilder {
    private(set) var items: [OutlineItem] = []
    private(set) var roots: [Int] = []
    private let text: [UInt32]
    private var stack: [Int] = []
    /// Role announced at the top level by a lead-in paragraph.
    private var rootAnnounced: SectionRole?
    private var lastParenKind: MarkerKind?
    private var current: Int?
    /// The run-ins of the current paragraph follow a 表态 or requirement lead.
    private var pledgeRunIns = false
    /// Items below this depth cannot be produced without bounding the stack (pathological input).
    private static let maximumDepth = 32

    init(text: [UInt32]) {
        self.text = text
    }

    static func build(_ text: [UInt32], titleEnd: Int) -> (items: [OutlineItem], roots: [Int]) {
        var builder = OutlineBuilder(text: text)
        var start = titleEnd
        while start < text.count && text[start] == 0x0A { start += 1 }
        var index = start
        while index <= text.count {
            if index == text.count || text[index] == 0x0A {
                if index > start { builder.line(start..<index) }
                start = index + 1
            }
            index += 1
        }
        builder.finish(at: text.count)
        builder.resolveRoles()
        return (builder.items, builder.roots)
    }

    // MARK: - Lines

    private mutating func line(_ range: Range<Int>) {
        popInline()
        pledgeRunIns = false
        var scanFrom = range.lowerBound
        if var marker = OutlineMarkers.lineStart(text, range) {
            if marker.kind == .garbledParen {
                marker.kind = lastParenKind ?? .parenArabic
            }
            if marker.kind == .parenChinese || marker.kind == .parenArabic { lastParenKind = marker.kind }
            open(marker, lineEnd: range.upperBound)
            scanFrom = marker.contentStart
        } else if let label = SectionRoles.label(text, range) {
            openLabel(label.role, prefix: label.prefix, contentStart: label.contentStart, lineEnd: range.upperBound)
            scanFrom = label.contentStart
        } else {
            if let owner = stack.last {
                items[owner].tailEnd = range.upperBound
            }
            if let role = SectionRoles.leadIn(text, range) {
                if let owner = stack.last {
                    items[owner].announcing = role
                } else {
                    rootAnnounced = role
                }
            }
        }
        scanInline(scanFrom..<range.upperBound, lineStart: range.lowerBound)
    }

    /// Inline items end with their paragraph.
    private mutating func popInline() {
        while let top = stack.last, items[top].inline {
            stack.removeLast()
        }
    }

    private mutating func open(_ marker: MarkerMatch, lineEnd: Int) {
        let rank = marker.kind.rawValue
        if let position = stack.lastIndex(where: { items[$0].kind == marker.kind }) {
            stack.removeSubrange(position...)
        } else if let top = stack.last, rank < items[top].rank {
            while let top = stack.last, items[top].rank >= rank { stack.removeLast() }
        }
        append(
            kind: marker.kind, number: marker.number, marker: marker.range, contentStart: marker.contentStart,
            inline: false, lineEnd: lineEnd)
    }

    /// A label with text after it ("主要原因分析：……") belongs to the current item; a label alone on its
    /// line ("存在的主要问题") is a section heading and closes items down to the nearest 一、 or （一）.
    private mutating func openLabel(_ role: SectionRole, prefix: Range<Int>, contentStart: Int, lineEnd: Int) {
        let standalone = contentStart >= lineEnd
        while let top = stack.last,
            items[top].kind == .label || items[top].kind == .runIn || items[top].kind == .circled
                || (standalone && items[top].rank > MarkerKind.parenChinese.rawValue)
        {
            stack.removeLast()
        }
        append(
            kind: .label, number: nil, marker: prefix.lowerBound..<prefix.lowerBound, contentStart: contentStart,
            inline: false, lineEnd: lineEnd)
        items[items.count - 1].namedRole = role
    }

    private mutating func append(
        kind: MarkerKind, number: Int?, marker: Range<Int>, contentStart: Int, inline: Bool, lineEnd: Int
    ) {
        closeCurrent(at: marker.lowerBound)
        if stack.count >= Self.maximumDepth { stack.removeLast() }
        let parent = stack.last
        let index = items.count
        let rank = kind == .label ? (parent.map { items[$0].rank } ?? -2) + 1 : kind.rawValue
        var item = OutlineItem(
            kind: kind, number: number, marker: marker, contentStart: contentStart, ownEnd: lineEnd,
            tailEnd: contentStart, end: lineEnd, parent: parent, inline: inline, lineEnd: lineEnd,
            depth: stack.count + 1, rank: rank)
        if let parent {
            item.announcedRole = items[parent].announcing
            items[parent].children.append(index)
        } else {
            item.announcedRole = rootAnnounced
            roots.append(index)
        }
        items.append(item)
        stack.append(index)
        current = index
    }

    private mutating func closeCurrent(at position: Int) {
        guard let current else { return }
        let limit = items[current].inline ? items[current].lineEnd : position
        items[current].ownEnd = max(items[current].contentStart, min(limit, position))
    }

    mutating func finish(at end: Int) {
        closeCurrent(at: end)
        current = nil
        // Subtree ends, children before parents (children always have larger indices).
        for index in items.indices.reversed() {
            var end = max(items[index].ownEnd, items[index].tailEnd)
            for child in items[index].children { end = max(end, items[child].end) }
            items[index].end = end
        }
    }

    // MARK: - Inline items

    /// Finds 一是 二是 … and ① ② inside a paragraph.
    private mutating func scanInline(_ range: Range<Int>, lineStart: Int) {
        var index = range.lowerBound
        while index < range.upperBound {
            let value = text[index]
            if value == 0x662F, index > range.lowerBound,  // 是
                let found = OutlineMarkers.runInStart(text, isAt: index, lineStart: range.lowerBound),
                found.start > range.lowerBound || range.lowerBound != lineStart,
                acceptsRunIn(found.number, at: found.start, lineStart: range.lowerBound)
            {
                var content = index + 1
                while content < range.upperBound && Scalars.isSpace(text[content]) { content += 1 }
                let marker = MarkerMatch(
                    kind: .runIn, number: found.number, range: found.start..<(index + 1), contentStart: content)
                if found.number == 1 {
                    // 「……表示，一是……二是……」: a 表态 or a list of requirements, measures all.
                    pledgeRunIns = SectionRoles.isPledgeLead(text, max(lineStart, found.start - 60)..<found.start)
                }
                openInline(marker, lineEnd: range.upperBound)
                if pledgeRunIns { items[items.count - 1].namedRole = .measure }
            } else if value >= 0x2460 && value <= 0x2473, index > range.lowerBound {
                let number = Int(value - 0x2460 + 1)
                if acceptsCircled(number) {
                    var content = index + 1
                    while content < range.upperBound && Scalars.isSpace(text[content]) { content += 1 }
                    let marker = MarkerMatch(
                        kind: .circled, number: number, range: index..<(index + 1), contentStart: content)
                    openInline(marker, lineEnd: range.upperBound)
                }
            }
            index += 1
        }
    }

    private mutating func openInline(_ marker: MarkerMatch, lineEnd: Int) {
        while let top = stack.last, items[top].inline,
            items[top].kind == marker.kind || items[top].rank > marker.kind.rawValue
        {
            stack.removeLast()
        }
        // A line-level sibling of the same kind (一是 at a line start, then 二是 inline) is closed too.
        if let top = stack.last, !items[top].inline, items[top].kind == marker.kind {
            stack.removeLast()
        }
        append(
            kind: marker.kind, number: marker.number, marker: marker.range, contentStart: marker.contentStart,
            inline: true, lineEnd: lineEnd)
    }

    /// The last sibling of `kind` under the item that would become the parent.
    private func previousSibling(kind: MarkerKind) -> OutlineItem? {
        var position = stack.count - 1
        while position >= 0 {
            let item = items[stack[position]]
            if item.kind == kind { return item }
            if !item.inline || item.rank < kind.rawValue {
                return item.children.last.map { items[$0] }.flatMap { $0.kind == kind ? $0 : nil }
            }
            position -= 1
        }
        return roots.last.map { items[$0] }.flatMap { $0.kind == kind ? $0 : nil }
    }

    /// 一是 starts a sequence after a clause boundary; 二是 … continue one (a skipped number is tolerated).
    private func acceptsRunIn(_ number: Int, at start: Int, lineStart: Int) -> Bool {
        var before = start - 1
        while before >= lineStart && Scalars.isSpace(text[before]) { before -= 1 }
        let boundary: Bool
        let hasSequence: Bool
        if let previous = previousSibling(kind: .runIn), let previousNumber = previous.number {
            hasSequence = number > previousNumber && number <= previousNumber + 2
        } else {
            hasSequence = false
        }
        if before < lineStart {
            boundary = true
        } else {
            let folded = Scalars.fold(text[before])
            switch folded {
            case 0x2E, 0x3B, 0x21, 0x3F, 0x3A, 0x29: boundary = true
            case 0x2C, 0x3001:
                // "……，一是……；二是……": after a comma only inside a sequence, or when 二是 follows soon.
                boundary = hasSequence || (number == 1 && followedBySecond(after: start))
            default: boundary = false
            }
        }
        guard boundary else { return false }
        return number == 1 || hasSequence
    }

    private func followedBySecond(after start: Int) -> Bool {
        let limit = min(text.count, start + 400)
        var index = start + 2
        while index + 1 < limit && text[index] != 0x0A {
            if text[index] == 0x4E8C && text[index + 1] == 0x662F { return true }  // 二是
            index += 1
        }
        return false
    }

    private func acceptsCircled(_ number: Int) -> Bool {
        if number == 1 { return true }
        guard let previous = previousSibling(kind: .circled), let previousNumber = previous.number else { return false }
        return number > previousNumber && number <= previousNumber + 2
    }

    // MARK: - Roles

    private mutating func resolveRoles() {
        for index in items.indices {
            let parentRole = items[index].parent.map { items[$0].role } ?? .other
            items[index].namedRole = items[index].namedRole ?? namedRole(of: index, parentRole: parentRole)
            var role = parentRole
            if let announced = items[index].announcedRole, !(announced == .problem && parentRole == .measure) {
                role = announced
            }
            if let named = items[index].namedRole {
                let titleLength = title(of: index).count
                let guarded = named == .problem && (role == .measure || role == .achievement) && titleLength > 20
                if !guarded { role = named }
            }
            if role == .problem, items[index].namedRole == nil, items[index].announcedRole == nil,
                items[index].kind != .label, let parent = items[index].parent, items[parent].kind != .label,
                items[parent].namedRole == nil,
                SectionRoles.statesShortcoming(text, firstSentence(of: parent)),
                SectionRoles.reportsProgress(
                    text, items[parent].contentStart..<min(items[parent].ownEnd, items[parent].contentStart + 300)),
                !SectionRoles.statesShortcoming(text, firstSentence(of: index))
            {
                // Under a problem that states itself and reports its progress, an item that states no
                // shortcoming is a step of that progress ("该问题已完成整改。一是每年制定……").
                role = .other
            }
            if role == .other, items[index].kind != .label, isUnderOtherOnly(index),
                SectionRoles.statesShortcoming(text, firstSentence(of: index))
                    || SectionRoles.isProblemWrapper(text, title(of: index))
            {
                // A document that starts mid-way (or has no named sections) still lists problems.
                role = .problem
            }
            items[index].role = role
        }
    }

    private func isUnderOtherOnly(_ index: Int) -> Bool {
        var parent = items[index].parent
        while let current = parent {
            if items[current].role != .other { return false }
            parent = items[current].parent
        }
        return true
    }

    private func namedRole(of index: Int, parentRole: SectionRole) -> SectionRole? {
        let item = items[index]
        let title = title(of: index)
        switch item.kind {
        case .chineseComma, .parenChinese:
            return SectionRoles.headingRole(text, title)
        default:
            if parentRole == .other || title.count <= 12 { return SectionRoles.headingRole(text, title) }
            return nil
        }
    }

    func title(of index: Int) -> Range<Int> {
        items[index].title(in: text)
    }

    func firstSentence(of index: Int) -> Range<Int> {
        items[index].firstSentence(in: text)
    }
}

extension OutlineItem {
    /// The heading's first clause, which names the section: up to 。；：! ? or 40 scalars on its line.
    func title(in text: [UInt32]) -> Range<Int> {
        let start = kind == .label ? marker.lowerBound : contentStart
        let limit = kind == .label ? contentStart : min(lineEnd, start + 40)
        var end = start
        while end < limit && !Scalars.endsSentence(text, at: end) { end += 1 }
        return start..<end
    }

    /// First sentence of the item's own text, at most 120 scalars.
    func firstSentence(in text: [UInt32]) -> Range<Int> {
        let limit = min(max(ownEnd, contentStart), contentStart + 120)
        var end = contentStart
        while end < limit {
            let folded = Scalars.fold(text[end])
            if folded == 0x21 || folded == 0x3F || folded == 0x3B || text[end] == 0x0A { break }
            if folded == 0x2E && Scalars.endsSentence(text, at: end) { break }
            end += 1
        }
        return contentStart..<end
    }
}
