import Domain
import Foundation
import Logging
import PostgresDriver
import ServiceLifecycle
import Synchronization

/// The catalog as intake and workers consult it: loaded at start and reloaded when `motcua catalog load`
/// commits (it NOTIFYs `motcua_catalog`; this LISTENs), so a change reaches every running process within
/// moments, without a restart. A poll every `pollInterval` stays behind that, for a notification lost with
/// a connection; a listener that (re)connects reloads at once, having heard nothing while it was away.
public final class CatalogCache: Service, Sendable {
    private let store: CatalogStore
    private let snapshot: Mutex<CatalogSnapshot>
    private let listener: PostgresListener?
    private let logger: Logger

    /// How long a quiet channel is trusted before the catalog is read anyway.
    static let pollInterval: Duration = .seconds(30)

    /// - Parameter listener: on `NotifyChannel.catalog`; without one, the cache only polls.
    public init(store: CatalogStore, initial: CatalogSnapshot, listener: PostgresListener? = nil, logger: Logger) {
        self.store = store
        self.snapshot = Mutex(initial)
        self.listener = listener
        self.logger = logger
    }

    /// Loads the catalog, retrying for a while: a database that is still starting is not a reason to stop.
    /// - Parameter listenURL: where to LISTEN for catalog changes (the database URL); nil only polls.
    public static func load(store: CatalogStore, listenURL: String? = nil, logger: Logger) async throws
        -> CatalogCache
    {
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                let catalog = try await store.fetch()
                guard !catalog.procedures.isEmpty else {
                    throw Catalog.LoadError.unreadable("the catalog is empty: run `motcua migrate` first")
                }
                let listener = listenURL.map {
                    PostgresListener(url: $0, channel: NotifyChannel.catalog, logger: logger)
                }
                return CatalogCache(store: store, initial: CatalogSnapshot(catalog), listener: listener, logger: logger)
            } catch let error as PostgresError where error.kind == .connection && Date() < deadline {
                logger.warning("database not reachable yet; retrying")
                try await Task.sleep(for: .seconds(1))
            } catch let error as PostgresError {
                throw Catalog.LoadError.unreadable(
                    "cannot read the catalog from MOTCUA_DATABASE_URL (\(error)); is PostgreSQL up and `motcua migrate` done?"
                )
            }
        }
    }

    public var current: CatalogSnapshot { snapshot.withLock { $0 } }

    public func refresh() async {
        do {
            let fresh = CatalogSnapshot(try await store.fetch())
            snapshot.withLock { $0 = fresh }
        } catch {
            logger.warning("catalog refresh failed; keeping the last one", metadata: ["error": "\(error)"])
        }
    }

    public func run() async throws {
        // Ends on SIGTERM (graceful) and on cancellation, e.g. when the server beside it failed to start.
        var ending: Bool { Task.isShuttingDownGracefully || Task.isCancelled }
        var lastRead = ContinuousClock.now
        while !ending {
            if let listener {
                // Waits of a second, so that a shutdown is not held up by a poll interval.
                let wake = await listener.hear(upTo: .seconds(1))
                if ending { break }
                if wake == .interval && lastRead.duration(to: .now) < Self.pollInterval { continue }
            } else {
                _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.pollInterval) }
                if ending { break }
            }
            await refresh()
            lastRead = .now
        }
        await listener?.close()
    }
}
