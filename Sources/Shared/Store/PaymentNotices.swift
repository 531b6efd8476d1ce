import Foundation

/// Payment notices as intake accepted them: one per transaction and status, with the event that
/// carries it, so the same notice again changes nothing and republishes the same event.
public struct PaymentNotices: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public enum Outcome: Sendable {
        case new(event: String)
        case repeated(event: String)
        /// The same transaction and status with other figures.
        case conflict
    }

    public func accept(_ notice: PaymentNotice, makeEvent: @escaping @Sendable () throws -> String) async throws
        -> Outcome
    {
        let request = try JSONCoding.encodeString(notice, sortedKeys: true)
        return try await database.withTransaction { connection in
            let event = try makeEvent()
            let inserted = try connection.execute("""
                INSERT INTO payment_notices (transaction_id, status, dossier_code, request, event)
                VALUES ($1, $2, $3, $4::jsonb, $5::jsonb) ON CONFLICT DO NOTHING
                """, [notice.transactionId, notice.status.rawValue, notice.dossierCode, request, event]).affected == 1
            if inserted { return .new(event: event) }
            let seen = try connection.execute("""
                SELECT event::text AS event, request = $3::jsonb AS same FROM payment_notices
                WHERE transaction_id = $1 AND status = $2
                """, [notice.transactionId, notice.status.rawValue, request]).first!
            return try seen.bool("same") ? .repeated(event: try seen.string("event")) : .conflict
        }
    }

    /// Forgets a notice whose event the broker never confirmed, so that a retry is new again.
    public func withdraw(_ notice: PaymentNotice) async throws {
        try await database.withConnection { connection in
            try connection.execute("DELETE FROM payment_notices WHERE transaction_id = $1 AND status = $2",
                                   [notice.transactionId, notice.status.rawValue])
        }
    }
}
