import Foundation
import Store
import TestSupport
import Testing

/// `motcua migrate`'s `Migrator`, each test on a database of its own: a migration per transaction,
/// indexes built concurrently and rebuilt when a build was interrupted, DDL that gives way to writers.
@Suite(.serialized) struct MigrationTests {
    /// The declared indexes of every migration.
    static let indexNames = Schema.migrations.flatMap(\.indexes).map(\.name)

    @Test func migratingTwiceReachesTheLatestVersionWithEveryIndexValid() async throws {
        try await withScratchDatabase("motcua_migrate_twice") { database in
            #expect(
                try await Migrator(database: database, logger: TestEnvironment.logger).migrate()
                    == Schema.migrations.map(\.version))
            #expect(try await Migrator(database: database, logger: TestEnvironment.logger).migrate().isEmpty)
            #expect(
                try await database.count("SELECT max(version) FROM schema_migrations")
                    == Schema.migrations.last?.version)
            #expect(try await database.count("SELECT count(*) FROM schema_migrations") == Schema.migrations.count)
            #expect(try await Self.validIndexes(database) == Self.indexNames.count)
            #expect(try await database.count("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == 0)

            // An upgrade from two versions back: their version rows and indexes gone, as before they existed.
            let latest = Schema.migrations.suffix(2)
            try await database.withConnection { connection in
                for migration in latest {
                    try connection.execute(
                        "DELETE FROM schema_migrations WHERE version = $1", [String(migration.version)])
                    for index in migration.indexes { try connection.execute("DROP INDEX \(index.name)") }
                }
            }
            #expect(
                try await Migrator(database: database, logger: TestEnvironment.logger).migrate()
                    == latest.map(\.version))
            #expect(try await Self.validIndexes(database) == Self.indexNames.count)
        }
    }

    @Test func anIndexLeftInvalidByAnInterruptedBuildIsBuiltAgain() async throws {
        try await withScratchDatabase("motcua_migrate_invalid") { database in
            try await Migrator(database: database, logger: TestEnvironment.logger).migrate()
            // A concurrent build that fails (here on a uniqueness check) leaves its index behind, INVALID,
            // as a crash or a cancel during the build would.
            try await database.withConnection { connection in
                try connection.execute("DROP INDEX dossiers_open_due")
                try connection.execute(
                    "INSERT INTO units (code, name, level) VALUES ('a', 'A', 'commune'), ('b', 'B', 'commune')")
                #expect(throws: PostgresError.self) {
                    try connection.execute("CREATE UNIQUE INDEX CONCURRENTLY dossiers_open_due ON units ((true))")
                }
            }
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM pg_index WHERE indexrelid = 'dossiers_open_due'::regclass AND NOT indisvalid
                    """) == 1)
            #expect(try await Migrator(database: database, logger: TestEnvironment.logger).migrate().isEmpty)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM pg_index
                    WHERE indexrelid = 'dossiers_open_due'::regclass AND indisvalid AND indrelid = 'dossiers'::regclass
                    """) == 1)
            #expect(try await database.count("SELECT count(*) FROM pg_index WHERE NOT indisvalid") == 0)
        }
    }

    /// A long transaction holds the table: the migration's ALTER TABLE gives up its place in the lock
    /// queue after `lockTimeout` and tries again, so the writes queued behind it go on meanwhile.
    @Test func aMigrationWaitingForALockDoesNotHoldUpWriters() async throws {
        try await withScratchDatabase("motcua_migrate_locks") { database in
            try await Migrator(database: database, logger: TestEnvironment.logger).migrate()
            let url = try Self.url(of: "motcua_migrate_locks")
            let blocker = try PostgresConnection(url: url)
            defer { blocker.close() }
            try blocker.execute("BEGIN")
            try blocker.execute("INSERT INTO units (code, name, level) VALUES ('blocker', 'B', 'commune')")

            var migrator = Migrator(
                database: database, logger: TestEnvironment.logger,
                migrations: Schema.migrations + [Migration(1000, "ALTER TABLE units ADD COLUMN note text")])
            migrator.lockTimeout = .milliseconds(100)
            let upgrade = Task { [migrator] in try await migrator.migrate() }
            let watcher = TestEnvironment.database(url: url)
            try await eventually(within: 20, "the migration waits for its lock") {
                try await watcher.count(
                    """
                    SELECT count(*) FROM pg_locks WHERE relation = 'units'::regclass AND NOT granted
                        AND mode = 'AccessExclusiveLock'
                    """) > 0
            }
            let writer = TestEnvironment.database(url: url)
            var slowest = Duration.zero
            for n in 0..<30 {
                let started = ContinuousClock.now
                try await writer.withConnection { connection in
                    try connection.execute(
                        "INSERT INTO units (code, name, level) VALUES ($1, 'W', 'commune')", ["w\(n)"])
                }
                slowest = max(slowest, ContinuousClock.now - started)
            }
            try blocker.execute("COMMIT")
            #expect(try await upgrade.value == [1000])
            #expect(slowest < .seconds(1), "a write waited \(slowest) behind the migration")
            #expect(
                try await writer.count("SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'")
                    == 1)
            await watcher.close()
            await writer.close()
        }
    }

    static func validIndexes(_ database: PostgresClient) async throws -> Int {
        try await database.count(
            """
            SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE c.relname = ANY($1::text[]) AND i.indisvalid
            """, [PostgresArray.literal(indexNames)])
    }

    /// The test database's server, another database on it.
    static func url(of name: String, user: String? = nil) throws -> String {
        guard var url = URLComponents(string: TestEnvironment.databaseURL) else { throw TestFailure("database URL") }
        if let user { (url.user, url.password) = (user, nil) }
        url.path = "/" + name
        guard let text = url.string else { throw TestFailure("database URL") }
        return text
    }

    /// Runs `body` on a new, empty database owned by `motcua`, dropped after. The test server trusts
    /// loopback connections, so its superuser creates it.
    func withScratchDatabase(_ name: String, _ body: (PostgresClient) async throws -> Void) async throws {
        let server = TestEnvironment.database(url: try Self.url(of: "postgres", user: "postgres"))
        try await server.withConnection { connection in
            try connection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            try connection.execute("CREATE DATABASE \(name) OWNER motcua")
        }
        let database = TestEnvironment.database(url: try Self.url(of: name))
        do {
            try await body(database)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        try await server.withConnection { connection in
            try connection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
        await server.close()
    }
}
