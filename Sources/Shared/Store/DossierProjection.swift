import Foundation

/// Derives a dossier's current state from its journal and writes it to the read model: the
/// received facts plus every recorded action, replayed in the order of their `at` times.
public enum DossierProjection {
    static let actionTypes = ActionType.allCases.map(\.rawValue)

    /// Replays and writes; does nothing while the dossier itself is not recorded (its actions wait
    /// in the journal and apply when it arrives).
    public static func refresh(code: String, catalog: CatalogSnapshot, on connection: PostgresConnection) throws {
        guard let row = try connection.execute("""
            SELECT unit_code, procedure_code, channel, received_at, initial_due_at FROM dossiers WHERE code = $1
            FOR UPDATE
            """, [code]).first
        else { return }
        let entries = try connection.execute("""
            SELECT id, data::text AS data, refused_reason FROM journal
            WHERE dossier_code = $1 AND type = ANY($2::text[]) ORDER BY id
            """, [code, "{" + actionTypes.joined(separator: ",") + "}"]).rows
        // No actions yet: the row as recorded at receipt is already the state.
        guard !entries.isEmpty else { return }
        let actions = try entries.map { try JSONCoding.decode(DossierAction.self, from: try $0.string("data")) }
        let unit = try row.string("unit_code")
        let initial = DossierState(code: code, unitCode: unit, receivedAt: try row.date("received_at"),
                                   dueAt: try row.date("initial_due_at"))
        let restart = restartRule(procedure: try row.string("procedure_code"), unit: unit,
                                  channel: Channel(rawValue: try row.string("channel")) ?? .direct, catalog: catalog)
        let (state, refusals) = DossierLifecycle.replay(initial, actions, restart: restart)
        for (entry, refusal) in zip(entries, refusals) where entry["refused_reason"] != refusal?.description {
            try connection.execute("UPDATE journal SET refused_reason = $2 WHERE id = $1",
                                   [try entry.string("id"), refusal?.description])
        }
        try connection.execute("""
            UPDATE dossiers SET status = $2, due_at = $3, original_due_at = $4, closed_at = $5, timing = $6,
                apology = $7::jsonb, result = $8::jsonb, handling_unit = $9, supplement_requests = $10,
                updated_at = now()
            WHERE code = $1
            """, [code, state.status.rawValue, VietnamTime.rfc3339(state.dueAt), VietnamTime.rfc3339(state.originalDueAt),
                  state.closedAt.map(VietnamTime.rfc3339), state.timing?.rawValue,
                  try state.apology.map { try JSONCoding.encodeString($0) },
                  try state.result.map { try JSONCoding.encodeString($0) }, state.handlingUnit,
                  String(state.supplementRequests)])
    }

    /// A supplement restarts the full processing time from its completion, as a receipt would.
    public static func restartRule(procedure code: String, unit: String, channel: Channel, catalog: CatalogSnapshot)
        -> DossierLifecycle.Restart
    {
        let processing = catalog.procedures[code]?.processing ?? .workingDays(1)
        let hours = catalog.units[unit]?.hours ?? .standard
        let calendar = catalog.calendar
        return { moment in
            DueMoment.compute(receivedAt: moment, processing: processing, paper: channel.isPaper, officeHours: hours,
                              calendar: calendar)
        }
    }
}
