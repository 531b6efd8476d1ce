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
            let codes = Array(Set(due.map(\.code)))
            let decision = try DeadlineFiring.decide(due, dossiers: try Self.dossiers(codes, on: connection),
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

    /// The dossiers of `codes` as the read model holds them: ONE statement.
    static func dossiers(_ codes: [String], on connection: PostgresConnection) throws -> [String: DeadlineFiring.Dossier] {
        guard !codes.isEmpty else { return [:] }
        var found: [String: DeadlineFiring.Dossier] = [:]
        for row in try connection.execute("""
            SELECT code, unit_code, procedure_code, channel, status, handling_unit, received_at, due_at, original_due_at,
                   apology::text AS apology, applicant::text AS applicant, supplement_requests
            FROM dossiers WHERE code = ANY($1::text[])
            """, [PostgresArray.literal(codes)]).rows
        {
            let code = try row.string("code")
            let unit = try row.string("unit_code")
            var state = DossierState(code: code, unitCode: unit, receivedAt: try row.date("received_at"),
                                     dueAt: try row.date("due_at"))
            state.status = DossierStatus(rawValue: try row.string("status")) ?? .received
            state.handlingUnit = row["handling_unit"] ?? unit
            state.originalDueAt = try row.date("original_due_at")
            state.apology = try row["apology"].map { try JSONCoding.decode(ApologyView.self, from: $0) }
            state.supplementRequests = try row.int("supplement_requests")
            let facts = DossierFacts(code: code, unitCode: unit, procedureCode: try row.string("procedure_code"),
                                     channel: Channel(rawValue: try row.string("channel")) ?? .direct,
                                     applicant: try JSONCoding.decode(Applicant.self, from: try row.string("applicant")))
            found[code] = DeadlineFiring.Dossier(facts: facts, state: state)
        }
        return found
    }
}
