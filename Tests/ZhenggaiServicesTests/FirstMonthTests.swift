import Foundation
import Testing
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiTestSupport

@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// A county's first month, from nothing: the county named at the first start, its units and people from
/// the template, then a township's own 整改台账 as townships keep them.
@Suite struct FirstMonthTests {
    /// The layout of the issue: a title row merged across the sheet naming the round, a two-row header,
    /// no 问题类别 and no 来源 column, a blank row and a note row at the bottom.
    static func townshipLedger() throws -> Data {
        let headers = ["序号", "存在问题", "整改措施", "责任领导", "责任单位", "责任人", "整改时限", "整改情况", "整改情况"]
        let sub: [CellValue] = [.empty, .empty, .empty, .empty, .empty, .empty, .empty, .text("完成情况"), .text("完成时间")]
        let rows: [[CellValue]] = [
            sub,
            [
                .number(1), .text("村级财务管理不规范，部分村存在白条入账、大额现金支付问题。"),
                .text("开展村级财务专项清理，规范报销流程。"), .text("王明"), .text("镇财政所"), .text("李华"),
                .text("2026年12月31日前"), .text("已完成"), .text("2026年11月20日"),
            ],
            [
                .number(2), .text("基层党组织“三会一课”制度落实不到位，部分支部组织生活流于形式。"),
                .text("制定支部组织生活计划，镇党委每季度督查。"), .text("王明"), .text("党建办"), .text("陈刚"),
                .text("长期坚持"), .text("持续推进中"), .empty,
            ],
            [
                .number(3), .text("落实中央八项规定精神不严格，公务接待管理不规范，存在超标准接待问题。"),
                .text("修订公务接待管理办法，清退超标准费用。"), .text("张伟"), .text("党政办"), .text("李华"),
                .text("2027年1月31日"), .empty, .empty,
            ],
            [],
            [.text("注：1.整改时限为“长期坚持”的，须建立长效机制；2.本表由党政办汇总，每月5日前报县委巡察办。")],
        ]
        let sheet = XLSXWriter.Sheet(
            name: "整改台账", title: "清河镇党委落实县委第三巡察组反馈意见整改台账",
            columns: headers.map { XLSXWriter.Column($0) }, rows: rows.map { XLSXWriter.Row($0) })
        return try XLSXWriter(sheets: [sheet]).data()
    }

    /// The template filled in: the columns are read from the template the page hands out.
    static func organisation() throws -> Data {
        let template = try XLSXReader.read(try OrganisationImport.template(), fileName: "模板.xlsx").sheets[0]
        let header = try #require(template.rows.first { $0.cells.contains { $0.value == .text("姓名") } })
        let columns = header.cells.map { XLSXWriter.Column($0.value.displayText) }
        #expect(columns.map(\.header) == ["单位", "上级单位", "姓名", "职务", "角色", "手机号", "用户名"])
        let lines = [
            ["清河镇", "清河县", "王明", "党委书记", "党组织书记", "", "qh_wangming"],
            ["清河镇", "清河县", "李华", "党政办主任", "经办人", "", "qh_lihua"],
            ["清河镇", "清河县", "张伟", "镇长", "", "", ""],
            ["东村", "清河镇", "赵强", "村党支部书记", "", "", ""],
        ]
        let sheet = XLSXWriter.Sheet(
            name: "单位和人员", columns: columns, rows: lines.map { XLSXWriter.Row($0.map { CellValue.text($0) }) })
        return try XLSXWriter(sheets: [sheet]).data()
    }

