import AMQPDriver
import Domain
import Foundation
import Logging
import Runtime
import ServiceLifecycle
import Store

/// `--role notifier` (docs/notifier.md): takes the alerts that concern the applicant off
/// `motcua.notifier` and tells them by SMS and e-mail, once per alert and channel. For each batch:
/// one transaction records a row per alert and channel (the reference before anything is sent); each
/// pending one is claimed under a lease, sent, and its outcome recorded at once; then each alert is
/// acked (all sent or skipped), dead-lettered (refused, or out of attempts), or returned to the queue
/// until its backoff ends.
struct Notifier: Service {
    let consumer: QueueConsumer
    let database: PostgresClient
    /// Dead letters go out with publisher confirms; the alert is acked only after the confirm.
    let deadLetters: EventPublisher
    let settings: NotifierSettings
    let logger: Logger
    let channels: NotifierChannels
    let metrics = NotifierMetrics()

    func run() async throws {
        await withGracefulShutdownHandler {
            for await batch in consumer.deliveries { await handle(batch) }
        } onGracefulShutdown: {
            consumer.stopDelivering()
        }
        logger.info("stopped", metadata: ["role": "notifier"])
    }

    private func handle(_ batch: [Delivery]) async {
        var acks: [Delivery] = []
        var alerts: [(delivery: Delivery, alert: CitizenAlert)] = []
        for delivery in batch {
            do {
                if let alert = try CitizenAlert.read(routingKey: delivery.routingKey, body: delivery.body) {
                    alerts.append((delivery, alert))
                } else {
                    metrics.ignored()
                    acks.append(delivery)
                }
            } catch {
                metrics.poison()
                let reason = (error as? DecodingError).map(DecodingErrorText.describe) ?? "\(type(of: error))"
                if await deadLetter(delivery, reason: "not a readable alert: \(reason)") { acks.append(delivery) }
            }
        }
        guard let ledger = await record(alerts.map(\.alert)) else {
            consumer.ack(acks)
            return  // shutting down: the alerts stay unacknowledged for the next notifier
        }
        var rows = ledger.rows
        for (_, alert) in alerts {
            for channel in settings.channels {
                let key = Notifications.Key(alertId: alert.id, channel: channel)
                guard let row = rows[key], row.status == .pending, row.wait <= 0,
                    let contact = ledger.contacts[alert.dossierCode]
                else { continue }
                // Claimed one at a time, just before sending: the lease covers this send only.
                guard let attempts = await claim(key) else {
                    rows[key] = State(
                        channel: channel, status: .pending, error: row.error, wait: Double(settings.policy.leaseSeconds)
                    )
                    continue
                }
                rows[key] = await send(alert, on: channel, to: contact, attempts: attempts)
            }
        }
        for (delivery, alert) in alerts {
            let states = settings.channels.compactMap { rows[Notifications.Key(alertId: alert.id, channel: $0)] }
            if let wait = states.filter({ $0.status == .pending }).map(\.wait).min() {
                let delay = max(0.2, wait)
                Task {
                    try? await Task.sleep(for: .seconds(delay))
                    consumer.requeue(delivery)
                }
            } else if states.contains(where: { $0.status == .failed }) {
                let reason = states.filter { $0.status == .failed }.map {
                    "\($0.channel.rawValue): \($0.error ?? "failed")"
                }
                .joined(separator: "; ")
                if await deadLetter(delivery, reason: reason) { acks.append(delivery) }
            } else {
                acks.append(delivery)
            }
        }
        consumer.ack(acks)
    }

    /// Where one notification stands after this batch.
    struct State: Sendable {
        let channel: NotificationChannel
        let status: NotificationStatus
        let error: String?
        /// Seconds before it may be tried again (pending only).
        let wait: Double
    }

    struct Ledger: Sendable {
        let contacts: [String: CitizenContacts.Contact]
        let rows: [Notifications.Key: State]
    }

    /// Takes the lease on a pending notification no other notifier holds and counts the attempt; its
    /// attempts so far, or nil when it is not to be sent now (held, backing off, done, or no database).
    private func claim(_ key: Notifications.Key) async -> Int? {
        let lease = settings.policy.leaseSeconds
        return try? await database.withConnection { connection in
            try Notifications.claim([key], leaseSeconds: lease, on: connection)[key]
        }
    }

