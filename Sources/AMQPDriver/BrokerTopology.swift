/// The exchanges and queues every connection declares when it opens, so a message published by any
/// process is routable whichever started first. The driver knows no names: the caller says them
/// (`AMQPEndpoint.topology`).
public struct BrokerTopology: Sendable, Equatable {
    /// A durable quorum queue and what it is bound to.
    public struct Queue: Sendable, Equatable {
        public var name: String
        /// Where the broker dead-letters what this queue refuses; nil: nowhere.
        public var deadLetterExchange: String?
        /// Deliveries before the broker dead-letters a message; 0: no limit.
        public var deliveryLimit: Int
        /// (exchange, routing key pattern) pairs.
        public var bindings: [Binding]

        public init(name: String, deadLetterExchange: String?, deliveryLimit: Int, bindings: [Binding]) {
            self.name = name
            self.deadLetterExchange = deadLetterExchange
            self.deliveryLimit = deliveryLimit
            self.bindings = bindings
        }
    }

    public struct Binding: Sendable, Equatable {
        public var exchange: String
        public var pattern: String

        public init(exchange: String, pattern: String) {
            self.exchange = exchange
            self.pattern = pattern
        }
    }

    /// Topic exchanges.
    public var exchanges: [String]
    public var queues: [Queue]
    /// The delivery limit of a queue a consumer declares for itself (`QueueConsumer`'s `binding`).
    public var deliveryLimit: Int

    /// How many broker nodes a quorum queue is replicated on when it is created; 0: the broker's
    /// default. A queue that exists keeps its members (`rabbitmq-queues grow` or `shrink` changes them).
    public var initialGroupSize: Int

    public init(exchanges: [String] = [], queues: [Queue] = [], deliveryLimit: Int = 10, initialGroupSize: Int = 0) {
        self.exchanges = exchanges
        self.queues = queues
        self.deliveryLimit = deliveryLimit
        self.initialGroupSize = initialGroupSize
    }

    func declare(on connection: AMQPConnection) throws {
        for exchange in exchanges { try connection.declareExchange(exchange, type: "topic") }
        for queue in queues {
            try connection.declareQueue(
                queue.name, quorum: true, deadLetterExchange: queue.deadLetterExchange,
                deadLetterRoutingKey: nil, deliveryLimit: queue.deliveryLimit, initialGroupSize: initialGroupSize)
            for binding in queue.bindings {
                try connection.bind(queue: queue.name, exchange: binding.exchange, routingKey: binding.pattern)
            }
        }
    }
}
