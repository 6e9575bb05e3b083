import Foundation
public import ZhenggaiCore
import ZhenggaiServices
public import ZhenggaiStore

/// A realistic county to try the system on: three townships with villages, users of every role, an
/// inspection round and an audit whose problems read like the real feedback in ../shared/seeds, and
/// items in every state of the closing workflow. Everything it needs is in this file.
public enum Demo {
    public struct Account: Sendable {
        public var username: String
        public var displayName: String
        public var role: Role
        public var unitName: String
        public var password: String
    }

    public enum DemoError: Error, CustomStringConvertible {
        case notEmpty
        public var description: String {
            "数据目录中已有用户，演示数据只能写入新的空数据目录（请用 --data 指定一个新目录）。"
        }
    }

    /// Creates the demo; `password` sets one password for all accounts (scripts), else each gets a random one.
    public static func load(into store: Store, password: String? = nil, bcryptCost: Int = 12) async throws -> [Account]
    {
        try await store.migrate()
        guard try await store.userCount() == 0 else { throw DemoError.notEmpty }
        let cli = AuditActor.commandLine
        let county = try await store.createUnit(name: "示范县", kind: .county, parentID: nil, by: cli)
        let qingshan = try await store.createUnit(name: "青山镇", kind: .township, parentID: county.id, by: cli)
        let hekou = try await store.createUnit(name: "河口镇", kind: .township, parentID: county.id, by: cli)
        let baisha = try await store.createUnit(name: "白沙镇", kind: .township, parentID: county.id, by: cli)
        let agriculture = try await store.createUnit(name: "县农业农村局", kind: .department, parentID: county.id, by: cli)
        let villages = [
            (qingshan, ["青山村", "石门村"]), (hekou, ["河口社区", "柳树村"]), (baisha, ["白沙村", "东湾村"]),
        ]
        var villageIDs: [String: UUID] = [:]
        for (township, names) in villages {
            for name in names {
                let kind: UnitKind = name.hasSuffix("社区") ? .community : .village
                villageIDs[name] = try await store.createUnit(name: name, kind: kind, parentID: township.id, by: cli).id
            }
        }

        let plan: [(String, String, Role, UnitNode)] = [
            ("admin", "系统管理员", .admin, county),
            ("xunchaban", "刘巡察", .inspector, county),
            ("jiwei", "陈监督", .supervisor, county),
            ("qs_shuji", "王书记", .secretary, qingshan),
            ("qs_zhenzhang", "李镇长", .leader, qingshan),
            ("qs_fuzhen", "赵副镇长", .leader, qingshan),
            ("qs_jingban", "张经办", .clerk, qingshan),
            ("hk_shuji", "孙书记", .secretary, hekou),
            ("hk_jingban", "周经办", .clerk, hekou),
            ("bs_shuji", "吴书记", .secretary, baisha),
            ("bs_jingban", "郑经办", .clerk, baisha),
        ]
        var accounts: [Account] = []
        var users: [String: User] = [:]
        for (username, name, role, unit) in plan {
            let secret = password ?? Passwords.random()
            // Printed random passwords are changed at the first login; one given with --password (scripts,
            // a training room) is the operator's choice and is not.
            let user = try await store.createUser(
                username: username, displayName: name, passwordHash: Passwords.hash(secret, cost: bcryptCost),
                grants: [NewGrant(role: role, unitID: unit.id)], mustChangePassword: password == nil, by: cli)
            users[username] = user
            accounts.append(
                Account(username: username, displayName: name, role: role, unitName: unit.name, password: secret))
        }

        let today = store.clock.today()
        let clerk = AuditActor(users["qs_jingban"]!)
        let secretary = AuditActor(users["qs_shuji"]!)
        let inspector = AuditActor(users["xunchaban"]!)
        let round = try await store.createSource(
            NewSource(
                kind: .inspection, title: "县委第三巡察组对青山镇党委巡察反馈意见", issuer: "县委第三巡察组", round: 3,
                unitID: qingshan.id, feedbackDate: today.adding(days: -75)),
            by: inspector)
        let audit = try await store.createSource(
            NewSource(
                kind: .audit, title: "县审计局对青山镇2025年度财政收支审计", issuer: "县审计局", round: nil,
                unitID: qingshan.id, feedbackDate: today.adding(days: -40), reportMonths: 3),
            by: inspector)

        let leaderLi = users["qs_zhenzhang"]!.id
        let leaderZhao = users["qs_fuzhen"]!.id

        // (text, outline, category, task kind, deadline offset, leader, how far it gets)
        enum Stage { case fresh, progressing, overdue, returned, pendingFirst, pendingSecond, closed, stage, reopened }
        let items: [(UUID, String, [String], String, RectificationKind, Int, UUID, Stage, UUID?)] = [
            (
                round.id, "理论学习中心组学习流于形式，“第一议题”制度落实不到位，学用结合不紧密。",
                ["一、聚焦党的理论和路线方针政策落实方面"], "A1", .scheduled, 30, leaderLi, .progressing, nil
            ),
            (
                round.id, "防止返贫动态监测帮扶机制落实不够到位，个别脱贫户收入监测数据不准确。",
                ["一、聚焦党的理论和路线方针政策落实方面"], "A2", .scheduled, -12, leaderZhao, .overdue, nil
            ),
            (
                round.id, "“三重一大”事项集体决策制度执行不严格，个别项目未经班子会议研究即实施。",
                ["一、聚焦党的理论和路线方针政策落实方面"], "A4", .immediate, -30, leaderLi, .closed, nil
            ),
            (
                round.id, "落实全面从严治党主体责任有差距，班子成员“一岗双责”履行不到位。",
                ["二、聚焦全面从严治党方面"], "B1", .ongoing, 120, leaderLi, .stage, nil
            ),
            (
                round.id, "村级财务管理不规范，部分村存在白条入账、大额现金支付现象。",
                ["二、聚焦全面从严治党方面"], "B4", .scheduled, -5, leaderZhao, .reopened, villageIDs["石门村"]
            ),
            (
                round.id, "公务接待管理不规范，存在接待清单填写不全、无公函接待的情况。",
                ["二、聚焦全面从严治党方面"], "B2", .scheduled, 8, leaderZhao, .returned, nil
            ),
            (
                round.id, "“三会一课”制度落实不严格，部分村党支部组织生活会质量不高、批评与自我批评辣味不足。",
                ["三、聚焦基层党组织建设方面"], "C3", .scheduled, 15, leaderLi, .pendingFirst, villageIDs["青山村"]
            ),
            (
                round.id, "年轻干部培养使用力度不够，干部队伍年龄结构不合理。",
                ["三、聚焦基层党组织建设方面"], "C4", .ongoing, 200, leaderLi, .fresh, nil
            ),
            (
                audit.id, "专项资金使用不规范，部分涉农补贴资金未按规定及时拨付到户。",
                ["二、审计发现的主要问题"], "B5", .scheduled, 25, leaderZhao, .pendingSecond, nil
            ),
            (
                audit.id, "集体资产发包程序不规范，个别资源发包未经民主程序、合同期限过长。",
                ["二、审计发现的主要问题"], "B4", .scheduled, -3, leaderZhao, .overdue, villageIDs["青山村"]
            ),
        ]
        let evidencePDF = Data(minimalPDF.utf8)
        for (sourceID, text, outline, category, kind, offset, leaderID, stage, unitID) in items {
            let problem = try await store.createProblem(
                NewProblem(
                    sourceID: sourceID, unitID: unitID, text: text, outlinePath: outline, categoryCode: category),
                by: clerk)
            if stage == .fresh { continue }
            let task = try await store.createTask(
                problemID: problem.id,
                TaskFields(
                    measure: "制定专项整改方案，逐项明确整改措施和完成时限，建立长效机制。", kind: kind, leaderID: leaderID,
                    leadUnit: "青山镇党政办", supportingUnits: "镇纪委、镇财政所", assignee: "张经办",
                    deadline: kind == .ongoing ? nil : today.adding(days: offset)),
                by: clerk)
            _ = try await store.addProgress(
                taskID: task.id, date: today.adding(days: -20), text: "召开专题会议研究部署，制定整改方案并印发。", by: clerk)
            if stage == .progressing || stage == .overdue { continue }
            _ = try await store.addEvidence(
                problemID: problem.id, taskID: task.id, fileName: "整改佐证材料.pdf", data: evidencePDF, by: clerk)
            if kind != .ongoing { _ = try await store.completeTask(task.id, version: task.version, by: clerk) }
            _ = try await store.requestClosure(
                problemID: problem.id, statement: "已按整改方案完成整改，相关制度已建立并执行。", by: clerk)
            if stage == .pendingFirst { continue }
            if stage == .returned {
                _ = try await store.returnClosure(
                    problemID: problem.id, stage: .first, reason: "佐证材料不全，请补充接待清单和公函复印件。", by: secretary)
                continue
            }
            _ = try await store.approveClosure(problemID: problem.id, stage: .first, by: secretary)
            if stage == .pendingSecond { continue }
            _ = try await store.approveClosure(problemID: problem.id, stage: .second, by: inspector)
            if stage == .reopened {
                _ = try await store.reopen(
                    problemID: problem.id, reason: "回头看发现石门村仍有白条入账现象，问题反弹。", by: inspector)
            }
        }

        // The audit found again what the inspection had closed: a 屡改屡犯 candidate to confirm or dismiss.
        _ = try await store.createProblem(
            NewProblem(
                sourceID: audit.id, text: "个别重大项目仍未经班子会议集体研究决策即实施，“三重一大”集体决策制度执行不到位。",
                outlinePath: ["二、审计发现的主要问题"], categoryCode: "A4"),
            by: clerk)

        // The same round in the other townships, so the county sees shared problems (共性问题) and a ledger
        // that spans units.
        let others: [(UnitNode, String, String, [(String, String, Int)])] = [
            (
                hekou, "hk_jingban", "hk_shuji",
                [
                    ("村级财务管理不规范，个别村存在白条入账、大额现金支付问题。", "B4", -8),
                    ("“三会一课”制度执行不到位，部分支部组织生活不经常、不认真。", "C3", 25),
                    ("惠民补贴资金发放审核把关不严，存在优亲厚友现象。", "B5", 40),
                ]
            ),
            (
                baisha, "bs_jingban", "bs_shuji",
                [
                    ("部分村财务管理不规范，白条入账、大额现金支付现象较为普遍。", "B4", 12),
                    ("理论学习中心组学习不深入，学用结合不紧密。", "A1", 60),
                    ("公务接待不规范，超标准接待、无公函接待问题仍然存在。", "B2", -2),
                ]
            ),
        ]
        for (township, clerkName, secretaryName, problems) in others {
            let townshipClerk = AuditActor(users[clerkName]!)
            let source = try await store.createSource(
                NewSource(
                    kind: .inspection, title: "县委第三巡察组对\(township.name)党委巡察反馈意见", issuer: "县委第三巡察组",
                    round: 3, unitID: township.id, feedbackDate: today.adding(days: -70)),
                by: inspector)
            for (index, (text, category, offset)) in problems.enumerated() {
                let problem = try await store.createProblem(
                    NewProblem(sourceID: source.id, text: text, outlinePath: ["一、存在的主要问题"], categoryCode: category),
                    by: townshipClerk)
                let task = try await store.createTask(
                    problemID: problem.id,
                    TaskFields(
                        measure: "逐项对照整改，健全制度，开展专项检查。", kind: .scheduled, leaderID: users[secretaryName]!.id,
                        leadUnit: "\(township.name)党政办", assignee: users[clerkName]!.displayName,
                        deadline: today.adding(days: offset)),
                    by: townshipClerk)
                _ = try await store.addProgress(
                    taskID: task.id, date: today.adding(days: -15), text: "已制定整改方案并召开专题会议部署。", by: townshipClerk)
                guard index == 2 else { continue }
                _ = try await store.addEvidence(
                    problemID: problem.id, taskID: task.id, fileName: "整改佐证材料.pdf", data: evidencePDF, by: townshipClerk
                )
                _ = try await store.completeTask(task.id, version: task.version, by: townshipClerk)
                _ = try await store.requestClosure(
                    problemID: problem.id, statement: "已完成整改并建立长效机制。", by: townshipClerk)
                _ = try await store.approveClosure(
                    problemID: problem.id, stage: .first, by: AuditActor(users[secretaryName]!))
                _ = try await store.approveClosure(problemID: problem.id, stage: .second, by: inspector)
            }
        }

        // The 纪委 presses what is late: a 督办 on 河口镇's overdue finance item, and a 约谈 of its secretary.
        let supervisor = AuditActor(users["jiwei"]!)
        let late = try await store.ledger(
            LedgerFilter(scope: Scope(subtree: hekou.path), overdueOn: today), paging: try Paging(perPage: 10),
            today: today
        ).rows
        if let item = late.first {
            _ = try await store.createPressing(
                NewPressing(
                    kind: .order, problemID: item.problem.id, text: "该问题已超过整改时限，请于限期内报送整改进展和逾期原因。",
                    answerDue: today.adding(days: 5)),
                by: supervisor)
            _ = try await store.createPressing(
                NewPressing(
                    kind: .talk, problemID: item.problem.id, text: "就村级财务整改进度滞后约谈镇党委书记。",
                    talkDate: today.adding(days: -1), participants: "河口镇党委书记；县纪委监委第二监督检查室",
                    outcome: "当场表态，10日内完成白条清理并报送整改情况。"),
                by: supervisor)
        }
        // 青山镇 publishes its progress on the inspection round; residents rate it with codes from a 评议会.
        let inspectionRound = try await store.sources(in: Scope(subtree: qingshan.path)).first {
            $0.kind == .inspection && $0.unitID == qingshan.id
        }
        if let inspectionRound {
            let draft = try await Publishing.prepare(.init(sourceID: inspectionRound.id), store: store, by: clerk)
            let published = try await store.approvePublication(draft.id, by: secretary)
            let codes = try await store.issueRatingCodes(publicationID: published.id, count: 5, by: clerk)
            let period = Publishing.ratingPeriod(today)
            let first = published.content.items.first?.problemID.uuidString ?? "all"
            for (code, level) in zip(
                codes, [RatingLevel.satisfied, .verySatisfied, .neutral, .dissatisfied, .satisfied])
            {
                _ = try await store.rate(
                    publicationID: published.id, item: first, period: period, code: code, level: level, reason: "",
                    address: "10.0.0.\(level.rawValue)")
                _ = try await store.rate(
                    publicationID: published.id, item: "all", period: period, code: code, level: level, reason: "",
                    address: "10.0.0.\(level.rawValue)")
            }
            // The link the clerk posted in the village's WeChat group, open until the quarter ends.
            let quarterEnd = Publishing.firstDay(ofRatingPeriod: period)!.adding(months: 3).adding(days: -1)
            _ = try await store.issueRatingLink(
                publicationID: published.id, label: "青山村村民群", lastDay: quarterEnd, by: clerk)
        }
        try await loadAppeals(
            store: store, townships: [qingshan, hekou, baisha], agriculture: agriculture, villages: villageIDs,
            users: users)
        return accounts
    }