    /// Records a row per alert and channel (the reference before any send), in one transaction, and reads
    /// where each stands; retried while the database cannot be reached; nil when a shutdown came first.
    private func record(_ alerts: [CitizenAlert]) async -> Ledger? {
        let channels = settings.channels
        guard !alerts.isEmpty, !channels.isEmpty else {
            return Ledger(contacts: [:], rows: [:])
        }
        var backoff = 0.2
        while true {
            do {
                let (ledger, skippedNow) = try await database.withTransaction {
                    connection -> (Ledger, [Notifications.Entry]) in
                    let contacts = try CitizenContacts.load(alerts.map(\.dossierCode), on: connection)
                    var entries: [Notifications.Entry] = []
                    for alert in alerts {
                        for channel in channels {
                            let skip = NotifierChannels.skip(channel, contacts[alert.dossierCode])
                            entries.append(
                                Notifications.Entry(
                                    alertId: alert.id, channel: channel, dossierCode: alert.dossierCode,
                                    kind: alert.content.kind, status: skip == nil ? .pending : .skipped,
                                    lastError: skip?.rawValue))
                        }
                    }
                    let recorded = try Notifications.record(entries, on: connection)
                    let keys = entries.map { Notifications.Key(alertId: $0.alertId, channel: $0.channel) }
                    let rows = try Notifications.rows(keys, on: connection).mapValues { row in
                        State(channel: row.key.channel, status: row.status, error: row.lastError, wait: row.waitSeconds)
                    }
                    let skippedNow = entries.filter {
                        $0.status == .skipped
                            && recorded.contains(Notifications.Key(alertId: $0.alertId, channel: $0.channel))
                    }
                    return (Ledger(contacts: contacts, rows: rows), skippedNow)
                }
                for entry in skippedNow { metrics.skipped(entry.channel, reason: entry.lastError ?? "unknown") }
                return ledger
            } catch {
                logger.warning("notifications not recorded; retrying", metadata: ["error": "\(error)"])
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                let pause = backoff
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(pause)) }
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                backoff = min(backoff * 2, 5)
            }
        }
    }

    /// Sends one claimed notification and records its outcome at once.
    private func send(
        _ alert: CitizenAlert, on channel: NotificationChannel, to contact: CitizenContacts.Contact, attempts: Int
    )
        async -> State
    {
        let key = Notifications.Key(alertId: alert.id, channel: channel)
        let notice = CitizenNotice(alert, applicantName: contact.fullName)
        let (outcome, parts) = await channels.send(
            notice, on: channel, to: contact, reference: channel.reference(alertId: alert.id))
        let policy = settings.policy
        let state: State
        switch outcome {
        case .accepted:
            state = State(channel: channel, status: .sent, error: nil, wait: 0)
        case .refused(let reason):
            state = State(channel: channel, status: .failed, error: Redaction.scrub(reason), wait: 0)
        case .transient(let reason) where attempts >= policy.maxAttempts:
            state = State(
                channel: channel, status: .failed,
                error: "gave up after \(attempts) attempts; last: \(Redaction.scrub(reason))", wait: 0)
        case .transient(let reason):
            state = State(
                channel: channel, status: .pending, error: Redaction.scrub(reason),
                wait: policy.backoff(afterAttempts: attempts, random: Double.random(in: 0..<1)))
        }
        logger.log(
            level: state.status == .sent ? .debug : .warning, "notification \(state.status.rawValue)",
            metadata: [
                "alert": "\(alert.id)", "dossier": "\(alert.dossierCode)", "channel": "\(channel.rawValue)",
                "attempt": "\(attempts)", "error": "\(state.error ?? "-")",
            ])
        do {
            try await database.withConnection { connection in
                switch state.status {
                case .sent: try Notifications.markSent(key, parts: parts, on: connection)
                case .failed: try Notifications.markFailed(key, error: state.error ?? "failed", on: connection)
                default:
                    try Notifications.markRetry(key, error: state.error ?? "", afterSeconds: state.wait, on: connection)
                }
            }
        } catch {
            // Not recorded: the lease runs out and the alert, returned to its queue, sends it again under
            // the same reference (the gateway drops the repeat).
            logger.warning(
                "notification outcome not recorded", metadata: ["alert": "\(alert.id)", "error": "\(error)"])
            return State(channel: channel, status: .pending, error: state.error, wait: Double(policy.leaseSeconds))
        }
        switch state.status {
        case .sent: metrics.sent(channel, parts: parts)
        case .failed: metrics.failed(channel)
        default: metrics.retried(channel)
        }
        return state
    }

    /// Publishes the alert to `motcua.dlx` (it lands in `motcua.notifier.dlq`) with the reason; true once
    /// the broker confirmed it. If it cannot, the alert goes back to its queue.
    private func deadLetter(_ delivery: Delivery, reason: String) async -> Bool {
        logger.error(
            "dead-lettering an alert", metadata: ["id": "\(delivery.messageId ?? "-")", "reason": "\(reason)"])
        let message = OutgoingMessage(
            exchange: Topology.deadLetters, routingKey: delivery.routingKey, body: delivery.body,
            messageId: delivery.messageId ?? UUID().uuidString, errorHeader: String(reason.prefix(500)))
        do {
            try await deadLetters.publish(message)
            return true
        } catch {
            logger.warning("dead letter not confirmed; returning the alert", metadata: ["error": "\(error)"])
            consumer.requeue(delivery)
            return false
        }
    }
}

extension CitizenAlert.Content {
    /// `notifications.kind`.
    var kind: String {
        switch self {
        case .apology: return "apology"
        case .linkedCompleted: return "linked_completed"
        case .missingInformation: return "missing_information"
        }
    }
}
