import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// One problem: its words as fed back, its place in the document, tasks, progress, evidence, the closing
/// buttons this user may press, and the item's audit trail. Every form on it posts back here; a refused
/// form re-renders the page with the message next to the field and everything typed kept.
enum ProblemPage {
    struct Context: Encodable {
        var layout: Layout
        var problem: ProblemView
        var tasks: [TaskView]
        var progress: [ProgressView]
        var evidence: [EvidenceView]
        var history: [HistoryView]
        var trail: [TrailView]
        var can: Permissions
        var similar: [SimilarView]
        var withdrawn: [WithdrawnView]
        var imported: [ImportedView]
        var recurrenceSuspected: Bool
        var relapsedBy: String?
        var leaders: [Option]
        var assignees: [Option]
        var kinds: [Option]
        var categories: [Option]
        var forms: Forms
        var pressings: [PressingView] = []
        var pressAction = ""
        /// This quarter's 群众评价 of the item, for reviewers: 满意率 and the distribution.
        var ratings: String?
        var ratingBlock: String?
    }

    /// A 督办 or 约谈 on this item: what was asked, by when, and the unit's answer.
    struct PressingView: Encodable {
        var kind: String
        var text: String
        var issued: String
        var due: String?
        var overdue: Bool
        var talk: String?
        var answer: String?
        var answerAction: String?

        /// `answerable`: the caller may answer for the pressed unit (an order is answered once).
        init(_ press: Pressing, today: LocalDate, answerable: Bool) {
            kind = press.kind.label
            text = press.text
            issued = "\(press.issuedByName) \(press.issuedOn.chinese)"
            due = press.answerDue.map { "\($0.chinese)前反馈" }
            overdue = press.isOverdue(today: today)
            talk =
                press.kind == .talk
                ? "约谈日期 \(press.talkDate?.chinese ?? "")；对象 \(press.participants ?? "")\(press.outcome.map { "；结果：\($0)" } ?? "")"
                : nil
            answer = press.answer.map { "\(press.answeredByName ?? "") \(press.answeredOn?.chinese ?? "")：\($0)" }
            answerAction =
                press.kind == .order && !press.isAnswered && answerable ? SiteRoute.pressingAnswer.link(press.id) : nil
        }
    }

    struct ProblemView: Encodable {
        var id: String
        var links: ProblemLinks
        var withdrawnReason: String?
        var number: String
        var text: String
        var outline: [String]
        var sourceTitle: String
        var sourceID: String
        var issuer: String
        var feedbackDate: String
        var unitName: String
        var category: String
        var status: String
        var statusClass: String
        var completion: String
        var recurrences: Int
        var closureStatement: String?
        var closedOn: String?
        var version: Int
    }

    /// Where the problem page's links and forms go.
    struct ProblemLinks: Encodable {
        var source: String
        var edit: String
        var createTask: String
        var upload: String
        var requestClosure: String
        var withdrawClosure: String
        var reviewFirst: String
        var reviewSecond: String
        var reopen: String
        var withdraw: String
        var restore: String

        init(problem id: UUID, source: UUID) {
            self.source = SiteRoute.source.link(source)
            edit = SiteRoute.problemEdit.link(id)
            createTask = SiteRoute.taskCreate.link(id)
            upload = SiteRoute.evidenceUpload.link(id)
            requestClosure = SiteRoute.closureRequest.link(id)
            withdrawClosure = SiteRoute.closureWithdraw.link(id)
            reviewFirst = SiteRoute.reviewFirst.link(id)
            reviewSecond = SiteRoute.reviewSecond.link(id)
            reopen = SiteRoute.reopenProblem.link(id)
            withdraw = SiteRoute.problemWithdraw.link(id)
            restore = SiteRoute.problemRestore.link(id)
        }
    }

    struct TaskLinks: Encodable {
        var edit: String
        var complete: String
        var progress: String
        var withdraw: String

        init(task id: UUID) {
            edit = SiteRoute.taskEditForm.link(id)
            complete = SiteRoute.taskComplete.link(id)
            progress = SiteRoute.progressAdd.link(id)
            withdraw = SiteRoute.taskWithdraw.link(id)
        }
    }

    struct TaskView: Encodable {
        var id: String
        var links: TaskLinks
        var measure: String
        var kind: String
        var leader: String
        var leadUnit: String
        var supportingUnits: String
        var assignee: String
        var deadline: String
        var daysText: String
        var light: String
        var status: String
        var version: Int
        var canEdit: Bool
        var canComplete: Bool
        var canReport: Bool
    }

