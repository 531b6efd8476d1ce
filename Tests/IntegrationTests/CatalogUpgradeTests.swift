import Domain
import Foundation
import Store
import TestSupport
import Testing

/// `motcua migrate` on a database whose catalog was loaded before units had dates: the default catalog
/// fills gaps and leaves the operator's units as they were, and migration 15 repairs the overlap an earlier
/// migrate left there. Each test on a database of its own.
@Suite(.serialized) struct CatalogUpgradeTests {
    /// The default catalog as a deployment had it before 1/7/2025 was modelled: every unit one version, open
    /// ended, under the parent it had then; no regimes.
    static func undated(_ catalog: Catalog) -> Catalog {
        var seen = Set<String>()
        let units = catalog.units.filter { seen.insert($0.code).inserted && $0.validFrom == nil }.map {
            Unit(code: $0.code, name: $0.name, level: $0.level, parent: $0.parent, officeHours: $0.officeHours)
        }
        return Catalog(units: units, procedures: catalog.procedures, calendars: catalog.calendars)
    }

    @Test func migrateOverAnUndatedCatalogKeepsTheOperatorsUnitsAndAddsOnlyWhatIsMissing() async throws {
        try await MigrationTests().withScratchDatabase("motcua_catalog_upgrade") { database in
            try await Migrator(database: database, logger: TestEnvironment.logger).migrate()
            let store = CatalogStore(database: database)
            let file = try Catalog.parse(DefaultCatalog.data())
            try await store.load(Self.undated(file))
            // What `motcua migrate` loads, twice, as a second run of it would.
            for _ in 0..<2 {
                try await store.load(file, keepExisting: true)
                try await store.load(try Catalog.parse(DefaultCatalog.indicators()), keepExisting: true)
            }
            let loaded = try await store.fetch()
            #expect(
                loaded.units.filter { $0.code == "000.00.19.H56" }.map(\.validTo) == [nil],
                "Bình Phước keeps the one version the operator loaded")
            #expect(
                loaded.units.contains { $0.code == "000.30.01.H56" },
                "the unit the operator never had is added")
            #expect(loaded.regimes.map(\.effectiveFrom) == file.regimes.map(\.effectiveFrom))
            #expect(DatedRules.problems(in: Catalog(), loaded: loaded).isEmpty)
            // An operator's own load still works on top, the whole merger included.
            try await store.load(file)
            #expect(try await store.fetch().units.filter { $0.code == "000.00.19.H56" }.count == 2)
        }
    }

    @Test func migration15RemovesTheVersionAnEarlierMigrateLeftBesideAnOpenEndedOne() async throws {
        try await MigrationTests().withScratchDatabase("motcua_catalog_repair") { database in
            try await Migrator(database: database, logger: TestEnvironment.logger).migrate()
            try await database.withConnection { connection in
                // What the earlier migrate wrote: the operator's open-ended version, the file's later one beside
                // it; and a unit whose two versions follow one another, which stays whole.
                try connection.execute(
                    """
                    INSERT INTO units (code, valid_from, valid_to, name, level) VALUES
                        ('000.71.01.H71', '-infinity', NULL, 'A', 'commune'),
                        ('000.71.01.H71', '2025-07-01', NULL, 'A', 'commune'),
                        ('000.71.02.H71', '-infinity', '2025-06-30', 'B', 'commune'),
                        ('000.71.02.H71', '2025-07-01', NULL, 'B', 'commune')
                    """)
                try connection.execute("DELETE FROM schema_migrations WHERE version = 15")
            }
            #expect(try await Migrator(database: database, logger: TestEnvironment.logger).migrate() == [15])
            let versions = try await CatalogStore(database: database).fetch().units.map {
                "\($0.code)@\($0.validFrom?.description ?? "start")"
            }
            #expect(
                versions.sorted()
                    == ["000.71.01.H71@start", "000.71.02.H71@2025-07-01", "000.71.02.H71@start"])
        }
    }
}
