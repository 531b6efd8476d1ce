import Foundation

/// Derives dossiers' current state from their journal and writes it to the read model: the received
/// facts plus every recorded action, replayed in the order of their `at` times. A batch of dossiers
/// costs four statements whatever its size: two reads, then the pure replay, then two writes.
public enum DossierProjection {
    static let actionTypes = ActionType.allCases.map(\.rawValue)

    /// Replays and writes each of `codes`; a dossier not recorded yet is left alone (its actions wait in
    /// the journal and apply when it arrives), and so is one without actions (its row is its state).
    public static func refresh(codes: Set<String>, catalog: CatalogSnapshot, on connection: PostgresConnection) throws {
        guard !codes.isEmpty else { return }
        let list = PostgresArray.literal(codes.sorted())
        let facts = try connection.execute("""
            SELECT code, unit_code, procedure_code, channel, received_at, initial_due_at FROM dossiers
            WHERE code = ANY($1::text[]) ORDER BY code FOR UPDATE
            """, [list]).rows.map { row in
            let unit = try row.string("unit_code")
            return Recorded(initial: DossierState(code: try row.string("code"), unitCode: unit,
                                                  receivedAt: try row.date("received_at"),
                                                  dueAt: try row.date("initial_due_at")),
                            restart: DueRestart.rule(procedure: try row.string("procedure_code"), unit: unit,
                                                     channel: Channel(rawValue: try row.string("channel")) ?? .direct,
                                                     catalog: catalog))
        }
        guard !facts.isEmpty else { return }
        var entries: [String: [Entry]] = [:]
        for row in try connection.execute("""
            SELECT id, dossier_code, data::text AS data, refused_reason FROM journal
            WHERE dossier_code = ANY($1::text[]) AND type = ANY($2::text[]) ORDER BY id
            """, [list, PostgresArray.literal(actionTypes)]).rows
        {
            entries[try row.string("dossier_code"), default: []].append(
                Entry(id: try row.string("id"), action: try JSONCoding.decode(DossierAction.self, from: try row.string("data")),
                      refused: row["refused_reason"]))
        }
        let plans = facts.compactMap { fact in entries[fact.initial.code].map { plan(fact, $0) } }
        try write(plans, on: connection)
    }

    /// Replays the dossiers a migration marked in `reprojection_pending`, 500 per transaction, each
    /// under its worker lock; returns how many. Safe to interrupt and to run again.
    @discardableResult
    public static func reprojectPending(catalog: CatalogSnapshot, database: PostgresClient) async throws -> Int {
        var total = 0
        while true {
            let done = try await database.withTransaction { connection -> Int in
                let codes = try connection.execute("""
                    DELETE FROM reprojection_pending WHERE code IN (
                        SELECT code FROM reprojection_pending ORDER BY code LIMIT 500 FOR UPDATE SKIP LOCKED)
                    RETURNING code
                    """).rows.map { try $0.string("code") }
                try DossierLocks.lock(codes, on: connection)
                try refresh(codes: Set(codes), catalog: catalog, on: connection)
                return codes.count
            }
            if done == 0 { return total }
            total += done
        }
    }

    /// A recorded dossier as received, before any action.
    struct Recorded {
        let initial: DossierState
        let restart: DossierLifecycle.Restart
    }

    /// An action in the journal, with the refusal written next to it last time.
    struct Entry {
        let id: String
        let action: DossierAction
        let refused: String?
    }

    /// What to write for one dossier: its state, and the journal entries whose refusal changed.
    struct Plan {
        let state: DossierState
        let refusals: [(id: String, reason: String?)]
    }

    /// The replay, without I/O.
    static func plan(_ dossier: Recorded, _ entries: [Entry]) -> Plan {
        let (state, refusals) = DossierLifecycle.replay(dossier.initial, entries.map(\.action), restart: dossier.restart)
        let changed = zip(entries, refusals).compactMap { entry, refusal in
            entry.refused == refusal?.description ? nil : (id: entry.id, reason: refusal?.description)
        }
        return Plan(state: state, refusals: changed)
    }

    private static func write(_ plans: [Plan], on connection: PostgresConnection) throws {
        guard !plans.isEmpty else { return }
        let refusals = plans.flatMap(\.refusals)
        if !refusals.isEmpty {
            try connection.execute("""
                UPDATE journal SET refused_reason = t.r FROM unnest($1::bigint[], $2::text[]) AS t(id, r)
                WHERE journal.id = t.id
                """, [PostgresArray.literal(refusals.map(\.id)), PostgresArray.literal(refusals.map(\.reason))])
        }
        let states = plans.map(\.state)
        try connection.execute("""
            UPDATE dossiers SET status = t.s, due_at = t.d, original_due_at = t.o, closed_at = t.c, timing = t.t,
                apology = t.a, result = t.r, handling_unit = t.h, supplement_requests = t.n, updated_at = now()
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                        $7::jsonb[], $8::jsonb[], $9::text[], $10::int[]) AS t(code, s, d, o, c, t, a, r, h, n)
            WHERE dossiers.code = t.code
            """, [PostgresArray.literal(states.map(\.code)), PostgresArray.literal(states.map(\.status.rawValue)),
                  PostgresArray.literal(states.map { VietnamTime.rfc3339($0.dueAt) }),
                  PostgresArray.literal(states.map { VietnamTime.rfc3339($0.originalDueAt) }),
                  PostgresArray.literal(states.map { $0.closedAt.map(VietnamTime.rfc3339) }),
                  PostgresArray.literal(states.map { $0.timing?.rawValue }),
                  PostgresArray.literal(try states.map { try $0.apology.map { try JSONCoding.encodeString($0) } }),
                  PostgresArray.literal(try states.map { try $0.result.map { try JSONCoding.encodeString($0) } }),
                  PostgresArray.literal(states.map(\.handlingUnit)),
                  PostgresArray.literal(states.map { String($0.supplementRequests) })])
    }
}
