import Foundation
import Testing
import VaporTesting
import ZhenggaiCore
import ZhenggaiServices
import ZhenggaiTestSupport

@testable import ZhenggaiServer
@testable import ZhenggaiStore

/// An application on a real store, with a county and one user per role at the township.
struct APIWorld {
    var app: Application
    var store: Store
    var county: TestCounty
    var users: [Role: User]
    static let password = "Pass-2026-ok"

    static func with(_ body: (APIWorld) async throws -> Void) async throws {
        try await TestStores.withStore { store in
            let county = try await TestCounty.make(in: store)
            let hash = Passwords.hash(password, cost: 4)
            var users: [Role: User] = [:]
            for role in Role.allCases {
                // The inspector sits at the county, as 巡察办 does; everyone else at the township.
                let unit = role == .inspector || role == .supervisor ? county.county : county.township
                users[role] = try await county.user(store, role.rawValue, role, at: unit, passwordHash: hash)
            }
            let settings = AppConfiguration(store: store.configuration, bcryptCost: 4)
            try await withApp(configure: { app in
                // Refusals are logged at info; the tests cause thousands on purpose.
                app.logger.logLevel = .warning
                ZhenggaiApp.configure(app, settings: settings, store: store)
            }) {
                app in
                try await body(APIWorld(app: app, store: store, county: county, users: users))
            }
        }
    }

    func token(_ role: Role) async throws -> String {
        try await store.createSession(userID: users[role]!.id, kind: "test", lifetime: 3600).token
    }

    @discardableResult
    func call(
        _ method: HTTPMethod, _ path: String, as role: Role?, json: String? = nil, token: String? = nil,
        headers extra: HTTPHeaders = [:], body raw: String? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = extra
        if let role { headers.bearerAuthorization = .init(token: try await self.token(role)) }
        if let token { headers.bearerAuthorization = .init(token: token) }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(string: json)
        }
        if let raw { body = ByteBuffer(string: raw) }
        return try await app.testing().sendRequest(method, path, headers: headers, body: body)
    }
}

extension TestingHTTPResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
    var errorMessage: String { ((json["error"] as? [String: Any])?["message"] as? String) ?? "" }
    var errorCode: String { ((json["error"] as? [String: Any])?["code"] as? String) ?? "" }
    func id(_ key: String = "id") -> String { json[key] as? String ?? "" }
}

extension String {
    var containsChinese: Bool { unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } }
}
