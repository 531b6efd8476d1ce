import AMQPDriver
import Domain
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Prometheus
import Runtime
import ServiceLifecycle
import Store

/// Builds the intake application; `IntakeCommand` runs it and the tests call it in process.
enum IntakeApplication {
    /// - Parameter publisher: the broker; the tests of the HTTP edge pass an in-memory one.
    static func build(
        settings: Settings, registry: PrometheusCollectorRegistry, logger: Logger,
        publisher: (any EventPublishing)? = nil
    ) async throws -> some ApplicationProtocol {
        let database = PostgresClient(
            url: settings.databaseURL, size: 8, statementTimeout: settings.statementTimeoutSeconds,
            logger: logger)
        let catalogStore = CatalogStore(database: database)
        let catalog: CatalogCache
        do {
            catalog = try await CatalogCache.load(store: catalogStore, listenURL: settings.databaseURL, logger: logger)
        } catch let error as Catalog.LoadError {
            throw StartupProblem(error.description)
        }
        let publisher = publisher ?? EventPublisher(endpoint: settings.amqp, logger: logger)
        let intake = DossierIntake(issued: IssuedDossiers(database: database), publisher: publisher, catalog: catalog)
        // Reports and the console read from a replica when MOTCUA_DATABASE_READ_URL names one.
        let replica = settings.databaseReadURL.map {
            PostgresClient(url: $0, size: 4, statementTimeout: settings.statementTimeoutSeconds, logger: logger)
        }
        let router = buildRouter(
            settings: settings, database: database, reads: replica, catalog: catalog, intake: intake,
            registry: registry, logger: logger, console: await ConsoleTemplates.load())
        let repair = UncertainRepair(store: UncertainPublishes(database: database), intake: intake, logger: logger)
        // Idle keep-alive connections are closed after 60 s, so they cannot pile up without bound.
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(60))),
            configuration: .init(
                address: .hostname("0.0.0.0", port: settings.httpPort),
                serverName: "motcua-intake"),
            // In dependency order: Hummingbird stops the server first, then these in
            // reverse, so the publisher waits for its last confirms and the database closes last.
            services: [database] + (replica.map { [$0] } ?? []) + [publisher, catalog, repair], logger: logger)
        return app
    }

    static func buildRouter(
        settings: Settings, database: PostgresClient, reads: PostgresClient? = nil, catalog: CatalogCache,
        intake: DossierIntake, registry: PrometheusCollectorRegistry, logger: Logger,
        console: ConsoleTemplates? = nil
    ) -> Router<IntakeContext> {
        let issued = intake.issued
        let publisher = intake.publisher
        let authorizer = Authorizer(tokens: settings.apiTokens)
        let directory = DossierDirectory(database: database, catalog: catalog)
        let reads = reads ?? database

        let router = Router(context: IntakeContext.self)
        // Hummingbird's own: hb_requests and http_server_request_duration (answered requests), as before.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: RequestDuration(histograms: RequestHistograms(registry: registry)))
        router.add(middleware: RequestIdentifier())
        router.add(middleware: ProblemMiddleware())
        HealthRoutes(database: database, publisher: publisher, registry: registry).register(on: router)
        OpenAPIRoute.register(on: router)
        // Citizens look up by hand, with no token: 20 at once, then one every 3 seconds per client, through
        // the API and the page alike (one limiter).
        let lookup = CitizenLookup(
            directory: directory, limiter: RateLimiter(capacity: 20, perSecond: 1.0 / 3),
            trustedProxies: settings.trustedProxies)
        LookupRoutes(lookup: lookup).register(on: router)
        CitizenRoutes(templates: console, page: LookupPage(lookup: lookup)).register(on: router)
        let receipts = ReceiptPage(
            readModel: DossierReadModel(database: database), issued: issued, names: ApplicantNames(database: database))
        let v1 = router.group("v1").add(middleware: BearerAuthentication(authorizer: authorizer))
        DossierRoutes(
            intake: intake, authorizer: authorizer, catalog: catalog, issued: issued,
            readModel: DossierReadModel(database: database), directory: directory
        ).register(on: v1)
        ReceiptRoutes(
            templates: console, authorizer: authorizer, catalog: catalog, directory: directory, receipts: receipts,
            settings: settings
        ).register(on: v1)
        ActionRoutes(
            intake: intake, authorizer: authorizer, catalog: catalog, directory: directory,
            actions: AcceptedActions(database: database)
        ).register(on: v1)
        PaymentRoutes(
            intake: intake, authorizer: authorizer, catalog: catalog, directory: directory,
            notices: PaymentNotices(database: database)
        ).register(on: v1)
        ReportRoutes(authorizer: authorizer, catalog: catalog, reports: UnitReports(database: reads)).register(
            on: v1)
        ConsoleRoutes(
            templates: console, authorizer: authorizer, catalog: catalog, settings: settings,
            publisher: publisher, database: database, reads: reads, receipts: receipts
        ).register(on: router)
        return router
    }
}

struct StartupProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
