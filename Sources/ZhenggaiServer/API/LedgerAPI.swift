import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The JSON API. Each endpoint first names where its action lands (the target) and only then, after the
/// gate in `register`, does the work.
struct LedgerAPI {
    let store: Store
    let settings: AppConfiguration
    /// The ledger and counts as JSON, kept under the change stamp: the same page asked again costs no query.
    let answers = StampedCache<LedgerKey, ByteBuffer>()

    struct Login: Codable {
        var username: String
        var password: String
    }
    struct NewUnit: Codable {
        var name: String
        var kind: UnitKind
        var parentID: UUID?
    }
    struct NewUser: Codable {
        var username: String
        var displayName: String
        var password: String
        var grants: [NewGrant]
    }
    struct Versioned<T: Codable>: Codable {
        var version: Int
        var fields: T
    }
    struct ProblemEdit: Codable {
        var version: Int
        var text: String?
        var categoryCode: String?
        var outlinePath: [String]?
    }
    struct TaskEdit: Codable {
        var version: Int
        var measure: String
        var kind: RectificationKind
        var leaderID: UUID?
        var leadUnit: String
        var supportingUnits: String?
        var assignee: String
        var deadline: LocalDate?
        var fields: TaskFields {
            TaskFields(
                measure: measure, kind: kind, leaderID: leaderID, leadUnit: leadUnit, supportingUnits: supportingUnits,
                assignee: assignee, deadline: deadline)
        }
    }
    struct VersionOnly: Codable { var version: Int }
    struct NewProgress: Codable {
        var date: LocalDate?
        var text: String
    }
    struct Statement: Codable { var statement: String }
    struct PasswordChange: Codable {
        var current: String
        var new: String
    }
    struct Review: Codable {
        var decision: Decision
        var reason: String?
        enum Decision: String, Codable { case approve, `return` }
    }
    struct Reason: Codable { var reason: String }
    struct Upload: Content {
        var file: File
        var taskID: UUID?
    }

    func handlers() -> [Handler] {
        [Handler(open: .apiLogin) { request, _ in try await login(request) }] + endpoints()
    }

    // MARK: Targets: where an action lands

    var accounts: Accounts { Accounts(store: store, bcryptCost: settings.bcryptCost) }

    /// A user is managed where all their roles are: an admin whose subtree holds only some of them may not.
    @Sendable func userTarget(_ request: Request, _ caller: Caller) async throws -> AccessTarget {
        let user = try await store.user(try request.id("userID"))
        try Accounts.check(caller.principal, mayManage: user)
        return AccessTarget(unitPath: user.grants.first?.unitPath ?? "/")
    }

    func unitTarget(_ id: UUID) async throws -> AccessTarget { try await store.accessTarget(unit: id) }
    func problemTarget(_ id: UUID) async throws -> AccessTarget { try await store.accessTarget(problem: id) }
    func taskTarget(_ id: UUID) async throws -> AccessTarget { try await store.accessTarget(task: id) }

