import Domain
import Foundation
import PostgresDriver

/// The deadlines role's reads and writes of `deadline_timers` and the dossiers they concern, inside its
/// firing transaction.
public enum DueTimers {
    /// Claims up to `limit` due timers. Only timers of dossiers no recorder is writing now: their worker
    /// lock is tried (never awaited) before the row is locked, so this transaction never holds a timer row
    /// a recorder will wait for while it waits for something the recorder holds. The candidates come
    /// first, soonest first and at most twice the batch, and are tried one by one until the batch is full:
    /// whatever plan PostgreSQL picks, a claim tries at most that many locks, never one per due timer of a
    /// backlog (a sort under the lock would take them all, and run out of lock memory).
    public static func claim(now: Date, limit: Int, on connection: PostgresConnection) throws -> [DeadlineFiring.Due] {
        try connection.execute(
            """
            SELECT t.dossier_code, t.kind, t.due_at
            FROM (SELECT dossier_code, kind FROM deadline_timers
                  WHERE fired_at IS NULL AND fire_at <= $1::timestamptz
                  ORDER BY fire_at LIMIT 2 * $2::int) AS c
            CROSS JOIN LATERAL (
                SELECT d.dossier_code, d.kind, d.due_at FROM deadline_timers d
                WHERE d.dossier_code = c.dossier_code AND d.kind = c.kind AND d.fired_at IS NULL
                    AND pg_try_advisory_xact_lock(\(DossierLocks.workerSpace), hashtext(d.dossier_code))
                FOR UPDATE SKIP LOCKED) AS t
            LIMIT $2::int
            """, [VietnamTime.rfc3339(now), String(limit)]
        ).rows.compactMap { row -> DeadlineFiring.Due? in
            guard let kind = DeadlineKind(rawValue: try row.string("kind")) else { return nil }
            return DeadlineFiring.Due(code: try row.string("dossier_code"), kind: kind, dueAt: try row.date("due_at"))
        }
    }

    /// Marks the claimed timers fired, in the transaction that claimed them.
    public static func markFired(_ due: [DeadlineFiring.Due], on connection: PostgresConnection) throws {
        try connection.execute(
            """
            UPDATE deadline_timers t SET fired_at = now() FROM unnest($1::text[], $2::text[]) AS d(c, k)
            WHERE t.dossier_code = d.c AND t.kind = d.k
            """, [PostgresArray.literal(due.map(\.code)), PostgresArray.literal(due.map(\.kind.rawValue))])
    }

    /// The dossiers of `codes`: what alerts say of them (from the read model), and the state their
    /// whole record leads to (`DossierRecords`). Four statements.
    public static func dossiers(_ codes: [String], catalog: CatalogSnapshot, on connection: PostgresConnection) throws
        -> [String: DeadlineFiring.Dossier]
    {
        guard !codes.isEmpty else { return [:] }
        let records = try DossierRecords.load(codes, catalog: catalog, on: connection)
        var found: [String: DeadlineFiring.Dossier] = [:]
        for row in try connection.execute(
            """
            SELECT code, unit_code, procedure_code, channel, applicant::text AS applicant
            FROM dossiers WHERE code = ANY($1::text[])
            """, [PostgresArray.literal(codes)]
        ).rows {
            let code = try row.string("code")
            guard let record = records[code] else { continue }
            let facts = DossierFacts(
                code: code, unitCode: try row.string("unit_code"),
                procedureCode: try row.string("procedure_code"),
                channel: Channel(rawValue: try row.string("channel")) ?? .direct,
                applicant: try JSONCoding.decode(Applicant.self, from: try row.string("applicant")))
            found[code] = DeadlineFiring.Dossier(facts: facts, state: record.state)
        }
        return found
    }
}
