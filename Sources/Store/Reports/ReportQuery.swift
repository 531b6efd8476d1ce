import Domain
import Foundation
import PostgresDriver

/// The report's counts in SQL: `ReportTally`'s conditions, counted by PostgreSQL over `report_dossiers`
/// and `payments` for many units at once, each dossier counted in the row its unit and receipt give it.
public enum ReportQuery {
    /// Counts per row of `spans`: a dossier of a span's unit received inside its window counts in its row,
    /// a payment when its dossier does (`ReportMembership`); a dossier a span's unit closed inside its window
    /// counts in its row's "resolved by" figures.
    public static func counts(
        spans: [ReportMembership.Span], period: ReportPeriod, now: Date, on connection: PostgresConnection
    )
        throws -> [Int: ReportCounts]
    {
        func day(_ day: LocalDate?, _ none: String) -> String {
            day.map { VietnamTime.rfc3339(VietnamTime.instant($0, seconds: 0)) } ?? none
        }
        let membership = [
            PostgresArray.literal(spans.map(\.unit)), PostgresArray.literal(spans.map { String($0.row) }),
            PostgresArray.literal(spans.map { day($0.from, "-infinity") }),
            PostgresArray.literal(spans.map { day($0.until, "infinity") }),
        ]
        let (start, end) = (VietnamTime.rfc3339(period.start), VietnamTime.rfc3339(period.end))
        let parameters = [
            membership[0], membership[1], start, end, VietnamTime.rfc3339(period.stockMoment(now: now)),
            VietnamTime.rfc3339(now), membership[2], membership[3],
        ]
        var counts: [Int: ReportCounts] = [:]
        for row in try connection.execute(dossierCounts, parameters).rows {
            var c = ReportCounts()
            for (column, path) in columns { c[keyPath: path] = try row.int(column) }
            counts[try row.int("bucket")] = c
        }
        for row in try connection.execute(closingCounts, [membership[0], membership[1], start, end] + membership[2...])
            .rows
        {
            let bucket = try row.int("bucket")
            for (column, path) in closingColumns {
                counts[bucket, default: ReportCounts()][keyPath: path] = try row.int(column)
            }
        }
        for row in try connection.execute(paymentCounts, [membership[0], membership[1], start, end] + membership[2...])
            .rows
        {
            let bucket = try row.int("bucket")
            counts[bucket, default: ReportCounts()].payments = try row.int("n")
            counts[bucket, default: ReportCounts()].paymentsVnd = try row.int("vnd")
        }
        return counts
    }

    /// `$3` F, `$4` E, `$5` S, `$6` N as in `ReportTally`; `$1`, `$2`, `$7`, `$8` the spans' units, rows and
    /// receipt windows. The WHERE clause keeps the dossiers received before E and open at F or after: those
    /// received in the period or carried over.
    static let dossierCounts = """
        SELECT m.b AS bucket,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.channel = 'direct') AS direct,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.channel = 'online') AS online,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.channel = 'online' AND r.online_level = 'partial') AS online_partial,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.channel = 'online' AND r.online_level = 'full') AS online_full,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.channel = 'postal') AS postal,
            count(*) FILTER (WHERE r.received_at < $3) AS carried_over,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.online_offered) AS online_offered,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'resolved' AND r.timing = 'early') AS early,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'resolved' AND r.timing = 'on_time') AS on_time,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'resolved'
                             AND r.timing IS DISTINCT FROM 'early' AND r.timing IS DISTINCT FROM 'on_time') AS overdue,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'rejected') AS rejected,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'withdrawn') AS withdrawn,
            count(*) FILTER (WHERE r.received_at < $5 AND r.open_until >= $5 AND NOT r.overdue @> $5::timestamptz) AS open_within,
            count(*) FILTER (WHERE r.received_at < $5 AND r.open_until >= $5 AND r.overdue @> $5::timestamptz) AS open_overdue,
            count(*) FILTER (WHERE r.fully_digitized_at < $5) AS digitized_dossiers,
            count(*) FILTER (WHERE r.reused_at < $5) AS reused_dossiers,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'resolved' AND r.paper_result) AS paper_results,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'resolved' AND r.paper_result
                             AND r.result_digitized_at < $5) AS digitized_results,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'resolved' AND r.result_signed
                             AND r.result_digitized_at < $5) AS electronic_results,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.fee_bearing) AS fee_dossiers,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.fee_bearing AND r.paid @> $5::timestamptz) AS paid_dossiers,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.linked_group = 'birth') AS birth_received,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'resolved' AND r.linked_completed
                             AND r.linked_group = 'birth') AS birth_completed,
            count(*) FILTER (WHERE r.received_at >= $3 AND r.linked_group = 'death') AS death_received,
            count(*) FILTER (WHERE r.open_until < $4 AND r.closing = 'resolved' AND r.linked_completed
                             AND r.linked_group = 'death') AS death_completed,
            count(*) FILTER (WHERE r.apology_at >= $3 AND r.apology_at < $4 AND r.apology_timely) AS apologies_timely,
            count(*) FILTER (WHERE r.apology_at >= $3 AND r.apology_at < $4 AND r.apology_timely IS NOT TRUE)
                AS apologies_not_timely,
            count(*) FILTER (WHERE r.escalation_at >= $3 AND r.escalation_at < $4 AND r.escalation_at <= $6
                             AND r.open_until > r.escalation_at) AS escalations
        FROM report_dossiers r JOIN unnest($1::text[], $2::int[], $7::timestamptz[], $8::timestamptz[]) AS m(u, b, s, e)
            ON m.u = r.unit_code AND r.received_at >= m.s AND r.received_at < m.e
        WHERE r.received_at < $4 AND r.open_until >= $3
        GROUP BY m.b
        """

