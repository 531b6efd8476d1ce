import Foundation
import Logging
import Metrics
import Prometheus

/// What every executable does first: read the settings (one clear line and exit 1 when one is bad),
/// then set up logging and metrics.
public enum ProcessSetup {
    public static func settings(for command: String, requireTokens: Bool = false) -> Settings? {
        do {
            return try Settings.fromEnvironment(requireTokens: requireTokens)
        } catch {
            FileHandle.standardError.write(Data("\(command): \(error)\n".utf8))
            return nil
        }
    }

    /// Logs to stderr at the configured level; metrics into the returned Prometheus registry.
    public static func bootstrap(_ settings: Settings) -> PrometheusCollectorRegistry {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Batches hold what the socket had: from one message to the prefetch limit.
        factory.valueHistogramBuckets["motcua_worker_batch_size"] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        MetricsSystem.bootstrap(factory)
        return registry
    }
}
