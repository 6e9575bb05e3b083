import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// Every role that may ask to close an item walks the whole loop over the API — ask, first review, return,
/// ask again, withdraw, ask, both reviews — and nothing is left that nobody may review.
@Suite(.serialized) struct ClosingWalkTests {
    /// A problem of the township with a finished task and evidence, ready to be asked about.
    static func readyProblem(_ world: APIWorld) async throws -> Problem {
        try await ScopeAndRaceTests.problemAskedToClose(world).withWithdrawnRequest(world)
    }

    func post(_ world: APIWorld, _ path: String, _ json: String, token: String) async throws -> TestingHTTPResponse {
        try await world.call(.POST, path, as: nil, json: json, token: token)
    }

    @Test(arguments: [Role.clerk, .admin, .secretary])
    func everyAskerWalksTheLoopWithoutADeadEnd(asker: Role) async throws {
        try await APIWorld.with { world in
            // A second secretary of the township (副书记): without one, the secretary's own request is refused.
            let deputy = try await world.county.user(
                world.store, "deputy", .secretary, at: world.county.township,
                passwordHash: Passwords.hash(APIWorld.password, cost: 4))
            let deputyToken = try await world.store.createSession(userID: deputy.id, kind: "t", lifetime: 600).token
            let askerToken = try await world.token(asker)
            let firstReviewer = asker == .secretary ? deputyToken : try await world.token(.secretary)
            let inspector = try await world.token(.inspector)
            let problem = try await Self.readyProblem(world)
            let base = "/api/v1/problems/\(problem.id)/closure"
            func status() async throws -> ProblemStatus { try await world.store.problem(problem.id).status }

            var response = try await post(world, base, #"{"statement":"已整改"}"#, token: askerToken)
            #expect(response.status == .ok, "\(asker) asks: \(response.errorMessage)")
            #expect(try await status() == .pendingFirstReview)
            // The asker can neither give the first review nor the second.
            response = try await post(world, "\(base)/first-review", #"{"decision":"approve"}"#, token: askerToken)
            #expect([403, 409].contains(response.status.code))
            response = try await post(
                world, "\(base)/first-review", #"{"decision":"return","reason":"佐证不全"}"#, token: firstReviewer)
            #expect(response.status == .ok, "\(response.errorMessage)")
            #expect(try await status() == .returned)

            response = try await post(world, base, #"{"statement":"已补充佐证"}"#, token: askerToken)
            #expect(response.status == .ok, "\(response.errorMessage)")
            // Withdrawn before the first review: back where it was (returned), free to be asked again.
            response = try await post(world, "\(base)/withdraw", "{}", token: firstReviewer)
            #expect(response.status == .conflict, "only the asker withdraws")
            response = try await post(world, "\(base)/withdraw", "{}", token: askerToken)
            #expect(response.status == .ok, "\(response.errorMessage)")
            #expect(try await status() == .returned)

            response = try await post(world, base, #"{"statement":"已补充佐证"}"#, token: askerToken)
            #expect(response.status == .ok)
            response = try await post(world, "\(base)/first-review", #"{"decision":"approve"}"#, token: firstReviewer)
            #expect(response.status == .ok, "\(response.errorMessage)")
            response = try await post(world, "\(base)/withdraw", "{}", token: askerToken)
            #expect(response.status == .conflict, "after the first review the request cannot be withdrawn")
            response = try await post(world, "\(base)/second-review", #"{"decision":"approve"}"#, token: inspector)
            #expect(response.status == .ok, "\(response.errorMessage)")
            #expect(try await status() == .closed)
        }
    }

    /// A unit's only secretary who asks himself is told why at once, instead of freezing the item.
    @Test func theOnlySecretaryAskingHimselfIsRefusedWithTheReason() async throws {
        try await APIWorld.with { world in
            let problem = try await Self.readyProblem(world)
            let response = try await post(
                world, "/api/v1/problems/\(problem.id)/closure", #"{"statement":"已整改"}"#,
                token: try await world.token(.secretary))
            #expect(response.status == .conflict)
            #expect(response.errorMessage.contains("请由经办人申请销号"))
            #expect(try await world.store.problem(problem.id).status == .open)
        }
    }

    /// Without any secretary account for the unit, nobody could give the first review: refused too.
    @Test func aRequestNobodyCouldReviewIsRefused() async throws {
        try await APIWorld.with { world in
            let problem = try await Self.readyProblem(world)
            _ = try await world.store.setActive(userID: world.users[.secretary]!.id, active: false, by: .commandLine)
            let response = try await post(
                world, "/api/v1/problems/\(problem.id)/closure", #"{"statement":"已整改"}"#,
                token: try await world.token(.clerk))
            #expect(response.status == .conflict)
            #expect(response.errorMessage.contains("还没有可做单位审核"))
        }
    }
}

extension Problem {
    /// The helper asks to close; these walks start before the request, so it is taken back.
    fileprivate func withWithdrawnRequest(_ world: APIWorld) async throws -> Problem {
        try await world.store.withdrawClosure(problemID: id, by: AuditActor(world.users[.clerk]!))
    }
}
