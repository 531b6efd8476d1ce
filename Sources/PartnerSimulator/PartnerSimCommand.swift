import AMQPDriver
import ArgumentParser
import Domain
import Foundation
import Logging
import Runtime
import ServiceLifecycle
import Store

/// `motcua-partner-sim`: the partner agencies, simulated with fault injection, for tests, benchmarks and
/// demonstrations. It ships apart from `motcua-workers`, which runs only the pipeline's own roles.
@main
struct PartnerSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua-partner-sim",
        abstract: "Answers partner commands as the agencies would, with the faults MOTCUA_PARTNER_SIM_CONFIG asks for.")

    @Option(name: .long, help: "Commands fetched ahead.")
    var prefetch: UInt16 = 200

    func validate() throws {
        guard prefetch >= 1 else { throw ValidationError("--prefetch: must be from 1 to 65535 messages") }
    }

    func run() async throws {
        guard let settings = ProcessSetup.settings(for: "motcua-partner-sim") else { throw ExitCode.failure }
        let registry = ProcessSetup.bootstrap(settings)
        let logger = Logger(label: "motcua.partner-sim")
        let database = PostgresClient(
            url: settings.databaseURL, size: 4,
            statementTimeout: settings.statementTimeoutSeconds, logger: logger)
        let publisher = EventPublisher(endpoint: settings.amqp, logger: logger)
        let consumer = QueueConsumer(
            endpoint: settings.amqp, queue: PartnerSimulator.queue, prefetch: prefetch,
            binding: (Topology.partners, "#"), logger: logger)
        var services: [any Service] = [
            database, publisher, consumer,
            PartnerSimulator(
                database: database, consumer: consumer, publisher: publisher,
                configPath: settings.partnerSimConfig, logger: logger),
        ]
        if let port = settings.metricsPort {
            services.append(
                MetricsServer(
                    port: port, registry: registry, serverName: "motcua-partner-sim",
                    logger: logger))
        }
        try await ProcessServices.group(services, logger: logger).run()
    }
}
