import Foundation
import Leaf
import LeafKit
public import Logging
public import Vapor
import ZhenggaiCore
public import ZhenggaiServices
public import ZhenggaiStore

/// Builds the application that `serve` runs, the tests drive and the benchmarks time: the same code,
/// other configuration.
public enum ZhenggaiApp {
    /// `zhenggai serve`: the store is opened and migrated, the first admin created when there is none, the
    /// application built and run until it is stopped; the store is closed however it ends.
    public static func serve(_ configuration: AppConfiguration, county: String? = nil, logger: Logger) async throws {
        let store = try Commands.openStore(configuration, logger: logger)
        do {
            if let password = try await Commands.prepare(store, countyName: county) {
                say("首次启动：已创建管理员账号 admin，初始密码（只显示这一次，首次登录时须修改）：\(password)")
                let top = try await store.units(in: .everything).first { $0.parentID == nil }
                if top?.name == Commands.placeholderCountyName {
                    say(
                        "本县名称尚未设置：可用 zhenggai unit rename 本县 某某县，或在「单位」页面改名；"
                            + "也可在首次启动时用 --county 某某县 指定。")
                }
            }
            let app = try await Application.make(Environment(name: "production", arguments: ["zhenggai"]))
            app.logger.logLevel = configuration.logLevel
            configure(app, settings: configuration, store: store)
            do {
                // Said once the socket is bound, so whoever waits for this line can connect at once.
                try await app.startup()
                say(
                    "政改（Zhenggai）已启动：http://\(configuration.host):\(configuration.port)/  "
                        + "数据目录：\(store.configuration.dataDirectory.path)")
                try await app.running?.onStop.get()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            try await app.asyncShutdown()
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    public static func build(
        settings: AppConfiguration, store: Store, environment: Environment = .production
    ) async throws -> Application {
        let app = try await Application.make(environment)
        configure(app, settings: settings, store: store)
        return app
    }

    public static func configure(_ app: Application, settings: AppConfiguration, store: Store) {
        app.http.server.configuration.hostname = settings.host
        app.http.server.configuration.port = settings.port
        app.routes.defaultMaxBodySize = "1mb"
        app.middleware = Middlewares()
        app.middleware.use(APIErrorMiddleware())
        // Templates and static files ship inside the executable's resource bundle, so `serve` works from
        // any working directory.
        let resources = resourcesDirectory
        let views = resources.appendingPathComponent("Views").path + "/"
        app.middleware.use(
            StaticFiles(files: FileMiddleware(publicDirectory: resources.appendingPathComponent("Public").path + "/")))
        app.views.use(.leaf)
        app.leaf.sources = .singleSource(
            // Not `.default`: it refuses any path through a hidden folder, and a build puts the bundle under `.build`.
            NIOLeafFiles(
                fileio: app.fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: views,
                viewDirectory: views))
        app.leaf.cache.isEnabled = app.environment.isRelease

        let similarity = SimilarityService(store: store)
        app.lifecycle.use(IndexWarmer(similarity: similarity))
        if settings.runJobs {
            app.lifecycle.use(
                JobStarter(
                    runner: JobRunner(
                        store: store, logger: app.logger, publicURL: settings.publicURL, mail: settings.mail)))
        }
        let api = LedgerAPI(store: store, settings: settings)
        let publicPages = PublicPageCache()
        let handlers: [Handler] =
            api.handlers() + LoginPage.routes(api: api)
            + [
                HomePage.route(store: store, settings: settings),
                ClustersPage.route(store: store, similarity: similarity),
            ]
            + LedgerPage.routes(store: store)
            + ProblemActions.routes(store: store, settings: settings, similarity: similarity)
            + WithdrawalRoutes.routes(store: store, settings: settings, similarity: similarity)
            + TaskEditPage.routes(store: store) + SourcesPage.routes(store: store)
            + DocumentImportPage.routes(store: store, similarity: similarity)
            + AdminPages.routes(store: store, settings: settings)
            + AccountPages.routes(store: store, settings: settings)
            + OrganisationImportPage.routes(store: store, settings: settings)
            + OfficePages.routes(store: store)
            + RhythmPages.routes(store: store, settings: settings, similarity: similarity)
            + PublicPages.routes(store: store, settings: settings, cache: publicPages)
            + PublicationPages.routes(store: store, settings: settings)
            + AppealPages.routes(store: store, publicURL: settings.publicURL, publicPages: publicPages)
            + AppealImportPage.routes(store: store)
            + Open311Routes.routes(store: store, settings: settings)
        let sessions = SessionCache()
        for handler in handlers { app.routes.register(handler, store: store, sessions: sessions) }
    }

    /// The copied `Resources` folder. Foundation on Linux already points `resourceURL` into a bundle's
    /// `Resources` folder, elsewhere it is the bundle itself: take whichever holds the views.
    static var resourcesDirectory: URL {
        let candidates = [Bundle.module.resourceURL, Bundle.module.resourceURL?.appendingPathComponent("Resources")]
        return candidates.compactMap { $0 }.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("Views/layout.leaf").path)
        } ?? Bundle.module.bundleURL.appendingPathComponent("Resources")
    }
}

/// The files under /static/ (styles, script): looked for only there, so a page request is not first
/// turned into a file lookup and a task of its own.
struct StaticFiles: Middleware {
    let files: FileMiddleware

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        request.url.path.hasPrefix("/static/")
            ? files.respond(to: request, chainingTo: next) : next.respond(to: request)
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
                let started = ContinuousClock.now
                try await similarity.refresh()
                let count = await similarity.count
                let elapsed = ContinuousClock.now - started
                logger.info(
                    "similarity index ready",
                    metadata: [
                        "problems": "\(count)",
                        "seconds":
                            "\(String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))",
                    ])
            } catch {
                logger.error("similarity index could not be built", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// Starts the background jobs with the application and stops them with it.
struct JobStarter: LifecycleHandler {
    let runner: JobRunner

    func didBootAsync(_ application: Application) async throws { await runner.start() }
    func shutdownAsync(_ application: Application) async { await runner.stop() }
}