    func endpoints() -> [Handler] {
        let anywhere: @Sendable (Request, Caller) async throws -> AccessTarget = { _, _ in .anywhere }
        return [
            Handler(.apiLogout, target: anywhere) { request, _ in
                try await Self.endSessions(request, store: store)
                let response = try Response.json(OKRecord())
                response.cookies[SessionCookie.name] = Self.expiredCookie
                return response
            },
            Handler(.apiMe, target: anywhere) { _, caller in try .json(UserRecord(caller.user)) },

            // Units
            Handler(.apiListUnits, target: anywhere) { _, caller in
                try .json(try await store.units(in: caller.scope).map(UnitRecord.init))
            },
            Handler(.apiCreateUnit) { request, _ in
                // A county (no parent) is set up from the command line, never through the API.
                let new = try request.decode(NewUnit.self)
                guard let parentID = new.parentID else { return .aboveEveryUnit }
                return try await unitTarget(parentID)
            } handle: { request, caller in
                let new = try request.decode(NewUnit.self)
                return try .json(
                    UnitRecord(
                        try await store.createUnit(
                            name: new.name, kind: new.kind, parentID: new.parentID, by: caller.actor)),
                    status: .created)
            },
            Handler(.apiGetUnit) { request, _ in
                try await unitTarget(try request.id("unitID"))
            } handle: { request, _ in
                try .json(UnitRecord(try await store.unit(try request.id("unitID"))))
            },

            // Users
            Handler(.apiListUsers, target: anywhere) { _, caller in
                try .json(try await store.users(in: Scope(caller.principal, for: .manageUsers)).map(UserRecord.init))
            },
            Handler(.apiCreateUser) { request, caller in
                // Every unit the new user is given a role at must be inside the admin's subtree.
                let new = try request.decode(NewUser.self)
                guard !new.grants.isEmpty else { return .anywhere }
                for grant in new.grants {
                    try Gate.authorize(caller, .manageUsers, try await unitTarget(grant.unitID))
                }
                return try await unitTarget(new.grants[0].unitID)
            } handle: { request, caller in
                let new = try request.decode(NewUser.self)
                try Passwords.checkStrength(new.password, username: new.username)
                let hash = await Passwords.hashInBackground(new.password, cost: settings.bcryptCost)
                return try .json(
                    UserRecord(
                        try await store.createUser(
                            username: new.username, displayName: new.displayName, passwordHash: hash,
                            grants: new.grants, mustChangePassword: true, by: caller.actor)),
                    status: .created)
            },
            Handler(.apiGetUser, target: userTarget) { request, _ in
                try .json(UserRecord(try await store.user(try request.id("userID"))))
            },
            Handler(.apiResetPassword, target: userTarget) { request, caller in
                let password = try await accounts.resetPassword(userID: try request.id("userID"), by: caller.actor)
                return try .json(PasswordRecord(password: password))
            },
            Handler(.apiDeactivateUser, target: userTarget) { request, caller in
                try .json(
                    UserRecord(
                        try await store.setActive(userID: try request.id("userID"), active: false, by: caller.actor)))
            },
            Handler(.apiActivateUser, target: userTarget) { request, caller in
                try .json(
                    UserRecord(
                        try await store.setActive(userID: try request.id("userID"), active: true, by: caller.actor)))
            },
            Handler(.apiAddGrant) { request, caller in
                // Both the user and the unit of the new role must be in the admin's subtree.
                let target = try await userTarget(request, caller)
                try Gate.authorize(caller, .manageUsers, try await unitTarget(try request.decode(NewGrant.self).unitID))
                return target
            } handle: { request, caller in
                try .json(
                    UserRecord(
                        try await store.addGrant(
                            userID: try request.id("userID"), try request.decode(NewGrant.self), by: caller.actor)))
            },
            Handler(.apiRemoveGrant, target: userTarget) { request, caller in
                guard let role = Role(rawValue: request.parameters.get("role") ?? "") else {
                    throw APIError.badRequest("地址中的角色「\(request.parameters.get("role") ?? "")」无效。")
                }
                return try .json(
                    UserRecord(
                        try await store.removeGrant(
                            userID: try request.id("userID"), NewGrant(role: role, unitID: try request.id("unitID")),
                            by: caller.actor)))
            },

            // One's own account
            Handler(.apiChangePassword) { request, caller in
                let body = try request.decode(PasswordChange.self)
                try await accounts.changeOwnPassword(
                    user: caller.user, current: body.current, new: body.new, keeping: caller.token)
                return try .json(UserRecord(try await store.user(caller.user.id)))
            },
            Handler(.apiMySessions) { _, caller in
                try .json(
                    try await store.sessions(of: caller.user.id).map {
                        SessionRecord(
                            id: $0.id, kind: $0.kind, createdAt: $0.createdAt, expiresAt: $0.expiresAt,
                            current: $0.id == caller.sessionID)
                    })
            },
            Handler(.apiEndMySession) { request, caller in
                try await store.endSession(try request.id("sessionID"), of: caller.user.id, by: caller.actor)
                return try .json(OKRecord())
            },

            // Categories
            Handler(.apiListCategories, target: anywhere) { _, _ in
                try .json(try await store.categories().map(CategoryRecord.init))
            },
            Handler(.apiSaveCategory, target: anywhere) { request, caller in
                var category = try request.decode(Category.self)
                category.code = request.parameters.get("code") ?? ""
                return try .json(CategoryRecord(try await store.saveCategory(category, by: caller.actor)))
            },

            // Sources
            Handler(.apiListSources, target: anywhere) { _, caller in
                try .json(try await store.sources(in: caller.scope).map(SourceRecord.init))
            },
            Handler(.apiCreateSource) { request, _ in
                try await unitTarget(try request.decode(NewSource.self).unitID)
            } handle: { request, caller in
                try .json(
                    SourceRecord(try await store.createSource(try request.decode(NewSource.self), by: caller.actor)),
                    status: .created
                )
            },
            Handler(.apiGetSource) { request, _ in
                try await unitTarget(try await store.source(try request.id("sourceID")).unitID)
            } handle: { request, _ in
                try .json(SourceRecord(try await store.source(try request.id("sourceID"))))
            },

            // Problems
            Handler(.apiCreateProblem) { request, _ in
                let new = try request.decode(NewProblem.self)
                let source = try await store.source(new.sourceID)
                return try await unitTarget(new.unitID ?? source.unitID)
            } handle: { request, caller in
                try .json(
                    ProblemRecord(try await store.createProblem(try request.decode(NewProblem.self), by: caller.actor)),
                    status: .created)
            },
            Handler(.apiGetProblem) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: { request, _ in
                try .json(ProblemDetailRecord(try await store.problemDetail(try request.id("problemID"))))
            },
            Handler(.apiUpdateProblem) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: {
                request, caller in
                let edit = try request.decode(ProblemEdit.self)
                return try .json(
                    ProblemRecord(
                        try await store.updateProblem(
                            try request.id("problemID"), version: edit.version,
                            .init(text: edit.text, categoryCode: edit.categoryCode, outlinePath: edit.outlinePath),
                            by: caller.actor)))
            },
            Handler(.apiProblemTrail) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: {
                request, _ in
                try .json(try await store.problemTrail(try request.id("problemID")).map(AuditEntryRecord.init))
            },

            // Tasks and progress
            Handler(.apiCreateTask) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: {
                request, caller in
                try .json(
                    TaskRecord(
                        try await store.createTask(
                            problemID: try request.id("problemID"), try request.decode(TaskFields.self),
                            by: caller.actor)),
                    status: .created)
            },
            Handler(.apiGetTask) { request, _ in
                try await taskTarget(try request.id("taskID"))
            } handle: { request, _ in
                try .json(TaskRecord(try await store.task(try request.id("taskID"))))
            },
            Handler(.apiUpdateTask) { request, _ in
                try await taskTarget(try request.id("taskID"))
            } handle: { request, caller in
                let edit = try request.decode(TaskEdit.self)
                return try .json(
                    TaskRecord(
                        try await store.updateTask(
                            try request.id("taskID"), version: edit.version, edit.fields, by: caller.actor)))
            },
            Handler(.apiCompleteTask) { request, _ in
                try await taskTarget(try request.id("taskID"))
            } handle: {
                request, caller in
                let body = try request.decode(VersionOnly.self)
                return try .json(
                    TaskRecord(
                        try await store.completeTask(try request.id("taskID"), version: body.version, by: caller.actor))
                )
            },
            Handler(.apiAddProgress) { request, _ in
                try await taskTarget(try request.id("taskID"))
            } handle: {
                request, caller in
                let body = try request.decode(NewProgress.self)
                return try .json(
                    ProgressRecord(
                        try await store.addProgress(
                            taskID: try request.id("taskID"), date: body.date ?? store.clock.today(), text: body.text,
                            by: caller.actor)),
                    status: .created)
            },

            // Evidence
            Handler(.apiUploadEvidence, bodyLimit: ByteCount(value: settings.evidenceLimitBytes + 64 * 1024)) {
                request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: { request, caller in
                let upload: Upload
                do { upload = try request.content.decode(Upload.self) } catch {
                    throw APIError.badRequest("请以 multipart/form-data 上传，文件字段名为 file。")
                }
                let evidence = try await store.addEvidence(
                    problemID: try request.id("problemID"), taskID: upload.taskID, fileName: upload.file.filename,
                    data: Data(buffer: upload.file.data), by: caller.actor)
                return try .json(EvidenceRecord(evidence), status: .created)
            },
            Handler(.apiDownloadEvidence) { request, _ in
                let evidence = try await store.evidence(try request.id("evidenceID"))
                return try await problemTarget(evidence.problemID)
            } handle: { request, _ in
                let evidence = try await store.evidence(try request.id("evidenceID"))
                return FileResponse.make(
                    try await store.evidenceData(evidence), fileName: evidence.fileName,
                    contentType: evidence.contentType)
            },

            // Closing
            Handler(.apiRequestClosure) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: {
                request, caller in
                let body = try request.decode(Statement.self)
                return try .json(
                    ProblemRecord(
                        try await store.requestClosure(
                            problemID: try request.id("problemID"), statement: body.statement, by: caller.actor)))
            },
            Handler(.apiWithdrawClosure) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: { request, caller in
                try .json(
                    ProblemRecord(
                        try await store.withdrawClosure(problemID: try request.id("problemID"), by: caller.actor)))
            },
            Handler(.apiFirstReview) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: {
                request, caller in
                try await review(request, caller, stage: .first)
            },
            Handler(.apiSecondReview) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: {
                request, caller in
                try await review(request, caller, stage: .second)
            },
            Handler(.apiReopen) { request, _ in
                try await problemTarget(try request.id("problemID"))
            } handle: {
                request, caller in
                let body = try request.decode(Reason.self)
                return try .json(
                    ProblemRecord(
                        try await store.reopen(
                            problemID: try request.id("problemID"), reason: body.reason, by: caller.actor)))
            },

            // Ledger and counts
            Handler(.apiLedger, target: anywhere) { request, caller in
                let query = try LedgerQuery(request.queryParameters)
                let filter = try await ledgerFilter(query, caller)
                let today = store.clock.today()
                let key = LedgerKey(filter: filter, paging: query.paging, sort: query.sort, today: today)
                return try await kept(key, caller) {
                    LedgerPageRecord(
                        try await store.ledger(filter, paging: query.paging, today: today, sort: query.sort))
                }
            },
            Handler(.apiCounts, target: anywhere) { request, caller in
                let query = try LedgerQuery(request.queryParameters)
                let filter = try await ledgerFilter(query, caller)
                let today = store.clock.today()
                let key = LedgerKey(filter: filter, paging: nil, sort: .number, today: today, variant: "counts")
                return try await kept(key, caller) { CountsRecord(try await store.counts(filter, today: today)) }
            },
            Handler(.apiAuditLog, target: anywhere) { request, caller in
                let query = try AuditQuery(request.queryParameters)
                return try .json(
                    try await store.auditLog(in: Scope(caller.principal, for: .readAuditLog), query).map(
                        AuditEntryRecord.init))
            },
        ]
    }

    func review(_ request: Request, _ caller: Caller, stage: ClosureWorkflow.Stage) async throws -> Response {
        let id = try request.id("problemID")
        let body = try request.decode(Review.self)
        switch body.decision {
        case .approve:
            return try .json(
                ProblemRecord(try await Reviewing.approve(problemID: id, stage: stage, store: store, by: caller.actor)))
        case .return:
            return try .json(
                ProblemRecord(
                    try await store.returnClosure(
                        problemID: id, stage: stage, reason: body.reason ?? "", by: caller.actor)))
        }
    }

    /// The JSON answer kept under the caller's change stamp, else made, encoded and kept.
    func kept<Record: APIRecord>(
        _ key: LedgerKey, _ caller: Caller, _ make: @escaping @Sendable () async throws -> Record
    )
        async throws -> Response
    {
        let body = try await answers.value(stamp: caller.changeStamp, key: key, cost: \.readableBytes) {
            ByteBuffer(data: try APICoding.encoder.encode(try await make()))
        }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }

    func ledgerFilter(_ query: LedgerQuery, _ caller: Caller) async throws -> LedgerFilter {
        try await LedgerReading.filter(
            query, reader: caller.principal, readerID: caller.user.id, store: store, today: store.clock.today())
    }
}

extension AccessTarget {
    /// Above every subtree: no grant reaches it.
    static let aboveEveryUnit = AccessTarget(unitPath: "/")
}
