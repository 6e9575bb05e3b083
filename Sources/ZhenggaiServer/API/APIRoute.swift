import Vapor
public import ZhenggaiCore
import ZhenggaiServices

/// Every JSON route, in one table: registration, the authorization matrix test and the OpenAPI check all
/// read it, so a route cannot exist without an action that says who may call it.
public enum APIRoute: String, CaseIterable, Sendable {
    case login, logout, me
    case listUnits, createUnit, getUnit
    case listUsers, createUser, getUser
    case listCategories, saveCategory
    case listSources, createSource, getSource
    case createProblem, getProblem, updateProblem, problemTrail
    case createTask, getTask, updateTask, completeTask, addProgress
    case uploadEvidence, downloadEvidence
    case requestClosure, firstReview, secondReview, reopen
    case ledger, counts, auditLog

    var method: HTTPMethod {
        switch self {
        case .listUnits, .getUnit, .listUsers, .getUser, .listCategories, .listSources, .getSource, .getProblem,
            .problemTrail, .getTask, .downloadEvidence, .ledger, .counts, .auditLog, .me:
            .GET
        case .updateProblem: .PATCH
        case .updateTask, .saveCategory: .PUT
        default: .POST
        }
    }

    /// The path as OpenAPI writes it; `:name` segments for Vapor are derived from it.
    public var path: String {
        switch self {
        case .login: "/api/v1/login"
        case .logout: "/api/v1/logout"
        case .me: "/api/v1/me"
        case .listUnits, .createUnit: "/api/v1/units"
        case .getUnit: "/api/v1/units/{unitID}"
        case .listUsers, .createUser: "/api/v1/users"
        case .getUser: "/api/v1/users/{userID}"
        case .listCategories: "/api/v1/categories"
        case .saveCategory: "/api/v1/categories/{code}"
        case .listSources, .createSource: "/api/v1/sources"
        case .getSource: "/api/v1/sources/{sourceID}"
        case .createProblem: "/api/v1/problems"
        case .getProblem, .updateProblem: "/api/v1/problems/{problemID}"
        case .problemTrail: "/api/v1/problems/{problemID}/audit"
        case .createTask: "/api/v1/problems/{problemID}/tasks"
        case .getTask, .updateTask: "/api/v1/tasks/{taskID}"
        case .completeTask: "/api/v1/tasks/{taskID}/complete"
        case .addProgress: "/api/v1/tasks/{taskID}/progress"
        case .uploadEvidence: "/api/v1/problems/{problemID}/evidence"
        case .downloadEvidence: "/api/v1/evidence/{evidenceID}"
        case .requestClosure: "/api/v1/problems/{problemID}/closure"
        case .firstReview: "/api/v1/problems/{problemID}/closure/first-review"
        case .secondReview: "/api/v1/problems/{problemID}/closure/second-review"
        case .reopen: "/api/v1/problems/{problemID}/reopen"
        case .ledger: "/api/v1/ledger"
        case .counts: "/api/v1/counts"
        case .auditLog: "/api/v1/audit"
        }
    }

    /// What the route does, for the one authorization check. Nil: no login needed (login itself) or
    /// any logged-in user (their own session).
    public var action: Action? {
        switch self {
        case .login, .logout, .me: nil
        case .listUnits, .getUnit, .listCategories, .listSources, .getSource, .getProblem, .problemTrail, .getTask,
            .downloadEvidence, .ledger, .counts:
            .read
        case .createUnit: .manageUnits
        case .listUsers, .createUser, .getUser: .manageUsers
        case .saveCategory: .editCategories
        case .createSource: .createSource
        case .createProblem, .updateProblem: .editProblem
        case .createTask: .createTask
        case .updateTask, .completeTask: .editTask
        case .addProgress: .addProgress
        case .uploadEvidence: .uploadEvidence
        case .requestClosure: .requestClosure
        case .firstReview: .firstReview
        case .secondReview: .secondReview
        case .reopen: .reopen
        case .auditLog: .readAuditLog
        }
    }

    public var requiresLogin: Bool { self != .login }

    var vaporPath: [PathComponent] {
        path.split(separator: "/").map { segment in
            segment.hasPrefix("{") ? .parameter(String(segment.dropFirst().dropLast())) : .constant(String(segment))
        }
    }
}
