import Store
import Testing

/// The schema's migrations as `Migrator` needs them.
@Suite struct SchemaTests {
    /// A plain index inside a migration's transaction would be built with writes blocked (and,
    /// interrupted, never repaired): it belongs in `indexes`, built concurrently.
    @Test func noMigrationBuildsAnIndexInsideItsTransaction() {
        for migration in Schema.migrations {
            #expect(!migration.sql.uppercased().contains("CREATE INDEX"), "migration \(migration.version)")
            #expect(!migration.sql.uppercased().contains("CREATE UNIQUE INDEX"), "migration \(migration.version)")
        }
    }

    @Test func versionsRiseAndIndexNamesAreUnique() {
        let versions = Schema.migrations.map(\.version)
        #expect(versions == versions.sorted() && Set(versions).count == versions.count)
        let names = Schema.migrations.flatMap(\.indexes).map(\.name)
        #expect(Set(names).count == names.count)
    }
}
