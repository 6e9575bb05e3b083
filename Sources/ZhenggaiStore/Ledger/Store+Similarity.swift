import FluentKit
public import Foundation
import SQLKit
public import ZhenggaiCore

/// A problem as the similarity index sees it. `sequence` is the audit entry that last wrote its text, so the
/// audit log doubles as the change feed every app server reads to catch up with the others.
public struct IndexedProblem: Sendable {
    public var id: UUID
    public var unitID: UUID
    /// The document it came from: problems of one document are never suggested for each other.
    public var sourceID: UUID
    public var date: Date
    public var text: String
    public var sequence: UInt64
}

public struct SimilarityDecision: Codable, Sendable {
    public var problemID: UUID
    public var matchID: UUID
    public var score: Double
    public var recurrence: Bool
    public var confirmed: Bool
    public var decidedBy: String
    public var decidedAt: Date
}

extension Store {
    static let textActions = ["problem.create", "problem.update"]

    /// The last audit sequence: a watermark meaning "everything up to here is in the index".
    public func changeWatermark() async throws -> UInt64 {
        UInt64(try await AuditHeadModel.find(1, on: db)?.seq ?? 0)
    }

    /// Every problem, for building the index at start, each with the audit sequence that last wrote its text,
    /// oldest first (the index wants rising sequences).
    public func allProblemsForIndex() async throws -> [IndexedProblem] {
        struct Latest: Decodable {
            var entityID: String
            var seq: Int
            enum CodingKeys: String, CodingKey {
                case entityID = "entity_id"
                case seq
            }
        }
        let latest = try await sql.select()
            .column("entity_id").column(SQLFunction("MAX", args: SQLIdentifier("seq")), as: "seq")
            .from("audit_entries")
            .where("action", .in, Self.textActions)
            .groupBy("entity_id")
            .all(decoding: Latest.self)
        var sequences: [UUID: UInt64] = [:]
        sequences.reserveCapacity(latest.count)
        for row in latest {
            if let id = UUID(uuidString: row.entityID) { sequences[id] = UInt64(row.seq) }
        }
        var result: [IndexedProblem] = []
        result.reserveCapacity(sequences.count)
        var lastID: UUID?
        // Pages by id, so a million problems never sit in one result set; SQL rows, not Fluent models,
        // because a model per row costs reflection that a million rows make slow.
        while true {
            var select = sql.select().columns("id", "unit_id", "source_id", "text", "created_at").from("problems")
                .orderBy("id").limit(10_000)
            if let lastID { select = select.where("id", .greaterThan, lastID) }
            let page = try await select.all()
            for row in page {
                let id = try row.decode(column: "id", as: UUID.self)
                guard let sequence = sequences[id] else { continue }
                result.append(
                    IndexedProblem(
                        id: id, unitID: try row.decode(column: "unit_id", as: UUID.self),
                        sourceID: try row.decode(column: "source_id", as: UUID.self),
                        date: try row.decode(column: "created_at", as: Date.self),
                        text: try row.decode(column: "text", as: String.self), sequence: sequence))
            }
            guard page.count == 10_000, let last = page.last else { break }
            lastID = try last.decode(column: "id", as: UUID.self)
        }
        return result.sorted { $0.sequence < $1.sequence }
    }

    /// Problems whose text was written after `watermark` (by this server or any other), oldest first.
    public func problemChanges(after watermark: UInt64, limit: Int = 5_000) async throws -> [IndexedProblem] {
        let entries = try await AuditEntryModel.query(on: db)
            .filter(\.$id > Int(watermark)).filter(\.$action ~~ Self.textActions)
            .sort(\.$id).limit(limit).all()
        guard !entries.isEmpty else { return [] }
        var latest: [UUID: UInt64] = [:]
        for entry in entries {
            if let id = UUID(uuidString: entry.entityID) { latest[id] = UInt64(entry.id ?? 0) }
        }
        let models = try await ProblemModel.query(on: db).filter(\.$id ~~ Array(latest.keys)).all()
        return models.compactMap { model in
            guard let sequence = latest[model.id!] else { return nil }
            return IndexedProblem(
                id: model.id!, unitID: model.unitID, sourceID: model.sourceID, date: model.createdAt, text: model.text,
                sequence: sequence)
        }.sorted { $0.sequence < $1.sequence }
    }

    /// The audit sequence at which a problem was entered: matches must be older than this.
    public func creationSequence(of problemID: UUID) async throws -> UInt64? {
        try await AuditEntryModel.query(on: db).filter(\.$entity == "problem")
            .filter(\.$entityID == problemID.uuidString).filter(\.$action == "problem.create").first()
            .flatMap { $0.id.map(UInt64.init) }
    }

    /// Problems by id, leaving out withdrawn ones (a suggestion never points at an entry made by mistake).
    public func problems(_ ids: [UUID]) async throws -> [Problem] {
        guard !ids.isEmpty else { return [] }
        let models = try await ProblemModel.query(on: db).filter(\.$id ~~ ids).filter(\.$withdrawnAt == nil).all()
        let names = try await unitNames(Set(models.map(\.unitID)))
        let byID = Dictionary(
            uniqueKeysWithValues: models.map { ($0.id!, Self.problem($0, unitName: names[$0.unitID] ?? "")) })
        return ids.compactMap { byID[$0] }
    }

