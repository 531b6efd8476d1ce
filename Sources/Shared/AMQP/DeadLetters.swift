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

    /// Every dead letter, left in place (taken unacknowledged and returned when the connection closes).
    /// The broker calls run on a thread of their own (`BrokerSession`), never on the cooperative pool.
    public func list(limit: Int = 1000) async throws -> [Letter] {
        let deadLetterQueue = queue.deadLetterQueue
        return try await BrokerSession.using(endpoint) { session in
            try await session.run { connection in
                var letters: [Letter] = []
                while letters.count < limit, let raw = try connection.get(queue: deadLetterQueue) {
                    letters.append(Letter(messageId: raw.messageId, routingKey: raw.routingKey, error: raw.error,
                                          body: raw.body))
                }
                return letters
            }
        }
    }

    /// Publishes up to `limit` dead letters back to `motcua.events` under their own routing keys,
    /// removing each from the DLQ only after the broker confirmed its republication.
    public func replay(limit: Int, publisher: any EventPublishing) async throws -> Int {
        let deadLetterQueue = queue.deadLetterQueue
        return try await BrokerSession.using(endpoint) { session in
            var replayed = 0
            while replayed < limit, let raw = try await session.run({ try $0.get(queue: deadLetterQueue) }) {
                try await publisher.publish(OutgoingMessage(exchange: Topology.events, routingKey: raw.routingKey,
                                                            body: raw.body, messageId: raw.messageId ?? UUID().uuidString))
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
        return workQueues.first { $0.name == full }
    }
}
