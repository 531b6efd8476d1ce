/// The broker topology of CONTRACT.md. Intake and every worker declare all of it on connect, so
/// any event intake publishes is routable to its quorum queue whichever process started first.
public enum Topology {
    public static let events = "motcua.events"
    public static let alerts = "motcua.alerts"
    public static let partners = "motcua.partners"
    public static let deadLetters = "motcua.dlx"

    /// How many times a message is delivered before the broker dead-letters it.
    public static let deliveryLimit = 10

    /// A quorum work queue, the routing keys it takes from `motcua.events`, and its dead-letter queue.
    public struct WorkQueue: Sendable, Hashable {
        public let name: String
        public let bindings: [String]
        public var deadLetterQueue: String { name + ".dlq" }
    }

    public static let recorder = WorkQueue(name: "motcua.recorder", bindings: ["dossier.received", "dossier.action.*"])
    public static let digitization = WorkQueue(name: "motcua.digitization", bindings: ["dossier.digitized"])
    public static let payments = WorkQueue(name: "motcua.payments", bindings: ["payment.*"])
    public static let chains = WorkQueue(name: "motcua.chains", bindings: ["linked.step_result"])

    public static let workQueues = [recorder, digitization, payments, chains]

    static func declare(on connection: AMQPConnection) throws {
        for exchange in [events, alerts, partners, deadLetters] { try connection.declareExchange(exchange, type: "topic") }
        for queue in workQueues {
            // Dead letters keep their routing key, so the DLQ binds the work queue's keys on motcua.dlx
            // and `motcua dlq replay` can put a message back exactly where it came from.
            try connection.declareQueue(queue.deadLetterQueue, quorum: true, deadLetterExchange: nil,
                                        deadLetterRoutingKey: nil, deliveryLimit: 0)
            try connection.declareQueue(queue.name, quorum: true, deadLetterExchange: deadLetters,
                                        deadLetterRoutingKey: nil, deliveryLimit: deliveryLimit)
            for key in queue.bindings {
                try connection.bind(queue: queue.deadLetterQueue, exchange: deadLetters, routingKey: key)
                try connection.bind(queue: queue.name, exchange: events, routingKey: key)
            }
        }
    }
}
