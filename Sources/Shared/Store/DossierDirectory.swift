import Foundation

/// What intake knows of a dossier code: the dossier it issued with every action it accepted since,
/// so an action is checked against what intake already promised even while the workers catch up.
/// A dossier intake did not issue (published straight to the broker) is taken as recorded, with the
/// actions of its journal and those intake accepted that are not journalled yet.
public struct DossierDirectory: Sendable {
    let database: PostgresClient
    let catalog: CatalogCache

    public init(database: PostgresClient, catalog: CatalogCache) {
        self.database = database
        self.catalog = catalog
    }

    public struct Entry: Sendable {
        /// The dossier as received, before any action.
        public let initial: DossierState
        /// Every action accepted for it, in the order accepted.
        public let actions: [DossierAction]
        public let restart: DossierLifecycle.Restart
        public let unitCode: String
        public let procedureCode: String

        /// The state the accepted actions lead to.
        public var state: DossierState { DossierLifecycle.replay(initial, actions, restart: restart).state }
    }

    public func find(_ code: String) async throws -> Entry? {
        guard DossierCode(code) != nil else { return nil }
        let snapshot = catalog.current
        return try await database.withConnection { connection in
            try Self.entry(code: code, catalog: snapshot, on: connection)
        }
    }

    /// Whether intake issued the code or a worker recorded it: one indexed query, no replay.
    public func isKnown(_ code: String) async throws -> Bool {
        guard DossierCode(code) != nil else { return false }
        return try await personalIdLast4(code) != nil
    }

    /// The last four digits of the applicant's personal ID, in ONE query whether or not the code exists,
    /// so that a wrong pair and an unknown code cost the same.
    public func personalIdLast4(_ code: String) async throws -> String? {
        try await database.withConnection { connection in
            try connection.execute("""
                SELECT personal_id_last4 FROM issued_dossiers WHERE code = $1
                UNION ALL SELECT personal_id_last4 FROM dossiers WHERE code = $1 LIMIT 1
                """, [code]).first?.string("personal_id_last4")
        }
    }

    static func entry(code: String, catalog: CatalogSnapshot, on connection: PostgresConnection) throws -> Entry? {
        if let record = try IssuedDossiers.find(code: code, on: connection) {
            let dossier = try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: record.event).data
            let actions = try connection.execute(
                "SELECT action::text AS a FROM intake_actions WHERE dossier_code = $1 ORDER BY id", [code]
            ).rows.map { try JSONCoding.decode(DossierAction.self, from: try $0.string("a")) }
            return Entry(initial: DossierState(code: code, unitCode: dossier.unitCode, receivedAt: dossier.receivedAt,
                                               dueAt: dossier.dueAt),
                         actions: actions,
                         restart: DueRestart.rule(procedure: dossier.procedureCode, unit: dossier.unitCode,
                                                                channel: dossier.channel, catalog: catalog),
                         unitCode: dossier.unitCode, procedureCode: dossier.procedureCode)
        }
        guard let row = try connection.execute("""
            SELECT unit_code, procedure_code, channel, received_at, initial_due_at FROM dossiers WHERE code = $1
            """, [code]).first
        else { return nil }
        let actions = try connection.execute("""
            SELECT data::text AS a FROM (
                SELECT 0 AS part, id, data FROM journal WHERE dossier_code = $1 AND type = ANY($2::text[])
                UNION ALL
                SELECT 1, i.id, i.action FROM intake_actions i WHERE i.dossier_code = $1
                    AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.dossier_code = $1 AND j.event_id = i.event_id)
            ) AS accepted ORDER BY part, id
            """, [code, PostgresArray.literal(DossierProjection.actionTypes)]
        ).rows.map { try JSONCoding.decode(DossierAction.self, from: try $0.string("a")) }
        let unit = try row.string("unit_code")
        let procedure = try row.string("procedure_code")
        let channel = Channel(rawValue: try row.string("channel")) ?? .direct
        return Entry(initial: DossierState(code: code, unitCode: unit, receivedAt: try row.date("received_at"),
                                           dueAt: try row.date("initial_due_at")),
                     actions: actions,
                     restart: DueRestart.rule(procedure: procedure, unit: unit, channel: channel,
                                                            catalog: catalog),
                     unitCode: unit, procedureCode: procedure)
    }
}
