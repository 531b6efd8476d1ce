import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A message taken from a work queue, to be acknowledged through the consumer that delivered it.
public struct Delivery: Sendable {
    public let tag: UInt64
    /// The connection it came on; an ack for an older connection is dropped (the broker redelivers).
    let generation: Int
    public let routingKey: String
    public let body: Data
    public let messageId: String?
    public let redelivered: Bool
    /// How many times the broker delivered it before (quorum queues count).
    public let deliveryCount: Int
    public let errorHeader: String?

    init(
        tag: UInt64, generation: Int, routingKey: String, body: Data, messageId: String?, redelivered: Bool,
        deliveryCount: Int, errorHeader: String?
    ) {
        self.tag = tag
        self.generation = generation
        self.routingKey = routingKey
        self.body = body
        self.messageId = messageId
        self.redelivered = redelivered
        self.deliveryCount = deliveryCount
        self.errorHeader = errorHeader
    }

    /// A delivery that came from no connection: for tests of the pure parts of the roles.
    public static func unconnected(routingKey: String, body: Data, tag: UInt64 = 0, deliveryCount: Int = 0)
        -> Delivery
    {
        Delivery(
            tag: tag, generation: -1, routingKey: routingKey, body: body, messageId: nil, redelivered: false,
            deliveryCount: deliveryCount, errorHeader: nil)
    }
}

/// Consumes one quorum queue with manual acks and a prefetch limit. One thread owns the
/// connection; deliveries come out as an async sequence and acks go back as commands. The
/// consumer reconnects with backoff when the broker goes away; unacknowledged deliveries of the
/// broken connection come again.
public final class QueueConsumer: Service, Sendable {
    public let queue: String
    public let deliveries: AsyncStream<[Delivery]>
    private let output: AsyncStream<[Delivery]>.Continuation
    private let commands = ThreadCommands<ConsumerCommand>()
    private let consuming = Atomic<Bool>(false)

    /// Whether the consumer is connected and registered with the broker now.
    public var isConsuming: Bool { consuming.load(ordering: .relaxed) }

    /// - Parameters:
    ///   - subscription: when given, `queue` is a private queue (deleted with the connection)
    ///     bound to that exchange with that routing-key pattern, as downstream services bind to alerts.
    ///   - binding: when given, `queue` is a durable quorum queue of the consumer's own (declared if
    ///     missing, shared by every consumer of that name) bound to that exchange with that pattern, as a
    ///     partner adapter binds to `motcua.partners`.
    public init(
        endpoint: AMQPEndpoint, queue: String, prefetch: UInt16,
        subscription: (exchange: String, pattern: String)? = nil,
        binding: (exchange: String, pattern: String)? = nil, logger: Logger
    ) {
        self.queue = queue
        let (stream, continuation) = AsyncStream.makeStream(of: [Delivery].self)
        deliveries = stream
        output = continuation
        let loop = ConsumerLoop(
            endpoint: endpoint, queue: queue, prefetch: prefetch, subscription: subscription,
            binding: binding, output: continuation, logger: logger)
        let thread = Thread { [self] in loop.run(self) }
        thread.name = "motcua.consumer"
        thread.start()
    }

    /// As a service: consumes until the graceful shutdown reaches it, then sends the acks already given
    /// and closes. Listed before the service that handles its deliveries, so it stops after it.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Ends `deliveries` after what is already buffered: the first step of a graceful shutdown.
    public func stopDelivering() { output.finish() }

    public func ack(_ delivery: Delivery) { ack([delivery]) }

    /// Acks a batch; a run of consecutive tags goes out as ONE `multiple` ack (`Acknowledgements`).
    public func ack(_ deliveries: [Delivery]) {
        guard !deliveries.isEmpty else { return }
        send(.ack(deliveries.map { ($0.tag, $0.generation) }))
    }

    /// Returns the delivery to the queue (counts towards the delivery limit).
    public func requeue(_ delivery: Delivery) { send(.nack(delivery.tag, delivery.generation, requeue: true)) }

    /// Stops consuming, sends the acks already given, and closes; unacknowledged messages return
    /// to the queue.
    public func close() async { await commands.close() }

    private func send(_ command: ConsumerCommand) { commands.putAlways(command) }

    fileprivate var inbox: ThreadCommands<ConsumerCommand> { commands }
    fileprivate func setConsuming(_ value: Bool) { consuming.store(value, ordering: .relaxed) }
}

enum ConsumerCommand: Sendable {
    case ack([(tag: UInt64, generation: Int)])
    case nack(UInt64, Int, requeue: Bool)
}

