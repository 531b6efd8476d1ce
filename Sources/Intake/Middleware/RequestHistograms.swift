import Hummingbird
import Prometheus
import Synchronization

/// The request duration histograms, one per route template, method and status, in the registry that
/// `/metrics` serves. Each is made once and kept, so a request costs a dictionary lookup, not the
/// registry's validation of a name, labels and buckets.
final class RequestHistograms: Sendable {
    // A computed property: `MetricNameDescriptor` is not `Sendable`, so it cannot be a stored static.
    static var descriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "motcua", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "Time intake took to answer a request, by route template, method and status.")
    }
    static var name: String { descriptor.name }
    /// 1 ms to 10 s: an accepted submission takes tens of milliseconds, a refusal well under one, and
    /// 10 s is the longest intake waits for a connection or a confirm.
    static let buckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .microseconds(2_500_000), .seconds(5), .seconds(10),
    ]

    private let registry: PrometheusCollectorRegistry
    private let made = Mutex<[Key: DurationHistogram]>([:])

    init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    func record(route: String?, method: HTTPRequest.Method, status: HTTPResponse.Status, duration: Duration) {
        let key = Key(route: route ?? "NotFound", method: Self.label(method), status: Int(status.code))
        if let histogram = made.withLock({ $0[key] }) {
            histogram.record(duration)
            return
        }
        let labels = [("route", key.route), ("method", key.method), ("status", String(key.status))]
        let histogram = registry.makeDurationHistogram(
            descriptor: Self.descriptor, labels: labels,
            buckets: Self.buckets)
        made.withLock { $0[key] = histogram }
        histogram.record(duration)
    }

    /// Any method a client may send would otherwise be a label of its own: beyond the usual ones, `other`.
    static func label(_ method: HTTPRequest.Method) -> String {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: method.rawValue
        default: "other"
        }
    }

    private struct Key: Hashable {
        let route: String
        let method: String
        let status: Int
    }
}
