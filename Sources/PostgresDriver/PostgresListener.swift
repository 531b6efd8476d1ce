import BlockingThreads
import Foundation
import Logging

/// A connection of its own that LISTENs on one channel, so a loop that polls the database can sleep
/// until something it cares about was committed instead of for its whole interval. A lost or
/// unreachable database makes `wait` a plain sleep, and the listener reconnects on the next call:
/// callers never depend on a notification arriving, only wake up sooner when one does.
public final class PostgresListener: @unchecked Sendable {
    // Invariant for @unchecked Sendable: `connection` is only touched on `thread`.
    private let thread: ConnectionThread
    private var connection: PostgresConnection?
    private let url: String
    private let channel: String
    private let logger: Logger

    /// `channel` is an SQL identifier of our own (never user input).
    public init(url: String, channel: String, logger: Logger) {
        self.url = url
        self.channel = channel
        self.logger = logger
        thread = ConnectionThread(name: "listen-\(channel)")
    }

    deinit {
        let thread = self.thread
        thread.stop()
    }

    /// Returns when a notification came on the channel (true) or after `interval` (false).
    @discardableResult
    public func wait(upTo interval: Duration) async -> Bool {
        let milliseconds = Self.milliseconds(interval)
        return await withCheckedContinuation { continuation in
            thread.run { [self] in continuation.resume(returning: waitOnThread(milliseconds) == .notified) }
        }
    }

    /// What ended a `hear`.
    public enum Wake: Sendable, Equatable {
        /// A notification came on the channel.
        case notified
        /// This call (re)opened the connection and now LISTENs: whatever was notified before was not heard.
        case listening
        /// The interval passed (or the database could not be reached, and it was slept instead).
        case interval
    }

    /// Like `wait`, but returns `.listening` as soon as it (re)opened the connection, so that a caller that
    /// must not miss a change (the catalog) looks once then: a notification is only heard while listening.
    public func hear(upTo interval: Duration) async -> Wake {
        let milliseconds = Self.milliseconds(interval)
        return await withCheckedContinuation { continuation in
            thread.run { [self] in continuation.resume(returning: waitOnThread(milliseconds, stopOnConnect: true)) }
        }
    }

    private static func milliseconds(_ interval: Duration) -> Int32 {
        Int32(clamping: interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Closes the connection; a later `wait` opens a new one.
    public func close() async {
        await withCheckedContinuation { continuation in
            thread.run { [self] in
                connection?.close()
                connection = nil
                continuation.resume()
            }
        }
    }

    private func waitOnThread(_ milliseconds: Int32, stopOnConnect: Bool = false) -> Wake {
        do {
            if connection == nil {
                let opened = try PostgresConnection(url: url)
                try opened.execute("LISTEN \(channel)")
                connection = opened
                if stopOnConnect { return .listening }
            }
            return try connection!.awaitNotification(milliseconds: milliseconds) ? .notified : .interval
        } catch {
            logger.debug("listener lost its connection; sleeping instead", metadata: ["channel": "\(channel)"])
            connection?.close()
            connection = nil
            usleep(useconds_t(max(0, milliseconds)) * 1000)
            return .interval
        }
    }
}

/// The NOTIFY channels the pipeline uses: a transaction that commits work for a polling loop
/// notifies its channel, and the loop's `PostgresListener` wakes it.
public enum NotifyChannel {
    /// Outbox rows were queued: the relay publishes them.
    public static let outbox = "motcua_outbox"
    /// A deadline timer was written that is already due: a deadline worker fires it.
    public static let deadlines = "motcua_deadlines"
    /// `motcua catalog load` (or `migrate`) changed the catalog: every running process reloads it.
    public static let catalog = "motcua_catalog"
}
