import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import Shared

/// `motcua-intake`: the HTTP intake service.
@main
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua-intake",
        abstract: "Validates submissions, issues dossier codes and publishes events with publisher confirms.")

    func run() async throws {
        let settings: Settings
        do {
            settings = try Settings.fromEnvironment(requireTokens: true)
        } catch {
            FileHandle.standardError.write(Data("motcua-intake: \(error)\n".utf8))
            throw ExitCode.failure
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "motcua.intake")
        do {
            let app = try await IntakeApplication.build(settings: settings, registry: registry, logger: logger)
            try await app.runService()
        } catch let problem as StartupProblem {
            FileHandle.standardError.write(Data("motcua-intake: \(problem)\n".utf8))
            throw ExitCode.failure
        }
    }
}
