import Foundation

extension UnitReport {
    /// The document from the counts of each bucket (0: the unit's own dossiers; i: its i-th child).
    public static func assemble(
        unit: String, period: ReportPeriod, children: [Unit]?, counts: [Int: ReportCounts],
        catalog: CatalogSnapshot
    ) -> UnitReport {
        let indicators = Indicator766.inForce(catalog.indicators, on: period.to)
        let name = catalog.units[unit]?.name ?? unit
        let total = counts.values.reduce(ReportCounts(), +)
        var rows: [UnitReport] = []
        if let children {
            let own = counts[0] ?? ReportCounts()
            if own != ReportCounts() {
                rows.append(
                    UnitReport(
                        unit: unit, unitName: name, scope: "own", period: period, counts: own,
                        indicators: indicators))
            }
            for (index, child) in children.enumerated() {
                rows.append(
                    UnitReport(
                        unit: child.code, unitName: child.name, period: period,
                        counts: counts[index + 1] ?? ReportCounts(), indicators: indicators))
            }
        }
        return UnitReport(
            unit: unit, unitName: name, period: period, counts: total, indicators: indicators,
            children: rows)
    }
}
