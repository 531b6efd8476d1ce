import Domain
import Foundation
import PostgresDriver

/// Derives dossiers' current state from their whole record (`DossierRecords`: the received facts, every
/// journalled action and automatic letter, and the actions intake accepted that are not journalled yet),
/// replayed in `DossierLifecycle.replayOrder`, and writes it to the read model with the deadline timers
/// it calls for and the numbers of new apology letters. A batch of dossiers costs a fixed number of
/// statements whatever its size: the admission locks and the record's reads, the pure replay, then a
/// statement per kind of write.
public enum DossierProjection {
    /// Replays and writes each of `codes`; a dossier not recorded yet is left alone (its actions wait in
    /// the journal and apply when it arrives).
    /// - Parameters:
    ///   - leadWorkingDays: how long before the receipt's due moment the due-soon alert goes.
    ///   - recompute: count provisional due moments again over the years whose decision is loaded now and
    ///     journal the change (`DueRecomputations`); otherwise they stay as counted (`DueRecomputation.basis`).
    /// - Returns: the apology alerts (one per new letter) to queue with the rest of the batch.
    @discardableResult
    public static func refresh(
        codes: Set<String>, catalog: CatalogSnapshot, leadWorkingDays: Int = 1, recompute: Bool = false,
        on connection: PostgresConnection
    ) throws -> [OutboxMessage] {
        guard !codes.isEmpty else { return [] }
        // The whole record: actions intake accepted count before they are journalled, so facts that
        // reach the recorder out of order never show a state the dossier left (a closed one reopened).
        try DossierLocks.lockAdmission(Array(codes), on: connection)
        let records = try DossierRecords.load(Array(codes), catalog: catalog, on: connection)
        let facts = try connection.execute(
            """
            SELECT code, unit_code, procedure_code, channel, applicant::text AS applicant,
                   array_to_string(provisional_years, ',') AS provisional_years
            FROM dossiers WHERE code = ANY($1::text[]) ORDER BY code FOR UPDATE
            """, [PostgresArray.literal(codes.sorted())]
        ).rows.map { row in
            (
                DossierFacts(
                    code: try row.string("code"), unitCode: try row.string("unit_code"),
                    procedureCode: try row.string("procedure_code"),
                    channel: Channel(rawValue: try row.string("channel")) ?? .direct,
                    applicant: try JSONCoding.decode(Applicant.self, from: try row.string("applicant"))),
                DueRecomputations.years(try row.string("provisional_years"))
            )
        }
        guard !facts.isEmpty else { return [] }
        var plans = facts.compactMap { facts, stored in
            records[facts.code].map {
                plan(
                    DueRecomputation.basis(
                        of: $0, facts: facts, stored: stored, catalog: catalog, recompute: recompute),
                    facts: facts, leadWorkingDays: leadWorkingDays)
            }
        }
        try DossierJournal.append(
            try plans.compactMap { plan in try plan.recomputation?.journalEntry(code: plan.state.code, at: Date()) },
            on: connection)
        try writeTimersAndRefusals(plans, on: connection)
        // Late in the transaction: numbering a new letter locks its unit's sequence row until the commit.
        let alerts = try numberLetters(
            &plans, known: records.compactMapValues(\.letterNumber), catalog: catalog,
            on: connection)
        try writeStates(plans, on: connection)
        return alerts
    }

    /// Replays the dossiers a migration marked in `reprojection_pending`, 500 per transaction, each
    /// under its worker lock; returns how many. Safe to interrupt and to run again.
    @discardableResult
    public static func reprojectPending(catalog: CatalogSnapshot, database: PostgresClient) async throws -> Int {
        var total = 0
        while true {
            let done = try await database.withTransaction { connection -> Int in
                let codes = try connection.execute(
                    """
                    DELETE FROM reprojection_pending WHERE code IN (
                        SELECT code FROM reprojection_pending ORDER BY code LIMIT 500 FOR UPDATE SKIP LOCKED)
                    RETURNING code
                    """
                ).rows.map { try $0.string("code") }
                try DossierLocks.lock(codes, on: connection)
                try refresh(codes: Set(codes), catalog: catalog, on: connection)
                try ReportLedger.refresh(codes: Set(codes), catalog: catalog, on: connection)
                return codes.count
            }
            if done == 0 { return total }
            total += done
        }
    }

    /// What to write for one dossier: its state, the journal entries whose refusal changed, its timers.
    struct Plan {
        var state: DossierState
        let refusals: [(id: String, reason: String?)]
        let timers: [DeadlineTimer]
        let facts: DossierFacts?
        /// Whether the row as recorded at receipt is not already the state.
        var replayed: Bool
        /// The years without a loaded decision its due moment in force is counted over (DOMAIN.md §11).
        var provisionalYears: [Int] = []
        /// The receipt's due moment counted again, when a recomputation moved it.
        var receiptDueAt: Date?
        /// The change a recomputation made, for the journal.
        var recomputation: DueRecomputation?
    }

    /// The plan of a record made ready by `DueRecomputation.basis`: counted under its calendar, with the
    /// provisional years of the result, and written whenever the row's years were to be looked at again.
    static func plan(_ basis: DueRecomputation.Basis, facts: DossierFacts, leadWorkingDays: Int) -> Plan {
        var plan = plan(basis.record, facts: facts, leadWorkingDays: leadWorkingDays, calendar: basis.calendar)
        plan.provisionalYears = plan.state.provisionalYears(calendar: basis.calendar)
        plan.receiptDueAt = basis.receiptDueAt
        plan.recomputation = basis.change
        plan.replayed = plan.replayed || !basis.decided.isEmpty
        return plan
    }

