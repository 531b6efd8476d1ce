import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Shared

/// The deadlines role: fires due timers (`deadline_timers`). Any number of deadline workers run side
/// by side: each claims up to `batchSize` due timers with `FOR UPDATE SKIP LOCKED` and fires them in
/// the same transaction that marks them fired, writes their alerts to the outbox and their automatic
/// letters to the journal. The claim is the transaction's row lock: a worker that dies holding it
/// loses its connection, the transaction rolls back, and the next worker fires those timers; one that
/// stops holding it loses its session after the lease (`ClaimLease`), with the same result.
struct Deadlines: Service {
    let database: PostgresClient
    let catalog: CatalogCache
    let leadWorkingDays: Int
    /// How long a worker that stops holding claims keeps them.
    let lease: ClaimLease
    /// Wakes the worker when a timer is written already due.
    let wakeups: PostgresListener
    let logger: Logger
    var batchSize = 500
    /// How long an idle worker waits before looking again, unless woken: a timer that comes due while
    /// nothing is written fires within this of its moment; one written already due fires at once.
    var poll: Duration = .milliseconds(500)

    func run() async throws {
        await PollingLoop.run(batchSize: batchSize, counter: Counter(label: "motcua_deadline_timers_fired_total"),
                              logger: logger, failure: "deadline timers not fired",
                              wait: { await wakeups.wait(upTo: poll) }, batch: { try await fireDue() })
        await wakeups.close()
    }

    /// Fires one batch of due timers; returns how many it took.
    func fireDue(now: Date = Date()) async throws -> Int {
        let catalog = self.catalog.current
        let (limit, lead, lease) = (batchSize, leadWorkingDays, lease)
        return try await database.withTransaction { connection in
            try lease.take(on: connection)
            // Only timers of dossiers no recorder is writing now: their worker lock is tried (never
            // awaited) before the row is locked, so this transaction never holds a timer row a recorder
            // will wait for while it waits for something the recorder holds. The candidates come first,
            // soonest first and at most twice the batch, and are tried one by one until the batch is
            // full: whatever plan PostgreSQL picks, a claim tries at most that many locks, never one per
            // due timer of a backlog (a sort under the lock would take them all, and run out of lock memory).
            let due = try connection.execute("""
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
                """, [VietnamTime.rfc3339(now), String(limit)]).rows.compactMap { row -> DeadlineFiring.Due? in
                guard let kind = DeadlineKind(rawValue: try row.string("kind")) else { return nil }
                return DeadlineFiring.Due(code: try row.string("dossier_code"), kind: kind, dueAt: try row.date("due_at"))
            }
            guard !due.isEmpty else { return 0 }
            let codes = Array(Set(due.map(\.code))).sorted()
            // The whole record of each dossier, actions intake accepted but no recorder wrote yet
            // included: intake admits none meanwhile, and a letter never goes out over a dossier an
            // accepted action closed or paused before its due moment.
            try DossierLocks.lockAdmission(codes, on: connection)
            let decision = try DeadlineFiring.decide(due, dossiers: try Self.dossiers(codes, catalog: catalog,
                                                                                     on: connection),
                                                     catalog: catalog, now: now)
            try connection.execute("""
                UPDATE deadline_timers t SET fired_at = now() FROM unnest($1::text[], $2::text[]) AS d(c, k)
                WHERE t.dossier_code = d.c AND t.kind = d.k
                """, [PostgresArray.literal(due.map(\.code)), PostgresArray.literal(due.map(\.kind.rawValue))])
            try DossierJournal.append(decision.letters, on: connection)
            try Outbox.insert(decision.alerts, on: connection)
            try ReportLedger.refresh(codes: decision.project, catalog: catalog, on: connection)
            // Last: numbering letters locks their unit's sequence row until the commit.
            let letters = try DossierProjection.refresh(codes: decision.project, catalog: catalog,
                                                        leadWorkingDays: lead, on: connection)
            try Outbox.insert(letters, on: connection)
            return due.count
        }
    }

    /// The dossiers of `codes`: what alerts say of them (from the read model), and the state their
    /// whole record leads to (`DossierRecords`). Four statements.
    static func dossiers(_ codes: [String], catalog: CatalogSnapshot, on connection: PostgresConnection) throws
        -> [String: DeadlineFiring.Dossier]
    {
        guard !codes.isEmpty else { return [:] }
        let records = try DossierRecords.load(codes, catalog: catalog, on: connection)
        var found: [String: DeadlineFiring.Dossier] = [:]
        for row in try connection.execute("""
            SELECT code, unit_code, procedure_code, channel, applicant::text AS applicant
            FROM dossiers WHERE code = ANY($1::text[])
            """, [PostgresArray.literal(codes)]).rows
        {
            let code = try row.string("code")
            guard let record = records[code] else { continue }
            let facts = DossierFacts(code: code, unitCode: try row.string("unit_code"),
                                     procedureCode: try row.string("procedure_code"),
                                     channel: Channel(rawValue: try row.string("channel")) ?? .direct,
                                     applicant: try JSONCoding.decode(Applicant.self, from: try row.string("applicant")))
            found[code] = DeadlineFiring.Dossier(facts: facts, state: record.state)
        }
        return found
    }
}
