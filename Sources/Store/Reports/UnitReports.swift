import Domain
import Foundation
import PostgresDriver

/// Builds `UnitReport`s from the database: the counts of every row in ONE snapshot (REPEATABLE READ,
/// READ ONLY), so the figures of one report, its children's rows and its total always add up.
public struct UnitReports: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    /// The report of `unit` (a unit of `catalog`) and, with `children`, a row per child unit and one
    /// for the unit's own dossiers when it has any; the unit's figures are the sum of those rows.
    public func report(
        unit: String, period: ReportPeriod, children: Bool, catalog: CatalogSnapshot,
        now: Date = Date()
    ) async throws -> UnitReport {
        let rows = children ? catalog.children(of: unit) : []
        var assigned: [String: Int] = [:]
        for code in catalog.subtree(of: unit) { assigned[code] = 0 }
        for (index, child) in rows.enumerated() {
            for code in catalog.subtree(of: child.code) { assigned[code] = index + 1 }
        }
        let buckets = assigned
        let counted = try await database.withConnection { connection in
            try connection.snapshot { try ReportQuery.counts(buckets: buckets, period: period, now: now, on: $0) }
        }
        return UnitReport.assemble(
            unit: unit, period: period, children: children ? rows : nil, counts: counted,
            catalog: catalog)
    }
}
