import ArgumentParser
import Foundation
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiStore

// The organisation and accounts from the command line. The command line acts as the system (audit actor
// 命令行) over the whole tree; every change goes through the same audited store calls as the pages.

extension UnitCommand {
    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "单位改名（如首次启动时的「本县」改为本县名称）")
        @Argument(help: "现名称或编号") var unit: String
        @Argument(help: "新名称") var name: String
        @OptionGroup var options: DataOption

        func run() async throws {
            let renamed = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let found = try await store.unit(named: unit)
                    return try await store.renameUnit(found.id, to: name, by: .commandLine)
                }
            }
            print("已将「\(unit)」改名为「\(renamed.name)」")
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "把单位（连同下级单位、来源和问题）移到另一个上级单位之下")
        @Argument(help: "单位名称或编号") var unit: String
        @Option(help: "新的上级单位（名称或编号）") var parent: String
        @OptionGroup var options: DataOption

        func run() async throws {
            let moved = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let found = try await store.unit(named: unit)
                    let target = try await store.unit(named: parent)
                    return try await store.moveUnit(found.id, under: target.id, by: .commandLine)
                }
            }
            print("已将「\(moved.name)」移到「\(parent)」之下")
        }
    }

    struct Retire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "撤销单位（连同下级单位）：保留历史，不能再录入新事项；--restore 恢复")
        @Argument(help: "单位名称或编号") var unit: String
        @Flag(help: "恢复已撤销的单位") var restore = false
        @OptionGroup var options: DataOption

        func run() async throws {
            let changed = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let found = try await store.unit(named: unit)
                    return try await store.retireUnit(found.id, retire: !restore, by: .commandLine)
                }
            }
            print(restore ? "已恢复「\(changed.name)」" : "已撤销「\(changed.name)」（\(changed.retiredOn?.chinese ?? "")）")
        }
    }
}

extension UserCommand {
    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "停用用户（人员离开时）：其所有登录立即失效，历史保留")
        @Argument(help: "用户名") var name: String
        @OptionGroup var options: DataOption

        func run() async throws {
            try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    _ = try await store.setActive(
                        userID: try await store.user(username: name).id, active: false, by: .commandLine)
                }
            }
            print("已停用 \(name)，其所有登录已失效")
        }
    }

    struct Activate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "重新启用用户")
        @Argument(help: "用户名") var name: String
        @OptionGroup var options: DataOption

        func run() async throws {
            try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    _ = try await store.setActive(
                        userID: try await store.user(username: name).id, active: true, by: .commandLine)
                }
            }
            print("已启用 \(name)")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "设置用户密码（从标准输入读取；用户下次登录时须修改），该用户的所有登录退出")
        @Argument(help: "用户名") var name: String
        @Flag(name: .customLong("password-stdin"), help: "从标准输入读取密码（必需：密码不得出现在命令行上）")
        var passwordStdin = false
        @OptionGroup var options: DataOption

        func run() async throws {
            guard passwordStdin else { throw ValidationError("请用 --password-stdin 从标准输入提供密码。") }
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let password = String(decoding: input, as: UTF8.self).trimmingCharacters(in: .newlines)
            try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let user = try await store.user(username: name)
                    try await Accounts(store: store, bcryptCost: 12).setPassword(
                        userID: user.id, password: password, by: .commandLine)
                }
            }
            print("已设置 \(name) 的密码；该用户的所有登录已退出，下次登录时须修改密码")
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "给用户增加一个角色")
        @Argument(help: "用户名") var name: String
        @Option(help: "角色：admin, inspector, supervisor, secretary, leader, clerk") var role: String
        @Option(help: "单位（名称或编号）") var unit: String
        @OptionGroup var options: DataOption

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("未知的角色：\(role)") }
            let user = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let unitNode = try await store.unit(named: unit)
                    return try await store.addGrant(
                        userID: try await store.user(username: name).id, NewGrant(role: role, unitID: unitNode.id),
                        by: .commandLine)
                }
            }
            print("\(name) 的角色：\(user.grants.map { "\($0.unitName)·\($0.role.label)" }.joined(separator: "，"))")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "取消用户的一个角色（最后一个角色不能取消，请改用 deactivate）")
        @Argument(help: "用户名") var name: String
        @Option(help: "角色") var role: String
        @Option(help: "单位（名称或编号）") var unit: String
        @OptionGroup var options: DataOption

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("未知的角色：\(role)") }
            let user = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let unitNode = try await store.unit(named: unit)
                    return try await store.removeGrant(
                        userID: try await store.user(username: name).id, NewGrant(role: role, unitID: unitNode.id),
                        by: .commandLine)
                }
            }
            print("\(name) 的角色：\(user.grants.map { "\($0.unitName)·\($0.role.label)" }.joined(separator: "，"))")
        }
    }
}

