import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore
import ZhenggaiText

/// From a document users already have to a source's 问题清单: upload or paste the feedback, see the
/// proposed problems beside the original with each one's place highlighted, edit, merge, split or drop
/// them, pick categories, and accept them in one step with their draft measures. Nothing is kept on the
/// server between the steps: the preview form carries everything, so any app server can take the accept.
enum DocumentImportPage {
    struct FormContext: Encodable {
        var layout: Layout
        var source: SourcesPage.SourceRow
        var error: String?
        var pasted: String
    }

    struct PreviewContext: Encodable {
        var layout: Layout
        var source: SourcesPage.SourceRow
        var title: String
        var kind: String
        var removed: [String]
        var original: String
        var segments: [Piece]
        var items: [Item]
        var count: Int
        var categories: [LedgerPage.Option]
        var error: String?
        var duplicates: Int { items.filter { $0.duplicateOf != nil }.count }

        enum CodingKeys: String, CodingKey {
            case layout, source, title, kind, removed, original, segments, items, count, categories, error, duplicates
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(layout, forKey: .layout)
            try c.encode(source, forKey: .source)
            try c.encode(title, forKey: .title)
            try c.encode(kind, forKey: .kind)
            try c.encode(removed, forKey: .removed)
            try c.encode(original, forKey: .original)
            try c.encode(segments, forKey: .segments)
            try c.encode(items, forKey: .items)
            try c.encode(count, forKey: .count)
            try c.encode(categories, forKey: .categories)
            try c.encodeIfPresent(error, forKey: .error)
            try c.encode(duplicates, forKey: .duplicates)
        }
    }

    struct Piece: Encodable {
        var text: String
        var item: Int?
    }

    struct Item: Encodable {
        var index: Int
        var number: Int
        var keep: Bool
        var merge: Bool
        var text: String
        var outline: String
        var category: String
        var confidence: String
        var measure: String
        var start: Int
        var end: Int
        var options: [LedgerPage.Option]
        /// The number of a problem of this source with the same text: a document imported again.
        var duplicateOf: String?
        /// The closest earlier problem in the reader's scope, when the calibrated engine shows one:
        /// 「XC2025-02-01-003（青山镇，本单位（可能屡改屡犯））：经测算……」.
        var similar: String?
        var similarLink: String?
    }