    /// "Resolved by": `ReportTally.addClosing`'s conditions, each dossier in the row of the unit that closed it
    /// (`closed_by`) on its closing's day. `$3` F, `$4` E; `$5`, `$6` the spans' windows, which the closing
    /// (`open_until` of a closed dossier) falls in.
    static let closingCounts = """
        SELECT m.b AS bucket,
            count(*) FILTER (WHERE r.closing = 'resolved' AND r.timing = 'early') AS by_early,
            count(*) FILTER (WHERE r.closing = 'resolved' AND r.timing = 'on_time') AS by_on_time,
            count(*) FILTER (WHERE r.closing = 'resolved'
                             AND r.timing IS DISTINCT FROM 'early' AND r.timing IS DISTINCT FROM 'on_time') AS by_overdue,
            count(*) FILTER (WHERE r.closing = 'rejected') AS by_rejected,
            count(*) FILTER (WHERE r.closing = 'withdrawn') AS by_withdrawn,
            count(*) FILTER (WHERE r.closed_by <> r.unit_code) AS by_elsewhere
        FROM report_dossiers r JOIN unnest($1::text[], $2::int[], $5::timestamptz[], $6::timestamptz[]) AS m(u, b, s, e)
            ON m.u = r.closed_by AND r.open_until >= m.s AND r.open_until < m.e
        WHERE r.open_until >= $3 AND r.open_until < $4 AND r.closing IS NOT NULL
        GROUP BY m.b
        """

    static let closingColumns: [(String, WritableKeyPath<ReportCounts, Int> & Sendable)] = [
        ("by_early", \.closedByEarly), ("by_on_time", \.closedByOnTime), ("by_overdue", \.closedByOverdue),
        ("by_rejected", \.closedByRejected), ("by_withdrawn", \.closedByWithdrawn),
        ("by_elsewhere", \.closedByReceivedElsewhere),
    ]

    /// `$3` F, `$4` E; `$5`, `$6` the spans' receipt windows, which the payment's dossier's receipt falls in.
    static let paymentCounts = """
        SELECT m.b AS bucket,
            count(*) FILTER (WHERE p.status = 'succeeded') - count(*) FILTER (WHERE p.status = 'refunded') AS n,
            coalesce(sum(CASE p.status WHEN 'succeeded' THEN p.amount_vnd WHEN 'refunded' THEN -p.amount_vnd ELSE 0 END),
                     0) AS vnd
        FROM payments p JOIN dossiers d ON d.code = p.dossier_code
            JOIN unnest($1::text[], $2::int[], $5::timestamptz[], $6::timestamptz[]) AS m(u, b, s, e)
            ON m.u = p.unit_code AND d.received_at >= m.s AND d.received_at < m.e
        WHERE p.paid_at >= $3 AND p.paid_at < $4
        GROUP BY m.b
        """

    static let columns: [(String, WritableKeyPath<ReportCounts, Int> & Sendable)] = [
        ("direct", \.direct), ("online", \.online), ("online_partial", \.onlinePartial), ("online_full", \.onlineFull),
        ("postal", \.postal), ("carried_over", \.carriedOver), ("online_offered", \.onlineOffered), ("early", \.early),
        ("on_time", \.onTime), ("overdue", \.overdue), ("rejected", \.rejected), ("withdrawn", \.withdrawn),
        ("open_within", \.openWithinTime), ("open_overdue", \.openOverdue), ("digitized_dossiers", \.digitizedDossiers),
        ("reused_dossiers", \.reusedDossiers), ("paper_results", \.paperResults),
        ("digitized_results", \.digitizedResults), ("electronic_results", \.electronicResults),
        ("fee_dossiers", \.feeDossiers), ("paid_dossiers", \.paidDossiers), ("birth_received", \.birthReceived),
        ("birth_completed", \.birthCompleted), ("death_received", \.deathReceived),
        ("death_completed", \.deathCompleted), ("apologies_timely", \.apologiesTimely),
        ("apologies_not_timely", \.apologiesNotTimely), ("escalations", \.escalations),
    ]
}
