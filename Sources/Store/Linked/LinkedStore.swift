import Domain
import Foundation
import PostgresDriver

/// The groups' rows (`linked_groups`, `linked_steps`) and their durable timers (`linked_timers`), read
/// and written inside the caller's transaction, a statement per kind whatever the batch's size. Every
/// writer holds the dossier's worker lock (`DossierLocks`) first, so no row lock is needed here.
///
/// A step's timers: `send` (its next attempt is due: the first at once, a retry after the backoff, a
/// re-armed step at once), written with the step; `timeout` (no answer), written by the outbox relay
/// when the broker confirmed the command (`armTimeouts`), since the timeout runs from that confirm.
/// Any number of chains workers claim due timers with `FOR UPDATE SKIP LOCKED` (`claimDue`).
public enum LinkedStore {
    /// Writes new groups with their steps and the first step's send timer; a group already there is
    /// left alone. Returns the codes written.
    @discardableResult
    public static func insert(_ groups: [LinkedGroup], timeoutSeconds: Double, on connection: PostgresConnection) throws
        -> Set<String>
    {
        guard !groups.isEmpty else { return [] }
        let new = Set(
            try connection.execute(
                """
                INSERT INTO linked_groups (dossier_code, unit_code, kind)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING RETURNING dossier_code
                """,
                [
                    PostgresArray.literal(groups.map(\.dossierCode)), PostgresArray.literal(groups.map(\.unitCode)),
                    PostgresArray.literal(groups.map(\.kind.rawValue)),
                ]
            ).rows.map { try $0.string("dossier_code") })
        let written = groups.filter { new.contains($0.dossierCode) }
        guard !written.isEmpty else { return [] }
        let steps = written.flatMap { group in
            group.steps.enumerated().map { (group.dossierCode, $0.offset, $0.element) }
        }
        try connection.execute(
            """
            INSERT INTO linked_steps (dossier_code, step, position, agency, status, request_id, next_attempt_at,
                                      timeout_seconds, inputs, since)
            SELECT c, s, p, a, st, r, n, $8::float8, '{}', si
            FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                        $9::timestamptz[]) AS t(c, s, p, a, st, r, n, si)
            """,
            [
                PostgresArray.literal(steps.map(\.0)), PostgresArray.literal(steps.map(\.2.name)),
                PostgresArray.literal(steps.map { String($0.1) }), PostgresArray.literal(steps.map(\.2.agency)),
                PostgresArray.literal(steps.map(\.2.status.rawValue)), PostgresArray.literal(steps.map(\.2.requestId)),
                PostgresArray.literal(steps.map { $0.2.nextAttemptAt.map(VietnamTime.rfc3339) }),
                String(timeoutSeconds), PostgresArray.literal(steps.map { VietnamTime.rfc3339($0.2.since) }),
            ])
        try insertSendTimers(written.flatMap { group in group.steps.map { (group.dossierCode, $0) } }, on: connection)
        return new
    }

    /// The groups of `codes` and their dossiers, each dossier's status from its whole record
    /// (`DossierRecords`: an action intake accepted counts before a recorder wrote it), under the
    /// dossiers' admission locks so that none is admitted meanwhile.
    public static func load(_ codes: [String], catalog: CatalogSnapshot, on connection: PostgresConnection) throws
        -> (groups: [String: LinkedGroup], dossiers: [String: LinkedDossier])
    {
        guard !codes.isEmpty else { return ([:], [:]) }
        let groups = try groups(codes, on: connection)
        guard !groups.isEmpty else { return ([:], [:]) }
        try DossierLocks.lockAdmission(Array(groups.keys), on: connection)
        let records = try DossierRecords.load(Array(groups.keys), catalog: catalog, on: connection)
        var dossiers: [String: LinkedDossier] = [:]
        for row in try connection.execute(
            """
            SELECT code, applicant::text AS applicant FROM dossiers WHERE code = ANY($1::text[])
            """, [PostgresArray.literal(groups.keys.sorted())]
        ).rows {
            let code = try row.string("code")
            guard let record = records[code] else { continue }
            dossiers[code] = LinkedDossier(
                status: record.state.status,
                applicant: try JSONCoding.decode(
                    Applicant.self,
                    from: try row.string("applicant")))
        }
        return (groups, dossiers)
    }

