import Foundation

/// The CloudEvents 1.0 envelope (structured JSON) every message of the pipeline travels in.
public struct CloudEvent<Payload: Codable & Sendable>: Codable, Sendable {
    public var specversion = "1.0"
    /// Unique; also the AMQP `message_id`. Consumers drop a repeated `source` + `id`.
    public var id: String
    public var source: String
    public var type: String
    public var time: Date
    /// The dossier code.
    public var subject: String?
    public var datacontenttype = "application/json"
    public var data: Payload

    /// - Parameter exchange: where it goes; the type of a partner command is made from its step.
    public init(
        id: String = UUID().uuidString.lowercased(), source: String, routingKey: String,
        exchange: String? = nil, time: Date = Date(), subject: String?, data: Payload
    ) {
        self.id = id
        self.source = source
        self.type = CloudEvent.type(forRoutingKey: routingKey, exchange: exchange)
        self.time = time
        self.subject = subject
        self.data = data
    }

    /// `vn.motcua.<routing key without the unit>`: `deadline.overdue.000.00.19.H56` → `vn.motcua.deadline.overdue`.
    /// The linked alerts leave their group out (`linked.step_failed.birth` → `vn.motcua.linked.step_failed`),
    /// and a partner command on `motcua.partners` is `vn.motcua.partner.<step>` (CONTRACT.md).
    public static func type(forRoutingKey key: String, exchange: String? = nil) -> String {
        if exchange == Topology.partners { return "vn.motcua.partner." + key }
        let parts = key.split(separator: ".")
        if parts.count == 3, parts[0] == "linked", parts[1] == "step_failed" || parts[1] == "completed" {
            return "vn.motcua.linked." + parts[1]
        }
        let kept = parts.prefix { part in !(part.count == 3 && part.allSatisfy(\.isNumber)) }
        return "vn.motcua." + kept.joined(separator: ".")
    }
}

/// Just the envelope fields, to route and deduplicate a message before decoding its data.
public struct EventHeader: Codable, Sendable {
    public var id: String
    public var source: String
    public var type: String
    public var subject: String?
    /// When the event happened (when intake accepted it): how far recording lags behind.
    public var time: Date?
}

/// Where events come from, as CloudEvents `source`.
public enum EventSource {
    public static let intake = "/motcua/intake"
    public static func worker(_ role: String) -> String { "/motcua/workers/\(role)" }
}
