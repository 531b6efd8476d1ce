import Foundation
import Shared

/// The digitization role: the current file of each component and of the result; a second record
/// for the same one replaces the first, and the journal says so.
struct Digitization: Sendable {
    let orphanWait: TimeInterval

    func handle(_ delivery: Delivery, _ connection: PostgresConnection) throws -> Disposition {
        let event = try JSONCoding.decode(CloudEvent<DigitizationRecord>.self, from: delivery.body)
        let record = event.data
        guard try DossierPresence.find(record.dossierCode, on: connection) != nil else {
            return DossierPresence.orphan(code: record.dossierCode, eventTime: event.time, delivery: delivery,
                                          wait: orphanWait)
        }
        guard try Inbox.claim(source: event.source, id: event.id, on: connection) else { return .duplicate }
        let upserted = try connection.execute("""
            INSERT INTO digitizations (dossier_code, target, name, sha256, bytes, media_type, signed, reused)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (dossier_code, target, name) DO UPDATE SET sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes,
                media_type = EXCLUDED.media_type, signed = EXCLUDED.signed, reused = EXCLUDED.reused,
                recorded_at = now()
            WHERE (digitizations.sha256, digitizations.bytes, digitizations.media_type, digitizations.signed,
                   digitizations.reused)
                IS DISTINCT FROM (EXCLUDED.sha256, EXCLUDED.bytes, EXCLUDED.media_type, EXCLUDED.signed, EXCLUDED.reused)
            RETURNING (xmax <> 0) AS replaced
            """, [record.dossierCode, record.target.rawValue, record.name, record.sha256, String(record.bytes),
                  record.mediaType, record.signed ? "true" : "false", record.reused ? "true" : "false"]
        ).first
        // The same file again (a client's retry after an uncertain answer) changes nothing.
        guard let upserted else { return .duplicate }
        let replaced = try upserted.bool("replaced")
        try DossierJournal.append(code: record.dossierCode, type: replaced ? "digitization_replaced" : "digitized",
                                  at: event.time, actor: nil,
                                  reason: record.target == .result ? "result" : "component \(record.name)",
                                  data: "{}", source: event.source, eventId: event.id, on: connection)
        return .applied
    }
}