    public func sourcesByID(_ ids: Set<UUID>) async throws -> [UUID: Source] {
        guard !ids.isEmpty else { return [:] }
        let models = try await SourceModel.query(on: db).filter(\.$id ~~ Array(ids)).all()
        let names = try await unitNames(Set(models.map(\.unitID)))
        return Dictionary(
            uniqueKeysWithValues: models.map { ($0.id!, Self.source($0, unitName: names[$0.unitID] ?? "")) })
    }

    public func similarityDecisions(of problemID: UUID) async throws -> [SimilarityDecision] {
        let models = try await SimilarityDecisionModel.query(on: db).filter(\.$problemID == problemID)
            .sort(\.$decidedAt).all()
        let names = try await userNames(Set(models.map(\.decidedBy)))
        return models.map {
            SimilarityDecision(
                problemID: $0.problemID, matchID: $0.matchID, score: $0.score, recurrence: $0.recurrence,
                confirmed: $0.decision == "confirmed", decidedBy: names[$0.decidedBy] ?? "", decidedAt: $0.decidedAt)
        }
    }

    /// A person's decision on a suggested match. Confirming a recurrence (a closed problem of the same unit
    /// came back) files the new problem under D4 屡改屡犯 and marks the old closure as relapsed.
    public func decideSimilarity(
        problemID: UUID, matchID: UUID, score: Double, confirm: Bool, by actor: AuditActor
    ) async throws -> SimilarityDecision {
        guard let actorID = actor.id else { throw StoreError.invalid(field: "操作人", message: "须由具名用户操作。") }
        guard problemID != matchID else { throw StoreError.invalid(field: "相似问题", message: "不能与自身比对。") }
        return try await write(actor) { tx in
            let problem = try await Self.problemModel(problemID, on: tx.db)
            let match = try await Self.problemModel(matchID, on: tx.db)
            let matchStatus = ProblemStatus(rawValue: match.status) ?? .open
            let recurrence =
                match.unitID == problem.unitID && (matchStatus == .closed || matchStatus == .stageCompleted)
            let existing = try await SimilarityDecisionModel.query(on: tx.db).filter(\.$problemID == problemID)
                .filter(\.$matchID == matchID).first()
            let model = existing ?? SimilarityDecisionModel()
            let before = existing.map { $0.decision }
            if existing == nil {
                model.id = self.ids.next()
                model.problemID = problemID
                model.matchID = matchID
            }
            model.score = score
            model.recurrence = recurrence
            model.decision = confirm ? "confirmed" : "dismissed"
            model.decidedBy = actorID
            model.decidedAt = tx.now
            try await model.save(on: tx.db)
            let decision = SimilarityDecision(
                problemID: problemID, matchID: matchID, score: score, recurrence: recurrence, confirmed: confirm,
                decidedBy: actor.name, decidedAt: tx.now)
            try await tx.record(
                confirm ? "similarity.confirm" : "similarity.dismiss", entity: "problem", id: problemID.uuidString,
                unitPath: problem.unitPath, before: before, after: decision)
            if confirm && recurrence {
                let unitName = try await UnitModel.find(problem.unitID, on: tx.db)?.name ?? ""
                let problemBefore = Self.problem(problem, unitName: unitName)
                problem.categoryCode = "D4"
                problem.version += 1
                problem.updatedAt = tx.now
                try await problem.save(on: tx.db)
                try await tx.record(
                    "problem.update", entity: "problem", id: problemID.uuidString, unitPath: problem.unitPath,
                    before: problemBefore, after: Self.problem(problem, unitName: unitName))
                let matchBefore = Self.problem(match, unitName: unitName)
                match.relapsedBy = problemID
                match.updatedAt = tx.now
                try await match.save(on: tx.db)
                try await tx.record(
                    "problem.relapse", entity: "problem", id: matchID.uuidString, unitPath: match.unitPath,
                    before: matchBefore, after: Self.problem(match, unitName: unitName))
            }
            return decision
        }
    }
}

public struct ClusterCandidate: Sendable {
    public var id: UUID
    public var unitID: UUID
    public var round: String
    public var date: Date
    public var text: String
}

extension Store {
    /// Problems in scope since a date, with the source they came from as their "round".
    public func clusterCandidates(_ filter: LedgerFilter, since: Date?) async throws -> [ClusterCandidate] {
        let query = try await filtered(filter).field(\.$id).field(\.$unitID).field(\.$sourceID).field(\.$text).field(
            \.$createdAt)
        if let since { query.filter(\.$createdAt >= since) }
        let models = try await query.sort(\.$createdAt).sort(\.$id).limit(200_000).all()
        let sources = try await sourcesByID(Set(models.map(\.sourceID)))
        return models.map {
            let source = sources[$0.sourceID]
            let round = source.map { s in s.round.map { "\(s.issuer)第\($0)轮" } ?? s.title } ?? ""
            return ClusterCandidate(id: $0.id!, unitID: $0.unitID, round: round, date: $0.createdAt, text: $0.text)
        }
    }
}
