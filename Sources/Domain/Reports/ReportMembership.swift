import Foundation

/// Which dossiers a unit's report counts, and in which of its rows (DOMAIN.md §10, §11): a dossier counts
/// under the units in force on its receipt's local day. A dossier of unit C received on day d counts in
/// U's report when C is U, or C is below U in the tree of d, or C is a predecessor of U (directly or
/// through successors, whenever received: a successor's report takes in its predecessors').
///
/// Pure: the spans say it as (unit, receipt window, row) triples for `ReportQuery` to filter by, and
/// `row(of:receivedAt:)` says it for one dossier, so `ReportTally` and the SQL count the same dossiers.
/// Every (unit, day) lies in at most one span, so each dossier counts in one row and the rows add up.
public struct ReportMembership: Sendable, Equatable {
    /// Dossiers of `unit` received from `from` (included) until `until` (excluded) count in row `row`:
    /// 0 for the report's unit itself, i for `rows[i - 1]`. A nil day is the start (end) of time.
    public struct Span: Sendable, Equatable {
        public let unit: String
        public let from: LocalDate?
        public let until: LocalDate?
        public let row: Int

        public init(unit: String, from: LocalDate?, until: LocalDate?, row: Int) {
            self.unit = unit
            self.from = from
            self.until = until
            self.row = row
        }

        /// Whether a dossier of `code` received on local day `day` falls in the span.
        public func contains(_ code: String, on day: LocalDate) -> Bool {
            code == unit && (from.map { $0 <= day } ?? true) && (until.map { day < $0 } ?? true)
        }
    }

    /// A row of `--children`: a unit below the report's unit, or one of its predecessors.
    public struct Row: Sendable, Equatable {
        public let unit: Unit
        /// Listed even when it counts nothing: a direct child on some day of the period, or a predecessor
        /// in force on some day of it. A unit that stood only before the period is listed when dossiers it
        /// took are carried over into the period.
        public let listed: Bool
        /// A predecessor of the report's unit that was not its direct child during the period.
        public let predecessor: Bool
    }

    public let unit: String
    public let spans: [Span]
    /// Empty without `--children`: every span then counts in row 0.
    public let rows: [Row]

    /// The row a dossier of `code` received at `moment` counts in, or nil when the report leaves it out.
    public func row(of code: String, receivedAt moment: Date) -> Int? { row(of: code, at: moment) }

    /// The row what `code` did at `moment` counts in, under the units in force on its local day: a dossier's
    /// receipt by its receiving unit, its closing by the unit that closed it ("resolved by").
    public func row(of code: String, at moment: Date) -> Int? {
        let day = VietnamTime.local(moment).date
        return spans.first { $0.contains(code, on: day) }?.row
    }

    public init(unit: String, period: ReportPeriod, children: Bool, catalog: CatalogSnapshot) {
        // A dossier received after the period never counts in it.
        let epochs = catalog.treeEpochs.filter { $0.from.map { $0 <= period.to } ?? true }
        let holders = Self.holders(of: unit, epochs: epochs, catalog: catalog)
        let inPeriod = epochs.filter { $0.overlaps(period.from, period.to) }
        let childrenInPeriod = Set(inPeriod.flatMap { $0.children(of: unit) })
        let predecessors = Set(catalog.predecessors(of: unit).map(\.code))
        var rows: [Row] = []
        if children {
            let held = holders.values.joined().compactMap { holder -> String? in
                if case .row(let code)? = holder { return code } else { return nil }
            }
            let codes = Set(held).union(childrenInPeriod).union(predecessors)
            rows = codes.sorted().compactMap { code in
                guard let latest = catalog.units[code] else { return nil }
                let stood = (catalog.unitVersions[code] ?? []).contains {
                    ($0.validFrom.map { $0 <= period.to } ?? true) && ($0.validTo.map { period.from <= $0 } ?? true)
                }
                let child = childrenInPeriod.contains(code)
                let predecessor = predecessors.contains(code)
                return Row(unit: latest, listed: child || (predecessor && stood), predecessor: predecessor && !child)
            }
        }
        let index = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.unit.code, $0 + 1) })
        var spans: [Span] = []
        for (code, byEpoch) in holders.sorted(by: { $0.key < $1.key }) {
            var i = 0
            while i < byEpoch.count {
                guard let holder = byEpoch[i] else {
                    i += 1
                    continue
                }
                var j = i
                while j + 1 < byEpoch.count, byEpoch[j + 1] == holder { j += 1 }
                let row: Int
                if case .row(let code) = holder { row = index[code] ?? 0 } else { row = 0 }
                spans.append(Span(unit: code, from: epochs[i].from, until: epochs[j].until, row: row))
                i = j + 1
            }
        }
        self.unit = unit
        self.spans = spans
        self.rows = rows
    }
}
