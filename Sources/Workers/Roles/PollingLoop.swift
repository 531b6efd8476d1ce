import Logging
import Metrics
import ServiceLifecycle

/// The loop of every role that polls PostgreSQL rather than consuming a queue (deadline timers,
/// linked-step timers, the outbox relay): take a batch, count it, and when it was not full wait until
/// `wait` returns (a NOTIFY wake-up or the poll interval). Runs until the graceful shutdown; an error
/// is logged and the next round tries again.
enum PollingLoop {
    static func run(
        batchSize: Int, counter: Counter, logger: Logger, failure: String,
        wait: () async -> Void, batch: () async throws -> Int
    ) async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var count = 0
            do {
                count = try await batch()
                counter.increment(by: count)
            } catch {
                logger.warning("\(failure); retrying", metadata: ["error": "\(error)"])
            }
            if count < batchSize { await wait() }
        }
    }

    /// A plain poll, for a loop nothing wakes early.
    static func sleep(_ interval: Duration) async {
        _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}
