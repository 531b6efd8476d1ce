import AMQPDriver
import Dispatch
import Domain
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Store

/// Consumes a work queue and applies each batch of messages in ONE PostgreSQL transaction, each
/// effect with its inbox row, then acknowledges: at-least-once delivery, exactly-once effect.
/// A database outage pauses the batch and retries it; a message that breaks a rule is dead-lettered
/// without holding up the others; SIGTERM stops consuming, finishes the batch in hand and acks it.
struct EventHandlingService: Service {
    /// Applies a batch inside a transaction (a role's `RolePipeline`): one disposition per delivery.
    typealias Apply = @Sendable ([Delivery], PostgresConnection) throws -> [Disposition]

    let role: String
    /// Its own service, listed before this one: it closes after this one has acked its last batch.
    let consumer: QueueConsumer
    let database: PostgresClient
    /// Dead letters go out with publisher confirms, and the original is acked only after the confirm.
    let deadLetters: EventPublisher
    let prefetch: UInt16
    let logger: Logger
    let apply: Apply

    func run() async throws {
        let metrics = BatchMetrics(role: role)
        // Whatever arrived while a batch was being applied becomes the next batch (up to the prefetch).
        let batches = BatchingQueue<Delivery>()
        let limit = Int(prefetch)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await deliveries in consumer.deliveries { batches.put(deliveries) }
                    batches.finish()
                }
                while let batch = await batches.take(limit: limit) {
                    let start = DispatchTime.now()
                    // Each envelope read once: its dossier for the locks, its time for the lag.
                    let headers = batch.map(\.header)
                    let outcomes = await handle(batch, codes: headers.compactMap { $0?.subject }, consumer: consumer)
                    metrics.record(batch, headers: headers, outcomes: outcomes, since: start)
                }
            }
        } onGracefulShutdown: {
            consumer.stopDelivering()
        }
        logger.info("stopped", metadata: ["role": "\(role)"])
    }

    /// Applies a batch and settles each message with the broker; the dispositions, or nil when the batch
    /// was left unacknowledged for a shutdown.
    private func handle(_ batch: [Delivery], codes: [String], consumer: QueueConsumer) async -> [Disposition]? {
        var backoff = 0.2
        var attempts = 0
        while true {
            do {
                // A batch that keeps failing on a reachable database (a statement or lock timeout, a deadlock,
                // every time) is taken apart: each message in its own savepoint, the failing ones returned
                // to the queue, where the delivery limit ends them. It never blocks the queue for good.
                attempts += 1
                let outcomes =
                    attempts > Self.wholeBatchAttempts
                    ? try await applyEach(batch, codes: codes, isolating: true)
                    : try await apply(batch, codes: codes)
                await settle(batch, outcomes, consumer: consumer)
                return outcomes
            } catch {
                if let error = error as? PostgresError, error.kind == .connection { attempts = 0 }
                // The database cannot be reached, or a deadlock, serialization failure or timeout hit the
                // batch: keep it and try again. On shutdown, leave it unacknowledged: the broker
                // redelivers it to whoever runs next.
                logger.warning(
                    "batch not applied; retrying",
                    metadata: [
                        "error": "\(error)", "role": "\(role)", "messages": "\(batch.count)",
                        "first": "\(batch.first?.messageId ?? "-")", "last": "\(batch.last?.messageId ?? "-")",
                    ])
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                let pause = backoff
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(pause)) }
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                backoff = min(backoff * 2, 5)
            }
        }
    }

    /// Tells the broker what became of each message: the dead letters first (each confirmed), then ONE
    /// ack for the batch (a `multiple` ack where the tags run on); a message to retry goes back to the
    /// queue after a backoff, since each return counts towards the delivery limit.
    private func settle(_ batch: [Delivery], _ outcomes: [Disposition], consumer: QueueConsumer) async {
        var acks: [Delivery] = []
        await withTaskGroup(of: Delivery?.self) { group in
            for (delivery, disposition) in zip(batch, outcomes) {
                switch disposition {
                case .applied, .duplicate: acks.append(delivery)
                case .retryLater(let reason):
                    logger.debug(
                        "returning a message to its queue",
                        metadata: [
                            "role": "\(role)", "id": "\(delivery.messageId ?? "-")", "reason": "\(reason)",
                        ])
                    let delay = min(pow(2, Double(delivery.deliveryCount)), 30) * Double.random(in: 0.8...1.2)
                    Task {
                        try? await Task.sleep(for: .seconds(delay))
                        consumer.requeue(delivery)
                    }
                case .poison(let reason):
                    group.addTask { await deadLetter(delivery, reason: reason, consumer: consumer) ? delivery : nil }
                }
            }
            for await confirmed in group { if let confirmed { acks.append(confirmed) } }
        }
        consumer.ack(acks)
    }

    /// Publishes the message to `motcua.dlx` with the reason; true once the broker confirmed the dead
    /// letter (the original may be acked). If it cannot, the original goes back to its queue (where the
    /// broker's delivery limit dead-letters it in the end): it is never lost.
    private func deadLetter(_ delivery: Delivery, reason: String, consumer: QueueConsumer) async -> Bool {
        logger.error(
            "dead-lettering a message",
            metadata: [
                "role": "\(role)", "id": "\(delivery.messageId ?? "-")",
                "reason": "\(reason)",
            ])
        let message = OutgoingMessage(
            exchange: Topology.deadLetters, routingKey: delivery.routingKey,
            body: delivery.body, messageId: delivery.messageId ?? UUID().uuidString,
            errorHeader: String(reason.prefix(500)))
        do {
            try await deadLetters.publish(message)
            return true
        } catch {
            logger.warning("dead letter not confirmed; returning the message", metadata: ["error": "\(error)"])
            consumer.requeue(delivery)
            return false
        }
    }

    /// How often a whole batch is retried on a reachable database before it is taken apart.
    static let wholeBatchAttempts = 3

    /// Applies the batch in one transaction; if one message breaks the transaction, applies each in
    /// its own savepoint (`applyEach`) so only that one is refused. Transient failures are thrown, to
    /// retry the batch.
    private func apply(_ batch: [Delivery], codes: [String]) async throws -> [Disposition] {
        let apply = self.apply
        do {
            return try await database.withTransaction { connection in try apply(batch, connection) }
        } catch let error as PostgresError where !error.isRetryable {
            return try await applyEach(batch, codes: codes, isolating: false)
        }
    }

    /// Each message in its own savepoint: one the database refuses is poison; when `isolating`, one
    /// that fails transiently on its own goes back to the queue instead of failing the batch again.
    /// Every dossier of the batch is locked first, in the one fixed order, as a whole batch does.
    private func applyEach(_ batch: [Delivery], codes: [String], isolating: Bool) async throws -> [Disposition] {
        let apply = self.apply
        return try await database.withTransaction { connection in
            try DossierLocks.lock(codes, on: connection)
            return try batch.map { delivery in
                try connection.execute("SAVEPOINT message")
                do {
                    let disposition = try apply([delivery], connection)[0]
                    try connection.execute("RELEASE SAVEPOINT message")
                    return disposition
                } catch let error as PostgresError where !error.isRetryable {
                    try connection.execute("ROLLBACK TO SAVEPOINT message")
                    return .poison("refused by the database: \(error)")
                } catch let error as PostgresError where isolating && error.kind != .connection {
                    try connection.execute("ROLLBACK TO SAVEPOINT message")
                    return .retryLater("failed again on its own: \(error)")
                }
            }
        }
    }
}

extension Delivery {
    /// The CloudEvents envelope without its data (`subject` is the dossier), decoded anew on each use.
    var header: EventHeader? { try? JSONCoding.decode(EventHeader.self, from: body) }
}