    struct ProgressView: Encodable {
        var date: String
        var text: String
        var author: String
        var measure: String
        var withdrawLink: String
    }

    struct WithdrawnView: Encodable {
        var kind: String
        var text: String
        var reason: String
        var at: String
        var restoreLink: String
    }

    struct ImportedView: Encodable {
        var label: String
        var text: String
        var source: String
    }

    struct EvidenceView: Encodable {
        var id: String
        var link: String
        var downloadLink: String
        var withdrawLink: String
        var fileName: String
        var size: String
        var uploadedBy: String
        var uploadedAt: String
        var isImage: Bool
        var isPDF: Bool
    }

    struct HistoryView: Encodable {
        var at: String
        var label: String
        var actor: String
        var note: String
    }

    struct TrailView: Encodable {
        var seq: Int
        var at: String
        var actor: String
        var action: String
    }

    struct Permissions: Encodable {
        var editProblem = false
        var createTask = false
        var uploadEvidence = false
        var requestClosure = false
        var withdraw = false
        var firstReview = false
        var secondReview = false
        var reopen = false
        var workable = false
        var supervise = false
    }

    typealias Option = LedgerPage.Option

    struct Forms: Encodable {
        var task: [String: String] = ["kind": "scheduled"]
        var taskErrors = FieldErrors()
        var progressTaskID = ""
        var progressText = ""
        var progressDate = ""
        var progressError: String?
        var statement = ""
        var closureError: String?
        var reviewReason = ""
        var reviewError: String?
        var reopenReason = ""
        var reopenError: String?
        var editText: String?
        var editCategory: String?
        var editErrors = FieldErrors()
        var evidenceError: String?
        var withdrawError: String?
        var pressing: [String: String] = ["kind": "order"]
        var pressingError: String?
    }

    /// The task form, shared by the problem page and the task edit page: people are chosen from the list;
    /// a 责任人 outside the system may be typed.
    static func taskFields(_ form: FormInput) -> (TaskFields?, FieldErrors) {
        var errors = FieldErrors()
        let kind = RectificationKind(rawValue: form["kind"]) ?? .scheduled
        var deadline: LocalDate?
        if let raw = form.optional("deadline") {
            deadline = LocalDate(iso: raw)
            if deadline == nil { errors.add("deadline", "「完成时限」日期无效，请按 年-月-日 填写。") }
        }
        var ids: [String: UUID] = [:]
        for (field, label) in [("leaderPersonID", "责任领导"), ("assigneePersonID", "责任人")] {
            guard let raw = form.optional(field) else { continue }
            guard let id = UUID(uuidString: raw) else {
                errors.add(field, "「\(label)」无效，请从列表中选择。")
                continue
            }
            ids[field] = id
        }
        guard errors.isEmpty else { return (nil, errors) }
        return (
            TaskFields(
                measure: form["measure"], kind: kind, leaderPersonID: ids["leaderPersonID"], leadUnit: form["leadUnit"],
                supportingUnits: form["supportingUnits"], assigneePersonID: ids["assigneePersonID"],
                assignee: ids["assigneePersonID"] == nil ? form["assignee"] : "", deadline: deadline),
            errors
        )
    }

    static let taskLabels = [
        "整改措施": "measure", "责任单位": "leadUnit", "责任人": "assignee", "配合单位": "supportingUnits",
        "完成时限": "deadline", "责任领导": "leaderPersonID",
    ]

