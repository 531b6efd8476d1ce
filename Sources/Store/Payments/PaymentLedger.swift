import Domain
import Foundation
import PostgresDriver

/// The payments as the workers recorded them: one row per unit, transaction and status.
public enum PaymentLedger {
    /// A payment row to write, decided without I/O.
    public struct Row: Sendable, Equatable {
        public let notice: PaymentNotice
        public let unitCode: String
        public let expectedFeeVnd: Int?
        public let mismatch: Bool

        public init(notice: PaymentNotice, unitCode: String, expectedFeeVnd: Int?, mismatch: Bool) {
            self.notice = notice
            self.unitCode = unitCode
            self.expectedFeeVnd = expectedFeeVnd
            self.mismatch = mismatch
        }

        public var key: Key { Key(unitCode: unitCode, transactionId: notice.transactionId, status: notice.status) }
    }

    /// What makes a notice the same notice: a transaction id is unique within its unit, per status.
    public struct Key: Hashable, Sendable {
        public let unitCode: String
        public let transactionId: String
        public let status: PaymentNotice.Status

        public init(unitCode: String, transactionId: String, status: PaymentNotice.Status) {
            self.unitCode = unitCode
            self.transactionId = transactionId
            self.status = status
        }
    }

    /// Of `keys`, those already recorded: ONE statement.
    public static func recorded(_ keys: [Key], on connection: PostgresConnection) throws -> Set<Key> {
        guard !keys.isEmpty else { return [] }
        return Set(
            try connection.execute(
                """
                SELECT p.unit_code, p.transaction_id, p.status FROM payments p
                JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(u, t, s)
                    ON p.unit_code = k.u AND p.transaction_id = k.t AND p.status = k.s
                """,
                [
                    PostgresArray.literal(keys.map(\.unitCode)), PostgresArray.literal(keys.map(\.transactionId)),
                    PostgresArray.literal(keys.map(\.status.rawValue)),
                ]
            ).rows.compactMap { row in
                guard let status = PaymentNotice.Status(rawValue: try row.string("status")) else { return nil }
                return Key(
                    unitCode: try row.string("unit_code"), transactionId: try row.string("transaction_id"),
                    status: status)
            })
    }

    /// Writes the rows in ONE statement.
    public static func insert(_ rows: [Row], on connection: PostgresConnection) throws {
        guard !rows.isEmpty else { return }
        let notices = rows.map(\.notice)
        try connection.execute(
            """
            INSERT INTO payments (transaction_id, status, dossier_code, amount_vnd, gateway, paid_at, expected_fee_vnd,
                                  mismatch, unit_code)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::timestamptz[],
                                 $7::bigint[], $8::boolean[], $9::text[])
            """,
            [
                PostgresArray.literal(notices.map(\.transactionId)),
                PostgresArray.literal(notices.map(\.status.rawValue)),
                PostgresArray.literal(notices.map(\.dossierCode)),
                PostgresArray.literal(notices.map { String($0.amountVnd) }),
                PostgresArray.literal(notices.map(\.gateway.rawValue)),
                PostgresArray.literal(notices.map { VietnamTime.rfc3339($0.paidAt) }),
                PostgresArray.literal(rows.map { $0.expectedFeeVnd.map(String.init) }),
                PostgresArray.literal(rows.map { $0.mismatch ? "true" : "false" }),
                PostgresArray.literal(rows.map(\.unitCode)),
            ])
    }
}
