import Crypto
import Foundation
import ZhenggaiCore

/// The audit log is a hash chain: each entry's hash covers its content and the previous entry's hash,
/// so changing, removing or reordering any row breaks every hash after it.
public enum AuditChain {
    static let genesis = String(repeating: "0", count: 64)

    static func hash(
        seq: Int, at: String, actorID: UUID?, actorName: String, action: String, entity: String, entityID: String,
        unitPath: String?, before: String?, after: String?, prevHash: String
    ) -> String {
        // Fields joined by the ASCII unit separator, which user text cannot smuggle in unnoticed:
        // every field is also length-prefixed.
        let fields = [
            String(seq), at, actorID?.uuidString ?? "", actorName, action, entity, entityID, unitPath ?? "",
            before ?? "", after ?? "", prevHash,
        ]
        var bytes = [UInt8]()
        for field in fields {
            let utf8 = Array(field.utf8)
            bytes.append(contentsOf: Array(String(utf8.count).utf8))
            bytes.append(0x1F)
            bytes.append(contentsOf: utf8)
            bytes.append(0x1E)
        }
        return SHA256.hash(data: bytes).hexString
    }

    static func hash(of entry: AuditEntryModel) -> String {
        hash(
            seq: entry.id ?? -1, at: entry.at, actorID: entry.actorID, actorName: entry.actorName,
            action: entry.action, entity: entry.entity, entityID: entry.entityID, unitPath: entry.unitPath,
            before: entry.before, after: entry.after, prevHash: entry.prevHash)
    }
}

/// What `audit verify` found.
public struct AuditVerification: Sendable, CustomStringConvertible {
    public var entriesChecked: Int
    public var firstBroken: Int?
    public var problem: String?

    public var isIntact: Bool { firstBroken == nil && problem == nil }

    public var description: String {
        if isIntact { return "审计日志完整：共 \(entriesChecked) 条，哈希链校验通过。" }
        if let seq = firstBroken { return "审计日志被篡改：第 \(seq) 条记录校验失败（\(problem ?? "")）。" }
        return "审计日志被篡改：\(problem ?? "")"
    }
}