    @Test func aFreshCountyImportsATownshipsOwnLedger() async throws {
        try await TestStores.withStore { store in
            let password = try await Commands.prepare(store, countyName: "清河县")
            #expect(password != nil)
            let county = try #require(try await store.units(in: .everything).first)
            #expect(county.name == "清河县")
            let admin = try await store.user(username: "admin")
            #expect(admin.mustChangePassword)

            // The unit tree and its people from the template: logins for those with a role.
            let organisation = try Self.organisation()
            let planned = try await OrganisationImport.preview(
                data: organisation, fileName: "单位和人员.xlsx", admin: admin.principal, store: store)
            #expect(planned.blocking == 0, "\(planned.rows.compactMap(\.problem))")
            #expect(planned.newUnits == 2 && planned.newPeople == 4 && planned.newLogins == 2)
            let made = try await OrganisationImport.apply(
                data: organisation, fileName: "单位和人员.xlsx", admin: admin.principal, store: store,
                by: .commandLine)
            #expect(made.logins.map(\.username).sorted() == ["qh_lihua", "qh_wangming"])
            let township = try #require(try await store.units(in: .everything).first { $0.name == "清河镇" })
            #expect(
                try await store.units(in: .everything).first { $0.name == "东村" }?.path.hasPrefix(township.path) == true)

            // The township's sheet into the empty ledger, with no source chosen.
            let sheet = try Self.townshipLedger()
            let preview = try await LedgerImport.preview(
                data: sheet, fileName: "清河镇整改台账.xlsx", source: nil, skipRows: [],
                importer: .init(principal: admin.principal), store: store)
            #expect(preview.problemLines.isEmpty, "\(preview.problemLines)")
            #expect(preview.newProblems == 3)
            #expect(preview.proposedSources.count == 1)
            let proposed = try #require(preview.proposedSources.first)
            #expect(proposed.contains("清河镇党委落实县委第三巡察组反馈意见") && proposed.contains("县委第三巡察组"))
            #expect(proposed.contains("被巡察（检查）单位 清河镇"))
            // People in the tree are linked; the one who is not is proposed as a person without a login.
            #expect(preview.proposedPeople == ["陈刚（清河镇）"])
            // Every problem has a proposed category to confirm; the note row is recognised, not a problem.
            let firstRows = preview.rows.filter { !$0.text.isEmpty }
            #expect(firstRows.count == 3)
            #expect(firstRows.allSatisfy { $0.proposals.contains { $0.hasPrefix("问题类别未填写，按内容建议为") } })
            #expect(preview.notices.contains { $0.contains("说明行") })
            #expect(!preview.rows.contains { $0.text.hasPrefix("注") })

            // Accepting creates the source, the person and the problems, in one step.
            let result = try await LedgerImport.apply(preview, store: store, by: .commandLine)
            #expect(result.sourcesCreated == 1 && result.peopleCreated == 1 && result.problemsCreated == 3)
            #expect(result.tasksCreated == 3)
            let sources = try await store.sources(in: .everything)
            #expect(sources.map(\.title) == ["清河镇党委落实县委第三巡察组反馈意见"])
            #expect(sources.first?.kind == .inspection && sources.first?.unitID == township.id)

            let ledger = try await store.ledger(
                LedgerFilter(scope: .everything), paging: try Paging(page: 1, perPage: 10), today: TestStores.today)
            #expect(ledger.total == 3)
            let finance = try #require(ledger.rows.first { $0.problem.text.hasPrefix("村级财务") })
            // 「已完成」 in the sheet is kept as what the township reported, never as a reviewed closure.
            #expect(finance.problem.status == .open)
            #expect(finance.imported.contains { $0.kind == .completion && $0.text == "已完成" })
            #expect(finance.statusText != "已完成" && finance.timeliness != .onTime)
            let wangming = try await store.user(username: "qh_wangming")
            let lihua = try await store.user(username: "qh_lihua")
            #expect(finance.tasks[0].leaderName == "王明" && finance.tasks[0].leaderID == wangming.id)
            #expect(finance.tasks[0].assignee == "李华" && finance.tasks[0].assigneePersonID != nil)
            let meetings = try #require(ledger.rows.first { $0.problem.text.contains("三会一课") })
            #expect(meetings.tasks[0].kind == .ongoing && meetings.tasks[0].deadline == nil)
            #expect(meetings.tasks[0].assignee == "陈刚" && meetings.tasks[0].assigneePersonID != nil)
            let reception = try #require(ledger.rows.first { $0.problem.text.contains("公务接待") })
            #expect(reception.problem.categoryCode.hasPrefix("A") || reception.problem.categoryCode.hasPrefix("B"))
            #expect(reception.tasks[0].leaderName == "张伟" && reception.tasks[0].leaderID == nil)

            // 「只看我负责的」 for the clerk who does the work: both tasks where she is the 责任人.
            var mine = LedgerFilter(scope: Scope(subtree: township.path))
            mine.responsibleUserID = lihua.id
            let hers = try await store.ledger(mine, paging: try Paging(page: 1, perPage: 10), today: TestStores.today)
            #expect(hers.total == 2)
            #expect(try await store.verifyAudit().isIntact)
        }
    }
}
