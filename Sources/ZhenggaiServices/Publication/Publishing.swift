public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// Publication is an act: a clerk prepares a version of a source (or of one unit's part of it) — which items,
/// which words, which are exempt and why — the secretary approves it, and only then does it go out, as a
/// numbered version that never changes afterwards. Redaction runs before anything is stored for the public.
public enum Publishing {
    public struct Request: Sendable {
        public var sourceID: UUID
        /// One unit's part of the source (its subtree); nil: the whole source.
        public var unitID: UUID?
        public var exemptions: [UUID: (ground: ExemptionGround, reason: String)]
        /// Words approved for publication in place of the verbatim text, per problem.
        public var summaries: [UUID: String]

        public init(
            sourceID: UUID, unitID: UUID? = nil, exemptions: [UUID: (ground: ExemptionGround, reason: String)] = [:],
            summaries: [UUID: String] = [:]
        ) {
            self.sourceID = sourceID
            self.unitID = unitID
            self.exemptions = exemptions
            self.summaries = summaries
        }
    }

    /// Everyone the system knows by name, wherever they are: a name masked by mistake costs less than one
    /// that leaks.
    public static func redactor(store: Store) async throws -> Redactor {
        Redactor(names: try await store.knownNames())
    }

    /// The version as it would go out, with what was masked and what to check; stored as a draft.
    public static func prepare(_ request: Request, store: Store, by actor: AuditActor) async throws -> Publication {
        let source = try await store.source(request.sourceID)
        let unit = try await store.unit(request.unitID ?? source.unitID)
        let sourceUnit = try await store.unit(source.unitID)
        guard unit.path.hasPrefix(sourceUnit.path) else {
            throw StoreError.invalid(field: "单位", message: "只能公开该来源所针对的单位或其下属单位的部分。")
        }
        for (_, exemption) in request.exemptions where exemption.reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw StoreError.invalid(field: "不予公开的理由", message: "每一项不予公开都须写明内部理由。")
        }
        let today = store.clock.today()
        let rows = try await store.ledger(
            LedgerFilter(scope: Scope(subtree: unit.path), sourceID: source.id),
            paging: try Paging(perPage: 5_000, maximumPerPage: 5_000),
            today: today
        ).rows
        let redactor = try await redactor(store: store)
        var items: [PublishedItem] = []
        var internalNotes = PublicationInternal()
        for row in rows {
            let problem = row.problem
            if let exemption = request.exemptions[problem.id] {
                internalNotes.exemptions.append(
                    .init(
                        problemID: problem.id, number: problem.number, ground: exemption.ground,
                        reason: exemption.reason))
                continue
            }
            let words = request.summaries[problem.id]?.trimmingCharacters(in: .whitespacesAndNewlines)
            let text = redactor.redact(words?.isEmpty == false ? words! : problem.text, context: "问题 \(problem.number)")
            var measures: [String] = []
            for task in row.tasks {
                let measure = redactor.redact(task.measure, context: "问题 \(problem.number) 的整改措施")
                measures.append(measure.text)
                internalNotes.masked += measure.masked
                internalNotes.toCheck += measure.toCheck
            }
            internalNotes.masked += text.masked
            internalNotes.toCheck += text.toCheck
            items.append(
                PublishedItem(
                    problemID: problem.id, number: problem.number, text: text.text, measures: measures,
                    status: problem.completion.label(for: row.sourceKind), completion: problem.completion))
        }
        let content = PublicationContent(
            title: "\(unit.name)关于\(source.title)整改进展情况的公示", unitName: unit.name, sourceTitle: source.title,
            issuer: source.issuer, feedbackDate: source.feedbackDate, asOf: today, items: items)
        return try await store.createPublicationDraft(
            sourceID: source.id, unitID: unit.id, content: content, internalNotes: internalNotes, by: actor)
    }

    /// The rating period a day falls in: the quarter (「每季度开展1次整改成效群众评价」).
    public static func ratingPeriod(_ day: LocalDate) -> String {
        "\(day.year)-Q\((day.month - 1) / 3 + 1)"
    }

    /// The first day of a rating period 「2026-Q4」, or nil when the text is not one.
    public static func firstDay(ofRatingPeriod period: String) -> LocalDate? {
        let parts = period.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].count == 2,
            parts[1].first == "Q", let quarter = Int(parts[1].dropFirst()), (1...4).contains(quarter)
        else { return nil }
        return LocalDate(year: year, month: quarter * 3 - 2, day: 1)
    }

    public static func periodLabel(_ period: String) -> String {
        let parts = period.split(separator: "-")
        guard parts.count == 2, let quarter = Int(parts[1].dropFirst()) else { return period }
        return "\(parts[0])年第\(["一", "二", "三", "四"][max(0, min(3, quarter - 1))])季度"
    }

    /// This quarter's ratings of one problem, across every version that published it.
    public static func ratings(of problemID: UUID, store: Store) async throws -> RatingSummary {
        let period = ratingPeriod(store.clock.today())
        return try await store.ratingSummaries(items: [problemID.uuidString], period: period)[problemID.uuidString]
            ?? RatingSummary()
    }

    /// The county's rule on the public's ratings, applied before a second review.
    public static func ratingBlock(for problem: Problem, store: Store) async throws -> String? {
        let rules = try await store.rhythmSettings(at: problem.unitPath).settings
        return rules.ratingBlock(try await ratings(of: problem.id, store: store))
    }

    /// A resident's rating (this quarter's period). When the county wants it, a closed item whose ratings
    /// now fail the rule is reopened for 二次整改 with the ratings as the reason; two ratings arriving at
    /// once reopen it once (the reopening checks the status inside its write).
    public static func rate(
        publicationID: UUID, item: String, code: String, level: RatingLevel, reason: String, address: String,
        store: Store
    ) async throws -> Result<Void, Store.RatingRefusal> {
        let result = try await store.rate(
            publicationID: publicationID, item: item, period: ratingPeriod(store.clock.today()), code: code,
            level: level, reason: reason, address: address)
        guard case .success = result, let problemID = UUID(uuidString: item) else { return result }
        let problem = try await store.problem(problemID)
        guard problem.status == .closed else { return result }
        let rules = try await store.rhythmSettings(at: problem.unitPath).settings
        guard rules.ratingReopensClosed, let why = rules.ratingBlock(try await ratings(of: problemID, store: store))
        else { return result }
        do {
            let actor = try await store.systemActor(username: "system-ratings", name: "群众评价")
            _ = try await store.reopen(problemID: problemID, reason: "群众评价：\(why)", by: actor)
        } catch StoreError.workflow {
            // Reopened by the rating that arrived a moment earlier, or no longer closed.
        }
        return result
    }
}

/// Approving a review, with the public's ratings heard: where the county's rule says the ratings are too
/// poor, the second review is refused with the ratings as the reason (二次整改).
public enum Reviewing {
    public static func approve(problemID: UUID, stage: ClosureWorkflow.Stage, store: Store, by actor: AuditActor)
        async throws -> Problem
    {
        if stage == .second,
            let reason = try await Publishing.ratingBlock(for: try await store.problem(problemID), store: store)
        {
            throw StoreError.invalid(field: "群众评价", message: reason)
        }
        let approved = try await store.approveClosure(problemID: problemID, stage: stage, by: actor)
        // A problem brought up by appeals answers them when it is closed.
        if approved.status == .closed { try await AppealDesk.problemClosed(approved, store: store, by: actor) }
        return approved
    }
}
