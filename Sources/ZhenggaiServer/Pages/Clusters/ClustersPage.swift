import Foundation
import Vapor
import ZhenggaiCore
import ZhenggaiOffice
import ZhenggaiServices
import ZhenggaiStore
import ZhenggaiText

/// 共性问题: problems that many units share in a period, for an inspection office to hand to a functional
/// department as a campaign (专项治理). Sortable, and exportable as CSV for Excel.
enum ClustersPage {
    struct Context: Encodable {
        var layout: Layout
        var clusters: [ClusterView]
        var since: String
        var minUnits: Int
        var sort: String
        var csvLink: String
        var formAction = SiteRoute.clusters.link()
    }

    struct ClusterView: Encodable {
        var representativeID: String
        var text: String
        var units: Int
        var unitNames: String
        var rounds: Int
        var members: Int
        var phrases: String
        var numbers: [Link]
        var lastDate: String
    }

    struct Link: Encodable {
        var link: String
        var number: String
    }

    static func route(store: Store, similarity: SimilarityService) -> Handler {
        Handler(
            .clusters, target: { _, _ in .anywhere }
        ) { request, caller in
            let since =
                (try? request.query.get(String.self, at: "since")).flatMap(LocalDate.init(iso:))
                ?? store.clock.today().adding(months: -24)
            let minUnits = max(2, min(50, (try? request.query.get(Int.self, at: "min")) ?? 3))
            let sort = (try? request.query.get(String.self, at: "sort")) ?? "units"
            let clusters = try await similarity.clusters(
                scope: caller.scope, since: since.date.addingTimeInterval(-12 * 3600), minimumUnits: minUnits)
            let ids = clusters.flatMap(\.members).compactMap(UUID.init(uuidString:))
            let problems = Dictionary(
                uniqueKeysWithValues: try await store.problems(ids).map { ($0.id.uuidString, $0) })
            var views: [ClusterView] = []
            for cluster in clusters {
                var names: [String] = []
                for unit in cluster.units { names.append(await similarity.unitName(unit)) }
                views.append(
                    ClusterView(
                        representativeID: cluster.representative,
                        text: problems[cluster.representative]?.text ?? "", units: cluster.units.count,
                        unitNames: names.sorted().joined(separator: "、"), rounds: cluster.rounds.count,
                        members: cluster.members.count, phrases: cluster.commonPhrases.prefix(6).joined(separator: "、"),
                        numbers: cluster.members.compactMap { id in
                            problems[id].map { Link(link: SiteRoute.problem.link(id), number: $0.number) }
                        },
                        lastDate: cluster.lastDate.map { LocalDate($0).chinese } ?? ""))
            }
            switch sort {
            case "members":
                views.sort { ($0.members, $0.units, $0.representativeID) > ($1.members, $1.units, $1.representativeID) }
            case "rounds":
                views.sort { ($0.rounds, $0.units, $0.representativeID) > ($1.rounds, $1.units, $1.representativeID) }
            default: break  // the library's order: most units first
            }
            if (try? request.query.get(String.self, at: "format")) == "csv" {
                var rows: [[CellValue]] = [["问题", "涉及单位数", "涉及单位", "轮次数", "问题数", "共同表述", "问题编号"].map { .text($0) }]
                for view in views {
                    rows.append([
                        .text(view.text), .number(Double(view.units)), .text(view.unitNames),
                        .number(Double(view.rounds)),
                        .number(Double(view.members)), .text(view.phrases),
                        .text(view.numbers.map(\.number).joined(separator: " ")),
                    ])
                }
                return FileResponse.make(
                    CSV.write(rows), fileName: "共性问题.csv", contentType: "text/csv; charset=utf-8")
            }
            let context = Context(
                layout: Layout(title: "共性问题", caller: caller, section: .clusters), clusters: views,
                since: since.iso, minUnits: minUnits, sort: sort,
                csvLink: SiteRoute.clusters.link(query: [
                    ("since", since.iso), ("min", String(minUnits)), ("sort", sort), ("format", "csv"),
                ]))
            return try await Pages.render(request, "clusters", context)
        }
    }
}
