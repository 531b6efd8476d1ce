import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The catalog as intake and workers consult it: loaded at start, refreshed every half minute so a
/// `motcua catalog load` reaches running intakes without a restart.
public final class CatalogCache: Service, Sendable {
    private let store: CatalogStore
    private let snapshot: Mutex<CatalogSnapshot>
    private let logger: Logger

    public init(store: CatalogStore, initial: CatalogSnapshot, logger: Logger) {
        self.store = store
        self.snapshot = Mutex(initial)
        self.logger = logger
    }

    /// Loads the catalog, retrying for a while: a database that is still starting is not a reason to stop.
    public static func load(store: CatalogStore, logger: Logger) async throws -> CatalogCache {
        let deadline = Date().addingTimeInterval(30)
        while true {
            do {
                let catalog = try await store.fetch()
                guard !catalog.procedures.isEmpty else {
                    throw CatalogStore.LoadError.unreadable("the catalog is empty: run `motcua migrate` first")
                }
                return CatalogCache(store: store, initial: CatalogSnapshot(catalog), logger: logger)
            } catch let error as PostgresError where error.kind == .connection && Date() < deadline {
                logger.warning("database not reachable yet; retrying")
                try await Task.sleep(for: .seconds(1))
            } catch let error as PostgresError {
                throw CatalogStore.LoadError.unreadable(
                    "cannot read the catalog from MOTCUA_DATABASE_URL (\(error)); is PostgreSQL up and `motcua migrate` done?")
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
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            await refresh()
        }
    }
}
