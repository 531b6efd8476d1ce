import Logging

/// Applies `Schema.migrations` and loads the default catalog.
public struct Migrator: Sendable {
    let database: PostgresClient
    let logger: Logger

    public init(database: PostgresClient, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Brings the schema up to date; returns the versions it applied (none when already current).
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await database.withTransaction { connection in
            // Transaction-scoped advisory lock: concurrent migrators wait for each other.
            try connection.execute("SELECT pg_advisory_xact_lock(7405)")
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let done = Set(try connection.execute("SELECT version FROM schema_migrations").rows.map {
                try $0.int("version")
            })
            var applied: [Int] = []
            for migration in Schema.migrations where !done.contains(migration.version) {
                try connection.executeScript(migration.sql)
                try connection.execute("INSERT INTO schema_migrations (version) VALUES ($1)", [String(migration.version)])
                applied.append(migration.version)
            }
            return applied
        }
    }
}
