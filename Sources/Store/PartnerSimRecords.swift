import PostgresDriver

/// The partner simulator's registrations (`partner_sim_records`): what a simulated agency registered for
/// a dossier and step, so a later attempt gets the same numbers, as from a real registry.
public enum PartnerSimRecords {
    /// Registers `outputs` (JSON) unless the dossier and step have a registration already; returns the
    /// one that stands, and counts the command.
    public static func register(
        dossierCode: String, step: String, outputs: String, requestId: String,
        on connection: PostgresConnection
    ) throws -> String {
        try connection.execute(
            """
            INSERT INTO partner_sim_records (dossier_code, step, outputs, request_id) VALUES ($1, $2, $3::jsonb, $4)
            ON CONFLICT (dossier_code, step) DO UPDATE SET commands = partner_sim_records.commands + 1,
                updated_at = now()
            RETURNING outputs::text AS outputs
            """, [dossierCode, step, outputs, requestId]
        ).one("partner registration").string("outputs")
    }
}
