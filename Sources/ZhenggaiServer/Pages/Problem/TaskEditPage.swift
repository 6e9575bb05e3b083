import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

/// Editing a task. The form carries the version it was read at, so when two people save the same task the
/// second sees a conflict message and keeps what they typed, instead of silently overwriting the first.
enum TaskEditPage {
    struct Context: Encodable {
        var layout: Layout
        var action: String
        var problemLink: String
        var problemNumber: String
        var problemText: String
        var values: [String: String]
        var errors: FieldErrors
        var leaders: [LedgerPage.Option]
        var assignees: [LedgerPage.Option]
        var kinds: [LedgerPage.Option]
    }

    static func routes(store: Store) -> [Handler] {
        @Sendable func target(_ request: Request) async throws -> AccessTarget {
            try await store.accessTarget(task: try request.id("taskID"))
        }
        @Sendable func render(_ request: Request, _ caller: Caller, values: [String: String], errors: FieldErrors)
            async throws
            -> Response
        {
            let taskID = try request.id("taskID")
            let problem = try await store.taskContext(taskID).problem
            let people = try await store.taskPeople(problemID: problem.id)
            let context = Context(
                layout: Layout(title: "修改整改任务", caller: caller, section: .ledger),
                action: SiteRoute.taskEdit.link(taskID), problemLink: SiteRoute.problem.link(problem.id),
                problemNumber: problem.number, problemText: problem.text,
                values: values, errors: errors,
                leaders: Pickers.people(people, selected: values["leaderPersonID"] ?? ""),
                assignees: Pickers.people(people, selected: values["assigneePersonID"] ?? ""),
                kinds: RectificationKind.allCases.map {
                    LedgerPage.Option(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue)
                })
            return try await Pages.render(
                request, "task-edit", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
        }
        return [
            Handler(
                .taskEditForm, target: { r, _ in try await target(r) }
            ) {
                request, caller in
                let task = try await store.task(try request.id("taskID"))
                return try await render(
                    request, caller,
                    values: [
                        "measure": task.measure, "kind": task.kind.rawValue,
                        "leaderPersonID": task.leaderPersonID?.uuidString ?? "",
                        "assigneePersonID": task.assigneePersonID?.uuidString ?? "",
                        "leadUnit": task.leadUnit, "supportingUnits": task.supportingUnits,
                        "assignee": task.assigneePersonID == nil ? task.assignee : "",
                        "deadline": task.deadline?.iso ?? "", "version": String(task.version),
                    ], errors: FieldErrors())
            },
            Handler(
                .taskEdit, target: { r, _ in try await target(r) }
            ) {
                request, caller in
                let taskID = try request.id("taskID")
                let form = FormInput(request)
                var (fields, errors) = ProblemPage.taskFields(form)
                if let fields {
                    do {
                        let task = try await store.updateTask(
                            taskID, version: Int(form["version"]) ?? 0, fields, by: caller.actor)
                        return Pages.redirect(request, to: SiteRoute.problem.link(task.problemID), notice: .saved)
                    } catch { errors.add(error, labels: ProblemPage.taskLabels) }
                }
                return try await render(request, caller, values: form.values, errors: errors)
            },
        ]
    }
}
