import ArgumentParser
import Foundation
import Logging
import Prometheus
import Runtime

/// `motcua-intake`: the HTTP intake service.
@main
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua-intake",
        abstract: "Validates submissions, issues dossier codes and publishes events with publisher confirms.")

    func run() async throws {
        guard let settings = ProcessSetup.settings(for: "motcua-intake", requireTokens: true) else {
            throw ExitCode.failure
        }
        let registry = ProcessSetup.bootstrap(settings)
        let logger = Logger(label: "motcua.intake")
        do {
            let app = try await IntakeApplication.build(settings: settings, registry: registry, logger: logger)
            try await ProcessServices.group([app], logger: logger).run()
        } catch let problem as StartupProblem {
            FileHandle.standardError.write(Data("motcua-intake: \(problem)\n".utf8))
            throw ExitCode.failure
        } catch {
            // e.g. the port is taken: one line naming the setting, not a stack of framework text.
            FileHandle.standardError.write(
                Data("motcua-intake: cannot serve on MOTCUA_HTTP_PORT \(settings.httpPort): \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
