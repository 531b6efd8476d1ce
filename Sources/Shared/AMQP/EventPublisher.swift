import Foundation
import Logging
import Synchronization

/// Publishes persistent messages with `mandatory` and publisher confirms. Any number of tasks may
/// call `publish` at once: one thread owns the connection, writes every waiting message, and
/// resolves each caller when the broker's (possibly `multiple`) ack for it arrives, so confirms are
/// pipelined across callers instead of one round trip each. A returned (unroutable) message, a nack,
/// a broken connection or a missing confirm fails the caller: nothing counts as published unless
/// the broker confirmed it. After the broker comes back the next publish reconnects.
public final class EventPublisher: Sendable {
    private let inbox = Mutex(PublisherInbox())
    private let wakeup = Wakeup()
    private let finished = Mutex<CheckedContinuation<Void, Never>?>(nil)
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
    public func close() async {
        await withCheckedContinuation { continuation in
            let alreadyDone = inbox.withLock { inbox -> Bool in
                inbox.closing = true
                if inbox.exited { return true }
                finished.withLock { $0 = continuation }
                return false
            }
            if alreadyDone { continuation.resume() } else { wakeup.signal() }
        }
    }

    private func submit(_ kind: PendingPublish.Kind) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let refusal = inbox.withLock { inbox -> AMQPError? in
                guard !inbox.closing else { return AMQPError(.closed, "publish") }
                // A bounded queue: past it callers hear 503 at once rather than wait behind a stalled broker.
                guard inbox.pending.count < Self.maxPending else { return AMQPError(.unavailable, "publisher queue full") }
                if inbox.blocked, case .publish = kind { return AMQPError(.unavailable, "broker blocked publishing") }
                inbox.pending.append(PendingPublish(kind: kind, continuation: continuation))
                return nil
            }
            if let refusal { continuation.resume(throwing: refusal) } else { wakeup.signal() }
        }
    }

    // Called by the loop, on its thread.
    fileprivate func take() -> (batch: [PendingPublish], closing: Bool) {
        inbox.withLock { inbox in
            defer { inbox.pending.removeAll(keepingCapacity: true) }
            return (inbox.pending, inbox.closing)
        }
    }

    /// The broker said it stopped reading publishes (memory or disk alarm), or started again.
    fileprivate func setBlocked(_ blocked: Bool) { inbox.withLock { $0.blocked = blocked } }

    fileprivate func markExited() {
        inbox.withLock { $0.exited = true }
        finished.withLock { continuation in
            continuation?.resume()
            continuation = nil
        }
    }

    fileprivate var wake: Wakeup { wakeup }
}

struct PendingPublish {
    enum Kind {
        case publish(OutgoingMessage)
        case ping
    }

    let kind: Kind
    let continuation: CheckedContinuation<Void, Error>
}

private struct PublisherInbox {
    var pending: [PendingPublish] = []
    var closing = false
    var exited = false
    var blocked = false
}

/// State owned by the publisher thread alone.
/// Invariant that makes `@unchecked Sendable` sound: after init, only the publisher thread touches it.
private final class PublisherLoop: @unchecked Sendable {
    let endpoint: AMQPEndpoint
    let confirmTimeout: TimeInterval
    let logger: Logger
    var connection: AMQPConnection?
    var lastTag: UInt64 = 0
    var inFlight: [UInt64: (continuation: CheckedContinuation<Void, Error>, messageId: String, sentAt: Date)] = [:]
    var returned: Set<String> = []
    var lastConnectFailure = Date.distantPast

    init(endpoint: AMQPEndpoint, confirmTimeout: TimeInterval, logger: Logger) {
        self.endpoint = endpoint
        self.confirmTimeout = confirmTimeout
        self.logger = logger
    }

    func run(_ owner: EventPublisher) {
        while true {
            let (batch, closing) = owner.take()
            if !batch.isEmpty { send(batch, owner: owner) }
            if connection != nil { readConfirms(owner: owner) }
            expireOverdue(owner: owner)
            if closing && inFlight.isEmpty { break }
            if connection?.hasBufferedData == true { continue }
            owner.wake.wait(socket: connection?.socket ?? -1, milliseconds: inFlight.isEmpty ? 1000 : 100)
        }
        connection?.close()
        connection = nil
        owner.markExited()
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
                    lastTag += 1
                    inFlight[lastTag] = (item.continuation, message.messageId, Date())
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
            try Topology.declare(on: connection)
            try connection.selectConfirms()
            self.connection = connection
            lastTag = 0
            returned.removeAll()
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
                case .ack(let tag, let multiple): settle(tag, multiple: multiple, acked: true)
                case .nack(let tag, let multiple): settle(tag, multiple: multiple, acked: false)
                case .returned(let messageId): if let messageId { returned.insert(messageId) }
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

    private func settle(_ tag: UInt64, multiple: Bool, acked: Bool) {
        let tags = multiple ? inFlight.keys.filter { $0 <= tag } : [tag]
        for tag in tags {
            guard let entry = inFlight.removeValue(forKey: tag) else { continue }
            if !acked {
                entry.continuation.resume(throwing: AMQPError(.notConfirmed, "publish nacked", outcomeUnknown: true))
            } else if returned.remove(entry.messageId) != nil {
                entry.continuation.resume(throwing: AMQPError(.notConfirmed, "publish returned as unroutable"))
            } else {
                entry.continuation.resume()
            }
        }
    }

    private func expireOverdue(owner: EventPublisher) {
        let limit = Date().addingTimeInterval(-confirmTimeout)
        guard inFlight.values.contains(where: { $0.sentAt < limit }) else { return }
        // A confirm this late means the connection is not trustworthy: start afresh.
        broken(owner: owner, reason: "confirm timed out")
    }

    private func broken(owner: EventPublisher, reason: String) {
        logger.warning("publisher lost RabbitMQ", metadata: ["reason": "\(reason)"])
        connection?.abandon()
        connection = nil
        for (_, entry) in inFlight {
            entry.continuation.resume(throwing: AMQPError(.unavailable, reason, outcomeUnknown: true))
        }
        inFlight.removeAll()
        returned.removeAll()
        lastConnectFailure = Date()
        owner.setBlocked(false)  // a new connection starts unblocked
    }
}
