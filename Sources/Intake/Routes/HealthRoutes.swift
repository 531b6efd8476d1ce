import AMQPDriver
import Hummingbird
import Prometheus
import Store

/// `/healthz`, `/readyz` and `/metrics`: no token.
struct HealthRoutes: Sendable {
    let database: PostgresClient
    let publisher: any EventPublishing
    let registry: PrometheusCollectorRegistry

    func register(on router: Router<IntakeContext>) {
        router.get("/healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("/readyz") { _, _ in
            async let databaseUp = database.isReachable()
            async let brokerUp = publisher.checkConnection()
            let (db, broker) = await (databaseUp, brokerUp)
            guard db && broker else {
                throw Problem(
                    status: .serviceUnavailable, slug: "not-ready", title: "Not ready",
                    detail: "database: \(db ? "up" : "down"), broker: \(broker ? "up" : "down")")
            }
            return try JSONResponse.make(["status": "ready", "database": "up", "broker": "up"])
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
