import Foundation

/// Messages workers emit, written in the same transaction as the state change that caused them;
/// the outbox relay publishes them with confirms and marks them sent.
public enum Outbox {
    /// Queues an alert for `motcua.alerts`.
    public static func alert<Payload: Codable & Sendable>(_ routingKey: String, source: String, subject: String,
                                                          data: Payload, on connection: PostgresConnection) throws
    {
        let event = CloudEvent(source: source, routingKey: routingKey, subject: subject, data: data)
        try connection.execute("""
            INSERT INTO outbox (exchange, routing_key, message_id, body) VALUES ($1, $2, $3, $4)
            """, [Topology.alerts, routingKey, event.id, try JSONCoding.encodeString(event)])
    }
}
