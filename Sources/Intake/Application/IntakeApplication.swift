import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Shared

/// Builds the intake application; `IntakeCommand` runs it.
enum IntakeApplication {
    static func build(settings: Settings, registry: PrometheusCollectorRegistry, logger: Logger) async throws
        -> some ApplicationProtocol
    {
        let database = PostgresClient(url: settings.databaseURL, size: 8, logger: logger)
        let catalogStore = CatalogStore(database: database)
        let catalog: CatalogCache
        do {
            catalog = try await CatalogCache.load(store: catalogStore, logger: logger)
        } catch let error as CatalogStore.LoadError {
            throw StartupProblem(error.description)
        }
        let publisher = EventPublisher(endpoint: settings.amqp, logger: logger)
        let issued = IssuedDossiers(database: database)
        let authorizer = Authorizer(tokens: settings.apiTokens)
        let intake = DossierIntake(issued: issued, publisher: publisher, catalog: catalog, logger: logger)

        let router = Router(context: IntakeContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        HealthRoutes(database: database, publisher: publisher, registry: registry).register(on: router)
        let accepted = AcceptedActions(database: database)
        let directory = DossierDirectory(database: database, issued: issued, actions: accepted, catalog: catalog)
        DossierRoutes(intake: intake, authorizer: authorizer, catalog: catalog, issued: issued,
                      readModel: DossierReadModel(database: database)).register(on: router)
        ActionRoutes(intake: intake, authorizer: authorizer, catalog: catalog, directory: directory, actions: accepted)
            .register(on: router)
        PaymentRoutes(intake: intake, authorizer: authorizer, catalog: catalog, directory: directory,
                      notices: PaymentNotices(database: database)).register(on: router)
        // Citizens look up by hand: 20 at once, then one every 3 seconds per address.
        LookupRoutes(directory: directory, limiter: RateLimiter(capacity: 20, perSecond: 1.0 / 3)).register(on: router)

        var app = Application(router: router,
                              configuration: .init(address: .hostname("0.0.0.0", port: settings.httpPort),
                                                   serverName: "motcua-intake"),
                              services: [catalog], logger: logger)
        app.addServices(Closer(publisher: publisher, database: database))
        return app
    }
}

/// Closes the broker and database connections after the server stopped.
struct Closer: Service {
    let publisher: EventPublisher
    let database: PostgresClient

    func run() async throws {
        try? await gracefulShutdown()
        await publisher.close()
        await database.close()
    }
}

struct StartupProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
