import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// The forms of the problem page. Each names its action for the gate, then calls the store; a refusal
/// re-renders the page with the typed values and the message next to its field.
enum ProblemActions {
    static func routes(store: Store, settings: AppConfiguration, similarity: SimilarityService) -> [Handler] {
        @Sendable func problemTarget(_ request: Request) async throws -> AccessTarget {
            try await store.accessTarget(problem: try request.id("problemID"))
        }
        @Sendable func taskTarget(_ request: Request) async throws -> AccessTarget {
            try await store.accessTarget(task: try request.id("taskID"))
        }
        @Sendable func page(_ request: Request, _ caller: Caller, _ id: UUID, _ forms: ProblemPage.Forms) async throws
            -> Response
        {
            try await ProblemPage.render(
                request, caller, store: store, settings: settings, similarity: similarity, id: id, forms: forms,
                status: .unprocessableEntity)
        }
        @Sendable func back(_ request: Request, _ id: UUID, _ notice: Notice) -> Response {
            Pages.redirect(request, to: SiteRoute.problem.link(id), notice: notice)
        }

        return [
            Handler(
                .problem, target: { r, _ in try await problemTarget(r) }
            ) {
                request, caller in
                try await ProblemPage.render(
                    request, caller, store: store, settings: settings, similarity: similarity,
                    id: try request.id("problemID"))
            },
            Handler(
                .problemEdit, target: { r, _ in try await problemTarget(r) }
            ) {
                request, caller in
                let id = try request.id("problemID")
                let form = FormInput(request)
                do {
                    _ = try await store.updateProblem(
                        id, version: Int(form["version"]) ?? 0,
                        .init(text: form["text"], categoryCode: form["categoryCode"]), by: caller.actor)
                    return back(request, id, .saved)
                } catch {
                    var forms = ProblemPage.Forms()
                    forms.editText = form.values["text"] ?? ""
                    forms.editCategory = form["categoryCode"]
                    forms.editErrors.add(error, labels: ["问题描述": "text", "问题类别": "categoryCode"])
                    return try await page(request, caller, id, forms)
                }
            },
            Handler(
                .taskCreate, target: { r, _ in try await problemTarget(r) }
            ) {
                request, caller in
                let id = try request.id("problemID")
                let form = FormInput(request)
                var (fields, errors) = ProblemPage.taskFields(form)
                if let fields {
                    do {
                        _ = try await store.createTask(problemID: id, fields, by: caller.actor)
                        return back(request, id, .created)
                    } catch { errors.add(error, labels: ProblemPage.taskLabels) }
                }
                var forms = ProblemPage.Forms()
                forms.task = form.values
                forms.taskErrors = errors
                return try await page(request, caller, id, forms)
            },
            Handler(
                .taskComplete, target: { r, _ in try await taskTarget(r) }
            ) {
                request, caller in
                let taskID = try request.id("taskID")
                let context = try await store.taskContext(taskID)
                _ = try await store.completeTask(
                    taskID, version: Int(FormInput(request)["version"]) ?? 0, by: caller.actor)
                return back(request, context.problem.id, .taskCompleted)
            },
            Handler(
                .progressAdd, target: { r, _ in try await taskTarget(r) }
            ) {
                request, caller in
                let taskID = try request.id("taskID")
                let problemID = try await store.taskContext(taskID).problem.id
                let form = FormInput(request)
                var forms = ProblemPage.Forms()
                forms.progressTaskID = taskID.uuidString
                forms.progressText = form.values["text"] ?? ""
                forms.progressDate = form["date"]
                let date: LocalDate
                if let raw = form.optional("date") {
                    guard let parsed = LocalDate(iso: raw) else {
                        forms.progressError = "「进展日期」无效，请按 年-月-日 填写。"
                        return try await page(request, caller, problemID, forms)
                    }
                    date = parsed
                } else {
                    date = store.clock.today()
                }
                do {
                    _ = try await store.addProgress(taskID: taskID, date: date, text: form["text"], by: caller.actor)
                    return back(request, problemID, .progressAdded)
                } catch {
                    forms.progressError = APIErrorMiddleware.describe(error).2
                    return try await page(request, caller, problemID, forms)
                }
            },
            Handler(
                .evidenceUpload, bodyLimit: ByteCount(value: 5 * settings.evidenceLimitBytes + 64 * 1024),
                target: { r, _ in try await problemTarget(r) }
            ) { request, caller in
                let id = try request.id("problemID")
                struct Upload: Content {
                    var files: [File]?
                    var taskID: String?
                }
                let upload = try? request.content.decode(Upload.self)
                let files = (upload?.files ?? []).filter { $0.data.readableBytes > 0 }
                guard !files.isEmpty else {
                    var forms = ProblemPage.Forms()
                    forms.evidenceError = "请选择要上传的文件。"
                    return try await page(request, caller, id, forms)
                }
                // Every file is checked before any is stored: one bad file in a batch stores none.
                for file in files {
                    do {
                        _ = try EvidenceFiles.check(
                            name: EvidenceFiles.cleanName(file.filename), data: Data(buffer: file.data),
                            limit: settings.evidenceLimitBytes)
                    } catch let error as StoreError {
                        var forms = ProblemPage.Forms()
                        forms.evidenceError =
                            "「\(EvidenceFiles.cleanName(file.filename))」不能上传，本批文件均未保存：\(error.userMessage)"
                        return try await page(request, caller, id, forms)
                    }
                }
                var stored = 0
                for file in files {
                    do {
                        _ = try await store.addEvidence(
                            problemID: id, taskID: upload?.taskID.flatMap(UUID.init(uuidString:)),
                            fileName: file.filename, data: Data(buffer: file.data), by: caller.actor)
                        stored += 1
                    } catch {
                        var forms = ProblemPage.Forms()
                        let done = stored > 0 ? "前 \(stored) 个文件已上传；" : ""
                        forms.evidenceError =
                            "\(done)「\(EvidenceFiles.cleanName(file.filename))」未上传：\(APIErrorMiddleware.describe(error).2)"
                        return try await page(request, caller, id, forms)
                    }
                }
                return back(request, id, .uploaded)
            },
            Handler(
                .closureRequest, target: { r, _ in try await problemTarget(r) }
            ) {
                request, caller in
                let id = try request.id("problemID")
                let form = FormInput(request)
                do {
                    _ = try await store.requestClosure(problemID: id, statement: form["statement"], by: caller.actor)
                    return back(request, id, .closureRequested)
                } catch {
                    var forms = ProblemPage.Forms()
                    forms.statement = form.values["statement"] ?? ""
                    forms.closureError = APIErrorMiddleware.describe(error).2
                    return try await page(request, caller, id, forms)
                }
            },
            Handler(.closureWithdraw, target: { r, _ in try await problemTarget(r) }) { request, caller in
                let id = try request.id("problemID")
                do {
                    _ = try await store.withdrawClosure(problemID: id, by: caller.actor)
                    return back(request, id, .closureWithdrawn)
                } catch {
                    var forms = ProblemPage.Forms()
                    forms.closureError = APIErrorMiddleware.describe(error).2
                    return try await page(request, caller, id, forms)
                }
            },
            review(stage: .first, store: store, target: problemTarget, page: page, back: back),
            review(stage: .second, store: store, target: problemTarget, page: page, back: back),
            Handler(
                .similarDecision, target: { r, _ in try await problemTarget(r) }
            ) { request, caller in
                // A person confirms or dismisses a suggested match; the decision is kept and audited.
                let id = try request.id("problemID")
                let matchID = try request.id("matchID")
                let form = FormInput(request)
                let match = try await store.problem(matchID)
                try Gate.authorize(caller, .read, AccessTarget(unitPath: match.unitPath))
                _ = try await store.decideSimilarity(
                    problemID: id, matchID: matchID, score: Double(form["score"]) ?? 0,
                    confirm: form["decision"] == "confirm", by: caller.actor)
                return back(request, id, .saved)
            },
            Handler(
                .reopenProblem, target: { r, _ in try await problemTarget(r) }
            ) {
                request, caller in
                let id = try request.id("problemID")
                let form = FormInput(request)
                do {
                    _ = try await store.reopen(problemID: id, reason: form["reason"], by: caller.actor)
                    return back(request, id, .reopened)
                } catch {
                    var forms = ProblemPage.Forms()
                    forms.reopenReason = form.values["reason"] ?? ""
                    forms.reopenError = APIErrorMiddleware.describe(error).2
                    return try await page(request, caller, id, forms)
                }
            },
            Handler(
                .evidenceFile,
                target: { request, _ in
                    let evidence = try await store.evidence(try request.id("evidenceID"))
                    return AccessTarget(unitPath: try await store.problem(evidence.problemID).unitPath)
                }
            ) { request, _ in
                let evidence = try await store.evidence(try request.id("evidenceID"))
                return FileResponse.uploaded(
                    try await store.evidenceData(evidence), fileName: evidence.fileName,
                    contentType: evidence.contentType, request: request)
            },
        ]
    }

    static func review(
        stage: ClosureWorkflow.Stage, store: Store,
        target: @escaping @Sendable (Request) async throws -> AccessTarget,
        page: @escaping @Sendable (Request, Caller, UUID, ProblemPage.Forms) async throws -> Response,
        back: @escaping @Sendable (Request, UUID, Notice) -> Response
    ) -> Handler {
        Handler(
            stage == .first ? .reviewFirst : .reviewSecond, target: { r, _ in try await target(r) }
        ) {
            request, caller in
            let id = try request.id("problemID")
            let form = FormInput(request)
            do {
                if form["decision"] == "return" {
                    _ = try await store.returnClosure(
                        problemID: id, stage: stage, reason: form["reason"], by: caller.actor)
                    return back(request, id, .returned)
                }
                _ = try await Reviewing.approve(problemID: id, stage: stage, store: store, by: caller.actor)
                return back(request, id, .approved)
            } catch {
                var forms = ProblemPage.Forms()
                forms.reviewReason = form.values["reason"] ?? ""
                forms.reviewError = APIErrorMiddleware.describe(error).2
                return try await page(request, caller, id, forms)
            }
        }
    }
}
