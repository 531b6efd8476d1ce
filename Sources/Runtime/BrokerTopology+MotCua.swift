import AMQPDriver
import Domain

extension BrokerTopology {
    /// CONTRACT.md's topology (`Topology`): the four exchanges, and each work queue with its dead-letter
    /// queue. Dead letters keep their routing key, so the DLQ binds the work queue's keys on motcua.dlx
    /// and `motcua dlq replay` can put a message back exactly where it came from.
    public static let motcua = BrokerTopology(
        exchanges: [Topology.events, Topology.alerts, Topology.partners, Topology.deadLetters],
        queues: Topology.workQueues.flatMap { queue in
            [
                Queue(
                    name: queue.deadLetterQueue, deadLetterExchange: nil, deliveryLimit: 0,
                    bindings: queue.bindings.map { Binding(exchange: Topology.deadLetters, pattern: $0) }),
                Queue(
                    name: queue.name, deadLetterExchange: Topology.deadLetters, deliveryLimit: Topology.deliveryLimit,
                    bindings: queue.bindings.map { Binding(exchange: Topology.events, pattern: $0) }),
            ]
        },
        deliveryLimit: Topology.deliveryLimit)
}
