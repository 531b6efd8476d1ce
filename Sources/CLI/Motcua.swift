import AMQPDriver
import ArgumentParser
import Domain
import Foundation
import Logging
import Runtime
import Store

/// `motcua`: the operators' command line.
@main
struct Motcua: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua",
        abstract: "Operate the MotCua pipeline.",
        subcommands: [
            Migrate.self, CatalogCommand.self, Queues.self, DeadLetterCommand.self, AlertsCommand.self,
            ApologyCommand.self, ReportCommand.self, LinkedCommand.self, UnitsCommand.self, NotificationsCommand.self,
        ])
}

/// Settings and a database client for commands, stopping with one clear line when a setting is bad.
enum CLIContext {
    static func settings() throws -> Settings {
        do {
            return try Settings.fromEnvironment()
        } catch {
            throw CLIFailure("\(error)")
        }
    }

    static func database(_ settings: Settings) -> PostgresClient {
        client(settings.databaseURL, settings)
    }

    /// Where a read-only command (a report) reads: `MOTCUA_DATABASE_READ_URL` when set.
    static func readDatabase(_ settings: Settings) -> PostgresClient {
        client(settings.databaseReadURL ?? settings.databaseURL, settings)
    }

    private static func client(_ url: String, _ settings: Settings) -> PostgresClient {
        var logger = Logger(label: "motcua.cli")
        logger.logLevel = .critical
        return PostgresClient(url: url, size: 1, statementTimeout: settings.statementTimeoutSeconds, logger: logger)
    }
}

/// A failure printed as one line on stderr, exit status 1.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning any error into one line on stderr and a non-zero exit.
    func reporting(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as PostgresError where error.kind == .connection {
            FileHandle.standardError.write(
                Data("motcua: cannot reach PostgreSQL at MOTCUA_DATABASE_URL (\(error))\n".utf8))
            throw ExitCode.failure
        } catch let error as AMQPError where error.kind == .unavailable {
            FileHandle.standardError.write(Data("motcua: cannot reach RabbitMQ at MOTCUA_AMQP_URL (\(error))\n".utf8))
            throw ExitCode.failure
        } catch {
            FileHandle.standardError.write(Data("motcua: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or upgrade the schema and load the default catalog; safe to run twice.")

    func run() async throws {
        try await reporting {
            let settings = try CLIContext.settings()
            let database = CLIContext.database(settings)
            defer { Task { await database.close() } }
            let applied = try await Migrator(database: database, logger: Logger(label: "motcua.migrate")).migrate()
            // The default catalog fills gaps only: what operators loaded stays as they loaded it.
            try await CatalogStore(database: database).load(
                try Catalog.parse(DefaultCatalog.data()),
                keepExisting: true)
            try await CatalogStore(database: database).load(
                try Catalog.parse(DefaultCatalog.indicators()),
                keepExisting: true)
            // Dossiers a migration changed the rules for are replayed with the catalog in force.
            let catalog = CatalogSnapshot(try await CatalogStore(database: database).fetch())
            let replayed = try await DossierProjection.reprojectPending(catalog: catalog, database: database)
            if replayed > 0 { print("replayed \(replayed) dossiers under the current rules") }
            let reported = try await ReportLedger.backfill(catalog: catalog, database: database)
            if reported > 0 { print("wrote the report facts of \(reported) dossiers") }
            let closers = try await ReportLedger.backfillClosers(database: database)
            if closers > 0 { print("recorded the unit that closed \(closers) dossiers") }
            print(
                applied.isEmpty
                    ? "schema up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}
