import Foundation
import Logging
import PostgresDriver

/// Applies `Schema.migrations` without holding up the application's writes for long. Each pending
/// migration runs in a transaction of its own that records its version, so an upgrade that stops
/// halfway keeps what it finished. Its DDL waits at most `lockTimeout` for a lock (writers queue
/// behind a waiting `ALTER TABLE`, so the wait is kept short) and is retried until `lockAttempts`
/// are spent. Its indexes are then built `CONCURRENTLY`, outside any transaction, with no statement
/// timeout: such a build blocks no writer, and a timeout would only throw its work away. Every other
/// statement runs under the connection's statement timeout (`MOTCUA_STATEMENT_TIMEOUT_SECONDS`).
public struct Migrator: Sendable {
    let database: PostgresClient
    let logger: Logger
    let migrations: [Migration]
    /// How long one DDL statement may wait for its lock before the migration is rolled back and retried.
    public var lockTimeout: Duration = .milliseconds(500)
    /// How many times a migration whose locks were not granted in time is tried.
    public var lockAttempts = 40

    /// The session advisory lock that makes concurrent migrators wait for each other.
    static let lockKey = 7405

    public init(database: PostgresClient, logger: Logger, migrations: [Migration] = Schema.migrations) {
        self.database = database
        self.logger = logger
        self.migrations = migrations
    }

    /// Brings the schema up to date; returns the versions it applied (none when already current).
    @discardableResult
    public func migrate() async throws -> [Int] {
        let migrator = self
        // One connection throughout: the advisory lock belongs to its session.
        return try await database.withConnection { connection in
            try migrator.holdingLock(on: connection) { try migrator.run(on: connection) }
        }
    }

    private func run(on connection: PostgresConnection) throws -> [Int] {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
            """)
        let done = Set(
            try connection.execute("SELECT version FROM schema_migrations").rows.map { try $0.int("version") })
        var applied: [Int] = []
        for migration in migrations {
            if !done.contains(migration.version) {
                try apply(migration, on: connection)
                applied.append(migration.version)
            }
            try IndexBuilder(logger: logger).ensure(migration.indexes, on: connection)
        }
        return applied
    }

    /// The migration's statements and its version row in one transaction, retried while a lock is not
    /// granted within `lockTimeout` (55P03) or the transaction was chosen as a deadlock victim (40P01).
    private func apply(_ migration: Migration, on connection: PostgresConnection) throws {
        let timeout = "\(max(1, lockTimeout.milliseconds))ms"
        for attempt in 1...max(1, lockAttempts) {
            do {
                try connection.transaction { connection in
                    try connection.execute("SELECT set_config('lock_timeout', $1, true)", [timeout])
                    if !migration.sql.isEmpty { try connection.executeScript(migration.sql) }
                    try connection.execute(
                        "INSERT INTO schema_migrations (version) VALUES ($1)", [String(migration.version)])
                }
                logger.info("applied migration", metadata: ["version": "\(migration.version)"])
                return
            } catch let error as PostgresError
                where ["55P03", "40P01"].contains(error.sqlState) && attempt < lockAttempts
            {
                logger.notice(
                    "migration waits for a lock; trying again",
                    metadata: ["version": "\(migration.version)", "attempt": "\(attempt)"])
                Thread.sleep(forTimeInterval: min(5, 0.25 * Double(attempt)))
            }
        }
    }

    /// Runs `body` holding the migrators' session lock, polled rather than awaited so that no statement
    /// waits past its timeout while another `motcua migrate` runs.
    private func holdingLock<T>(on connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        while try !connection.execute("SELECT pg_try_advisory_lock(\(Self.lockKey)) AS mine").rows[0].bool("mine") {
            logger.notice("another migrate is running; waiting for it")
            Thread.sleep(forTimeInterval: 0.5)
        }
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.lockKey))") }
        return try body()
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
