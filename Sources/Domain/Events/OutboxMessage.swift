import Foundation

/// One message for the outbox, built without I/O.
public struct OutboxMessage: Sendable, Equatable {
    public let exchange: String
    public let routingKey: String
    public let messageId: String
    /// The CloudEvent, as JSON.
    public let body: String

    public init(exchange: String, routingKey: String, messageId: String, body: String) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.messageId = messageId
        self.body = body
    }

    /// An alert for `motcua.alerts`, about one dossier (`subject`); no personal data goes in `data`.
    public static func alert<Payload: Codable & Sendable>(
        _ routingKey: String, source: String, subject: String,
        data: Payload, time: Date = Date(),
        id: String = UUID().uuidString.lowercased()
    ) throws
        -> OutboxMessage
    {
        let event = CloudEvent(id: id, source: source, routingKey: routingKey, time: time, subject: subject, data: data)
        return OutboxMessage(
            exchange: Topology.alerts, routingKey: routingKey, messageId: event.id,
            body: try JSONCoding.encodeString(event))
    }
}
