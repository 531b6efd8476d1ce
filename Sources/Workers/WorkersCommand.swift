import AMQPDriver
import ArgumentParser
import Domain
import Foundation
import Logging
import Runtime
import ServiceLifecycle
import Store

/// `motcua-workers`: consumes the work queues and persists to PostgreSQL.
@main
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua-workers",
        abstract: "Runs worker roles; any number of processes may run side by side.")

    @Option(
        name: .long,
        help:
            "all (every role but partner-sim and notifier), or one or more (comma-separated) of: \(WorkerRole.allCases.map(\.rawValue).joined(separator: ", "))"
    )
    var role: String = "all"

    @Option(name: .long, help: "Messages fetched ahead per queue.")
    var prefetch: UInt16 = 200

    /// A bad option stops the process with ONE line naming it (not the usage text), as a bad setting does.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit { exit(withError: error) }  // --help, --version
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            if !message.isEmpty { FileHandle.standardError.write(Data("motcua-workers: \(message)\n".utf8)) }
            exit(withError: ExitCode(code.rawValue))
        }
    }

    func validate() throws {
        guard prefetch >= 1 else { throw ValidationError("--prefetch: must be from 1 to 65535 messages") }
        if role == "all" { return }
        let names = role.split(separator: ",")
        if names.contains("partner-sim") && names.count > 1 {
            throw ValidationError(
                "--role: partner-sim runs alone (it is motcua-partner-sim now); run the pipeline's roles in a process of their own"
            )
        }
        for name in role.split(separator: ",", omittingEmptySubsequences: false)
        where name != "all" && WorkerRole(rawValue: String(name)) == nil {
            throw ValidationError(
                "--role: unknown role \(name); use all or one or more of "
                    + WorkerRole.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() async throws {
        guard let settings = ProcessSetup.settings(for: "motcua-workers") else { throw ExitCode.failure }
        let registry = ProcessSetup.bootstrap(settings)
        let logger = Logger(label: "motcua.workers")
        // `all,partner-sim` is the pipeline and the simulated partners in one process.
        if role.split(separator: ",").contains("partner-sim") { try PartnerSimAlias.replaceProcess(prefetch: prefetch) }
        let roles = Array(
            Set(
                role.split(separator: ",").flatMap { name in
                    name == "all" ? WorkerRole.all : WorkerRole(rawValue: String(name)).map { [$0] } ?? []
                })
        ).sorted { WorkerRole.allCases.firstIndex(of: $0)! < WorkerRole.allCases.firstIndex(of: $1)! }
        let database = PostgresClient(
            url: settings.databaseURL, size: 4, statementTimeout: settings.statementTimeoutSeconds,
            logger: logger)
        let catalog: CatalogCache
        do {
            catalog = try await CatalogCache.load(
                store: CatalogStore(database: database), listenURL: settings.databaseURL,
                logger: logger)
        } catch {
            FileHandle.standardError.write(Data("motcua-workers: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let deadLetters = EventPublisher(endpoint: settings.amqp, logger: logger)
        let context = WorkerServices(
            settings: settings, database: database, catalog: catalog, prefetch: prefetch,
            deadLetters: deadLetters, logger: logger)
        // In dependency order: a graceful shutdown stops them in reverse, each after the one behind it
        // ended, so the roles drain and ack first, then their consumers and publishers close, and the
        // database closes last.
        var services: [any Service] = [database, deadLetters, catalog] + roles.flatMap(context.make)
        if let port = settings.metricsPort {
            services.append(MetricsServer(port: port, registry: registry, logger: logger))
        }
        try await ProcessServices.group(services, logger: logger).run()
    }
}

/// Builds the service of each role; `WorkersCommand` calls it.
struct WorkerServices {
    let settings: Settings
    let database: PostgresClient
    let catalog: CatalogCache
    let prefetch: UInt16
    let deadLetters: EventPublisher
    let logger: Logger

    /// The role's services, each after what it depends on.
    func make(_ role: WorkerRole) -> [any Service] {
        let wait = TimeInterval(settings.orphanWaitSeconds)
        func consuming<Role: BatchRole>(_ queue: Topology.WorkQueue, _ batchRole: Role) -> [any Service] {
            let pipeline = RolePipeline(
                role: batchRole, catalog: catalog, orphanWait: wait,
                leadWorkingDays: settings.dueSoonLeadWorkingDays,
                partnerTimeoutSeconds: settings.partner.timeoutSeconds)
            let consumer = QueueConsumer(endpoint: settings.amqp, queue: queue.name, prefetch: prefetch, logger: logger)
            return [
                consumer,
                EventHandlingService(
                    role: role.rawValue, consumer: consumer, database: database,
                    deadLetters: deadLetters, prefetch: prefetch, logger: logger,
                    apply: pipeline.apply),
            ]
        }
        switch role {
        case .recorder: return consuming(Topology.recorder, Recorder())
        case .digitization: return consuming(Topology.digitization, Digitization())
        case .payments: return consuming(Topology.payments, Payments(catalog: { catalog.current }))
        case .deadlines:
            return [
                Deadlines(
                    database: database, catalog: catalog, leadWorkingDays: settings.dueSoonLeadWorkingDays,
                    lease: settings.timerLease, wakeups: listener(NotifyChannel.deadlines), logger: logger),
                DueRecomputer(
                    database: database, catalog: catalog, leadWorkingDays: settings.dueSoonLeadWorkingDays,
                    lease: settings.timerLease, logger: logger),
            ]
        case .chains:
            return consuming(Topology.chains, Chains(policy: settings.partner, catalog: { catalog.current }))
                + [
                    ChainTimers(
                        database: database, catalog: catalog, policy: settings.partner,
                        leadWorkingDays: settings.dueSoonLeadWorkingDays, lease: settings.timerLease,
                        logger: logger)
                ]
        case .outbox:
            let publisher = EventPublisher(endpoint: settings.amqp, logger: logger)
            return [
                publisher,
                OutboxRelay(
                    database: database, publisher: publisher,
                    wakeups: listener(NotifyChannel.outbox), logger: logger),
            ]
        case .partnerSim:
            return []  // `run` hands `--role partner-sim` to motcua-partner-sim before any service starts
        case .notifier:
            var endpoint = settings.amqp
            endpoint.topology = endpoint.topology.withNotifier
            let consumer = QueueConsumer(
                endpoint: endpoint, queue: Topology.notifier.name, prefetch: prefetch, logger: logger)
            if settings.notifier.channels.isEmpty {
                logger.warning(
                    "the notifier has no channel: set MOTCUA_SMS_GATEWAY_URL and/or MOTCUA_SMTP_URL; alerts are dropped"
                )
            }
            return [
                consumer,
                Notifier(
                    consumer: consumer, database: database, deadLetters: deadLetters, settings: settings.notifier,
                    logger: logger, channels: NotifierChannels(settings.notifier)),
            ]
        }
    }

    private func listener(_ channel: String) -> PostgresListener {
        PostgresListener(url: settings.databaseURL, channel: channel, logger: logger)
    }
}
