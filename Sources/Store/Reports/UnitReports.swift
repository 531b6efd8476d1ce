import Domain
import Foundation
import PostgresDriver

/// Builds `UnitReport`s from the database: the counts of every row in ONE snapshot (REPEATABLE READ,
/// READ ONLY), so the figures of one report, its children's rows and its total always add up.
public struct UnitReports: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    /// The report of `unit` (a unit of `catalog`) and, with `children`, a row per unit below it or ended
    /// into it and one for the unit's own dossiers when it has any (`ReportMembership`); the unit's
    /// figures are the sum of those rows.
    public func report(
        unit: String, period: ReportPeriod, children: Bool, catalog: CatalogSnapshot,
        now: Date = Date()
    ) async throws -> UnitReport {
        let membership = ReportMembership(unit: unit, period: period, children: children, catalog: catalog)
        let counted = try await database.withConnection { connection in
            try connection.snapshot {
                try ReportQuery.counts(spans: membership.spans, period: period, now: now, on: $0)
            }
        }
        return UnitReport.assemble(
            membership: membership, period: period, children: children, counts: counted, catalog: catalog)
    }
}
