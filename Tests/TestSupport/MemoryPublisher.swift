import AMQPDriver
import Foundation
import Synchronization

/// An in-memory broker for tests of the HTTP edge: it keeps what was published and can be told to
/// fail the next publishes, certainly or with an unknown outcome.
public final class MemoryPublisher: EventPublishing {
    public enum Failure: Sendable {
        /// Never reached the broker (connect failed).
        case unreachable
        /// Written, but no confirm came: the broker may or may not hold it.
        case unknownOutcome
    }

    private let state = Mutex<(messages: [OutgoingMessage], failures: [Failure])>(([], []))

    public init() {}

    /// Every message confirmed so far; a message that failed with `.unknownOutcome` is here too, as a
    /// broker that stored it before the connection broke would have it.
    public var messages: [OutgoingMessage] { state.withLock { $0.messages } }

    /// The next `count` publishes fail with `failure`.
    public func fail(next count: Int = 1, with failure: Failure) {
        state.withLock { $0.failures += Array(repeating: failure, count: count) }
    }

    public func publish(_ message: OutgoingMessage) async throws {
        let failure: Failure? = state.withLock { state in
            let failure = state.failures.isEmpty ? nil : state.failures.removeFirst()
            if failure != .unreachable { state.messages.append(message) }
            return failure
        }
        switch failure {
        case nil: return
        case .unreachable: throw AMQPError(.unavailable, "connect")
        case .unknownOutcome: throw AMQPError(.unavailable, "confirm timed out", outcomeUnknown: true)
        }
    }

    public func checkConnection() async -> Bool { true }
    public func close() async {}
}
