import Foundation
import Testing
import VaporTesting
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
}
