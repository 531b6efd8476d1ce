import Domain
import Foundation
import PostgresDriver

/// Provisional due moments counted again once their years' decisions are loaded (DOMAIN.md §11), a batch of
/// open dossiers per transaction: the journal entry, the due moments, the timers, the report facts and the
/// read model's `provisional_years` commit together. A dossier's years lose the decided ones in that same
/// commit, so it is never picked again for them: each recomputation happens once, and one killed halfway
/// rolls back whole and is done again by the next pass.
public enum DueRecomputations {
    /// Recomputes up to `limit` open dossiers whose due moment was counted by rule over a year `catalog` has
    /// the decision of; returns how many it looked at (fewer than `limit`: none is left for now).
    public static func recompute(
        catalog: CatalogSnapshot, leadWorkingDays: Int, limit: Int, lease: ClaimLease,
        on connection: PostgresConnection
    ) throws -> Int {
        let decided = catalog.calendar.decidedYears
        guard !decided.isEmpty else { return 0 }
        try lease.take(on: connection)
        // No row lock here: the dossiers' worker locks come first, as every worker takes them, and the
        // projection reads their years again under them (a pass beside this one finds them done).
        // No ORDER BY: with one, PostgreSQL walked the primary key in order looking for `limit` matches,
        // that is the whole table when none is left (1.6 s per pass over 350,000 dossiers, every few seconds
        // per deadlines worker); without, it reads the partial GIN index `dossiers_provisional_years`.
        let codes = try connection.execute(
            """
            SELECT code FROM dossiers WHERE provisional_years <> '{}' AND provisional_years && $1::int[] LIMIT $2
            """, [literal(decided.sorted()), String(limit)]
        ).rows.map { try $0.string("code") }.sorted()
        guard !codes.isEmpty else { return 0 }
        try DossierLocks.lock(codes, on: connection)
        try DossierProjection.refresh(
            codes: Set(codes), catalog: catalog, leadWorkingDays: leadWorkingDays, recompute: true,
            on: connection)
        try ReportLedger.refresh(codes: Set(codes), catalog: catalog, on: connection)
        return codes.count
    }

    /// `{2026,2027}`: a list of years as an `int[]` literal (each element of a `text[]` batch parameter).
    static func literal(_ years: [Int]) -> String { "{" + years.map(String.init).joined(separator: ",") + "}" }

    /// The years of `array_to_string(provisional_years, ',')`.
    static func years(_ text: String) -> [Int] { text.split(separator: ",").compactMap { Int($0) } }
}
