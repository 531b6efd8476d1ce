import Domain
import Foundation
import PostgresDriver

/// The events intake published without a confirm (`uncertain`) and has not republished yet: a dossier's
/// `dossier.received`, an action, a payment notice. Intake republishes each once with the same event id
/// (the workers drop it if the first one arrived: a receipt by its dossier's row, the rest by the inbox), so
/// an uncertain answer is never a loss even when the client does not retry.
public struct UncertainPublishes: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    /// One event to republish, and the row it came from.
    public struct Pending: Sendable {
        public enum Origin: Sendable {
            case dossier(code: String)
            case action(eventId: String)
            case payment(key: [String])
        }
        public let origin: Origin
        public let event: String
        public let routingKey: String
    }

    /// Uncertain rows older than `age` seconds, at most `limit` of each kind.
    public func due(olderThan age: Int, limit: Int = 100) async throws -> [Pending] {
        try await database.withConnection { connection in
            var pending: [Pending] = []
            for row in try connection.execute(
                """
                SELECT code, event::text AS event FROM issued_dossiers
                WHERE uncertain AND republished_at IS NULL AND issued_at < now() - make_interval(secs => $1::int)
                ORDER BY issued_at LIMIT $2
                """, [String(age), String(limit)]
            ).rows {
                pending.append(
                    Pending(
                        origin: .dossier(code: try row.string("code")), event: try row.string("event"),
                        routingKey: RoutingKey.dossierReceived))
            }
            for row in try connection.execute(
                """
                SELECT dossier_code, event_id, action::text AS action FROM intake_actions
                WHERE uncertain AND republished_at IS NULL AND accepted_at < now() - make_interval(secs => $1::int)
                ORDER BY accepted_at LIMIT $2
                """, [String(age), String(limit)]
            ).rows {
                let code = try row.string("dossier_code")
                let eventId = try row.string("event_id")
                let action = try JSONCoding.decode(DossierAction.self, from: try row.string("action"))
                let key = RoutingKey.action(action.type.rawValue)
                let event = CloudEvent(
                    id: eventId, source: EventSource.intake, routingKey: key, subject: code,
                    data: DossierActionEvent(code: code, action: action))
                pending.append(
                    Pending(
                        origin: .action(eventId: eventId), event: try JSONCoding.encodeString(event),
                        routingKey: key))
            }
            for row in try connection.execute(
                """
                SELECT unit_code, transaction_id, status, event::text AS event FROM payment_notices
                WHERE uncertain AND republished_at IS NULL AND accepted_at < now() - make_interval(secs => $1::int)
                ORDER BY accepted_at LIMIT $2
                """, [String(age), String(limit)]
            ).rows {
                let key = [try row.string("unit_code"), try row.string("transaction_id"), try row.string("status")]
                pending.append(
                    Pending(
                        origin: .payment(key: key), event: try row.string("event"),
                        routingKey: RoutingKey.payment(key[2])))
            }
            return pending
        }
    }

    /// Marks a row's event as republished with a confirm (or confirmed on a client's retry).
    public func markRepublished(_ origin: Pending.Origin) async throws {
        try await database.withConnection { connection in
            switch origin {
            case .dossier(let code):
                try connection.execute("UPDATE issued_dossiers SET republished_at = now() WHERE code = $1", [code])
            case .action(let eventId):
                try connection.execute(
                    "UPDATE intake_actions SET republished_at = now() WHERE event_id = $1", [eventId])
            case .payment(let key):
                try connection.execute(
                    """
                    UPDATE payment_notices SET republished_at = now()
                    WHERE unit_code = $1 AND transaction_id = $2 AND status = $3
                    """, key)
            }
        }
    }
}
