import Domain
import Foundation
import PostgresDriver

/// The `report_dossiers` table: each dossier's report facts (`DossierReportFacts`), written in the
/// transaction that changed its journal, so reports aggregate a narrow table over indexes instead of
/// replaying journals. A batch costs a fixed number of statements: two reads, one upsert.
public enum ReportLedger {
    static let fileTypes = ["digitized", "digitization_replaced"]

    /// Derives and writes the facts of `codes`; a dossier not recorded yet is left for later.
    public static func refresh(codes: Set<String>, catalog: CatalogSnapshot, on connection: PostgresConnection) throws {
        guard !codes.isEmpty else { return }
        var histories = try read(codes: codes, on: connection)
        guard !histories.isEmpty else { return }
        let list = PostgresArray.literal(histories.keys.sorted())
        for row in try connection.execute(
            """
            SELECT dossier_code, type, at, reason, data::text AS data FROM journal
            WHERE dossier_code = ANY($1::text[]) AND type = ANY($2::text[]) ORDER BY id
            """, [list, PostgresArray.literal(DossierRecords.stepTypes + fileTypes)]
        ).rows {
            let code = try row.string("dossier_code")
            let type = try row.string("type")
            if fileTypes.contains(type) {
                if let entry = DossierHistory.FileEntry(at: try row.date("at"), reason: row["reason"]) {
                    histories[code]?.fileEntries.append(entry)
                }
            } else {
                histories[code]?.steps.append(
                    try DossierLifecycle.Step.decode(type: type, data: try row.string("data")))
            }
        }
        try write(
            histories.values.sorted { $0.code < $1.code }.map { DossierReportFacts.derive($0, catalog: catalog) },
            on: connection)
    }

    /// The receipts of `codes` with their current file records and their payments, in ONE statement;
    /// no steps yet.
    private static func read(codes: Set<String>, on connection: PostgresConnection) throws -> [String: DossierHistory] {
        var histories: [String: DossierHistory] = [:]
        for row in try connection.execute(
            """
            SELECT d.code, d.unit_code, d.receipt_handling_unit, d.procedure_code, d.channel, d.online_level, d.received_at, d.initial_due_at,
                   d.components::text AS components, d.linked_group->>'group' AS linked_group,
                   (SELECT g.outcome FROM linked_groups g WHERE g.dossier_code = d.code) AS linked_outcome,
                   (SELECT json_agg(json_build_object('dossierCode', f.dossier_code, 'target', f.target, 'name', f.name,
                                                      'sha256', f.sha256, 'bytes', f.bytes, 'mediaType', f.media_type,
                                                      'signed', f.signed, 'reused', f.reused))
                    FROM digitizations f WHERE f.dossier_code = d.code)::text AS files,
                   (SELECT json_agg(json_build_object('status', p.status, 'amountVnd', p.amount_vnd,
                                                      'paidAt', to_char(p.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
                    FROM payments p WHERE p.dossier_code = d.code AND p.status IN ('succeeded', 'refunded', 'failed'))::text
                       AS payments
            FROM dossiers d WHERE d.code = ANY($1::text[])
            """, [PostgresArray.literal(codes.sorted())]
        ).rows {
            let code = try row.string("code")
            histories[code] = DossierHistory(
                code: code, unitCode: try row.string("unit_code"), procedureCode: try row.string("procedure_code"),
                channel: Channel(rawValue: try row.string("channel")) ?? .direct,
                onlineLevel: row["online_level"].flatMap(OnlineLevel.init(rawValue:)),
                receivedAt: try row.date("received_at"), initialDueAt: try row.date("initial_due_at"),
                components: try JSONCoding.decode([Component].self, from: try row.string("components")),
                linkedGroup: row["linked_group"].flatMap(LinkedGroupKind.init(rawValue:)),
                linkedOutcome: row["linked_outcome"],
                files: try row["files"].map { try JSONCoding.decode([DigitizationRecord].self, from: $0) } ?? [],
                payments: try row["payments"].map { try JSONCoding.decode([DossierHistory.Payment].self, from: $0) }
                    ?? [], handlingUnit: row["receipt_handling_unit"])
        }
        return histories
    }