    static func render(
        _ request: Request, _ caller: Caller, store: Store, settings: AppConfiguration, similarity: SimilarityService,
        id: UUID,
        forms: Forms = Forms(), status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let detail = try await store.problemDetail(id)
        let problem = detail.problem
        let today = store.clock.today()
        let principal = caller.principal
        let leaderIDs = Set(detail.tasks.compactMap { $0.leaderID?.uuidString })
        let target = AccessTarget(unitPath: problem.unitPath, taskLeaderIDs: leaderIDs)
        func allows(_ action: Action, _ target: AccessTarget = target) -> Bool {
            AccessPolicy.allows(principal, action, on: target)
        }
        let me = caller.user.id
        let workable = problem.status.isWorkable
        // The asker never reviews; the first reviewer never gives the second approval. Hide what would be refused.
        let history = detail.closureHistory
        let askedByMe = problem.requestedBy == me
        var can = Permissions()
        can.workable = workable
        // The words as fed back are fixed once the item is under review or closed.
        can.editProblem = allows(.editProblem) && workable
        can.createTask = allows(.createTask) && workable
        can.uploadEvidence = allows(.uploadEvidence) && (workable || problem.status == .stageCompleted)
        can.requestClosure = allows(.requestClosure) && workable && !detail.tasks.isEmpty
        can.withdraw = problem.status == .pendingFirstReview && askedByMe
        can.firstReview = allows(.firstReview) && problem.status == .pendingFirstReview && !askedByMe
        can.secondReview =
            allows(.secondReview) && problem.status == .pendingSecondReview && !askedByMe
            && problem.firstReviewedBy != me
        can.reopen = allows(.reopen) && (problem.status == .closed || problem.status == .stageCompleted)
        can.supervise = allows(.supervise)
        let people = try await store.taskPeople(problemID: problem.id)
        let categories = try await store.categories()
        let categoryName = categories.first { $0.code == problem.categoryCode }?.name ?? ""
        let trail = try await store.problemTrail(id)
        let decisions = Dictionary(
            try await store.similarityDecisions(of: id).map { ($0.matchID.uuidString, $0) }, uniquingKeysWith: { $1 })
        let similar = try await similarity.suggestions(for: problem, scope: caller.scope).map {
            SimilarView($0, for: problem.id, decision: decisions[$0.match.id.uuidString])
        }
        var relapsedBy: String?
        if let id = problem.relapsedBy { relapsedBy = try await store.problem(id).number }
        let formatter = DateFormatter()
        formatter.timeZone = LocalDate.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        var forms = forms
        if forms.editText == nil { forms.editText = problem.text }
        if forms.editCategory == nil { forms.editCategory = problem.categoryCode }
        let context = Context(
            layout: Layout(
                title: "问题 \(problem.number)", caller: caller, section: .ledger, notice: Pages.notice(request)),
            problem: ProblemView(
                id: problem.id.uuidString, links: ProblemLinks(problem: problem.id, source: problem.sourceID),
                withdrawnReason: problem.withdrawnReason,
                number: problem.number, text: problem.text, outline: problem.outlinePath,
                sourceTitle: detail.source.title, sourceID: detail.source.id.uuidString, issuer: detail.source.issuer,
                feedbackDate: detail.source.feedbackDate.chinese, unitName: problem.unitName,
                category: "\(problem.categoryCode) \(categoryName)", status: problem.statusLabel,
                statusClass: problem.status.rawValue,
                completion: StatusWords.describe(
                    problem.status, kind: detail.source.kind,
                    timeliness: Timeliness.of(problem.status, tasks: detail.tasks, today: today)),
                recurrences: problem.recurrences,
                // A returned or reopened item's last statement was not accepted: not shown as its result.
                closureStatement: workable ? nil : problem.closureStatement,
                closedOn: problem.closedOn?.chinese, version: problem.version),
            tasks: detail.tasks.map { task in
                let taskTarget = AccessTarget(
                    unitPath: problem.unitPath, taskLeaderIDs: Set([task.leaderID?.uuidString].compactMap { $0 }))
                let light = DeadlineLight.of(
                    deadline: task.deadline, today: today, done: task.status == .completed,
                    thresholds: settings.deadlineThresholds)
                return TaskView(
                    id: task.id.uuidString, links: TaskLinks(task: task.id), measure: task.measure,
                    kind: task.kind.label,
                    leader: task.leaderName ?? "—",
                    leadUnit: task.leadUnit, supportingUnits: task.supportingUnits,
                    assignee: task.assignee.isEmpty
                        ? "（待明确）" : task.assigneePersonID == nil ? "\(task.assignee)（系统外人员）" : task.assignee,
                    deadline: task.deadline?.chinese ?? "长期坚持",
                    daysText: task.status == .completed || task.deadline == nil
                        ? "" : Text.daysLeft(today.days(until: task.deadline!)),
                    light: light == .none ? "plain" : light.rawValue,
                    status: {
                        let timeliness = Timeliness.of(task, today: today)
                        return timeliness == .late || timeliness == .overdue
                            ? "\(task.statusLabel)（\(timeliness.label)）" : task.statusLabel
                    }(), version: task.version,
                    canEdit: workable && allows(.editTask, taskTarget),
                    canComplete: workable && task.kind != .ongoing && task.status != .completed
                        && allows(.editTask, taskTarget),
                    canReport: (workable || problem.status == .stageCompleted) && allows(.addProgress, taskTarget))
            },
            progress: detail.progress.reversed().map { entry in
                ProgressView(
                    date: entry.date.chinese, text: entry.text, author: entry.authorName,
                    measure: Text.excerpt(detail.tasks.first { $0.id == entry.taskID }?.measure ?? "", 30),
                    withdrawLink: SiteRoute.progressWithdraw.link(entry.id))
            },
            evidence: detail.evidence.map {
                EvidenceView(
                    id: $0.id.uuidString, link: SiteRoute.evidenceFile.link($0.id),
                    downloadLink: SiteRoute.evidenceFile.link($0.id, query: [("download", "1")]),
                    withdrawLink: SiteRoute.evidenceWithdraw.link($0.id), fileName: $0.fileName,
                    size: sizeText($0.size), uploadedBy: $0.uploadedBy,
                    uploadedAt: formatter.string(from: $0.uploadedAt), isImage: $0.contentType.hasPrefix("image/"),
                    isPDF: $0.contentType == "application/pdf")
            },
            history: history.map {
                HistoryView(at: formatter.string(from: $0.at), label: $0.label, actor: $0.actorName, note: $0.note)
            },
            trail: trail.reversed().map {
                TrailView(seq: $0.seq, at: auditTime($0.at), actor: $0.actorName, action: actionLabel($0.action))
            },
            can: can, similar: similar,
            withdrawn: try await store.withdrawnItems(of: id).map { item in
                let restore: SiteRoute =
                    switch item.kind {
                    case .problem: .problemRestore
                    case .task: .taskRestore
                    case .progress: .progressRestore
                    case .evidence: .evidenceRestore
                    }
                return WithdrawnView(
                    kind: item.kind.label, text: Text.excerpt(item.text, 60), reason: item.reason,
                    at: LocalDate(item.at).chinese, restoreLink: restore.link(item.id))
            },
            imported: try await store.importedNotes(of: [id])[id, default: []].map {
                ImportedView(label: $0.kind.label, text: $0.text, source: "\($0.fileName)，\($0.importedBy)导入")
            },
            recurrenceSuspected: similar.contains { $0.recurrence && $0.decision == nil }, relapsedBy: relapsedBy,
            leaders: Pickers.people(people, selected: forms.task["leaderPersonID"] ?? ""),
            assignees: Pickers.people(people, selected: forms.task["assigneePersonID"] ?? ""),
            kinds: RectificationKind.allCases.map {
                Option(value: $0.rawValue, label: $0.label, selected: (forms.task["kind"] ?? "") == $0.rawValue)
            },
            categories: categories.map {
                Option(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == forms.editCategory)
            },
            forms: forms)
        var shown = context
        let mayAnswer = allows(.addProgress)
        shown.pressings = try await store.pressings(ofProblem: problem.id).map {
            PressingView($0, today: today, answerable: mayAnswer)
        }
        shown.pressAction = SiteRoute.pressingCreate.link(problem.id)
        let ratings = try await Publishing.ratings(of: problem.id, store: store)
        if ratings.total + ratings.flagged > 0 {
            shown.ratings =
                "本季度群众评价：满意率 \(ratings.satisfaction)（\(ratings.total) 人次："
                + zip(RatingLevel.allCases, ratings.counts).map { "\($0.0.label) \($0.1)" }.joined(separator: "、") + "）"
                + (ratings.flagged > 0 ? "；另有 \(ratings.flagged) 条疑似异常评价未计入" : "")
            shown.ratingBlock = try await Publishing.ratingBlock(for: problem, store: store)
        }
        return try await Pages.render(request, "problem", shown, status: status)
    }

    static func sizeText(_ bytes: Int) -> String {
        bytes < 1024
            ? "\(bytes) B"
            : bytes < 1_048_576 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }

    static func auditTime(_ iso: String) -> String {
        guard let date = try? Date(iso, strategy: .iso8601) else { return iso }
        let formatter = DateFormatter()
        formatter.timeZone = LocalDate.timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }

    static func actionLabel(_ action: String) -> String {
        [
            "problem.create": "录入问题", "problem.update": "修改问题", "task.create": "制定整改任务",
            "task.update": "修改整改任务", "task.complete": "任务标记完成", "progress.add": "报送整改进展",
            "evidence.add": "上传佐证材料", "closure.request": "申请销号", "closure.approveFirst": "单位审核通过",
            "closure.approveSecond": "巡察办审核通过", "closure.return": "退回补正", "closure.reopen": "重新打开",
            "similarity.confirm": "确认相似问题", "similarity.dismiss": "排除相似问题", "problem.relapse": "标记为反弹",
        ][action] ?? action
    }
}
