public import Foundation
import SQLKit
public import ZhenggaiCore

extension Store {
    /// The rhythm settings that apply at a unit: those saved at the nearest unit above it (normally the
    /// county), or the defaults.
    public func rhythmSettings(at unitPath: String) async throws -> (settings: RhythmSettings, savedAt: UUID?) {
        let ancestors = unitPath.split(separator: "/").compactMap { UUID(uuidString: String($0)) }
        guard !ancestors.isEmpty else { return (RhythmSettings(), nil) }
        let rows = try await sql.raw(
            "SELECT unit_id, body FROM county_settings WHERE unit_id IN (\(binds: ancestors))"
        ).all()
        var saved: [UUID: String] = [:]
        for row in rows {
            saved[try row.decode(column: "unit_id", as: UUID.self)] = try row.decode(column: "body", as: String.self)
        }
        for id in ancestors.reversed() {
            if let body = saved[id] {
                // Fields added in later versions keep their defaults: decode over a default value.
                let settings = try Self.decodeSettings(body)
                return (settings, id)
            }
        }
        return (RhythmSettings(), nil)
    }

    static func decodeSettings(_ body: String) throws -> RhythmSettings {
        do {
            return try JSONDecoder().decode(RhythmSettings.self, from: Data(body.utf8))
        } catch {
            // Only a damaged row gets here (missing fields keep their defaults): said in the log, not hidden.
            throw StoreError.invalid(field: "节奏与提醒设置", message: "保存的设置无法读取，请管理员重新保存。")
        }
    }

    /// Saves a county's settings, checked, with the change in the audit log.
    public func saveRhythmSettings(_ settings: RhythmSettings, at unitID: UUID, by actor: AuditActor) async throws {
        let checked: RhythmSettings
        do {
            checked = try settings.validated()
        } catch {
            throw StoreError.invalid(field: "设置", message: error.description)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = String(decoding: try encoder.encode(checked), as: UTF8.self)
        try await write(actor) { tx in
            guard let unit = try await UnitModel.find(unitID, on: tx.db) else { throw StoreError.notFound(what: "单位") }
            let before = try await tx.sql.raw("SELECT body FROM county_settings WHERE unit_id = \(bind: unitID)")
                .first()
                .map { try $0.decode(column: "body", as: String.self) }
            try await tx.sql.raw(
                """
                INSERT INTO county_settings (unit_id, body, updated_at) VALUES (\(bind: unitID), \(bind: body), \(bind: tx.now.timeIntervalSince1970))
                ON CONFLICT (unit_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
                """
            ).run()
            try await tx.record(
                "settings.rhythm", entity: "unit", id: unitID.uuidString, unitPath: unit.path,
                before: try before.map(Self.decodeSettings), after: checked)
        }
    }
}
