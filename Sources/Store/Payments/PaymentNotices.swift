import Domain
import Foundation
import PostgresDriver

/// Payment notices as intake accepted them: one per unit, transaction and status, with the event
/// that carries it, so the same notice again changes nothing and republishes the same event.
public struct PaymentNotices: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public enum Outcome: Sendable {
        case new(event: String)
        case repeated(event: String)
        /// The same transaction and status with other figures.
        case conflict
    }

    /// - Parameter unitCode: the dossier's unit; transaction ids are unique within it.
    public func accept(_ notice: PaymentNotice, unitCode: String, makeEvent: @escaping @Sendable () throws -> String)
        async throws -> Outcome
    {
        let request = try JSONCoding.encodeString(notice, sortedKeys: true)
        // A conflicting insert that was rolled back leaves nothing to read: try again, a few times.
        for _ in 0..<3 {
            let outcome: Outcome? = try await database.withTransaction { connection in
                let event = try makeEvent()
                let inserted =
                    try connection.execute(
                        """
                        INSERT INTO payment_notices (unit_code, transaction_id, status, dossier_code, request, event)
                        VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb) ON CONFLICT DO NOTHING
                        """,
                        [unitCode, notice.transactionId, notice.status.rawValue, notice.dossierCode, request, event]
                    ).affected == 1
                if inserted { return .new(event: event) }
                guard
                    let seen = try connection.execute(
                        """
                        SELECT event::text AS event, request = $4::jsonb AS same FROM payment_notices
                        WHERE unit_code = $1 AND transaction_id = $2 AND status = $3
                        """, [unitCode, notice.transactionId, notice.status.rawValue, request]
                    ).first
                else { return nil }
                return try seen.bool("same") ? .repeated(event: try seen.string("event")) : .conflict
            }
            if let outcome { return outcome }
        }
        throw PostgresError(kind: .query, sqlState: "40001", context: "payment notice raced")
    }

    /// Forgets a notice whose event certainly never reached the broker, so that a retry is new again.
    public func withdraw(_ notice: PaymentNotice, unitCode: String) async throws {
        try await database.withConnection { connection in
            try connection.execute(
                "DELETE FROM payment_notices WHERE unit_code = $1 AND transaction_id = $2 AND status = $3",
                [unitCode, notice.transactionId, notice.status.rawValue])
        }
    }

    /// Marks a notice whose publish may or may not have reached the broker: a retry republishes its
    /// event, and so does intake itself after a minute (`UncertainRepair`).
    public func markUncertain(_ notice: PaymentNotice, unitCode: String) async throws {
        try await database.withConnection { connection in
            try connection.execute(
                """
                UPDATE payment_notices SET uncertain = true WHERE unit_code = $1 AND transaction_id = $2 AND status = $3
                """, [unitCode, notice.transactionId, notice.status.rawValue])
        }
    }

    /// A republish was confirmed: nothing is left to repair.
    public func markConfirmed(_ notice: PaymentNotice, unitCode: String) async throws {
        try await database.withConnection { connection in
            try connection.execute(
                """
                UPDATE payment_notices SET republished_at = now()
                WHERE unit_code = $1 AND transaction_id = $2 AND status = $3 AND uncertain AND republished_at IS NULL
                """, [unitCode, notice.transactionId, notice.status.rawValue])
        }
    }
}
