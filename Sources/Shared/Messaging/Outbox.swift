import Foundation

/// Messages workers emit, written in the same transaction as the state change that caused them;
/// the outbox relay publishes them with confirms and marks them sent.
public enum Outbox {
    /// Queues messages in ONE statement, which also notifies the relay (delivered at the commit).
    public static func insert(_ messages: [OutboxMessage], on connection: PostgresConnection) throws {
        guard !messages.isEmpty else { return }
        try connection.execute("""
            WITH queued AS (
                INSERT INTO outbox (exchange, routing_key, message_id, body)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                RETURNING 1)
            SELECT pg_notify('\(NotifyChannel.outbox)', '') FROM (SELECT 1 FROM queued LIMIT 1) AS any_row
            """, [PostgresArray.literal(messages.map(\.exchange)), PostgresArray.literal(messages.map(\.routingKey)),
                  PostgresArray.literal(messages.map(\.messageId)), PostgresArray.literal(messages.map(\.body))])
    }
}

/// One message for the outbox, built without I/O.
public struct OutboxMessage: Sendable, Equatable {
    public let exchange: String
    public let routingKey: String
    public let messageId: String
    /// The CloudEvent, as JSON.
    public let body: String

    /// An alert for `motcua.alerts`, about one dossier (`subject`); no personal data goes in `data`.
    public static func alert<Payload: Codable & Sendable>(_ routingKey: String, source: String, subject: String,
                                                          data: Payload, time: Date = Date(),
                                                          id: String = UUID().uuidString.lowercased()) throws
        -> OutboxMessage
    {
        let event = CloudEvent(id: id, source: source, routingKey: routingKey, time: time, subject: subject, data: data)
        return OutboxMessage(exchange: Topology.alerts, routingKey: routingKey, messageId: event.id,
                             body: try JSONCoding.encodeString(event))
    }
}