extension ImportCommand {
    struct Organisation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "organisation",
            abstract: "从表格导入单位和人员（模板列：单位、上级单位、姓名、职务、角色、手机号、用户名）；--template 写出模板")
        @Argument(help: "表格文件（.xlsx 或 .csv）；与 --template 同用时为模板的输出路径") var file: String
        @Flag(name: .customLong("dry-run"), help: "只列出每行将要做什么，不保存") var dryRun = false
        @Flag(help: "把导入模板写到 FILE") var template = false
        @OptionGroup var options: DataOption

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            if template {
                try OrganisationImport.template().write(to: url)
                print("已写出模板：\(url.path)")
                return
            }
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw ValidationError("无法读取 \(file)：\(error.localizedDescription)")
            }
            let dry = dryRun
            let outcome = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let system = Principal(userID: "", grants: [RoleGrant(role: .admin, unitID: "", unitPath: "/")])
                    let preview = try await OrganisationImport.preview(
                        data: data, fileName: url.lastPathComponent, admin: system, store: store)
                    guard !dry, preview.blocking == 0 else { return (preview, OrganisationImport.Result?.none) }
                    let result = try await OrganisationImport.apply(
                        data: data, fileName: url.lastPathComponent, admin: system, store: store, by: .commandLine)
                    return (preview, result)
                }
            }
            let (preview, result) = outcome
            for row in preview.rows {
                let what = row.problem.map { "问题：\($0)" } ?? row.actions.joined(separator: "；")
                print("第 \(row.number) 行  \(row.unit)  \(row.name)  \(what)")
            }
            print("新建单位 \(preview.newUnits) 个，新增人员 \(preview.newPeople) 名，开通账号 \(preview.newLogins) 个。")
            if let result {
                print("已导入。初始密码只显示这一次，首次登录须修改：")
                for login in result.logins {
                    print("  \(login.username)\t\(login.name)\t\(login.unit)\t\(login.role)\t\(login.password)")
                }
            } else if preview.blocking > 0 {
                print("有 \(preview.blocking) 行存在问题，未保存。")
                throw ExitCode.failure
            } else {
                print("检查通过（--dry-run，未保存）。")
            }
        }
    }
}

extension ImportCommand {
    struct Appeals: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导入 12345 热线工单表（.xlsx 或 .csv，UTF-8 或 GBK）为群众诉求；按工单编号去重，全部行无误才保存")
        @Argument(help: "工单表文件") var file: String
        @Flag(name: .customLong("dry-run"), help: "只列出每行将要做什么，不保存") var dryRun = false
        @OptionGroup var options: DataOption

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw ValidationError("无法读取 \(file)：\(error.localizedDescription)")
            }
            let dry = dryRun
            let (preview, result) = try await Zhenggai.run {
                try await Commands.withStore(dataDirectory: options.data, logger: commandLogger()) { store in
                    let system = Principal(userID: "", grants: [RoleGrant(role: .admin, unitID: "", unitPath: "/")])
                    let preview = try await AppealImport.preview(
                        data: data, fileName: url.lastPathComponent, principal: system, store: store)
                    guard !dry, preview.isReady else { return (preview, AppealImport.Result?.none) }
                    let result = try await AppealImport.apply(
                        data: data, fileName: url.lastPathComponent, principal: system, store: store, by: .commandLine)
                    return (preview, result)
                }
            }
            for notice in preview.notices { print("注意：\(notice)") }
            for row in preview.rows {
                let what = row.errors.isEmpty ? row.action : "问题：" + row.errors.joined(separator: "；")
                print("第 \(row.number) 行  \(row.ref)  \(row.excerpt)  \(what)")
            }
            if let result {
                print("已导入 \(result.created) 件（自动派单 \(result.dispatched) 件），已导入过而跳过 \(result.skipped) 件。")
            } else if preview.blocking > 0 {
                print("有 \(preview.blocking) 行存在问题，未保存。")
                throw ExitCode.failure
            } else if preview.newAppeals == 0 {
                print("没有新的工单（已导入过 \(preview.alreadyImported) 件）。")
            } else {
                print("检查通过：将新建 \(preview.newAppeals) 件（--dry-run，未保存）。")
            }
        }
    }
}