    static func routes(store: Store, similarity: SimilarityService) -> [Handler] {
        @Sendable func sourceTarget(_ request: Request) async throws -> AccessTarget {
            try await store.accessTarget(source: try request.id("sourceID"))
        }
        @Sendable func sourceRow(_ request: Request) async throws -> (Source, SourcesPage.SourceRow) {
            let source = try await store.source(try request.id("sourceID"))
            return (source, SourcesPage.row(source, today: store.clock.today()))
        }
        return [
            Handler(
                .documentImportForm, target: { r, _ in try await sourceTarget(r) }
            ) { request, caller in
                let (_, row) = try await sourceRow(request)
                return try await Pages.render(
                    request, "document-import",
                    FormContext(
                        layout: Layout(title: "从文件导入问题", caller: caller, section: .sources), source: row, error: nil,
                        pasted: ""))
            },
            Handler(
                .documentPreview, bodyLimit: ByteCount(value: DocumentReading.Limits.interactive.maxBytes + 1_048_576),
                target: { r, _ in try await sourceTarget(r) }
            ) { request, caller in
                let (source, row) = try await sourceRow(request)
                struct Upload: Content {
                    var file: File?
                    var pasted: String?
                }
                let upload = try? request.content.decode(Upload.self)
                let pasted = upload?.pasted?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                let document: ParsedDocument
                do {
                    if let file = upload?.file, file.data.readableBytes > 0 {
                        document = try DocumentReading.parse(
                            data: Data(buffer: file.data), fileName: file.filename, limits: .interactive)
                    } else if !pasted.isEmpty {
                        document = try DocumentReading.parse(text: pasted, limits: .interactive)
                    } else {
                        throw DocumentReading.ReadError(userMessage: "请选择文件或粘贴文字。", detail: "empty")
                    }
                } catch let error as DocumentReading.ReadError {
                    request.logger.info("document import refused", metadata: ["detail": .string(error.detail)])
                    return try await Pages.render(
                        request, "document-import",
                        FormContext(
                            layout: Layout(title: "从文件导入问题", caller: caller, section: .sources), source: row,
                            error: error.userMessage, pasted: pasted),
                        status: .unprocessableEntity)
                }
                let categories = try await store.categories()
                let measures = Dictionary(uniqueKeysWithValues: document.measures.map { ($0.id, $0.text) })
                // A document imported a second time: its problems are already in the source, so they start
                // unticked with the number they already have.
                let existing = try await store.ledger(
                    LedgerFilter(scope: .everything, sourceID: source.id), paging: try Paging(perPage: 500),
                    today: store.clock.today()
                ).rows
                var known: [String: String] = [:]
                for row in existing { known[Self.comparable(row.problem.text)] = row.problem.number }
                var items: [Item] = []
                for (offset, problem) in document.problems.enumerated() {
                    let duplicate = known[Self.comparable(problem.text)]
                    // Earlier problems only, in the reader's scope, above the calibrated precision; the
                    // document's own problems never (they are in this source).
                    let earlier =
                        duplicate == nil && offset < 200
                        ? try await similarity.search(
                            problem.text, unitID: source.unitID, sourceID: source.id, scope: caller.scope, limit: 1
                        ).first : nil
                    items.append(
                        Item(
                            index: offset, number: offset + 1, keep: duplicate == nil, merge: false, text: problem.text,
                            outline: problem.path.joined(separator: " / "), category: problem.category,
                            confidence: String(format: "%.0f%%", problem.confidence * 100),
                            measure: problem.measures.compactMap { measures[$0] }.joined(separator: "\n"),
                            start: problem.start, end: problem.end,
                            options: options(categories, selected: problem.category), duplicateOf: duplicate,
                            similar: earlier.map {
                                "\($0.match.number)（\($0.match.unitName)，\(SimilarView.tierLabel($0.tier))）："
                                    + SimilarView.precisionText($0.precision, tier: $0.tier)
                            }, similarLink: earlier.map { SiteRoute.problem.link($0.match.id) }))
                }
                let context = PreviewContext(
                    layout: Layout(title: "核对拟导入的问题", caller: caller, section: .sources), source: row,
                    title: document.title, kind: document.kind == .other ? "其他" : document.kind.rawValue,
                    removed: document.removed.map { "\($0.reason)：\(Text.excerpt($0.text, 40))" },
                    original: document.cleanedText, segments: pieces(document.cleanedText, items), items: items,
                    count: items.count, categories: options(categories, selected: ""), error: nil)
                return try await Pages.render(request, "document-preview", context)
            },
            Handler(
                .documentAccept, bodyLimit: ByteCount(value: DocumentReading.Limits.interactive.maxBytes + 1_048_576),
                target: { r, _ in try await sourceTarget(r) }
            ) { request, caller in
                let (source, row) = try await sourceRow(request)
                let form = FormInput(request)
                let count = min(max(0, Int(form["count"]) ?? 0), 5_000)
                let categories = try await store.categories()
                var items: [Item] = []
                for index in 0..<count {
                    let category = form["category_\(index)"]
                    items.append(
                        Item(
                            index: index, number: index + 1, keep: form["keep_\(index)"] == "on",
                            merge: form["merge_\(index)"] == "on", text: form.values["text_\(index)"] ?? "",
                            outline: form["outline_\(index)"], category: category,
                            confidence: form["confidence_\(index)"],
                            measure: form.values["measure_\(index)"] ?? "", start: Int(form["start_\(index)"]) ?? 0,
                            end: Int(form["end_\(index)"]) ?? 0, options: options(categories, selected: category),
                            duplicateOf: nil))
                }
                let unitName = try await store.unit(source.unitID).name
                let drafts = assemble(items)
                do {
                    guard !drafts.isEmpty else {
                        throw StoreError.invalid(field: "问题清单", message: "没有要导入的问题：请至少保留一条。")
                    }
                    // Measures written in the document become tasks, with the kind and 时限 the text states
                    // (「2024年3月底前」, 「长期坚持」, 「立行立改」), else due by the report deadline; who leads and
                    // carries them out is set afterwards, for many problems at once on the ledger page.
                    let batch = drafts.map { draft in
                        let terms = MeasureTerms.read(draft.measure, reference: source.feedbackDate)
                        return (
                            problem: NewProblem(
                                sourceID: source.id, text: draft.text, outlinePath: draft.outline,
                                categoryCode: draft.category),
                            tasks: draft.measure.isEmpty
                                ? []
                                : [
                                    TaskFields(
                                        measure: draft.measure, kind: terms.kind, leadUnit: unitName,
                                        deadline: terms.kind == .ongoing ? nil : terms.deadline ?? source.reportDue)
                                ]
                        )
                    }
                    let created = try await store.createProblems(batch, by: caller.actor)
                    request.logger.info("document imported", metadata: ["problems": "\(created.count)"])
                    return Pages.redirect(request, to: SiteRoute.source.link(source.id), notice: .created)
                } catch {
                    let original = form.values["original"] ?? ""
                    let context = PreviewContext(
                        layout: Layout(title: "核对拟导入的问题", caller: caller, section: .sources), source: row,
                        title: form["title"], kind: form["kind"], removed: [], original: original,
                        segments: pieces(original, items), items: items, count: items.count,
                        categories: options(categories, selected: ""), error: APIErrorMiddleware.describe(error).2)
                    return try await Pages.render(request, "document-preview", context, status: .unprocessableEntity)
                }
            },
        ]
    }

