import Foundation
import Leaf
import LeafKit
import Logging
public import Vapor
import ZhenggaiCore
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
        // Templates and static files ship inside the executable's resource bundle, so `serve` works from
        // any working directory.
        let resources = resourcesDirectory
        let views = resources.appendingPathComponent("Views").path + "/"
        app.middleware.use(FileMiddleware(publicDirectory: resources.appendingPathComponent("Public").path + "/"))
        app.views.use(.leaf)
        app.leaf.sources = .singleSource(
            // Not `.default`: it refuses any path through a hidden folder, and a build puts the bundle under `.build`.
            NIOLeafFiles(
                fileio: app.fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views,
                viewDirectory: views))
        app.leaf.cache.isEnabled = app.environment.isRelease

        let similarity = SimilarityService(store: store)
        app.lifecycle.use(IndexWarmer(similarity: similarity))
        let api = LedgerAPI(store: store, settings: settings)
        api.register(on: app.routes)
        LoginPage.register(app.routes, api: api)
        let pages: [PageRoute] =
            [
                HomePage.route(store: store, settings: settings), LedgerPage.route(store: store),
                ClustersPage.route(store: store, similarity: similarity),
            ]
            + ProblemActions.routes(store: store, settings: settings, similarity: similarity)
            + TaskEditPage.routes(store: store)
            + SourcesPage.routes(store: store) + DocumentImportPage.routes(store: store)
            + AdminPages.routes(store: store)
        for page in pages { app.routes.register(page: page, store: store) }
        for page in OfficePages.routes(store: store) { app.routes.register(page: page, store: store) }
    }

    /// The copied `Resources` folder. Foundation on Linux already points `resourceURL` into a bundle's
    /// `Resources` folder, elsewhere it is the bundle itself: take whichever holds the views.
    static var resourcesDirectory: URL {
        let candidates = [Bundle.module.resourceURL, Bundle.module.resourceURL?.appendingPathComponent("Resources")]
        return candidates.compactMap { $0 }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("Views/layout.leaf").path)
        } ?? Bundle.module.bundleURL.appendingPathComponent("Resources")
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

/// Builds the similarity index as soon as the server is up, in the background, so the first problem page
/// does not wait for a million problems to be read.
struct IndexWarmer: LifecycleHandler {
    let similarity: SimilarityService

    func didBoot(_ application: Application) throws {
        let similarity = similarity
        let logger = application.logger
        Task {
            do {
                try await similarity.refresh()
                let count = await similarity.count
                logger.info("similarity index ready", metadata: ["problems": "\(count)"])
            } catch {
                logger.error("similarity index could not be built", metadata: ["error": "\(error)"])
            }
        }
    }
}
