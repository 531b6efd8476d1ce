import AMQPDriver
import Domain

extension BrokerTopology {
    /// CONTRACT.md's topology (`Topology`): the four exchanges, and each work queue with its dead-letter
    /// queue. Dead letters keep their routing key, so the DLQ binds the work queue's keys on motcua.dlx
    /// and `motcua dlq replay` can put a message back exactly where it came from.
    public static let motcua = BrokerTopology(
        exchanges: [Topology.events, Topology.alerts, Topology.partners, Topology.deadLetters],
        queues: Topology.workQueues.flatMap(BrokerTopology.queues),
        deliveryLimit: Topology.deliveryLimit)

    /// The topology with the notifier's queue and its dead-letter queue as well (`--role notifier`).
    public var withNotifier: BrokerTopology {
        var topology = self
        if !topology.queues.contains(where: { $0.name == Topology.notifier.name }) {
            topology.queues += Self.queues(Topology.notifier)
        }
        return topology
    }

    /// A work queue bound to its exchange, and its `.dlq` bound to `motcua.dlx` with the same keys.
    static func queues(_ queue: Topology.WorkQueue) -> [Queue] {
        [
            Queue(
                name: queue.deadLetterQueue, deadLetterExchange: nil, deliveryLimit: 0,
                bindings: queue.bindings.map { Binding(exchange: Topology.deadLetters, pattern: $0) }),
            Queue(
                name: queue.name, deadLetterExchange: Topology.deadLetters, deliveryLimit: Topology.deliveryLimit,
                bindings: queue.bindings.map { Binding(exchange: queue.exchange, pattern: $0) }),
        ]
    }
}
