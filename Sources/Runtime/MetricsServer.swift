import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// `GET /metrics` (Prometheus text) and `GET /healthz` of a worker process, on `MOTCUA_METRICS_PORT`.
/// A port that is taken (several workers on one machine) costs the metrics, never the work: the worker
/// says so once and goes on.
public struct MetricsServer: Service {
    let port: Int
    let registry: PrometheusCollectorRegistry
    let serverName: String
    let logger: Logger

    public init(
        port: Int, registry: PrometheusCollectorRegistry, serverName: String = "motcua-workers",
        logger: Logger
    ) {
        self.port = port
        self.registry = registry
        self.serverName = serverName
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        let registry = self.registry
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/healthz") { _, _ in "ok" }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("0.0.0.0", port: port), serverName: serverName),
            logger: logger)
        do {
            try await app.run()
        } catch {
            logger.warning("metrics not served", metadata: ["MOTCUA_METRICS_PORT": "\(port)", "error": "\(error)"])
            try? await gracefulShutdown()
        }
    }
}
