import Foundation

/// A persistent message to publish. `messageId` is the CloudEvents id.
public struct OutgoingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: Data
    public var messageId: String
    public var type: String?
    public var contentType: String
    /// Written as the `x-motcua-error` header (dead letters).
    public var errorHeader: String?
    /// Whether an unroutable message fails the publish. Events must reach their work queue; alerts
    /// go to whatever downstream queues are bound, possibly none.
    public var mandatory: Bool

    public init(
        exchange: String, routingKey: String, body: Data, messageId: String, type: String? = nil,
        contentType: String = "application/cloudevents+json", errorHeader: String? = nil,
        mandatory: Bool = true
    ) {
        self.mandatory = mandatory
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageId = messageId
        self.type = type
        self.contentType = contentType
        self.errorHeader = errorHeader
    }
}
