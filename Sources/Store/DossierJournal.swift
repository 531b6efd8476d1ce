import Domain
import Foundation
import PostgresDriver

/// Writes to the journal and the read model; called by workers inside their transaction, a batch at a time.
public enum DossierJournal {
    /// Records many received dossiers in a few statements (one per table), for a batch: read-model rows,
    /// then a `received` journal entry for each one that was new. Returns the codes that were new.
    @discardableResult
    public static func recordReceived(
        _ events: [(dossier: DossierReceived, source: String, eventId: String)],
        on connection: PostgresConnection
    ) throws -> Set<String> {
        guard !events.isEmpty else { return [] }
        let dossiers = events.map(\.dossier)
        let inserted = try connection.execute(
            """
            INSERT INTO dossiers (code, unit_code, procedure_code, channel, online_level, status, received_at,
                                  due_at, original_due_at, initial_due_at, handling_unit, applicant, personal_id_last4,
                                  components, linked_group, provisional_years, receipt_handling_unit)
            SELECT c, u, p, ch, ol, 'received', r, d, d, d, coalesce(h, u), a, l4, comp, lg, py::int[], h
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                        $7::timestamptz[], $8::jsonb[], $9::text[], $10::jsonb[], $11::jsonb[], $12::text[],
                        $13::text[])
                AS t(c, u, p, ch, ol, r, d, a, l4, comp, lg, py, h)
            ON CONFLICT (code) DO NOTHING RETURNING code
            """,
            [
                PostgresArray.literal(dossiers.map(\.code)), PostgresArray.literal(dossiers.map(\.unitCode)),
                PostgresArray.literal(dossiers.map(\.procedureCode)),
                PostgresArray.literal(dossiers.map(\.channel.rawValue)),
                PostgresArray.literal(dossiers.map { $0.onlineLevel?.rawValue }),
                PostgresArray.literal(dossiers.map { VietnamTime.rfc3339($0.receivedAt) }),
                PostgresArray.literal(dossiers.map { VietnamTime.rfc3339($0.dueAt) }),
                PostgresArray.literal(try dossiers.map { try JSONCoding.encodeString($0.applicant) }),
                PostgresArray.literal(dossiers.map(\.applicant.personalIdLast4)),
                PostgresArray.literal(try dossiers.map { try JSONCoding.encodeString($0.components) }),
                PostgresArray.literal(try dossiers.map { try $0.linkedGroup.map { try JSONCoding.encodeString($0) } }),
                // The years intake found undecided when it counted the due moment (DOMAIN.md §11).
                PostgresArray.literal(dossiers.map { DueRecomputations.literal($0.provisionalYears ?? []) }),
                PostgresArray.literal(dossiers.map(\.handlingUnit)),
            ])
        let new = Set(try inserted.rows.map { try $0.string("code") })
        // The first event for each new code writes its journal entry.
        var journalled = Set<String>()
        let entries = events.filter { new.contains($0.dossier.code) && journalled.insert($0.dossier.code).inserted }
        guard !entries.isEmpty else { return new }
        // The receipt was recorded when intake issued the code: its `recordedAt` is that moment, the one the
        // accepted view showed before this (`DossierReadModel.accepted`), so the entry reads the same before and
        // after. An event that never went through intake (published straight to the broker) is recorded now.
        try connection.execute(
            """
            INSERT INTO journal (dossier_code, type, at, actor, reason, data, event_source, event_id, recorded_at)
            SELECT c, 'received', a, ch, NULL, '{}', s, i,
                   COALESCE((SELECT issued_at FROM issued_dossiers WHERE code = c), now())
            FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[]) AS t(c, a, ch, s, i)
            """,
            [
                PostgresArray.literal(entries.map(\.dossier.code)),
                PostgresArray.literal(entries.map { VietnamTime.rfc3339($0.dossier.receivedAt) }),
                PostgresArray.literal(entries.map(\.dossier.receiptBy)),
                PostgresArray.literal(entries.map(\.source)), PostgresArray.literal(entries.map(\.eventId)),
            ])
        return new
    }

    /// Appends entries in ONE statement, in the order given.
    public static func append(_ entries: [JournalEntry], on connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO journal (dossier_code, type, at, actor, reason, data, event_source, event_id)
            SELECT c, t, a, ac, r, d::jsonb, s, i
            FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[]) WITH ORDINALITY AS e(c, t, a, ac, r, d, s, i, n)
            ORDER BY n
            """,
            [
                PostgresArray.literal(entries.map(\.dossierCode)), PostgresArray.literal(entries.map(\.type)),
                PostgresArray.literal(entries.map { VietnamTime.rfc3339($0.at) }),
                PostgresArray.literal(entries.map(\.actor)), PostgresArray.literal(entries.map(\.reason)),
                PostgresArray.literal(entries.map(\.data)), PostgresArray.literal(entries.map(\.source)),
                PostgresArray.literal(entries.map(\.eventId)),
            ])
    }
}
