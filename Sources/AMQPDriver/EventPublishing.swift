import ServiceLifecycle

/// Publishing with publisher confirms, as intake needs it: `EventPublisher` talks to RabbitMQ; tests
/// of the HTTP edge put an in-memory one in its place.
public protocol EventPublishing: Service, Sendable {
    /// Returns once the broker confirmed the message; throws `AMQPError` otherwise.
    func publish(_ message: OutgoingMessage) async throws
    /// Whether the broker is reachable now.
    func checkConnection() async -> Bool
    /// Fails new publishes, waits for outstanding confirms, and closes.
    func close() async
}

extension EventPublishing {
    /// As a service: publishes until the graceful shutdown reaches it, then closes.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
