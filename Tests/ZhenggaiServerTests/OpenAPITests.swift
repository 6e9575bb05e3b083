import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiTestSupport

@testable import ZhenggaiServer

/// docs/openapi.json must describe exactly the routes the application registers: a route added without
/// its description, or a description left behind, fails here.
@Suite struct OpenAPITests {
    @Test func theDocumentMatchesTheRegisteredRoutes() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("docs/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, operations) in paths {
            for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        try await APIWorld.with { world in
            let registered = Set(
                world.app.routes.all.map { route in
                    let path = route.path.map { component -> String in
                        if case .parameter(let name) = component { return "{\(name)}" }
                        return component.description
                    }
                    return "\(route.method.rawValue) /\(path.joined(separator: "/"))"
                }
                .filter { $0.contains("/api/v1/") })
            #expect(registered == documented)
        }
    }

    /// The records the API sends have exactly the fields docs/openapi.json describes: nothing undocumented
    /// (a UI label, a path, a hash) leaves through them, and nothing documented as required is missing.
    @Test func answersCarryExactlyTheDocumentedFields() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("docs/openapi.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        func check(_ value: Any, against name: String, at path: String) {
            guard let schema = schemas[name], let object = value as? [String: Any] else {
                Issue.record("\(path): not an object of \(name)")
                return
            }
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            let required = Set(schema["required"] as? [String] ?? [])
            #expect(
                Set(object.keys).isSubset(of: Set(properties.keys)),
                "\(path): undocumented \(Set(object.keys).subtracting(properties.keys))")
            #expect(required.isSubset(of: Set(object.keys)), "\(path): missing \(required.subtracting(object.keys))")
            for (key, property) in properties {
                guard let inner = object[key] else { continue }
                if let reference = property["$ref"] as? String {
                    check(inner, against: String(reference.split(separator: "/").last!), at: "\(path).\(key)")
                } else if let items = property["items"] as? [String: Any], let reference = items["$ref"] as? String,
                    let list = inner as? [Any]
                {
                    for element in list {
                        check(element, against: String(reference.split(separator: "/").last!), at: "\(path).\(key)[]")
                    }
                }
            }
        }
        try await APIWorld.with { world in
            let source = try await world.county.source(world.store, by: world.users[.inspector]!)
            let problem = try await world.store.createProblem(
                NewProblem(sourceID: source.id, text: "问题", categoryCode: "A1"), by: AuditActor(world.users[.clerk]!))
            for (path, name) in [
                ("/api/v1/me", "User"), ("/api/v1/problems/\(problem.id)", "ProblemDetail"),
                ("/api/v1/ledger", "LedgerPage"),
                ("/api/v1/counts", "Counts"), ("/api/v1/sources/\(source.id)", "Source"),
            ] {
                let response = try await world.call(.GET, path, as: .clerk)
                let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
                check(value, against: name, at: path)
            }
        }
    }
}