    /// The replay of the whole record and the timers it calls for, without I/O. Refusals are written
    /// beside the journal's entries (an action intake accepted gets its own once it is journalled).
    static func plan(
        _ record: DossierRecord, facts: DossierFacts? = nil, leadWorkingDays: Int = 1,
        calendar: WorkingCalendar = WorkingCalendar()
    ) -> Plan {
        let (state, refusals) = DossierLifecycle.replay(record.initial, steps: record.steps, restart: record.restart)
        let changed = zip(record.journal, refusals).compactMap { entry, refusal in
            entry.refused == refusal?.description ? nil : (id: entry.id, reason: refusal?.description)
        }
        return Plan(
            state: state, refusals: changed,
            timers: DeadlineSchedule.timers(for: state, leadWorkingDays: leadWorkingDays, calendar: calendar),
            facts: facts, replayed: !record.steps.isEmpty,
            provisionalYears: state.provisionalYears(calendar: calendar))
    }

    /// Gives each letter its number: the one it has, or the next of its unit and year for a new one
    /// (whose `deadline.apology_issued` alert is returned).
    /// - Parameter known: the numbers the dossiers' letters already have (loaded with their records).
    private static func numberLetters(
        _ plans: inout [Plan], known: [String: String], catalog: CatalogSnapshot,
        on connection: PostgresConnection
    ) throws -> [OutboxMessage] {
        let lettered = plans.indices.filter { plans[$0].state.apology != nil }
        guard !lettered.isEmpty else { return [] }
        let new = lettered.filter { known[plans[$0].state.code] == nil }
        let numbered = try ApologyLetters.number(
            new.map { index in
                let state = plans[index].state
                return (state.code, state.handlingUnit, VietnamTime.local(state.apology!.issuedAt).date.year)
            }, on: connection
        ).mapValues(\.number).merging(known) { new, _ in new }
        var alerts: [OutboxMessage] = []
        for index in lettered {
            guard let number = numbered[plans[index].state.code] else { continue }
            plans[index].state.apology?.number = number
        }
        for index in new {
            let plan = plans[index]
            guard let facts = plan.facts, let letter = plan.state.apology else { continue }
            let key = "deadline.apology_issued.\(facts.unitCode)"
            alerts.append(
                try .alert(
                    key, source: EventSource.worker("deadlines"), subject: facts.code,
                    data: DeadlineAlert(
                        dossier: facts, state: plan.state,
                        procedureName: catalog.procedure(facts.procedureCode, forDossier: facts.code)?.name,
                        now: Date()),
                    id: DeadlineSchedule.alertId(
                        code: facts.code, kind: "apology_issued",
                        dueAt: letter.newDueAt)))
        }
        return alerts
    }

    private static func writeTimersAndRefusals(_ plans: [Plan], on connection: PostgresConnection) throws {
        guard !plans.isEmpty else { return }
        try DeadlineTimers.replace(
            plans.map(\.state.code),
            wanted: plans.flatMap { plan in plan.timers.map { (plan.state.code, $0) } },
            on: connection)
        let refusals = plans.flatMap(\.refusals)
        if !refusals.isEmpty {
            try connection.execute(
                """
                UPDATE journal SET refused_reason = t.r FROM unnest($1::bigint[], $2::text[]) AS t(id, r)
                WHERE journal.id = t.id
                """, [PostgresArray.literal(refusals.map(\.id)), PostgresArray.literal(refusals.map(\.reason))])
        }
    }

    private static func writeStates(_ plans: [Plan], on connection: PostgresConnection) throws {
        let written = plans.filter(\.replayed)
        let states = written.map(\.state)
        guard !states.isEmpty else { return }
        try connection.execute(
            """
            UPDATE dossiers SET status = t.s, due_at = t.d, original_due_at = t.o, closed_at = t.c, timing = t.t,
                apology = t.a, result = t.r, handling_unit = t.h, supplement_requests = t.n,
                provisional_years = t.py::int[], initial_due_at = COALESCE(t.i, dossiers.initial_due_at),
                updated_at = now()
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                        $7::jsonb[], $8::jsonb[], $9::text[], $10::int[], $11::text[], $12::timestamptz[])
                AS t(code, s, d, o, c, t, a, r, h, n, py, i)
            WHERE dossiers.code = t.code
            """,
            [
                PostgresArray.literal(states.map(\.code)), PostgresArray.literal(states.map(\.status.rawValue)),
                PostgresArray.literal(states.map { VietnamTime.rfc3339($0.dueAt) }),
                PostgresArray.literal(states.map { VietnamTime.rfc3339($0.originalDueAt) }),
                PostgresArray.literal(states.map { $0.closedAt.map(VietnamTime.rfc3339) }),
                PostgresArray.literal(states.map { $0.timing?.rawValue }),
                PostgresArray.literal(try states.map { try $0.apology.map { try JSONCoding.encodeString($0) } }),
                PostgresArray.literal(try states.map { try $0.result.map { try JSONCoding.encodeString($0) } }),
                PostgresArray.literal(states.map(\.handlingUnit)),
                PostgresArray.literal(states.map { String($0.supplementRequests) }),
                PostgresArray.literal(written.map { DueRecomputations.literal($0.provisionalYears) }),
                PostgresArray.literal(written.map { $0.receiptDueAt.map(VietnamTime.rfc3339) }),
            ])
    }
}
