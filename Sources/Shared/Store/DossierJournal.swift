import Foundation

/// Writes to the journal and the read model; called by workers inside their transaction.
public enum DossierJournal {
    /// Records a received dossier: its read-model row and the first journal entry.
    /// Returns false when the dossier was already recorded (the same code from another event).
    @discardableResult
    public static func recordReceived(_ dossier: DossierReceived, source: String, eventId: String,
                                      on connection: PostgresConnection) throws -> Bool
    {
        let applicant = try JSONCoding.encodeString(dossier.applicant)
        let components = try JSONCoding.encodeString(dossier.components)
        let linkedGroup = try dossier.linkedGroup.map { try JSONCoding.encodeString($0) }
        let inserted = try connection.execute("""
            INSERT INTO dossiers (code, unit_code, procedure_code, channel, online_level, status, received_at,
                                  due_at, original_due_at, initial_due_at, handling_unit, applicant, personal_id_last4,
                                  components, linked_group)
            VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $7, $7, $2, $8::jsonb, $9, $10::jsonb, $11::jsonb)
            ON CONFLICT (code) DO NOTHING
            """, [dossier.code, dossier.unitCode, dossier.procedureCode, dossier.channel.rawValue,
                  dossier.onlineLevel?.rawValue, VietnamTime.rfc3339(dossier.receivedAt),
                  VietnamTime.rfc3339(dossier.dueAt), applicant, dossier.applicant.personalIdLast4,
                  components, linkedGroup]).affected == 1
        guard inserted else { return false }
        try append(code: dossier.code, type: "received", at: dossier.receivedAt, actor: dossier.channel.rawValue,
                   reason: nil, data: "{}", source: source, eventId: eventId, on: connection)
        return true
    }

    /// Records an action; the projection decides whether it applies.
    public static func recordAction(_ event: DossierActionEvent, source: String, eventId: String,
                                    on connection: PostgresConnection) throws
    {
        let action = event.action
        try append(code: event.code, type: action.type.rawValue, at: action.at, actor: action.by,
                   reason: action.reason, data: try JSONCoding.encodeString(action), source: source, eventId: eventId,
                   on: connection)
    }

    public static func append(code: String, type: String, at: Date, actor: String?, reason: String?, data: String,
                              source: String?, eventId: String?, on connection: PostgresConnection) throws
    {
        try connection.execute("""
            INSERT INTO journal (dossier_code, type, at, actor, reason, data, event_source, event_id)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
            """, [code, type, VietnamTime.rfc3339(at), actor, reason, data, source, eventId])
    }
}
