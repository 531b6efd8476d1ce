import BlockingThreads
import Logging
import ServiceLifecycle
import Synchronization

/// A fixed pool of PostgreSQL connections. libpq blocks, so each connection lives on a thread of
/// its own (`ConnectionThread`) and never runs on Swift's cooperative pool.
public final class PostgresClient: Service, Sendable {
    private let url: String
    private let slots: [Slot]
    private let state: Mutex<PoolState>
    private let logger: Logger
    private let acquireTimeout: Double
    private let statementTimeout: Int

    /// - Parameters:
    ///   - acquireTimeout: seconds a caller waits for a free connection before a connection error.
    ///   - statementTimeout: seconds a statement, or a wait for a lock, may take (`statement_timeout`, `lock_timeout`).
    public init(url: String, size: Int = 4, acquireTimeout: Double = 10, statementTimeout: Int = 15, logger: Logger) {
        self.url = url
        self.acquireTimeout = acquireTimeout
        self.statementTimeout = max(1, statementTimeout)
        self.logger = logger
        self.slots = (0..<max(1, size)).map { Slot(label: "motcua.postgres.\($0)") }
        self.state = Mutex(PoolState(free: Array(0..<max(1, size))))
    }

    /// Lends a connection to `body`, which runs synchronously on the connection's queue.
    /// A broken connection is replaced on the next loan.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T)
        async throws -> T
    {
        let index = try await acquire()
        defer { release(index) }
        let slot = slots[index]
        let url = self.url
        let timeout = statementTimeout
        return try await withCheckedThrowingContinuation { continuation in
            slot.thread.run {
                continuation.resume(with: Result { try slot.run(url: url, statementTimeout: timeout, body) })
            }
        }
    }

    /// Runs `body` in a transaction on a lent connection.
    @discardableResult
    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T)
        async throws -> T
    {
        try await withConnection { connection in try connection.transaction(body) }
    }

    /// As a service: lends connections until the graceful shutdown reaches it, then closes them. Listed
    /// first, so it stops last, after every service that uses it.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes every connection; further loans open new ones.
    public func close() async {
        for slot in slots {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                slot.thread.run {
                    slot.closeConnection()
                    continuation.resume()
                }
            }
        }
    }

    /// A free connection, waiting at most `acquireTimeout` for one: past it the caller gets a
    /// connection error (intake answers 503) instead of queueing without bound.
    private func acquire() async throws -> Int {
        let ticket = state.withLock { state -> Int in
            state.nextTicket += 1
            return state.nextTicket
        }
        let timeout = acquireTimeout
        return try await withCheckedThrowingContinuation { continuation in
            let index: Int? = state.withLock { state in
                if let index = state.free.popLast() { return index }
                state.waiters.append((ticket, continuation))
                return nil
            }
            guard let index else {
                Task { [self] in
                    try? await Task.sleep(for: .seconds(timeout))
                    let expired = self.state.withLock { state -> CheckedContinuation<Int, Error>? in
                        guard let i = state.waiters.firstIndex(where: { $0.ticket == ticket }) else { return nil }
                        return state.waiters.remove(at: i).continuation
                    }
                    expired?.resume(
                        throwing: PostgresError(kind: .connection, context: "waiting for a free connection"))
                }
                return
            }
            continuation.resume(returning: index)
        }
    }

    private func release(_ index: Int) {
        let waiter: CheckedContinuation<Int, Error>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.free.append(index)
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        waiter?.resume(returning: index)
    }
}

private struct PoolState {
    var free: [Int]
    var waiters: [(ticket: Int, continuation: CheckedContinuation<Int, Error>)] = []
    var nextTicket = 0
}

/// A connection and the thread it is confined to.
/// Invariant that makes `@unchecked Sendable` sound: `connection` is only touched on `thread`.
private final class Slot: @unchecked Sendable {
    let thread: ConnectionThread
    private var connection: PostgresConnection?

    init(label: String) { thread = ConnectionThread(name: label) }

    deinit { thread.stop() }

    func run<T>(url: String, statementTimeout: Int, _ body: (PostgresConnection) throws -> T) throws -> T {
        if let connection, !connection.isHealthy { closeConnection() }
        let connection = try self.connection ?? PostgresConnection(url: url, statementTimeoutSeconds: statementTimeout)
        self.connection = connection
        do {
            return try body(connection)
        } catch let error as PostgresError where error.kind == .connection || error.isReadOnlyServer {
            // A read-only server is a primary that was demoted (a failover): a new connection finds the
            // new primary (`target_session_attrs=read-write`).
            closeConnection()
            throw error
        }
    }

    func closeConnection() {
        connection?.close()
        connection = nil
    }
}
