import Foundation
import Shared

/// Whether a message's dossier exists yet, and what to do with the message when it does not.
enum DossierPresence {
    struct Known {
        let unitCode: String
        let procedureCode: String
    }

    /// The dossier as recorded, or as intake issued it (its `dossier.received` may still be on the way).
    static func find(_ code: String, on connection: PostgresConnection) throws -> Known? {
        let row = try connection.execute("""
            SELECT unit_code, procedure_code FROM dossiers WHERE code = $1
            UNION ALL SELECT unit_code, procedure_code FROM issued_dossiers WHERE code = $1
            LIMIT 1
            """, [code]).first
        return try row.map { Known(unitCode: try $0.string("unit_code"), procedureCode: try $0.string("procedure_code")) }
    }

    /// A message for a dossier nobody has heard of waits (with backoff) for up to `wait`, then goes to
    /// the dead-letter queue with the reason; it is never dropped silently.
    static func orphan(code: String, eventTime: Date, delivery: Delivery, wait: TimeInterval, now: Date = Date())
        -> Disposition
    {
        if now.timeIntervalSince(eventTime) > wait || delivery.deliveryCount >= Topology.deliveryLimit - 1 {
            return .poison("dossier \(code) was not recorded within \(Int(wait)) s")
        }
        return .retryLater("dossier \(code) is not recorded yet")
    }
}
