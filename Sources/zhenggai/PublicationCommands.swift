import ArgumentParser
import Foundation
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "公开一个来源的整改情况（全部问题，默认表述，自动隐去个人信息），并以指定书记的名义审核公开")
    @Argument(help: "来源（编号、编号前缀或完整名称）") var source: String
    @Option(help: "只公开某单位（及下属单位）的部分") var unit: String?
    @Option(name: .customLong("approve-as"), help: "审核人的用户名（须为该单位或上级的书记）") var approveAs: String
    @Option(name: .customLong("exempt"), parsing: .singleValue, help: "不予公开：问题编号:依据（1–5，DOMAIN §2 的五种情形），可多次")
    var exempt: [String] = []
    @OptionGroup var options: DataOption

    func run() async throws {
        var exemptions: [(String, ExemptionGround)] = []
        for entry in exempt {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let ground = Int(parts[1]).flatMap(ExemptionGround.init(rawValue:)) else {
                throw ValidationError("--exempt 应为 问题编号:依据，依据为 1 到 5，如 XC2026-03-01-002:3")
            }
            exemptions.append((parts[0], ground))
        }
        let (source, unit, approveAs, list) = (source, unit, approveAs, exemptions)
        let publication = try await Zhenggai.run {
            try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                let found = try await OfficeCommands.findSource(source, store: store)
                let approver = try await store.user(username: approveAs)
                let rows = try await store.ledger(
                    LedgerFilter(scope: .everything, sourceID: found.id),
                    paging: try Paging(perPage: 5_000, maximumPerPage: 5_000), today: store.clock.today()
                ).rows
                var byID: [UUID: (ground: ExemptionGround, reason: String)] = [:]
                for (number, ground) in list {
                    guard let row = rows.first(where: { $0.problem.number == number }) else {
                        throw CommandError("来源中没有问题「\(number)」")
                    }
                    byID[row.problem.id] = (ground, "命令行指定")
                }
                let unitID = try await unit.asyncMap { try await store.unit(named: $0).id }
                let draft = try await Publishing.prepare(
                    .init(sourceID: found.id, unitID: unitID, exemptions: byID), store: store, by: .commandLine)
                guard
                    AccessPolicy.allows(
                        approver.principal, .approvePublication, on: AccessTarget(unitPath: draft.unitPath))
                else { throw CommandError("\(approveAs) 不是该单位或上级的书记，不能审核公开。草稿已保留（第\(draft.version)版）。") }
                return try await store.approvePublication(draft.id, by: AuditActor(approver))
            }
        }
        print(
            "已公开：\(publication.content.title)（第\(publication.version)版，\(publication.content.items.count) 个问题，"
                + "不予公开 \(publication.internalNotes.exemptions.count) 个，隐去 \(publication.internalNotes.masked.count) 处）"
        )
        print("编号 \(publication.id.uuidString)；公示页面 /public/publications/\(publication.id.uuidString)")
    }
}

struct PublicationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publications", abstract: "公开版本和群众评价",
        subcommands: [List.self, Ratings.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出各公开版本")
        @OptionGroup var options: DataOption

        func run() async throws {
            let all = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await store.publications(in: .everything)
                }
            }
            for publication in all {
                print(
                    "\(publication.id.uuidString)\t第\(publication.version)版\t\(publication.status.label)\t"
                        + "\(publication.content.title)\t\(publication.content.items.count) 项\t完成率 \(publication.content.rate)"
                )
            }
        }
    }

    struct Ratings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "导出群众评价（CSV，UTF-8 带 BOM；不含评价码和地址）")
        @Option(help: "输出文件，如 评价.csv") var out: String
        @OptionGroup var options: DataOption

        func run() async throws {
            let rows = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    try await store.ratings(in: .everything)
                }
            }
            func cell(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            var csv = "\u{FEFF}单位,公开内容,版本,事项,季度,满意程度,理由,时间,异常标记\r\n"
            for row in rows {
                let item =
                    row.item == "all"
                    ? "整体"
                    : row.publication.content.items.first { $0.problemID.uuidString == row.item }?.number ?? row.item
                let level = RatingLevel(rawValue: row.level)?.label ?? String(row.level)
                csv +=
                    [
                        row.publication.content.unitName, row.publication.content.title, "第\(row.publication.version)版",
                        item,
                        Publishing.periodLabel(row.period), level, row.reason, LocalDate.chineseTime(row.at),
                        row.flag ?? "",
                    ].map(cell).joined(separator: ",") + "\r\n"
            }
            do {
                try Data(csv.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw CommandError("无法写入 \(out)：\(error.localizedDescription)")
            }
            print("已导出 \(rows.count) 条评价到 \(out)")
        }
    }
}

struct Open311Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open311", abstract: "Open311 GeoReport v2 接口：第三方平台的 api_key",
        subcommands: [Key.self])

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "api_key：add NAME 生成（只显示一次）、list 列出、revoke ID 作废",
            subcommands: [Add.self, List.self, Revoke.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "为一个平台生成 api_key（只显示这一次）")
            @Argument(help: "平台名称，如 12345热线") var name: String
            @OptionGroup var options: DataOption

            func run() async throws {
                let name = name
                let created = try await Zhenggai.run {
                    try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                        try await store.addOpen311Key(name: name, by: .commandLine)
                    }
                }
                print(created.key)
                FileHandle.standardError.write(
                    Data("已为「\(name)」生成 api_key（编号 \(created.id.uuidString)），只显示这一次。\n".utf8))
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "列出 api_key（不显示密钥本身）")
            @OptionGroup var options: DataOption

            func run() async throws {
                let keys = try await Zhenggai.run {
                    try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                        try await store.open311Keys()
                    }
                }
                for key in keys {
                    print(
                        "\(key.id.uuidString)\t\(key.name)\t\(key.active ? "有效" : "已作废")\t\(LocalDate.chineseTime(key.created))"
                    )
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "作废一个 api_key")
            @Argument(help: "编号（见 zhenggai open311 key list）") var id: String
            @OptionGroup var options: DataOption

            func run() async throws {
                guard let keyID = UUID(uuidString: id) else { throw ValidationError("编号格式不对：\(id)") }
                try await Zhenggai.run {
                    try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                        try await store.revokeOpen311Key(keyID, by: .commandLine)
                    }
                }
                print("已作废。")
            }
        }
    }
}
