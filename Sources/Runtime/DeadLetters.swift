import AMQPDriver
import Domain
import Foundation

/// Reads and replays a work queue's dead-letter queue (`<queue>.dlq`).
public struct DeadLetters {
    public struct Letter: Sendable {
        public let messageId: String?
        public let routingKey: String
        public let error: String?
        public let body: Data
    }

    public let endpoint: AMQPEndpoint
    public let queue: Topology.WorkQueue

    public init(endpoint: AMQPEndpoint, queue: Topology.WorkQueue) {
        self.endpoint = endpoint
        self.queue = queue
    }

    /// Every dead letter, left in place. Looking must not count as a failed delivery: a quorum queue
    /// drops a message past its delivery limit (RabbitMQ 4 sets 20 on every quorum queue, the `.dlq`s
    /// too), and the console looks every 5 s. So the letters taken with `basic.get` go back with ONE
    /// explicit `basic.nack` (multiple, requeue), which RabbitMQ 4.3 and later do not count, rather than
    /// returned by closing the connection, which they count. (3.x quorum queues have no default limit;
    /// 4.0–4.2 count every return, nack included: there, lift the `.dlq`s' limit with a policy, README.)
    /// The broker calls run on a thread of their own (`BrokerSession`), never on the cooperative pool.
    public func list(limit: Int = 1000) async throws -> [Letter] {
        let deadLetterQueue = queue.deadLetterQueue
        return try await BrokerSession.using(endpoint) { session in
            try await session.run { connection in
                var letters: [Letter] = []
                var last: UInt64?
                while letters.count < limit, let raw = try connection.get(queue: deadLetterQueue) {
                    letters.append(
                        Letter(
                            messageId: raw.messageId, routingKey: raw.routingKey, error: raw.error,
                            body: raw.body))
                    last = raw.tag
                }
                if let last { try connection.nack(last, multiple: true, requeue: true) }
                return letters
            }
        }
    }

    /// Publishes up to `limit` dead letters back to their queue's exchange (`motcua.events`; the
    /// notifier's: `motcua.alerts`) under their own routing keys,
    /// removing each from the DLQ only after the broker confirmed its republication.
    public func replay(limit: Int, publisher: any EventPublishing) async throws -> Int {
        let deadLetterQueue = queue.deadLetterQueue
        return try await BrokerSession.using(endpoint) { session in
            var replayed = 0
            while replayed < limit, let raw = try await session.run({ try $0.get(queue: deadLetterQueue) }) {
                do {
                    try await publisher.publish(
                        OutgoingMessage(
                            exchange: queue.exchange, routingKey: raw.routingKey,
                            body: raw.body, messageId: raw.messageId ?? UUID().uuidString))
                } catch {
                    // Back in place without counting as a failed delivery (see `list`).
                    _ = try? await session.run { try $0.nack(raw.tag, requeue: true) }
                    throw error
                }
                try await session.run { try $0.ack(raw.tag) }
                replayed += 1
            }
            return replayed
        }
    }
}

extension Topology {
    /// A work queue by its name, with or without the `motcua.` prefix.
    public static func workQueue(named name: String) -> WorkQueue? {
        let full = name.hasPrefix("motcua.") ? name : "motcua." + name
        return allWorkQueues.first { $0.name == full }
    }
}
