import Domain
import Foundation
import PostgresDriver

/// Actions intake accepted, per dossier, in the order it accepted them. Decisions on one dossier are
/// serialised across intake processes by an advisory lock held while the action is checked and stored.
public struct AcceptedActions: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public enum Admission: Sendable {
        /// Stored; publish `eventId`.
        case admitted(eventId: String)
        /// The identical action was accepted before but its publish was left uncertain: publish the
        /// same event id again (the recorder's inbox drops it if it already arrived).
        case retry(eventId: String, action: DossierAction)
        case refused(String)
        /// The action's time precedes the dossier's receipt.
        case beforeReceipt(Date)
        case notFound
    }

    /// Checks `action` against the dossier's whole record (`DossierAdmission`) and
    /// stores it when it passes. `request` identifies the request for a retry after an uncertain answer.
    public func admit(_ action: DossierAction, request: String, code: String, catalog: CatalogSnapshot)
        async throws -> Admission
    {
        try await database.withTransaction { connection in
            try DossierLocks.lockAdmission(code, on: connection)
            if let row = try connection.execute(
                """
                SELECT event_id, action::text AS action FROM intake_actions
                WHERE dossier_code = $1 AND uncertain AND request = $2 AND accepted_at > now() - interval '24 hours'
                ORDER BY id LIMIT 1
                """, [code, request]
            ).first {
                return .retry(
                    eventId: try row.string("event_id"),
                    action: try JSONCoding.decode(DossierAction.self, from: try row.string("action")))
            }
            guard let record = try DossierRecords.load([code], catalog: catalog, issued: true, on: connection)[code]
            else {
                return .notFound
            }
            guard action.at >= record.initial.receivedAt else { return .beforeReceipt(record.initial.receivedAt) }
            if case .failure(let refusal) = DossierAdmission.check(action, record: record) {
                return .refused(refusal.description)
            }
            let eventId = UUID().uuidString.lowercased()
            try connection.execute(
                """
                INSERT INTO intake_actions (dossier_code, action, event_id, request) VALUES ($1, $2::jsonb, $3, $4)
                """, [code, try JSONCoding.encodeString(action), eventId, request])
            return .admitted(eventId: eventId)
        }
    }

    /// Forgets an action whose event certainly never reached the broker.
    public func remove(eventId: String) async throws {
        try await database.withConnection { connection in
            try connection.execute("DELETE FROM intake_actions WHERE event_id = $1", [eventId])
        }
    }

    /// Marks an action whose publish may or may not have reached the broker.
    public func markUncertain(eventId: String) async throws {
        try await database.withConnection { connection in
            try connection.execute("UPDATE intake_actions SET uncertain = true WHERE event_id = $1", [eventId])
        }
    }

    /// A republish of an uncertain action was confirmed; the row stays `uncertain` for identical retries.
    public func markConfirmed(eventId: String) async throws {
        try await database.withConnection { connection in
            try connection.execute("UPDATE intake_actions SET republished_at = now() WHERE event_id = $1", [eventId])
        }
    }
}