    /// The groups of `codes` with their steps: two statements.
    public static func groups(_ codes: [String], on connection: PostgresConnection) throws -> [String: LinkedGroup] {
        guard !codes.isEmpty else { return [:] }
        let list = PostgresArray.literal(Set(codes).sorted())
        var steps: [String: [LinkedStep]] = [:]
        for row in try connection.execute(
            """
            SELECT dossier_code, step, agency, status, attempts, budget_start, request_id, next_attempt_at, last_error,
                   missing_fields::text AS missing_fields, inputs::text AS inputs, outputs::text AS outputs, since
            FROM linked_steps WHERE dossier_code = ANY($1::text[]) ORDER BY dossier_code, position
            """, [list]
        ).rows {
            steps[try row.string("dossier_code"), default: []].append(try step(row))
        }
        var groups: [String: LinkedGroup] = [:]
        for row in try connection.execute(
            """
            SELECT dossier_code, unit_code, kind, outcome, stopped, ended_at FROM linked_groups
            WHERE dossier_code = ANY($1::text[])
            """, [list]
        ).rows {
            let code = try row.string("dossier_code")
            guard let kind = LinkedGroupKind(rawValue: try row.string("kind")), let its = steps[code], !its.isEmpty
            else { continue }
            groups[code] = LinkedGroup(
                dossierCode: code, unitCode: try row.string("unit_code"), kind: kind, steps: its,
                outcome: row["outcome"].flatMap(LinkedOutcome.init(rawValue:)),
                stopped: row["stopped"], endedAt: try row.optionalDate("ended_at"))
        }
        return groups
    }

    static func step(_ row: PostgresRow) throws -> LinkedStep {
        let name = try row.string("step")
        return LinkedStep(
            name: name, agency: try row.string("agency"),
            status: StepStatus(rawValue: try row.string("status")) ?? .pending, attempts: try row.int("attempts"),
            budgetStart: try row.int("budget_start"), requestId: row["request_id"],
            nextAttemptAt: try row.optionalDate("next_attempt_at"), lastError: row["last_error"],
            missingFields: try row["missing_fields"].map { try JSONCoding.decode([String].self, from: $0) },
            inputs: try JSONCoding.decode([String: JSONValue].self, from: try row.string("inputs")),
            outputs: try row["outputs"].map { try JSONCoding.decode([String: JSONValue].self, from: $0) },
            since: try row.date("since"))
    }

    /// Writes back what changed: the groups' rows, the steps' rows, and each changed step's timers (its
    /// old ones go, its send timer comes when it has one). `timeoutSeconds` is recorded on each step
    /// written, for the relay to arm the timeout of a command when the broker confirms it.
    public static func save(_ changes: [LinkedChange], timeoutSeconds: Double, on connection: PostgresConnection) throws
    {
        let groups = changes.filter(\.groupRow).map(\.group)
        if !groups.isEmpty {
            try connection.execute(
                """
                UPDATE linked_groups g SET outcome = t.o, stopped = t.s, ended_at = t.e, updated_at = now()
                FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS t(c, o, s, e)
                WHERE g.dossier_code = t.c
                """,
                [
                    PostgresArray.literal(groups.map(\.dossierCode)),
                    PostgresArray.literal(groups.map { $0.outcome?.rawValue }),
                    PostgresArray.literal(groups.map(\.stopped)),
                    PostgresArray.literal(groups.map { $0.endedAt.map(VietnamTime.rfc3339) }),
                ])
        }
        let steps = changes.flatMap { change in
            change.group.steps.filter { change.steps.contains($0.name) }.map { (change.group.dossierCode, $0) }
        }
        guard !steps.isEmpty else { return }
        try connection.execute(
            """
            UPDATE linked_steps s SET status = t.st, attempts = t.a, budget_start = t.b, request_id = t.r,
                next_attempt_at = t.n, last_error = t.le, missing_fields = t.mf, inputs = t.i, outputs = t.o,
                since = t.si, timeout_seconds = $13::float8, updated_at = now()
            FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::timestamptz[],
                        $8::text[], $9::jsonb[], $10::jsonb[], $11::jsonb[], $12::timestamptz[])
                AS t(c, p, st, a, b, r, n, le, mf, i, o, si)
            WHERE s.dossier_code = t.c AND s.step = t.p
            """,
            [
                PostgresArray.literal(steps.map(\.0)), PostgresArray.literal(steps.map(\.1.name)),
                PostgresArray.literal(steps.map(\.1.status.rawValue)),
                PostgresArray.literal(steps.map { String($0.1.attempts) }),
                PostgresArray.literal(steps.map { String($0.1.budgetStart) }),
                PostgresArray.literal(steps.map(\.1.requestId)),
                PostgresArray.literal(steps.map { $0.1.nextAttemptAt.map(VietnamTime.rfc3339) }),
                PostgresArray.literal(steps.map(\.1.lastError)),
                PostgresArray.literal(try steps.map { try $0.1.missingFields.map { try JSONCoding.encodeString($0) } }),
                PostgresArray.literal(try steps.map { try JSONCoding.encodeString($0.1.inputs, sortedKeys: true) }),
                PostgresArray.literal(
                    try steps.map { try $0.1.outputs.map { try JSONCoding.encodeString($0, sortedKeys: true) } }),
                PostgresArray.literal(steps.map { VietnamTime.rfc3339($0.1.since) }), String(timeoutSeconds),
            ])
        try connection.execute(
            """
            DELETE FROM linked_timers t USING unnest($1::text[], $2::text[]) AS c(d, s)
            WHERE t.dossier_code = c.d AND t.step = c.s
            """, [PostgresArray.literal(steps.map(\.0)), PostgresArray.literal(steps.map(\.1.name))])
        try insertSendTimers(steps, on: connection)
    }

