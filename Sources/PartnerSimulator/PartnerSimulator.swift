import AMQPDriver
import Domain
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Store
import Synchronization

/// `--role partner-sim` (not part of `all`): the justice office, the police, social insurance and labour
/// affairs as the chain sees them. It consumes every command on `motcua.partners` from a durable queue of
/// its own (`motcua.partner-sim`), answers each as the agency would, after a delay, on `motcua.events` as
/// `linked.step_result` (with confirms; the command is acked after the answer's confirm), with the
/// faults `MOTCUA_PARTNER_SIM_CONFIG` asks for (`PartnerSimConfig`; the file is re-read within a second
/// of a change). Like a real registry it is idempotent: a repeated command (same `requestId`) gets the
/// same answer under the same event id, and a new attempt for a dossier and step it already registered
/// gets the numbers it registered then (`partner_sim_records`), never a second registration.
final class PartnerSimulator: Service, Sendable {
    static let queue = "motcua.partner-sim"
    static let answerKey = "linked.step_result"

    let database: PostgresClient
    let consumer: QueueConsumer
    let publisher: EventPublisher
    let configPath: String?
    let logger: Logger

    /// The fates already decided, by request id, so a redelivered command meets the same one.
    private let fates = Mutex<[String: PartnerSimulation.Plan]>([:])
    private let config = Mutex(PartnerSimConfig())

    init(
        database: PostgresClient, consumer: QueueConsumer, publisher: EventPublisher, configPath: String?,
        logger: Logger
    ) {
        self.database = database
        self.consumer = consumer
        self.publisher = publisher
        self.configPath = configPath
        self.logger = logger
    }

    func run() async throws {
        var lastModified: Date?
        reload(&lastModified)
        let loaded = lastModified
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    var seen = loaded
                    while !Task.isShuttingDownGracefully && !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        self.reload(&seen)
                    }
                }
                for await batch in self.consumer.deliveries {
                    for delivery in batch { group.addTask { await self.handle(delivery) } }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.consumer.stopDelivering()
        }
        logger.info("stopped", metadata: ["role": "partner-sim"])
    }

    /// Reads the fault file again when it changed; a bad file keeps the faults in force and says why.
    private func reload(_ lastModified: inout Date?) {
        guard let configPath else { return }
        let modified = (try? FileManager.default.attributesOfItem(atPath: configPath))?[.modificationDate] as? Date
        guard modified != lastModified else { return }
        lastModified = modified
        guard modified != nil, let data = FileManager.default.contents(atPath: configPath) else {
            config.withLock { $0 = PartnerSimConfig() }
            logger.notice("partner faults: none (no file)", metadata: ["MOTCUA_PARTNER_SIM_CONFIG": "\(configPath)"])
            return
        }
        do {
            let parsed =
                data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 })
                ? PartnerSimConfig() : try PartnerSimConfig.parse(data)
            config.withLock { $0 = parsed }
            logger.notice(
                "partner faults loaded",
                metadata: [
                    "MOTCUA_PARTNER_SIM_CONFIG": "\(configPath)",
                    "faults":
                        "\(String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " "))",
                ])
        } catch {
            logger.warning(
                "partner faults file refused; keeping the faults in force",
                metadata: [
                    "MOTCUA_PARTNER_SIM_CONFIG": "\(configPath)", "error": "\(error)",
                ])
        }
    }

    private func handle(_ delivery: Delivery) async {
        guard let event = try? JSONCoding.decode(CloudEvent<PartnerCommand>.self, from: delivery.body) else {
            logger.warning("partner command not understood; dropped", metadata: ["id": "\(delivery.messageId ?? "-")"])
            consumer.ack(delivery)
            return
        }
        let command = event.data
        let faults = config.withLock { $0.faults(for: command.step) }
        let plan = fates.withLock { fates in
            if let known = fates[command.requestId] { return known }
            if fates.count > 200_000 { fates.removeAll() }
            let plan = PartnerSimulation.plan(
                faults, draw: Double.random(in: 0..<1), delayDraw: Double.random(in: 0...1))
            fates[command.requestId] = plan
            return plan
        }
        Counter(
            label: "motcua_partner_sim_commands_total",
            dimensions: [
                ("step", command.step),
                ("fate", plan.fate.rawValue),
            ]
        ).increment()
        logger.debug(
            "partner command",
            metadata: [
                "request": "\(command.requestId)", "step": "\(command.step)",
                "attempt": "\(command.attempt)", "fate": "\(plan.fate.rawValue)",
            ])
        guard plan.fate != .hang else {
            consumer.ack(delivery)  // it never answers
            return
        }
        try? await Task.sleep(for: .seconds(plan.delay))
        do {
            var registered: [String: JSONValue] = [:]
            if plan.fate == .done || plan.fate == .missingFields {
                registered = try await register(command)
            }
            guard let answer = PartnerSimulation.answer(command, plan: plan, faults: faults, registered: registered)
            else { return consumer.ack(delivery) }
            let reply = CloudEvent(
                id: "answer:\(command.requestId)",
                source: "/motcua/partner-sim/\(LinkedGroupKind.agency(of: command.step))",
                routingKey: Self.answerKey, subject: command.dossierCode, data: answer)
            try await publisher.publish(
                OutgoingMessage(
                    exchange: Topology.events, routingKey: Self.answerKey,
                    body: try JSONCoding.encode(reply), messageId: reply.id,
                    type: reply.type))
            consumer.ack(delivery)
        } catch {
            logger.warning(
                "partner answer not sent; the command goes back to the queue",
                metadata: [
                    "request": "\(command.requestId)", "error": "\(error)",
                ])
            try? await Task.sleep(for: .seconds(1))
            consumer.requeue(delivery)
        }
    }

    /// The agency's registration for the dossier and step: made by the first attempt that gets this far,
    /// returned as it is to every later one.
    private func register(_ command: PartnerCommand) async throws -> [String: JSONValue] {
        var generator = SystemRandomNumberGenerator()
        let fresh = PartnerSimulation.outputs(command, now: Date()) { generator.next() }
        let text = try JSONCoding.encodeString(fresh, sortedKeys: true)
        let stored = try await database.withConnection { connection in
            try PartnerSimRecords.register(
                dossierCode: command.dossierCode, step: command.step, outputs: text,
                requestId: command.requestId, on: connection)
        }
        return try JSONCoding.decode([String: JSONValue].self, from: stored)
    }
}
