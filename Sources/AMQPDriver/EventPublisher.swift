import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Publishes persistent messages with `mandatory` and publisher confirms. Any number of tasks may
/// call `publish` at once: one thread owns the connection, writes every waiting message, and
/// resolves each caller when the broker's (possibly `multiple`) ack for it arrives, so confirms are
/// pipelined across callers instead of one round trip each. A returned (unroutable) message, a nack,
/// a broken connection or a missing confirm fails the caller: nothing counts as published unless
/// the broker confirmed it. After the broker comes back the next publish reconnects.
/// As a service (`EventPublishing`'s `run`), it publishes until the graceful shutdown reaches it, then
/// waits for the outstanding confirms and closes: list it before the services that publish.
public final class EventPublisher: EventPublishing {
    private let inbox = ThreadCommands<PendingPublish>()
    private let blocked = Atomic<Bool>(false)
    /// Messages waiting for the publisher thread at most.
    static let maxPending = 10_000

    public init(endpoint: AMQPEndpoint, confirmTimeout: TimeInterval = 10, logger: Logger) {
        let loop = PublisherLoop(endpoint: endpoint, confirmTimeout: confirmTimeout, logger: logger)
        let thread = Thread { [self] in
            loop.run(self)
        }
        thread.name = "motcua.publisher"
        thread.start()
    }

    /// Returns once the broker has confirmed the message; throws `AMQPError` otherwise.
    public func publish(_ message: OutgoingMessage) async throws {
        try await submit(.publish(message))
    }

    /// Connects if needed; true when the broker is reachable now.
    public func checkConnection() async -> Bool {
        (try? await submit(.ping)) != nil
    }

    /// Fails new publishes, waits for outstanding confirms, and closes the connection.
    public func close() async { await inbox.close() }

    private func submit(_ kind: PendingPublish.Kind) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            if blocked.load(ordering: .relaxed), case .publish = kind {
                continuation.resume(throwing: AMQPError(.unavailable, "broker blocked publishing"))
                return
            }
            // A bounded queue: past it callers hear 503 at once rather than wait behind a stalled broker.
            switch inbox.put(PendingPublish(kind: kind, continuation: continuation), limit: Self.maxPending) {
            case nil: break
            case .closing: continuation.resume(throwing: AMQPError(.closed, "publish"))
            case .full: continuation.resume(throwing: AMQPError(.unavailable, "publisher queue full"))
            }
        }
    }

    // Called by the loop, on its thread.
    fileprivate var commands: ThreadCommands<PendingPublish> { inbox }

    /// The broker said it stopped reading publishes (memory or disk alarm), or started again.
    fileprivate func setBlocked(_ value: Bool) { blocked.store(value, ordering: .relaxed) }
}

struct PendingPublish {
    enum Kind {
        case publish(OutgoingMessage)
        case ping
    }

    let kind: Kind
    let continuation: CheckedContinuation<Void, Error>
}

/// State owned by the publisher thread alone.
/// Invariant that makes `@unchecked Sendable` sound: after init, only the publisher thread touches it.
private final class PublisherLoop: @unchecked Sendable {
    let endpoint: AMQPEndpoint
    let confirmTimeout: TimeInterval
    let logger: Logger
    var connection: AMQPConnection?
    var confirmations = Confirmations<CheckedContinuation<Void, Error>>()
    var lastConnectFailure = Date.distantPast
    var nackStreak = NackStreak()

    init(endpoint: AMQPEndpoint, confirmTimeout: TimeInterval, logger: Logger) {
        self.endpoint = endpoint
        self.confirmTimeout = confirmTimeout
        self.logger = logger
    }

    func run(_ owner: EventPublisher) {
        while true {
            let (batch, closing) = owner.commands.take()
            if !batch.isEmpty { send(batch, owner: owner) }
            if connection != nil { readConfirms(owner: owner) }
            if confirmations.isOverdue(timeout: confirmTimeout) {
                // A confirm this late means the connection is not trustworthy: start afresh.
                broken(owner: owner, reason: "confirm timed out")
            }
            if closing && confirmations.isEmpty { break }
            if connection?.hasBufferedData == true { continue }
            owner.commands.wakeup.wait(
                socket: connection?.socket ?? -1,
                milliseconds: confirmations.isEmpty ? 1000 : 100)
        }
        connection?.close()
        connection = nil
        owner.commands.markExited()
    }

