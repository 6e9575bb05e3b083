public import Foundation
public import ZhenggaiCore
public import ZhenggaiStore

/// Issuing a 督办 or recording a 约谈, and telling the pressed unit at once when the county wants it (the
/// group robots within minutes, at the reminder job's next run; the inbox immediately).
public enum Pressings {
    public static func issue(_ new: NewPressing, store: Store, by actor: AuditActor, publicURL: String?) async throws
        -> Pressing
    {
        let press = try await store.createPressing(new, by: actor)
        let settings = try await store.rhythmSettings(at: press.unitPath).settings
        guard settings.immediateForPressing else { return press }
        let subject =
            press.appealNumber.map { "群众诉求 \($0)" } ?? press.problemNumber.map { "问题 \($0)" }
            ?? press.personName.map { "\($0)同志" } ?? press.unitName
        let title = "\(press.kind.label)：\(subject)"
        let due = press.answerDue.map { "，请于\($0.chinese)前反馈" } ?? ""
        let body = "\(press.issuedByName)\(press.kind.label)\(subject)：\(press.text)\(due)"
        // The problem page's address (the web layer's route table is not visible here; the path is stable).
        let link =
            press.appealID.map { "/appeals/\($0.uuidString)" } ?? press.problemID.map { "/problems/\($0.uuidString)" }
            ?? "/"
        // Whoever answers for the unit: its secretaries and clerks (nearest unit that has them), and the
        // pressed leader.
        let grants = try await store.activeGrants()
        var people = Set<UUID>()
        for role in [Role.secretary, .clerk] {
            let holders = grants.filter { $0.role == role && press.unitPath.hasPrefix($0.unitPath) }
            if let deepest = holders.map(\.unitPath.count).max() {
                people.formUnion(holders.filter { $0.unitPath.count == deepest }.map(\.userID))
            }
        }
        if let personID = press.personID, let userID = try await store.person(personID).userID { people.insert(userID) }
        for person in people {
            try await store.notify(
                userID: person, day: press.issuedOn, kind: "pressing", title: title, body: body, link: link,
                dedupeKey: "press:\(press.id.uuidString):\(person.uuidString)")
        }
        for channel in try await store.channels(in: .everything)
        where channel.active && press.unitPath.hasPrefix(channel.unitPath) {
            let url = publicURL.map { "\($0)\(link)" }
            let text = RobotMessage.fit(
                header: ["### \(title)", "> \(press.issuedByName) \(press.issuedOn.chinese)"],
                items: [press.text + due], footer: url.map { ["[查看](\($0))"] } ?? [])
            try await store.enqueueDelivery(
                channelID: channel.id, dedupeKey: "press:\(press.id.uuidString)",
                payload: RobotMessage.payload(kind: channel.kind, title: title, text: text))
        }
        return press
    }
}
