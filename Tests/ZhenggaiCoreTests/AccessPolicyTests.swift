import Testing

@testable import ZhenggaiCore

@Suite struct AccessPolicyTests {
    // county /c/ → township /c/t/ → village /c/t/v/; a sibling township /c/s/.
    func principal(_ role: Role, at path: String, id: String = "me") -> Principal {
        Principal(userID: id, grants: [RoleGrant(role: role, unitID: path, unitPath: path)])
    }

    @Test func aRoleReachesItsSubtreeButNeverASibling() {
        let clerk = principal(.clerk, at: "/c/t/")
        #expect(AccessPolicy.allows(clerk, .editProblem, on: .init(unitPath: "/c/t/")))
        #expect(AccessPolicy.allows(clerk, .editProblem, on: .init(unitPath: "/c/t/v/")))
        #expect(!AccessPolicy.allows(clerk, .editProblem, on: .init(unitPath: "/c/s/")))
        #expect(!AccessPolicy.allows(clerk, .read, on: .init(unitPath: "/c/")))
    }

    @Test func aLeaderEditsOnlyTheItemsTheyLead() {
        let leader = principal(.leader, at: "/c/t/", id: "L")
        #expect(AccessPolicy.allows(leader, .addProgress, on: .init(unitPath: "/c/t/", taskLeaderIDs: ["L"])))
        #expect(!AccessPolicy.allows(leader, .addProgress, on: .init(unitPath: "/c/t/", taskLeaderIDs: ["X"])))
        #expect(!AccessPolicy.allows(leader, .editProblem, on: .init(unitPath: "/c/t/", taskLeaderIDs: ["L"])))
    }

    @Test func theSecondReviewComesFromAboveTheUnit() {
        let ownSecretary = principal(.secretary, at: "/c/t/")
        let countySecretary = principal(.secretary, at: "/c/")
        #expect(AccessPolicy.allows(ownSecretary, .firstReview, on: .init(unitPath: "/c/t/")))
        #expect(!AccessPolicy.allows(ownSecretary, .secondReview, on: .init(unitPath: "/c/t/")))
        #expect(AccessPolicy.allows(countySecretary, .secondReview, on: .init(unitPath: "/c/t/")))
        #expect(AccessPolicy.allows(principal(.inspector, at: "/c/"), .secondReview, on: .init(unitPath: "/c/t/")))
    }

    /// The supervisor (纪委, 组织部) reads and presses (督办, 约谈); it changes nothing of the ledger itself.
    @Test func aSupervisorReadsAndPressesOnly() {
        let supervisor = principal(.supervisor, at: "/c/")
        let writes = Action.allCases.filter { $0 != .read && $0 != .readAuditLog && $0 != .supervise }
        for action in writes {
            #expect(!AccessPolicy.allows(supervisor, action, on: .init(unitPath: "/c/t/")), "\(action)")
        }
        #expect(AccessPolicy.allows(supervisor, .read, on: .init(unitPath: "/c/t/v/")))
        #expect(AccessPolicy.allows(supervisor, .supervise, on: .init(unitPath: "/c/t/v/")))
        #expect(!AccessPolicy.allows(supervisor, .supervise, on: .init(unitPath: "/d/")))
    }

    @Test func scopeDropsNestedGrantsAndFollowsTheAction() {
        let both = Principal(
            userID: "u",
            grants: [
                RoleGrant(role: .clerk, unitID: "t", unitPath: "/c/t/"),
                RoleGrant(role: .leader, unitID: "v", unitPath: "/c/t/v/"),
                RoleGrant(role: .clerk, unitID: "s", unitPath: "/c/s/"),
            ])
        #expect(Scope(both).roots == ["/c/s/", "/c/t/"])
        #expect(Scope(both).contains("/c/t/v/x/"))
        #expect(!Scope(both).contains("/c/"))
        // Only the grants whose role may take the action: a clerk manages no users anywhere.
        #expect(Scope(both, for: .manageUsers).isEmpty)
        #expect(Scope(both, for: .requestClosure).roots == ["/c/s/", "/c/t/"])
        #expect(Scope.everything.contains("/anything/"))
        #expect(!Scope.nothing.contains("/c/"))
    }
}
