import Logging
import ServiceLifecycle

/// How every executable runs its services: SIGTERM and SIGINT start a graceful shutdown, which stops the
/// services in reverse order, each after the one behind it ended. A service still running
/// `gracefulShutdownLimit` after the signal is cancelled, and the process ends at most
/// `cancellationLimit` after that: 25 s in all, inside the 30 s compose (and Kubernetes) wait between
/// SIGTERM and SIGKILL, so a stop is always a shutdown, never a kill in the middle of one.
public enum ProcessServices {
    public static let gracefulShutdownLimit: Duration = .seconds(20)
    public static let cancellationLimit: Duration = .seconds(5)

    public static func group(
        _ services: [any Service], logger: Logger,
        gracefulShutdownLimit: Duration = gracefulShutdownLimit,
        cancellationLimit: Duration = cancellationLimit
    ) -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = gracefulShutdownLimit
        configuration.maximumCancellationDuration = cancellationLimit
        return ServiceGroup(configuration: configuration)
    }
}
