import Foundation

/// Actions intake accepted, per dossier, in the order it accepted them.
public struct AcceptedActions: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public func list(code: String) async throws -> [DossierAction] {
        try await database.withConnection { connection in
            try connection.execute("SELECT action::text AS a FROM intake_actions WHERE dossier_code = $1 ORDER BY id",
                                   [code]).rows.map { try JSONCoding.decode(DossierAction.self, from: try $0.string("a")) }
        }
    }

    public func add(code: String, action: DossierAction, eventId: String) async throws {
        try await database.withConnection { connection in
            try connection.execute("INSERT INTO intake_actions (dossier_code, action, event_id) VALUES ($1, $2::jsonb, $3)",
                                   [code, try JSONCoding.encodeString(action), eventId])
        }
    }

    /// Forgets an action the broker never confirmed.
    public func remove(eventId: String) async throws {
        try await database.withConnection { connection in
            try connection.execute("DELETE FROM intake_actions WHERE event_id = $1", [eventId])
        }
    }
}