    /// Text compared for duplicates: no whitespace or punctuation, so a re-typed copy still matches.
    static func comparable(_ text: String) -> String {
        String(
            text.unicodeScalars.filter { CharacterSet.letters.contains($0) || CharacterSet.decimalDigits.contains($0) }
                .map(Character.init))
    }

    struct Draft {
        var text: String
        var outline: [String]
        var category: String
        var measure: String
    }

    /// Applies the reviewer's choices: dropped items go, an item marked "merge" joins the one kept before
    /// it, and a line holding only "//" splits an item in two (both keep its category and place).
    static func assemble(_ items: [Item]) -> [Draft] {
        var drafts: [Draft] = []
        for item in items where item.keep {
            let outline = item.outline.components(separatedBy: " / ").filter { !$0.isEmpty }
            let parts = item.text.components(separatedBy: "\n")
                .split { $0.trimmingCharacters(in: .whitespaces) == "//" }
                .map { $0.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines) }
                .filter { !$0.isEmpty }
            for (offset, part) in parts.enumerated() {
                if offset == 0 && item.merge, var last = drafts.popLast() {
                    last.text += part
                    if !item.measure.isEmpty { last.measure += (last.measure.isEmpty ? "" : "\n") + item.measure }
                    drafts.append(last)
                    continue
                }
                drafts.append(
                    Draft(
                        text: part, outline: outline, category: item.category,
                        measure: offset == 0 ? item.measure.trimmingCharacters(in: .whitespacesAndNewlines) : ""))
            }
        }
        return drafts
    }

    static func options(_ categories: [Category], selected: String) -> [LedgerPage.Option] {
        categories.map {
            LedgerPage.Option(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == selected)
        }
    }

    /// The original cut at the items' ranges (Unicode scalar offsets into the cleaned text), so the template
    /// can mark each proposed problem where it came from.
    static func pieces(_ text: String, _ items: [Item]) -> [Piece] {
        let scalars = Array(text.unicodeScalars)
        var owner = [Int?](repeating: nil, count: scalars.count)
        for item in items where item.start >= 0 && item.end <= scalars.count && item.start < item.end {
            for offset in item.start..<item.end { owner[offset] = item.number }
        }
        var result: [Piece] = []
        var start = 0
        while start < scalars.count {
            var end = start
            while end < scalars.count && owner[end] == owner[start] { end += 1 }
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[start..<end])
            result.append(Piece(text: String(piece), item: owner[start]))
            start = end
        }
        return result
    }
}
