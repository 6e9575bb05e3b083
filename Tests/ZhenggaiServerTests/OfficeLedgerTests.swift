import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiServices
@testable import ZhenggaiStore

/// Ledger export and import against a real store: the round trip, the preview's checks, re-imports.
@Suite struct OfficeLedgerTests {
    static func seed(_ world: APIWorld, count: Int) async throws -> Source {
        let source = try await world.county.source(world.store, by: world.users[.inspector]!)
        let leader = world.users[.leader]!.id
        let items = (0..<count).map { index in
            (
                problem: NewProblem(
                    sourceID: source.id, text: "问题\(index)：村级财务“白条”入账，\"引号\"，\n换行",
                    categoryCode: index % 2 == 0 ? "B4" : "C3"),
                tasks: [
                    TaskFields(
                        measure: "措施\(index)", kind: index % 5 == 0 ? .ongoing : .scheduled,
                        leaderID: index % 3 == 0 ? leader : nil, leadUnit: "镇财政所", supportingUnits: "镇纪委",
                        assignee: "张三", deadline: index % 5 == 0 ? nil : TestStores.today.adding(days: index % 40 - 20))
                ]
                    + (index % 7 == 0
                        ? [
                            TaskFields(
                                measure: "第二项\(index)", kind: .immediate, leaderID: nil, leadUnit: "党政办",
                                assignee: "李四", deadline: TestStores.today)
                        ] : [])
            )
        }
        _ = try await world.store.createProblems(items, by: .commandLine)
        return source
    }

    static func preview(_ world: APIWorld, _ data: Data, name: String, source: Source? = nil, skip: Set<Int> = [])
        async throws -> LedgerImport.Preview
    {
        try await LedgerImport.preview(
            data: data, fileName: name, source: source, skipRows: skip,
            importer: .system, store: world.store)
    }