    private func send(_ batch: [PendingPublish], owner: EventPublisher) {
        if connection == nil { connect(owner: owner) }
        for (index, item) in batch.enumerated() {
            guard let connection else {
                item.continuation.resume(throwing: AMQPError(.unavailable, "connect"))
                continue
            }
            switch item.kind {
            case .ping:
                item.continuation.resume()
            case .publish(let message):
                do {
                    try connection.publish(message, mandatory: message.mandatory)
                    confirmations.sent(item.continuation, messageId: message.messageId)
                } catch {
                    // Part of it may have reached the broker: the caller cannot know.
                    item.continuation.resume(throwing: AMQPError(.unavailable, "publish", outcomeUnknown: true))
                    broken(owner: owner, reason: "publish failed")
                    for rest in batch[(index + 1)...] {
                        rest.continuation.resume(throwing: AMQPError(.unavailable, "publish"))
                    }
                    return
                }
            }
        }
    }

    private func connect(owner: EventPublisher) {
        // Fail fast while the broker is down rather than stall every request on a connect attempt.
        guard Date().timeIntervalSince(lastConnectFailure) > 0.2 else { return }
        do {
            let connection = try AMQPConnection(endpoint: endpoint)
            try endpoint.topology.declare(on: connection)
            try connection.selectConfirms()
            self.connection = connection
            nackStreak.reset()
            logger.info("publisher connected to RabbitMQ")
        } catch {
            lastConnectFailure = Date()
            logger.warning("publisher cannot reach RabbitMQ", metadata: ["error": "\(error)"])
        }
    }

    private func readConfirms(owner: EventPublisher) {
        guard let connection else { return }
        do {
            while let frame = try connection.nextFrame() {
                switch frame {
                case .ack(let tag, let multiple): settle(tag, multiple: multiple, acked: true, owner: owner)
                case .nack(let tag, let multiple):
                    settle(tag, multiple: multiple, acked: false, owner: owner)
                    if self.connection == nil { return }  // given up on (NackStreak)
                case .returned(let messageId): if let messageId { confirmations.returned(messageId: messageId) }
                case .blocked:
                    logger.warning("RabbitMQ blocked publishing (memory or disk alarm)")
                    owner.setBlocked(true)
                case .unblocked:
                    logger.info("RabbitMQ unblocked publishing")
                    owner.setBlocked(false)
                case .other: break
                }
            }
        } catch {
            broken(owner: owner, reason: "confirm read failed")
        }
    }

    private func settle(_ tag: UInt64, multiple: Bool, acked: Bool, owner: EventPublisher) {
        let settled = confirmations.settle(tag, multiple: multiple, acked: acked)
        if !settled.isEmpty, nackStreak.record(acked: acked) {
            broken(owner: owner, reason: "every publish nacked for a while: a new connection")
        }
        for (continuation, outcome) in settled {
            switch outcome {
            case .confirmed: continuation.resume()
            case .nacked:
                continuation.resume(throwing: AMQPError(.notConfirmed, "publish nacked", outcomeUnknown: true))
            case .returned:
                continuation.resume(throwing: AMQPError(.notConfirmed, "publish returned as unroutable"))
            }
        }
    }

    private func broken(owner: EventPublisher, reason: String) {
        logger.warning("publisher lost RabbitMQ", metadata: ["reason": "\(reason)"])
        connection?.abandon()
        connection = nil
        for continuation in confirmations.connectionLost() {
            continuation.resume(throwing: AMQPError(.unavailable, reason, outcomeUnknown: true))
        }
        lastConnectFailure = Date()
        owner.setBlocked(false)  // a new connection starts unblocked
    }
}
