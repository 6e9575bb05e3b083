public import Logging
public import Vapor
public import ZhenggaiCore
public import ZhenggaiStore

/// Builds the application that `serve` runs and the tests drive: the same code, other settings.
public enum ZhenggaiApp {
    public static func build(
        settings: ServerSettings, store: Store, environment: Environment = .production
    ) async throws -> Application {
        let app = try await Application.make(environment)
        configure(app, settings: settings, store: store)
        return app
    }

    public static func configure(_ app: Application, settings: ServerSettings, store: Store) {
        app.http.server.configuration.hostname = settings.host
        app.http.server.configuration.port = settings.port
        app.routes.defaultMaxBodySize = "1mb"
        app.passwords.use(.bcrypt(cost: settings.bcryptCost))
        app.middleware = Middlewares()
        app.middleware.use(APIErrorMiddleware())
        let api = LedgerAPI(store: store, settings: settings)
        api.register(on: app.routes)
    }

    /// Opens the store, migrates it, and on the first start creates `admin` with a random password that is
    /// printed once. Returns the password when it created the account.
    public static func prepare(_ store: Store) async throws -> String? {
        try await store.migrate()
        guard try await store.userCount() == 0 else { return nil }
        let county: UnitNode
        if let existing = try await store.units(within: ["/"]).first(where: { $0.parentID == nil }) {
            county = existing
        } else {
            county = try await store.createUnit(name: "本县", kind: .county, parentID: nil, by: .commandLine)
        }
        let password = Passwords.random()
        _ = try await store.createUser(
            username: "admin", displayName: "系统管理员", passwordHash: try Passwords.hash(password),
            grants: [NewGrant(role: .admin, unitID: county.id)], by: .commandLine)
        return password
    }
}