    @Test func aThousandProblemsGoOutAndComeBackUnchangedWithoutDuplicates() async throws {
        try await APIWorld.with { world in
            let source = try await Self.seed(world, count: 1_000)
            let filter = LedgerFilter(scope: Scope(subtree: world.county.county.path))
            let rows = try await LedgerExport.rows(store: world.store, filter: filter, today: TestStores.today)
            #expect(rows.count == 1_000 + 143)  // every 7th problem has a second task row
            let xlsx = try LedgerExport.data(rows, format: .xlsx, title: "测试县 整改台账")
            let csv = try LedgerExport.data(rows, format: .csv, title: "测试县 整改台账")
            #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
            // The download streams the same bytes a chunk at a time (1,000 problems: one chunk, then the last).
            let chunks = Chunks()
            try await LedgerExport.streamCSV(
                store: world.store, filter: filter, today: TestStores.today, title: "测试县 整改台账"
            ) { await chunks.add($0) }
            #expect(await chunks.joined == csv)

            // The same file again changes nothing: matched by number, never duplicated.
            for (data, name) in [(xlsx, "台账.xlsx"), (csv, "台账.csv")] {
                let again = try await Self.preview(world, data, name: name, source: source)
                #expect(again.problemLines.isEmpty, "\(name): \(again.problemLines.prefix(3))")
                #expect(again.unchangedProblems == 1_000 && again.newProblems == 0 && again.changedProblems == 0)
                let result = try await LedgerImport.apply(again, store: world.store, by: .commandLine)
                #expect(result == LedgerImportResult())
            }
            #expect(try await world.store.counts(filter, today: TestStores.today).total == 1_000)

            // Read back, the workbook holds the same data as the store.
            let sheet = try XLSXReader.read(xlsx, fileName: "台账.xlsx").sheets[0]
            let page = try await world.store.ledger(
                filter, paging: try Paging(page: 1, perPage: 5), today: TestStores.today)
            let first = page.rows[0]
            let header = sheet.rows.first { $0.number == 2 }!
            #expect(header.cells.map(\.value.displayText).prefix(5) == ["序号", "问题编号", "来源/轮次", "问题类别", "反馈问题"])
            let data = sheet.rows.first { $0.number == 3 }!
            #expect(data[2].value == .text(first.problem.number))
            #expect(data[5].value == .text(first.problem.text))
            #expect(sheet.rows.first { $0.number == 4 }?[5].value == .empty)  // second task row of the same problem
            #expect(data[6].value == .text(first.tasks[0].measure))
            if let deadline = first.tasks[0].deadline {
                #expect(
                    data[11].value == .date(OfficeDate(year: deadline.year, month: deadline.month, day: deadline.day)))
            }
            #expect(data[14].value == .text("未完成"))  // open items are never shown as done

            // Into a fresh source (numbers cleared), the same 1,000 problems are created once.
            let other = try await world.county.source(world.store, by: world.users[.inspector]!, round: 4)
            let withoutNumbers = try CSV.read(csv, fileName: "台账.csv")
            let lines: [[CellValue]] = withoutNumbers.rows.map { row in
                row.cells.enumerated().map { $0.offset == 1 && row.number > 2 ? .empty : $0.element.value }
            }
            let fresh = try await Self.preview(world, CSV.write(lines), name: "新.csv", source: other)
            #expect(fresh.problemLines.isEmpty, "\(fresh.problemLines.prefix(3))")
            #expect(fresh.newProblems == 1_000)
            let created = try await LedgerImport.apply(fresh, store: world.store, by: .commandLine)
            #expect(created.problemsCreated == 1_000 && created.tasksCreated == 1_143)
            let copy = try await world.store.ledger(
                LedgerFilter(scope: Scope(subtree: world.county.county.path), sourceID: other.id),
                paging: try Paging(page: 1, perPage: 500),
                today: TestStores.today)
            #expect(copy.total == 1_000)
            #expect(copy.rows[0].problem.text == first.problem.text)
            // Tasks made in one transaction share a timestamp, so compare them in a stable order.
            func key(_ task: RectificationTask) -> String {
                "\(task.measure)|\(task.kind)|\(task.deadline?.iso ?? "")|\(task.leaderID?.uuidString ?? "")|"
                    + "\(task.leadUnit)|\(task.supportingUnits)|\(task.assignee)"
            }
            #expect(copy.rows[0].tasks.map(key).sorted() == first.tasks.map(key).sorted())
            #expect(try await world.store.verifyAudit().isIntact)
        }
    }

    @Test func anUpdatedSheetUpdatesTheSameProblemsAndIsAudited() async throws {
        try await APIWorld.with { world in
            let source = try await Self.seed(world, count: 3)
            let filter = LedgerFilter(scope: Scope(subtree: world.county.county.path))
            let rows = try await LedgerExport.rows(store: world.store, filter: filter, today: TestStores.today)
            var lines: [[CellValue]] =
                [[.text("标题")], LedgerExport.columns.map { .text($0.header) }] + rows.map(\.values)
            // The first problem has two tasks (two rows, its text only on the first): change its first task.
            lines[2][4] = .text("改写后的问题描述")
            lines[2][5] = .text("改写后的措施")
            lines[2][10] = .date(OfficeDate(year: 2027, month: 1, day: 15))
            lines[2][11] = .text("限期整改")
            lines[3][4] = .text("另写的问题描述")
            let conflicting = try await Self.preview(world, CSV.write(lines), name: "改.csv", source: source)
            #expect(conflicting.problemLines == ["第 4 行：与第 3 行同属一个问题，但「反馈问题」不一致：请改成一致，或只在第一行填写"])
            lines[3][4] = .empty
            let preview = try await Self.preview(world, CSV.write(lines), name: "改.csv", source: source)
            #expect(preview.problemLines.isEmpty, "\(preview.problemLines)")
            #expect(preview.changedProblems == 1 && preview.unchangedProblems == 2)
            let result = try await LedgerImport.apply(preview, store: world.store, by: .commandLine)
            #expect(result.problemsUpdated == 1 && result.tasksUpdated == 1 && result.problemsCreated == 0)
            let after = try await world.store.ledger(
                filter, paging: try Paging(page: 1, perPage: 10), today: TestStores.today)
            #expect(after.total == 3)
            #expect(after.rows[0].problem.text == "改写后的问题描述")
            let changed = try #require(after.rows[0].tasks.first { $0.measure == "改写后的措施" })
            #expect(changed.deadline == LocalDate(year: 2027, month: 1, day: 15) && changed.kind == .scheduled)
            #expect(after.rows[0].tasks.count == 2)
            let trail = try await world.store.auditTrail(entity: "task", id: changed.id.uuidString)
            #expect(trail.last?.action == "task.update")
        }
    }

    static let messy = """
        某镇巡察整改台账
        序号,反馈问题,问题类别,整改措施,责任领导,牵头单位,责任人,完成时限,整改类型
        1,第一个问题,B4,措施一,王不存在,党政办,张三,2026-12-31,限期整改
        2,第二个问题,B4,措施二,,党政办,张三,2024.3,限期整改
        3,第三个问题,B4,措施三,,党政办,张三,3月底前,
        3,第四个问题,B4,措施四,,党政办,张三,2027年3月31日,
        5,,B4,措施五,,党政办,张三,2026-12-31,
        6,第六个问题,Z9,措施六,,党政办,张三,2026-12-31,
        7,第七个问题,惠民资金,措施七,,党政办,张三,长期坚持,
        8,第八个问题,C3 基层党组织建设,措施八,leader,党政办,李四,20261231,立行立改
        """

    @Test func thePreviewNamesEveryRowsProblemAndImportsNothingUntilFixedOrSkipped() async throws {
        try await APIWorld.with { world in
            let source = try await world.county.source(world.store, by: world.users[.inspector]!)
            let data = Data(Self.messy.utf8)
            let preview = try await Self.preview(world, data, name: "台账.csv", source: source)
            let lines = preview.problemLines.joined(separator: "\n")
            // A name not yet in the system is no error: the person is proposed, created with the import.
            #expect(!lines.contains("第 3 行"))
            #expect(preview.proposedPeople == ["张三（青山镇）", "李四（青山镇）", "王不存在（青山镇）"])
            #expect(preview.rows.first { $0.row == 3 }?.proposals.first == "责任领导「王不存在」不在系统中，将新增为人员（无登录账号）")
            #expect(lines.contains("第 4 行：整改时限「2024.3」只写到月份，请写明具体日期（如 2024年3月31日）"))
            #expect(lines.contains("第 5 行：整改时限「3月底前」没有年份"))
            #expect(lines.contains("第 6 行：序号「3」与第 5 行重复"))
            #expect(lines.contains("第 7 行：缺少反馈问题"))
            #expect(lines.contains("第 8 行：未知的问题类别「Z9」"))
            #expect(preview.blockingRows.map(\.row) == [4, 5, 6, 7, 8])
            #expect(!preview.isReady)
            await #expect(throws: LedgerImport.ImportError.self) {
                try await LedgerImport.apply(preview, store: world.store, by: .commandLine)
            }
            #expect(try await world.store.counts(LedgerFilter(scope: .everything), today: TestStores.today).total == 0)

            let skipped = try await Self.preview(world, data, name: "台账.csv", source: source, skip: [4, 5, 6, 7, 8])
            #expect(skipped.isReady && skipped.newProblems == 3 && skipped.skippedProblems == 5)
            let result = try await LedgerImport.apply(skipped, store: world.store, by: .commandLine)
            #expect(result.problemsCreated == 3 && result.peopleCreated == 3)
            let ledger = try await world.store.ledger(
                LedgerFilter(scope: .everything), paging: try Paging(page: 1, perPage: 10), today: TestStores.today)
            #expect(ledger.rows.map(\.problem.categoryCode) == ["B4", "B5", "C3"])
            #expect(ledger.rows[0].tasks[0].leaderName == "王不存在" && ledger.rows[0].tasks[0].leaderPersonID != nil)
            #expect(ledger.rows[1].tasks[0].kind == .ongoing && ledger.rows[1].tasks[0].deadline == nil)
            #expect(ledger.rows[2].tasks[0].leaderID == world.users[.leader]!.id)
            #expect(ledger.rows[2].tasks[0].deadline == LocalDate(year: 2026, month: 12, day: 31))
        }
    }

    @Test(arguments: [
        ("2026-03-31", LedgerDate.date(LocalDate(year: 2026, month: 3, day: 31)!)),
        ("2026/3/31", .date(LocalDate(year: 2026, month: 3, day: 31)!)),
        ("２０２６年３月３１日前", .date(LocalDate(year: 2026, month: 3, day: 31)!)),
        ("长期坚持", .ongoing),
        ("", .none),
    ])
    func ledgerDates(_ text: String, _ expected: LedgerDate) {
        #expect(LedgerDate.parse(text: text, year: 2026) == expected)
    }

    @Test func filesThatAreNoLedgerGetAClearMessageAndStoreNothing() async throws {
        try await APIWorld.with { world in
            let cases: [(Data, String, String)] = [
                (Data("PK\u{03}\u{04}broken".utf8), "坏.xlsx", "坏.xlsx"),
                (
                    Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 600)), "旧.xls",
                    "旧.xls"
                ),
                (Data("甲,乙,丙\n1,2,3\n".utf8), "无表头.csv", "找不到表头"),
            ]
            for (data, name, text) in cases {
                do {
                    _ = try await Self.preview(world, data, name: name)
                    Issue.record("\(name) was accepted")
                } catch let error as LedgerImport.ImportError {
                    #expect(error.userMessage.contains(text), "\(error.userMessage)")
                }
            }
            // A formula and a hidden sheet: the formula row is a problem, the hidden sheet is named and ignored.
            let book = XLSXWriter(sheets: [
                .init(name: "隐藏", columns: [.init("x")], rows: [], isHidden: true),
                .init(
                    name: "台账", columns: [.init("序号"), .init("反馈问题"), .init("问题类别")],
                    rows: [.init([.number(1), .text("问题"), .text("B4")])]),
            ])
            let preview = try await Self.preview(world, try book.data(), name: "台账.xlsx")
            #expect(preview.notices.contains { $0.contains("隐藏") })
            #expect(preview.problemLines.contains { $0.contains("请先选择导入到哪个来源") })
        }
    }
}

actor Chunks {
    private var parts: [Data] = []
    func add(_ part: Data) { parts.append(part) }
    var joined: Data { parts.reduce(Data(), +) }
}