    private static func insertSendTimers(_ steps: [(String, LinkedStep)], on connection: PostgresConnection) throws {
        let due = steps.filter { $0.1.status == .pending && $0.1.nextAttemptAt != nil && $0.1.requestId != nil }
        guard !due.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO linked_timers (request_id, kind, dossier_code, step, fire_at)
            SELECT r, 'send', c, s, f FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) AS t(r, c, s, f)
            ON CONFLICT DO NOTHING
            """,
            [
                PostgresArray.literal(due.map(\.1.requestId)), PostgresArray.literal(due.map(\.0)),
                PostgresArray.literal(due.map(\.1.name)),
                PostgresArray.literal(due.map { $0.1.nextAttemptAt.map(VietnamTime.rfc3339) }),
            ])
    }

    /// A due timer, claimed.
    public struct DueTimer: Sendable, Equatable {
        public let dossierCode: String
        public let step: String
        public let requestId: String
        public let kind: LinkedTimerKind
    }

    /// Claims up to `limit` due timers and deletes them in this transaction: a worker that dies holding
    /// them loses its connection, the transaction rolls back, and the timers are due again for the next
    /// worker (the transaction's row locks are the lease). Only timers of dossiers no other worker is
    /// writing now: their worker lock is tried, never awaited, before the row is locked, so this
    /// transaction never holds a row another one waits for while it waits for that one.
    ///
    /// Send timers are claimed per agency up to the places it has left: `maxInFlight` less its steps
    /// `sent` in groups still running (a group's end releases its places, however it ended). Only one
    /// worker at a time claims sends (a transaction-scoped advisory lock, tried: a worker that does not
    /// get it fires only timeouts this round), so the count it reads holds every other
    /// worker's committed sends, and no claim takes more than the places left. A send timer past the
    /// cap stays due until a place frees. Timeouts are always claimed. (The steps after a group's first
    /// go out with its answer, in the chains consumer, and are counted but not held back.)
    public static func claimDue(
        now: Date, limit: Int, maxInFlight: Int = LinkedPolicy().maxInFlight,
        on connection: PostgresConnection
    ) throws -> [DueTimer] {
        var due = try claim("t.kind = 'timeout'", now: now, limit: limit, on: connection)
        guard due.count < limit,
            try connection.execute(
                """
                SELECT pg_try_advisory_xact_lock(\(DossierLocks.workerSpace), hashtext('linked sends')) AS mine
                """
            ).rows[0].bool("mine")
        else { return due }
        var inFlight: [String: Int] = [:]
        for row in try connection.execute(
            """
            SELECT s.agency, count(*) AS n FROM linked_steps s JOIN linked_groups g ON g.dossier_code = s.dossier_code
            WHERE s.status = 'sent' AND g.outcome IS NULL AND g.stopped IS NULL GROUP BY s.agency
            """
        ).rows {
            inFlight[try row.string("agency")] = try row.int("n")
        }
        for agency in agencies {
            let places = min(limit - due.count, maxInFlight - inFlight[agency, default: 0])
            guard places > 0 else { continue }
            due += try claim(
                "t.kind = 'send' AND s.agency = $3", now: now, limit: places, agency: agency, on: connection)
        }
        return due
    }

    /// Every partner agency of a step of either group.
    static let agencies = Set([LinkedGroupKind.birth, .death].flatMap(\.allSteps).map(LinkedGroupKind.agency(of:)))
        .sorted()

    /// Claims and deletes up to `limit` due timers that `condition` admits (over `t`, the timer, and
    /// `s`, its step), soonest first.
    private static func claim(
        _ condition: String, now: Date, limit: Int, agency: String? = nil,
        on connection: PostgresConnection
    ) throws -> [DueTimer] {
        // The candidates first, soonest first and at most twice `limit`, then each tried (its dossier's
        // worker lock, its row) until `limit` are claimed: at most that many lock tries whatever the plan.
        try connection.execute(
            """
            DELETE FROM linked_timers WHERE (request_id, kind) IN (
                SELECT l.request_id, l.kind
                FROM (SELECT t.request_id, t.kind FROM linked_timers t
                          LEFT JOIN linked_steps s ON s.dossier_code = t.dossier_code AND s.step = t.step
                      WHERE t.fire_at <= $1::timestamptz AND \(condition)
                      ORDER BY t.fire_at LIMIT 2 * $2::int) AS c
                CROSS JOIN LATERAL (
                    SELECT l.request_id, l.kind FROM linked_timers l
                    WHERE l.request_id = c.request_id AND l.kind = c.kind
                        AND pg_try_advisory_xact_lock(\(DossierLocks.workerSpace), hashtext(l.dossier_code))
                    FOR UPDATE SKIP LOCKED) AS l
                LIMIT $2::int)
            RETURNING dossier_code, step, request_id, kind
            """, [VietnamTime.rfc3339(now), String(limit)] + (agency.map { [$0] } ?? [])
        ).rows.compactMap { row in
            guard let kind = LinkedTimerKind(rawValue: try row.string("kind")) else { return nil }
            return DueTimer(
                dossierCode: try row.string("dossier_code"), step: try row.string("step"),
                requestId: try row.string("request_id"), kind: kind)
        }
    }

    /// The outbox relay's mark of sent rows, arming the timeout of each partner command among them from
    /// now (the broker confirmed it): ONE statement. A command whose step moved on already (its answer
    /// came first) arms nothing, nor does one whose group an officer's action stopped meanwhile: the relay
    /// holds no dossier lock, so a command claimed before the stop is marked after it, and its timeout
    /// outlived the stop that had deleted the group's timers (seen once in `OneTruthTests`).
    public static func markSentArmingTimeouts(outboxIds: [String], on connection: PostgresConnection) throws {
        try connection.execute(
            """
            WITH sent AS (
                UPDATE outbox SET sent_at = now() WHERE id = ANY($1::bigint[]) RETURNING exchange, message_id)
            INSERT INTO linked_timers (request_id, kind, dossier_code, step, fire_at)
            SELECT s.request_id, 'timeout', s.dossier_code, s.step, now() + make_interval(secs => s.timeout_seconds)
            FROM sent JOIN linked_steps s ON s.request_id = sent.message_id
            WHERE sent.exchange = '\(Topology.partners)' AND s.status = 'sent'
                AND NOT EXISTS (SELECT 1 FROM linked_groups g WHERE g.dossier_code = s.dossier_code AND g.stopped IS NOT NULL)
            ON CONFLICT DO NOTHING
            """, ["{" + outboxIds.joined(separator: ",") + "}"])
    }

    /// Journals the chain's closing actions where intake checks officers' actions too, so that an officer's
    /// action on a dossier the chain closed is refused with 409 as for any closed dossier.
    public static func recordClosures(_ entries: [JournalEntry], on connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        try DossierLocks.lockAdmission(entries.map(\.dossierCode), on: connection)
        try connection.execute(
            """
            INSERT INTO intake_actions (dossier_code, action, event_id, request)
            SELECT c, a, e, '' FROM unnest($1::text[], $2::jsonb[], $3::text[]) AS t(c, a, e)
            WHERE NOT EXISTS (SELECT 1 FROM intake_actions i WHERE i.dossier_code = t.c AND i.event_id = t.e)
            """,
            [
                PostgresArray.literal(entries.map(\.dossierCode)), PostgresArray.literal(entries.map(\.data)),
                PostgresArray.literal(entries.map(\.eventId)),
            ])
    }

    /// Stops the running groups of those of `codes` whose dossier is now closed by something other
    /// than the chain (an officer's withdraw, reject or resolve), in the transaction that closed it:
    /// their steps' timers go, nothing more is sent or retried, and their places at the agencies are
    /// free (`claimDue` counts running groups only). Called after the projection.
    public static func stopClosed(
        _ codes: Set<String>, policy: LinkedPolicy, catalog: CatalogSnapshot,
        on connection: PostgresConnection
    ) throws {
        guard !codes.isEmpty else { return }
        let (groups, dossiers) = try load(Array(codes), catalog: catalog, on: connection)
        var work = LinkedWork(
            policy: policy, environment: LinkedEnvironment(now: Date()), groups: groups,
            dossiers: dossiers)
        for code in groups.keys.sorted() { try work.stopIfClosed(code) }
        guard !work.effects.isEmpty else { return }
        try DossierJournal.append(work.effects.journal, on: connection)
        try save(Array(work.effects.changes.values), timeoutSeconds: policy.timeoutSeconds, on: connection)
        let stopped = work.effects.changes.values.map(\.group)
        try connection.execute(
            "DELETE FROM linked_timers WHERE dossier_code = ANY($1::text[])",
            [PostgresArray.literal(stopped.map(\.dossierCode))])
    }
}
