import Foundation

/// Builds `UnitReport`s from the database: the counts of every row in ONE snapshot (REPEATABLE READ,
/// READ ONLY), so the figures of one report, its children's rows and its total always add up.
public struct UnitReports: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    /// The report of `unit` (a unit of `catalog`) and, with `children`, a row per child unit and one
    /// for the unit's own dossiers when it has any; the unit's figures are the sum of those rows.
    public func report(unit: String, period: ReportPeriod, children: Bool, catalog: CatalogSnapshot,
                       now: Date = Date()) async throws -> UnitReport
    {
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
        return Self.assemble(unit: unit, period: period, children: children ? rows : nil, counts: counted,
                             catalog: catalog)
    }

    /// The document from the counts of each bucket (0: the unit's own dossiers; i: its i-th child).
    public static func assemble(unit: String, period: ReportPeriod, children: [Unit]?, counts: [Int: ReportCounts],
                         catalog: CatalogSnapshot) -> UnitReport
    {
        let indicators = Indicator766.inForce(catalog.indicators, on: period.to)
        let name = catalog.units[unit]?.name ?? unit
        let total = counts.values.reduce(ReportCounts(), +)
        var rows: [UnitReport] = []
        if let children {
            let own = counts[0] ?? ReportCounts()
            if own != ReportCounts() {
                rows.append(UnitReport(unit: unit, unitName: name, scope: "own", period: period, counts: own,
                                       indicators: indicators))
            }
            for (index, child) in children.enumerated() {
                rows.append(UnitReport(unit: child.code, unitName: child.name, period: period,
                                       counts: counts[index + 1] ?? ReportCounts(), indicators: indicators))
            }
        }
        return UnitReport(unit: unit, unitName: name, period: period, counts: total, indicators: indicators,
                          children: rows)
    }
}
