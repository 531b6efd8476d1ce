import Domain
import Foundation
import PostgresDriver

/// Reads and writes the catalog tables.
public struct CatalogStore: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    /// Upserts the whole catalog in one transaction, or nothing when any rule is broken.
    /// With `keepExisting`, only the file's entries that fill gaps are written (`Catalog.fillingGaps`), and
    /// what operators loaded stays as they set it (what `migrate` uses). The rules run on exactly what is
    /// written: an upgrade once checked the whole file but wrote only its new rows, which left a second
    /// version of a unit beside the operator's open-ended one.
    public func load(_ file: Catalog, keepExisting: Bool = false) async throws {
        try await database.withTransaction { connection in
            let loaded = try Self.fetch(on: connection)
            let catalog = keepExisting ? file.fillingGaps(in: loaded) : file
            let problems = CatalogRules.problems(in: catalog, loaded: loaded)
            guard problems.isEmpty else { throw Catalog.LoadError.refused(problems) }
            for unit in catalog.units {
                try connection.execute(
                    """
                    INSERT INTO units (code, valid_from, valid_to, successor, name, level, parent, office_hours)
                    VALUES ($1, $2::date, $3::date, $4, $5, $6, $7, $8::jsonb)
                    ON CONFLICT (code, valid_from) DO \(keepExisting ? "NOTHING" : """
                        UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, parent = EXCLUDED.parent,
                        office_hours = EXCLUDED.office_hours, valid_to = EXCLUDED.valid_to,
                        successor = EXCLUDED.successor, updated_at = now()
                        """)
                    """,
                    [
                        unit.code, unit.validFrom?.description ?? "-infinity", unit.validTo?.description,
                        unit.successor, unit.name, unit.level.rawValue, unit.parent,
                        try unit.officeHours.map { try JSONCoding.encodeString($0) },
                    ])
            }
            for procedure in catalog.procedures {
                try connection.execute(
                    """
                    INSERT INTO procedures (code, effective_from, document) VALUES ($1, $2::date, $3::jsonb)
                    ON CONFLICT (code, effective_from) DO \(keepExisting ? "NOTHING" : "UPDATE SET document = EXCLUDED.document, updated_at = now()")
                    """,
                    [
                        procedure.code, procedure.effectiveFrom?.description ?? "-infinity",
                        try JSONCoding.encodeString(procedure),
                    ])
            }
            for regime in catalog.regimes {
                try connection.execute(
                    """
                    INSERT INTO regimes (effective_from, document) VALUES ($1::date, $2::jsonb)
                    ON CONFLICT (effective_from) DO \(keepExisting ? "NOTHING" : "UPDATE SET document = EXCLUDED.document, updated_at = now()")
                    """, [regime.effectiveFrom.description, try JSONCoding.encodeString(regime)])
            }
            for year in catalog.calendars {
                try connection.execute(
                    """
                    INSERT INTO calendar_years (year, holidays, make_up_days) VALUES ($1, $2::jsonb, $3::jsonb)
                    ON CONFLICT (year) DO \(keepExisting ? "NOTHING" : """
                        UPDATE SET holidays = EXCLUDED.holidays, make_up_days = EXCLUDED.make_up_days, updated_at = now()
                        """)
                    """,
                    [
                        String(year.year), try JSONCoding.encodeString(year.holidays),
                        try JSONCoding.encodeString(year.makeUpDays),
                    ])
            }
            for rule in catalog.index766 {
                try connection.execute(
                    """
                    INSERT INTO index766_rules (indicator, effective_from, document) VALUES ($1, $2::date, $3::jsonb)
                    ON CONFLICT (indicator, effective_from) DO \(keepExisting ? "NOTHING" : """
                        UPDATE SET document = EXCLUDED.document, updated_at = now()
                        """)
                    """, [rule.indicator, rule.effectiveFrom.description, try JSONCoding.encodeString(rule)])
            }
            // Heard by every running intake and worker at the commit (`CatalogCache`), not before.
            try connection.execute("SELECT pg_notify($1, '')", [NotifyChannel.catalog])
        }
    }

    /// The whole catalog as stored.
    public func fetch() async throws -> Catalog {
        try await database.withConnection { try Self.fetch(on: $0) }
    }

    static func fetch(on connection: PostgresConnection) throws -> Catalog {
        let units = try connection.execute(
            """
            SELECT code, name, level, parent, office_hours::text AS hours, successor,
                CASE WHEN valid_from = '-infinity' THEN NULL ELSE valid_from::text END AS valid_from,
                valid_to::text AS valid_to
            FROM units ORDER BY code, valid_from
            """
        ).rows.map { row in
            Unit(
                code: try row.string("code"), name: try row.string("name"),
                level: Unit.Level(rawValue: try row.string("level")) ?? .commune, parent: row["parent"],
                officeHours: try row["hours"].map { try JSONCoding.decode([[String]].self, from: $0) },
                validFrom: row["valid_from"].flatMap(LocalDate.init(iso:)),
                validTo: row["valid_to"].flatMap(LocalDate.init(iso:)), successor: row["successor"])
        }
        let procedures = try connection.execute(
            "SELECT document::text AS d FROM procedures ORDER BY code, effective_from"
        ).rows.map { try JSONCoding.decode(Procedure.self, from: try $0.string("d")) }
        let calendars = try connection.execute(
            "SELECT year, holidays::text AS h, make_up_days::text AS m FROM calendar_years ORDER BY year"
        ).rows.map { row in
            CalendarYear(
                year: try row.int("year"), holidays: try JSONCoding.decode([LocalDate].self, from: row.string("h")),
                makeUpDays: try JSONCoding.decode([LocalDate].self, from: row.string("m")))
        }
        let index766 = try connection.execute(
            "SELECT document::text AS d FROM index766_rules ORDER BY indicator, effective_from"
        ).rows.map { try JSONCoding.decode(Indicator766.self, from: try $0.string("d")) }
        let regimes = try connection.execute("SELECT document::text AS d FROM regimes ORDER BY effective_from").rows
            .map { try JSONCoding.decode(Regime.self, from: try $0.string("d")) }
        return Catalog(
            units: units, procedures: procedures, calendars: calendars, index766: index766, regimes: regimes)
    }
}
