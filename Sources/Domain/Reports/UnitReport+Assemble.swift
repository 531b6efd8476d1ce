import Foundation

extension UnitReport {
    /// The document from the counts of each row of `membership` (0: the unit's own dossiers; i: its
    /// `rows[i - 1]`), with `children` the rows of `--children`. A row not `listed` that counts nothing is
    /// left out, as is the unit's own row then.
    public static func assemble(
        membership: ReportMembership, period: ReportPeriod, children: Bool, counts: [Int: ReportCounts],
        catalog: CatalogSnapshot
    ) -> UnitReport {
        let unit = membership.unit
        let indicators = Indicator766.inForce(catalog.indicators, on: period.to)
        let name = catalog.units[unit]?.name ?? unit
        let total = counts.values.reduce(ReportCounts(), +)
        var rows: [UnitReport] = []
        if children {
            let own = counts[0] ?? ReportCounts()
            if own != ReportCounts() {
                rows.append(
                    UnitReport(
                        unit: unit, unitName: name, scope: "own", period: period, counts: own,
                        indicators: indicators))
            }
            for (index, row) in membership.rows.enumerated() {
                let counted = counts[index + 1] ?? ReportCounts()
                guard row.listed || counted != ReportCounts() else { continue }
                rows.append(
                    UnitReport(
                        unit: row.unit.code, unitName: row.unit.name,
                        scope: row.predecessor ? "predecessor" : "subtree",
                        period: period, counts: counted, indicators: indicators))
            }
        }
        return UnitReport(
            unit: unit, unitName: name, period: period, counts: total, indicators: indicators,
            children: rows)
    }
}
