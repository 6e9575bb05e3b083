public import Foundation

/// An appeal from the public (群众诉求), through the loop of 国办发〔2020〕53号 (DOMAIN.md §6):
/// 受理 → 派单 → 办理 → 答复 → 办结 → 回访, with 不予受理, 派单异议, 并单 and reopening beside it.
public struct Appeal: Sendable, Equatable, Codable {
    public enum Channel: String, Codable, Sendable, CaseIterable {
        case phone, wechat, walkIn, online, transfer

        public var label: String {
            switch self {
            case .phone: "电话"
            case .wechat: "微信群"
            case .walkIn: "现场"
            case .online: "网上"
            case .transfer: "转办"
            }
        }
    }

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case consultation, help, suggestion, complaint, report

        public var label: String {
            switch self {
            case .consultation: "咨询"
            case .help: "求助"
            case .suggestion: "建议"
            case .complaint: "投诉"
            case .report: "举报"
            }
        }
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Registered, waiting to be dispatched.
        case registered
        /// Not accepted, with the reason told to the person.
        case rejected
        /// Sent to a department.
        case dispatched
        /// The department says it is not theirs; the dispatcher decides.
        case disputed
        /// Answered to the person; waiting to be closed.
        case answered
        /// 办结.
        case closed
        /// Merged into another appeal (并单): handled there.
        case merged

        public var label: String {
            switch self {
            case .registered: "待派单"
            case .rejected: "不予受理"
            case .dispatched: "办理中"
            case .disputed: "派单异议"
            case .answered: "已答复"
            case .closed: "已办结"
            case .merged: "已并单"
            }
        }

        /// Open311's two states: everything not finished is open.
        public var isOpen: Bool { self != .closed && self != .rejected && self != .merged }
    }

    public var id: UUID
    public var number: String
    public var channel: Channel
    public var kind: Kind
    public var urgent: Bool
    public var category: String
    /// Where: the village or community (a unit), and the place as the person said it.
    public var areaID: UUID
    public var areaPath: String
    public var areaName: String
    public var place: String
    public var text: String
    /// Internal only: never on a public page, a report or an Open311 answer.
    public var personName: String
    public var personPhone: String
    public var status: Status
    public var departmentID: UUID?
    public var departmentName: String?
    public var receivedAt: Date
    public var dispatchedAt: Date?
    /// The day the answer is due, in working days from dispatch by kind.
    public var dueOn: LocalDate?
    public var answeredAt: Date?
    public var answer: String?
    public var closedAt: Date?
    public var rejectReason: String?
    public var disputeReason: String?
    public var satisfaction: Int?
    public var satisfactionReason: String?
    public var mergedInto: UUID?
    public var problemID: UUID?
    public var latitude: Double?
    public var longitude: Double?
    /// Open311: the token a client polls until the request has an id.
    public var token: String?
    public var reopened: Int
    public var version: Int

    public init(
        id: UUID, number: String, channel: Channel, kind: Kind, urgent: Bool, category: String, areaID: UUID,
        areaPath: String, areaName: String, place: String, text: String, personName: String, personPhone: String,
        status: Status, departmentID: UUID?, departmentName: String?, receivedAt: Date, dispatchedAt: Date?,
        dueOn: LocalDate?, answeredAt: Date?, answer: String?, closedAt: Date?, rejectReason: String?,
        disputeReason: String?, satisfaction: Int?, satisfactionReason: String?, mergedInto: UUID?, problemID: UUID?,
        latitude: Double?, longitude: Double?, token: String?, reopened: Int, version: Int
    ) {
        self.id = id
        self.number = number
        self.channel = channel
        self.kind = kind
        self.urgent = urgent
        self.category = category
        self.areaID = areaID
        self.areaPath = areaPath
        self.areaName = areaName
        self.place = place
        self.text = text
        self.personName = personName
        self.personPhone = personPhone
        self.status = status
        self.departmentID = departmentID
        self.departmentName = departmentName
        self.receivedAt = receivedAt
        self.dispatchedAt = dispatchedAt
        self.dueOn = dueOn
        self.answeredAt = answeredAt
        self.answer = answer
        self.closedAt = closedAt
        self.rejectReason = rejectReason
        self.disputeReason = disputeReason
        self.satisfaction = satisfaction
        self.satisfactionReason = satisfactionReason
        self.mergedInto = mergedInto
        self.problemID = problemID
        self.latitude = latitude
        self.longitude = longitude
        self.token = token
        self.reopened = reopened
        self.version = version
    }
}

/// A category of appeal (an Open311 service) and where it goes by default.
public struct AppealCategory: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public var description: String
    public var keywords: String
    public var group: String

    public init(code: String, name: String, description: String, keywords: String, group: String) {
        self.code = code
        self.name = name
        self.description = description
        self.keywords = keywords
        self.group = group
    }
}

/// Time limits of the loop, in working days (DOMAIN.md §6, one province's defaults; a county sets its own).
public struct AppealLimits: Codable, Sendable, Equatable {
    public var dispatch = 1
    public var consultation = 2
    public var help = 10
    public var suggestion = 10
    public var complaint = 15
    public var report = 15
    /// An urgent appeal is answered the same working day.
    public var urgent = 0

    public init() {}

    public func days(for kind: Appeal.Kind, urgent isUrgent: Bool) -> Int {
        if isUrgent { return urgent }
        switch kind {
        case .consultation: return consultation
        case .help: return help
        case .suggestion: return suggestion
        case .complaint: return complaint
        case .report: return report
        }
    }
}

/// A file kept with an appeal: what the person brought at 受理 (a photo, a letter), or the department's
/// evidence of the handling. Internal like the person's name: never on a public page or in an Open311 answer.
public struct AppealFile: Sendable, Equatable, Codable {
    public enum Stage: String, Codable, Sendable, CaseIterable {
        case register, handling

        public var label: String {
            switch self {
            case .register: "受理材料"
            case .handling: "办理佐证"
            }
        }
    }

    public var id: UUID
    public var appealID: UUID
    public var stage: Stage
    public var fileName: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var uploadedBy: String
    public var uploadedAt: Date

    public init(
        id: UUID, appealID: UUID, stage: Stage, fileName: String, contentType: String, size: Int, sha256: String,
        uploadedBy: String, uploadedAt: Date
    ) {
        self.id = id
        self.appealID = appealID
        self.stage = stage
        self.fileName = fileName
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}

/// A department that assists (协办) with an appeal another department leads (首接负责制: the lead answers for
/// it to the person; the assisting ones report what they did).
public struct AppealAssist: Sendable, Equatable, Codable {
    public var departmentID: UUID
    public var departmentName: String
    public var departmentPath: String

    public init(departmentID: UUID, departmentName: String, departmentPath: String) {
        self.departmentID = departmentID
        self.departmentName = departmentName
        self.departmentPath = departmentPath
    }
}
