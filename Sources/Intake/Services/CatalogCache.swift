import Logging
import ServiceLifecycle
import Shared
import Synchronization

/// The catalog as intake validates against: loaded at start, refreshed every half minute so a
/// `motcua catalog load` reaches running intakes without a restart.
final class CatalogCache: Service, Sendable {
    private let store: CatalogStore
    private let snapshot: Mutex<CatalogSnapshot>
    private let logger: Logger

    init(store: CatalogStore, initial: CatalogSnapshot, logger: Logger) {
        self.store = store
        self.snapshot = Mutex(initial)
        self.logger = logger
    }

    var current: CatalogSnapshot { snapshot.withLock { $0 } }

    func refresh() async {
        do {
            let fresh = CatalogSnapshot(try await store.fetch())
            snapshot.withLock { $0 = fresh }
        } catch {
            logger.warning("catalog refresh failed; keeping the last one", metadata: ["error": "\(error)"])
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            // Returns early on SIGTERM, so shutdown never waits out the interval.
            _ = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(30)) }
            if Task.isShuttingDownGracefully { return }
            await refresh()
        }
    }
}