    /// Upserts `facts` in ONE statement.
    public static func write(_ facts: [DossierReportFacts], on connection: PostgresConnection) throws {
        guard !facts.isEmpty else { return }
        func time(_ date: Date?) -> String? { date.map(VietnamTime.rfc3339) }
        func flag(_ value: Bool?) -> String? { value.map { $0 ? "true" : "false" } }
        try connection.execute(
            """
            INSERT INTO report_dossiers (code, unit_code, received_at, open_until, channel, online_level, online_offered,
                fee_bearing, paper_result, closing, timing, overdue, fully_digitized_at, reused_at, result_digitized_at,
                result_signed, paid, linked_group, linked_completed, apology_at, apology_timely, escalation_at,
                closed_by)
            SELECT c, u, r, coalesce(cl, 'infinity'), ch, ol, oo, fb, pr, cs, t, od, fd, ru, rd, rs, pd, lg, lc, aa, apt,
                   ea, cb
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[],
                        $7::boolean[], $8::boolean[], $9::boolean[], $10::text[], $11::text[], $12::tstzmultirange[],
                        $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::boolean[],
                        $17::tstzmultirange[], $18::text[], $19::boolean[], $20::timestamptz[], $21::boolean[],
                        $22::timestamptz[], $23::text[])
                AS f(c, u, r, cl, ch, ol, oo, fb, pr, cs, t, od, fd, ru, rd, rs, pd, lg, lc, aa, apt, ea, cb)
            ON CONFLICT (code) DO UPDATE SET unit_code = EXCLUDED.unit_code, received_at = EXCLUDED.received_at,
                open_until = EXCLUDED.open_until, channel = EXCLUDED.channel, online_level = EXCLUDED.online_level,
                online_offered = EXCLUDED.online_offered, fee_bearing = EXCLUDED.fee_bearing,
                paper_result = EXCLUDED.paper_result, closing = EXCLUDED.closing, timing = EXCLUDED.timing,
                overdue = EXCLUDED.overdue, fully_digitized_at = EXCLUDED.fully_digitized_at,
                reused_at = EXCLUDED.reused_at, result_digitized_at = EXCLUDED.result_digitized_at,
                result_signed = EXCLUDED.result_signed, paid = EXCLUDED.paid, linked_group = EXCLUDED.linked_group,
                linked_completed = EXCLUDED.linked_completed, apology_at = EXCLUDED.apology_at,
                apology_timely = EXCLUDED.apology_timely, escalation_at = EXCLUDED.escalation_at,
                closed_by = EXCLUDED.closed_by
            """,
            [
                PostgresArray.literal(facts.map(\.code)), PostgresArray.literal(facts.map(\.unitCode)),
                PostgresArray.literal(facts.map { time($0.receivedAt) }),
                PostgresArray.literal(facts.map { time($0.closedAt) }),
                PostgresArray.literal(facts.map(\.channel.rawValue)),
                PostgresArray.literal(facts.map { $0.onlineLevel?.rawValue }),
                PostgresArray.literal(facts.map { flag($0.onlineOffered) }),
                PostgresArray.literal(facts.map { flag($0.feeBearing) }),
                PostgresArray.literal(facts.map { flag($0.paperResult) }),
                PostgresArray.literal(facts.map { $0.closing?.rawValue }),
                PostgresArray.literal(facts.map { $0.timing?.rawValue }),
                PostgresArray.literal(facts.map(\.overdue.multirangeLiteral)),
                PostgresArray.literal(facts.map { time($0.fullyDigitizedAt) }),
                PostgresArray.literal(facts.map { time($0.reusedAt) }),
                PostgresArray.literal(facts.map { time($0.resultDigitizedAt) }),
                PostgresArray.literal(facts.map { flag($0.resultSigned) }),
                PostgresArray.literal(facts.map(\.paid.multirangeLiteral)),
                PostgresArray.literal(facts.map { $0.linkedGroup?.rawValue }),
                PostgresArray.literal(facts.map { flag($0.linkedCompleted) }),
                PostgresArray.literal(facts.map { time($0.apologyAt) }),
                PostgresArray.literal(facts.map { flag($0.apologyTimely) }),
                PostgresArray.literal(facts.map { time($0.escalationAt) }),
                PostgresArray.literal(facts.map(\.closedBy)),
            ])
    }

    /// Fills `closed_by` of the rows written before migration 14 added it, 2,000 per transaction: the unit
    /// handling the dossier now, which is the one that closed it (a closed dossier is neither transferred nor
    /// handed over), or its receiving unit when the dossier has no row. Returns how many. A worker's rewrite
    /// meanwhile wins: a row is filled only while it is still empty. Safe to interrupt and to run again.
    @discardableResult
    public static func backfillClosers(database: PostgresClient) async throws -> Int {
        var total = 0
        while true {
            let done = try await database.withTransaction { connection -> Int in
                try connection.execute(
                    """
                    UPDATE report_dossiers r
                    SET closed_by = coalesce((SELECT coalesce(d.handling_unit, d.unit_code) FROM dossiers d
                                              WHERE d.code = r.code), r.unit_code)
                    WHERE r.code IN (SELECT code FROM report_dossiers
                                     WHERE closing IS NOT NULL AND closed_by IS NULL
                                     ORDER BY code LIMIT 2000 FOR UPDATE SKIP LOCKED)
                        AND r.closing IS NOT NULL AND r.closed_by IS NULL
                    """
                ).affected
            }
            if done == 0 { return total }
            total += done
        }
    }

    /// Writes the facts of dossiers recorded before `report_dossiers` existed, 500 per transaction,
    /// each under its worker lock; returns how many. Pages on the code, so each batch starts where the
    /// last ended instead of skipping every dossier already done. Safe to interrupt and to run again.
    @discardableResult
    public static func backfill(catalog: CatalogSnapshot, database: PostgresClient) async throws -> Int {
        var (total, last) = (0, "")
        while true {
            let after = last
            let page = try await database.withTransaction { connection -> (done: Int, last: String?) in
                let rows = try connection.execute(
                    """
                    SELECT code, EXISTS (SELECT 1 FROM report_dossiers r WHERE r.code = d.code) AS known
                    FROM dossiers d WHERE d.code > $1 ORDER BY code LIMIT 500
                    """, [after]
                ).rows
                let codes = try rows.filter { try !$0.bool("known") }.map { try $0.string("code") }
                try DossierLocks.lock(codes, on: connection)
                try refresh(codes: Set(codes), catalog: catalog, on: connection)
                return (codes.count, try rows.last?.string("code"))
            }
            total += page.done
            guard let next = page.last else { return total }
            last = next
        }
    }
}