/// State owned by the consumer thread alone.
/// Invariant that makes `@unchecked Sendable` sound: after init, only the consumer thread touches it.
private final class ConsumerLoop: @unchecked Sendable {
    let endpoint: AMQPEndpoint
    let queue: String
    let prefetch: UInt16
    let subscription: (exchange: String, pattern: String)?
    let binding: (exchange: String, pattern: String)?
    let output: AsyncStream<[Delivery]>.Continuation
    let logger: Logger
    var connection: AMQPConnection?
    var generation = 0
    var acknowledgements = Acknowledgements()
    var backoff: TimeInterval = 0.2
    var nextAttempt = Date.distantPast

    init(
        endpoint: AMQPEndpoint, queue: String, prefetch: UInt16, subscription: (exchange: String, pattern: String)?,
        binding: (exchange: String, pattern: String)?, output: AsyncStream<[Delivery]>.Continuation, logger: Logger
    ) {
        self.endpoint = endpoint
        self.queue = queue
        self.prefetch = prefetch
        self.subscription = subscription
        self.binding = binding
        self.output = output
        self.logger = logger
    }

    func run(_ owner: QueueConsumer) {
        while true {
            let (commands, closing) = owner.inbox.take()
            apply(commands)
            if closing { break }
            if connection == nil && Date() >= nextAttempt { connect() }
            owner.setConsuming(connection != nil)
            if let connection {
                // Whatever has already arrived goes out as one batch: the handler commits it in one transaction.
                var batch: [Delivery] = []
                do {
                    while batch.count < Int(prefetch), let raw = try connection.nextDelivery() {
                        acknowledgements.delivered(raw.tag)
                        batch.append(
                            Delivery(
                                tag: raw.tag, generation: generation, routingKey: raw.routingKey,
                                body: raw.body, messageId: raw.messageId, redelivered: raw.redelivered,
                                deliveryCount: raw.deliveryCount, errorHeader: raw.error))
                    }
                } catch {
                    broken(error)
                }
                if !batch.isEmpty { output.yield(batch) }
            }
            if connection?.hasBufferedData == true { continue }
            owner.inbox.wakeup.wait(socket: connection?.socket ?? -1, milliseconds: connection == nil ? 200 : 1000)
        }
        connection?.close()
        connection = nil
        owner.setConsuming(false)
        output.finish()
        owner.inbox.markExited()
    }

    private func connect() {
        do {
            let connection = try AMQPConnection(endpoint: endpoint)
            try endpoint.topology.declare(on: connection)
            if let subscription {
                try connection.declarePrivateQueue(queue)
                try connection.bind(queue: queue, exchange: subscription.exchange, routingKey: subscription.pattern)
            }
            if let binding {
                try connection.declareQueue(
                    queue, quorum: true, deadLetterExchange: nil, deadLetterRoutingKey: nil,
                    deliveryLimit: endpoint.topology.deliveryLimit,
                    initialGroupSize: endpoint.topology.initialGroupSize)
                try connection.bind(queue: queue, exchange: binding.exchange, routingKey: binding.pattern)
            }
            try connection.setPrefetch(prefetch)
            try connection.consume(queue: queue)
            self.connection = connection
            generation += 1
            acknowledgements.reset()
            backoff = 0.2
            logger.info("consuming", metadata: ["queue": "\(queue)"])
        } catch {
            logger.warning("consumer cannot reach RabbitMQ", metadata: ["queue": "\(queue)", "error": "\(error)"])
            nextAttempt = Date().addingTimeInterval(backoff * Double.random(in: 0.8...1.2))
            backoff = min(backoff * 2, 5)
        }
    }

    private func apply(_ commands: [ConsumerCommand]) {
        guard let connection else { return }
        var frames: [Acknowledgements.Frame] = []
        for command in commands {
            // A tag from a connection that broke means nothing now: the broker redelivers that message.
            switch command {
            case .ack(let tags):
                frames += acknowledgements.settle(acks: tags.filter { $0.generation == generation }.map(\.tag))
            case .nack(let tag, let gen, let requeue) where gen == generation:
                frames += acknowledgements.settle(acks: [], nacks: [(tag, requeue)])
            case .nack:
                continue
            }
        }
        do {
            for frame in frames {
                switch frame {
                case .ack(let tag, let multiple): try connection.ack(tag, multiple: multiple)
                // A delivery handed back is a failed attempt: counted towards the queue's delivery limit
                // and in `x-delivery-count`, which the backoff and the orphan rule read.
                case .nack(let tag, let requeue): try connection.reject(tag, requeue: requeue)
                }
            }
        } catch {
            broken(error)
        }
    }

    private func broken(_ error: Error) {
        logger.warning("consumer lost RabbitMQ", metadata: ["queue": "\(queue)", "error": "\(error)"])
        connection?.abandon()
        connection = nil
        nextAttempt = Date().addingTimeInterval(backoff)
    }
}
