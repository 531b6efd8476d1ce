import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Shared

/// Consumes a work queue and applies each batch of messages in ONE PostgreSQL transaction, each
/// effect with its inbox row, then acknowledges: at-least-once delivery, exactly-once effect.
/// A database outage pauses the batch and retries it; a message that breaks a rule is dead-lettered
/// without holding up the others; SIGTERM stops consuming, finishes the batch in hand and acks it.
struct EventHandlingService: Service {
    typealias Handler = @Sendable (Delivery, PostgresConnection) throws -> Disposition

    let role: String
    let queue: Topology.WorkQueue
    let endpoint: AMQPEndpoint
    let database: PostgresClient
    let prefetch: UInt16
    let logger: Logger
    let handler: Handler

    func run() async throws {
        let consumer = QueueConsumer(endpoint: endpoint, queue: queue.name, prefetch: prefetch, logger: logger)
        let processed = Counter(label: "motcua_worker_messages_total", dimensions: [("role", role)])
        await withGracefulShutdownHandler {
            for await batch in consumer.deliveries {
                await handle(batch, consumer: consumer)
                processed.increment(by: batch.count)
            }
        } onGracefulShutdown: {
            consumer.stopDelivering()
        }
        await consumer.close()
        logger.info("stopped", metadata: ["role": "\(role)"])
    }

    private func handle(_ batch: [Delivery], consumer: QueueConsumer) async {
        var backoff = 0.2
        while true {
            do {
                let outcomes = try await apply(batch)
                for (delivery, disposition) in zip(batch, outcomes) {
                    switch disposition {
                    case .applied, .duplicate: consumer.ack(delivery)
                    case .retryLater:
                        // Back off before the broker delivers it again: each return counts towards the limit.
                        let delay = min(pow(2, Double(delivery.deliveryCount)), 30) * Double.random(in: 0.8...1.2)
                        Task {
                            try? await Task.sleep(for: .seconds(delay))
                            consumer.requeue(delivery)
                        }
                    case .poison(let reason):
                        logger.error("dead-lettering a message", metadata: ["id": "\(delivery.messageId ?? "-")",
                                                                             "reason": "\(reason)"])
                        consumer.deadLetter(delivery, reason: reason)
                    }
                }
                return
            } catch {
                // Only a database that cannot be reached gets here: keep the batch and try again.
                logger.warning("database unavailable; retrying batch", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(backoff))
                backoff = min(backoff * 2, 5)
            }
        }
    }

    /// Applies the batch in one transaction; if one message breaks the transaction, applies each in
    /// its own savepoint so only that one is refused.
    private func apply(_ batch: [Delivery]) async throws -> [Disposition] {
        let handler = self.handler
        do {
            return try await database.withTransaction { connection in
                try batch.map { delivery in try Self.run(handler, delivery, connection) }
            }
        } catch let error as PostgresError where error.kind != .connection {
            return try await database.withTransaction { connection in
                try batch.map { delivery in
                    try connection.execute("SAVEPOINT message")
                    do {
                        let disposition = try Self.run(handler, delivery, connection)
                        try connection.execute("RELEASE SAVEPOINT message")
                        return disposition
                    } catch let error as PostgresError where error.kind != .connection {
                        try connection.execute("ROLLBACK TO SAVEPOINT message")
                        return .poison("refused by the database: \(error)")
                    }
                }
            }
        }
    }

    private static func run(_ handler: Handler, _ delivery: Delivery, _ connection: PostgresConnection) throws
        -> Disposition
    {
        do {
            return try handler(delivery, connection)
        } catch let poison as PoisonMessage {
            return .poison(poison.description)
        } catch is DecodingError {
            return .poison("the message is not a CloudEvent this queue understands")
        }
    }
}
