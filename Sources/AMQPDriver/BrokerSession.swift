import BlockingThreads

/// A blocking rabbitmq-c connection for async callers (the console's dead-letter list and replay): it
/// lives on a thread of its own and every call runs there, so no call holds one of the cooperative
/// pool's threads (two on this machine, which serve every HTTP request of intake).
public final class BrokerSession: @unchecked Sendable {
    // Invariant for @unchecked Sendable: `connection` is only touched on `thread`, which runs one job at
    // a time.
    private let thread: ConnectionThread
    private var connection: AMQPConnection?

    private init(name: String) { thread = ConnectionThread(name: name) }

    /// Opens a connection (and declares the topology) on a new thread, runs `body` with the session, then
    /// closes both.
    public static func using<T: Sendable>(_ endpoint: AMQPEndpoint, _ body: (BrokerSession) async throws -> T)
        async throws -> T
    {
        let session = BrokerSession(name: "motcua.broker-session")
        defer { session.thread.stop() }
        do {
            try await session.open(endpoint)
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    /// Runs `job` on a new thread of its own, for blocking calls that open their own connections.
    public static func offThePool<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        let thread = ConnectionThread(name: "motcua.broker-call")
        defer { thread.stop() }
        return try await withCheckedThrowingContinuation { continuation in
            thread.run { continuation.resume(with: Result { try job() }) }
        }
    }

    /// Runs `job` with the connection on the session's thread.
    public func run<T: Sendable>(_ job: @escaping @Sendable (AMQPConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            thread.run { [self] in
                continuation.resume(
                    with: Result {
                        guard let connection else { throw AMQPError(.unavailable, "use of a closed connection") }
                        return try job(connection)
                    })
            }
        }
    }

    private func open(_ endpoint: AMQPEndpoint) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            thread.run { [self] in
                continuation.resume(
                    with: Result {
                        let opened = try AMQPConnection(endpoint: endpoint)
                        connection = opened
                        try endpoint.topology.declare(on: opened)
                    })
            }
        }
    }

    private func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            thread.run { [self] in
                connection?.close()
                connection = nil
                continuation.resume()
            }
        }
    }
}