    /// The appeals desk configured (categories, routing table) and appeals in every state: waiting to be
    /// dispatched, not accepted, in hand, disputed, answered, closed and visited (one reopened),
    /// merged, one led by a town with others assisting and pressed, and one brought into the ledger.
    static func loadAppeals(
        store: Store, townships: [UnitNode], agriculture: UnitNode, villages: [String: UUID], users: [String: User]
    ) async throws {
        let cli = AuditActor.commandLine
        let categories = [
            ("HJWS", "环境卫生", "垃圾清运、污水、村容村貌", "垃圾,污水,卫生,环境", "人居环境"),
            ("CWGK", "村务公开", "村务、财务公开不及时不全面", "村务公开,财务公开,公示", "基层治理"),
            ("DBJZ", "低保救助", "低保、特困、临时救助的申请和发放", "低保,救助,特困", "民生保障"),
            ("NCJF", "农村建房", "宅基地审批、农房建设", "宅基地,建房,农房", "农业农村"),
            ("DLJT", "道路交通", "村道、桥梁、路灯", "道路,路灯,桥梁", "基础设施"),
            ("QT", "其他", "其他诉求", "其他", "其他"),
        ]
        for (code, name, description, keywords, group) in categories {
            try await store.saveAppealCategory(
                AppealCategory(code: code, name: name, description: description, keywords: keywords, group: group),
                by: cli)
        }
        for township in townships {
            for code in ["HJWS", "CWGK", "DBJZ"] {
                try await store.setAppealRoute(category: code, areaID: township.id, departmentID: township.id, by: cli)
            }
        }
        try await store.setAppealRoute(category: "NCJF", areaID: nil, departmentID: agriculture.id, by: cli)
        let clerk = AuditActor(users["qs_jingban"]!)
        let secretary = AuditActor(users["qs_shuji"]!)
        func register(_ kind: Appeal.Kind, _ category: String, _ village: String, _ text: String, name: String)
            async throws -> Appeal
        {
            try await AppealDesk.register(
                NewAppeal(
                    channel: .phone, kind: kind, category: category, areaID: villages[village]!,
                    place: "\(village)村委会附近",
                    text: text, personName: name, personPhone: "1380000\(String(format: "%04d", text.count))"),
                store: store, by: clerk)
        }
        _ = try await register(.suggestion, "DLJT", "青山村", "青山村主干道路灯损坏多处，夜间出行不便，建议尽快维修。", name: "陈大爷")
        let outside = try await register(.help, "QT", "石门村", "邻县亲戚的土地纠纷，请镇里帮忙调解。", name: "刘女士")
        _ = try await AppealDesk.reject(outside.id, reason: "属邻县管辖，已告知诉求人向当地反映。", store: store, by: clerk)
        _ = try await register(.complaint, "HJWS", "石门村", "石门村垃圾池长期未清运，夏天臭味严重。", name: "王先生")
        let again = try await register(.complaint, "HJWS", "石门村", "石门村的垃圾池很久没人清运，气味很大。", name: "李阿姨")
        let first = try await store.appeals(in: .everything).first { $0.text.hasPrefix("石门村垃圾池") }!
        _ = try await AppealDesk.merge(again.id, into: first.id, store: store, by: clerk)
        let disputed = try await register(.help, "NCJF", "青山村", "申请翻建危房，宅基地审批半年没有结果。", name: "赵师傅")
        _ = try await AppealDesk.dispute(
            disputed.id, reason: "宅基地审批由镇自然资源所办理，非本局职责。", store: store, by: AuditActor(id: nil, name: "县农业农村局"))
        let answered = try await register(.consultation, "DBJZ", "青山村", "想咨询低保申请需要哪些材料。", name: "孙大姐")
        _ = try await AppealDesk.answer(
            answered.id, text: "已电话告知：身份证、户口簿、收入证明，到村便民服务站申请。", store: store, by: clerk)
        let closed = try await register(.complaint, "CWGK", "石门村", "石门村财务公开栏半年没有更新。", name: "周先生")
        _ = try await AppealDesk.answer(closed.id, text: "已督促石门村更新公开栏，并建立每月10日前公开制度。", store: store, by: clerk)
        _ = try await AppealDesk.close(closed.id, store: store, by: secretary)
        _ = try await AppealDesk.visit(
            closed.id, level: .satisfied, reason: "已更新", reopen: false, store: store, by: clerk)
        let reopened = try await register(.complaint, "HJWS", "青山村", "青山村污水直排河道，多次反映未解决。", name: "吴先生")
        _ = try await AppealDesk.answer(reopened.id, text: "已安排清理排污口。", store: store, by: clerk)
        _ = try await AppealDesk.close(reopened.id, store: store, by: secretary)
        _ = try await AppealDesk.visit(
            reopened.id, level: .dissatisfied, reason: "只清理了一次，污水仍在直排。", reopen: true, store: store, by: clerk)
        let ledger = try await register(.complaint, "CWGK", "青山村", "青山村村务公开只贴结果不贴过程，群众看不懂。", name: "郑先生")
        _ = try await AppealDesk.toProblem(
            [ledger.id], text: "村务公开只公开结果不公开过程，群众反映集中。", categoryCode: "C4", store: store, by: secretary)
        // 首接负责制: a drain on the boundary of two towns; 青山镇 leads and answers, 河口镇 and the county's
        // agriculture bureau assist. The person's photo note comes at 受理; the supervisor presses it.
        var crossing = NewAppeal(
            channel: .walkIn, kind: .help, category: "HJWS", areaID: villages["青山村"]!, place: "青山村与河口镇交界的排水渠",
            text: "青山村与河口镇交界的排水渠堵塞，雨天积水淹了农田，两边都说不归自己管。", personName: "钱大伯",
            personPhone: "13800001234")
        crossing.attachments = [FileUpload(name: "积水现场说明.pdf", data: Data(minimalPDF.utf8))]
        let shared = try await AppealDesk.register(crossing, store: store, by: clerk)
        _ = try await AppealDesk.dispatch(
            shared.id, to: townships[0].id, assisting: [townships[1].id, agriculture.id], store: store, by: clerk)
        _ = try await AppealDesk.progress(
            shared.id, note: "河口镇已清理本镇一侧渠道淤泥约200米。", store: store, by: AuditActor(users["hk_jingban"]!))
        _ = try await store.createPressing(
            NewPressing(
                kind: .order, text: "该诉求涉及两镇一局，群众反映强烈，请青山镇牵头限期办结并反馈。",
                answerDue: store.clock.today().adding(days: 7), appealID: shared.id),
            by: AuditActor(users["jiwei"]!))
        // The month's figures before the public, as the desk publishes them each month.
        _ = try await AppealReports.publish(month: String(store.clock.today().iso.prefix(7)), store: store, by: cli)
    }

    /// A one-page PDF that any viewer opens, standing in for a scanned 佐证材料.
    static let minimalPDF = """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """
}
