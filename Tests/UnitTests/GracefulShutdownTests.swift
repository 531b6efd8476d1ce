import Foundation
import Logging
import Metrics
import Runtime
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import Testing

@testable import Workers

/// SIGTERM is a graceful shutdown: work in hand is finished, nothing new starts, waits end at once; and a
/// service that does not stop is cancelled before the orchestrator's SIGKILL (30 s after SIGTERM).
@Suite struct GracefulShutdownTests {
    /// The polling roles (deadline timers, linked-step timers, the outbox relay): the batch in flight when
    /// the shutdown comes is finished (its transaction commits), and no other starts.
    @Test func aPollingRoleFinishesTheBatchInHandThenStops() async throws {
        let batches = Atomic(0)
        try await testGracefulShutdown { trigger in
            try await within(seconds: 10) {
                await PollingLoop.run(
                    batchSize: 10, counter: Counter(label: "test_batches"), logger: Logger(label: "test"),
                    failure: "test", wait: {}
                ) {
                    let n = batches.add(1, ordering: .relaxed).newValue
                    if n == 3 { trigger.triggerGracefulShutdown() }
                    try await Task.sleep(for: .milliseconds(5))  // a batch's work, after the signal came
                    return 1
                }
            }
        }
        let taken = batches.load(ordering: .relaxed)
        #expect(taken == 3)
    }

    /// An idle polling role waits for a wake-up or its poll interval; a shutdown ends the wait at once.
    @Test func anIdlePollEndsAtTheShutdown() async throws {
        let (started, signal) = AsyncStream<Void>.makeStream()
        try await testGracefulShutdown { trigger in
            try await within(seconds: 10) {
                async let loop: Void = PollingLoop.run(
                    batchSize: 10, counter: Counter(label: "test_polls"),
                    logger: Logger(label: "test"), failure: "test",
                    wait: { await PollingLoop.sleep(.seconds(3600)) }
                ) {
                    signal.yield()
                    return 0
                }
                for await _ in started { break }
                trigger.triggerGracefulShutdown()
                await loop
            }
        }
    }

    /// Every executable's service group: a service that ignores the shutdown is cancelled after the
    /// limit, and the group ends; the limits add up to less than compose's 30 s.
    @Test func aServiceThatIgnoresTheShutdownIsCancelledAfterTheLimit() async throws {
        #expect(ProcessServices.gracefulShutdownLimit + ProcessServices.cancellationLimit < .seconds(30))
        let stubborn = Stubborn()
        let group = ProcessServices.group(
            [stubborn], logger: Logger(label: "test"),
            gracefulShutdownLimit: .milliseconds(200), cancellationLimit: .seconds(2))
        try await within(seconds: 10) {
            async let run: Void = group.run()
            for await _ in stubborn.running { break }
            await group.triggerGracefulShutdown()
            _ = try? await run  // ends (how it ends after a timed-out shutdown is the library's business)
        }
        let cancelled = stubborn.cancelled.load(ordering: .relaxed)
        #expect(cancelled)
    }

    /// Runs until cancelled, whatever the shutdown says.
    final class Stubborn: Service {
        let cancelled = Atomic(false)
        let (running, signal) = AsyncStream<Void>.makeStream()

        func run() async throws {
            signal.yield()
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
            cancelled.store(true, ordering: .relaxed)
        }
    }

    /// Fails the test rather than hanging it when `body` does not end in time.
    func within(seconds: Double, _ body: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return false
            }
            let finished = try await group.next() ?? false
            group.cancelAll()
            #expect(finished, "did not end within \(seconds) s")
        }
    }
}
