import Foundation
import Shared

/// The payments role: payment notices into PostgreSQL, once each; a wrong amount is kept, flagged
/// and announced as `payment.mismatch.<unitCode>` through the outbox.
struct Payments: Sendable {
    let catalog: CatalogCache
    let orphanWait: TimeInterval

    func handle(_ delivery: Delivery, _ connection: PostgresConnection) throws -> Disposition {
        let event = try JSONCoding.decode(CloudEvent<PaymentNotice>.self, from: delivery.body)
        let notice = event.data
        guard let dossier = try DossierPresence.find(notice.dossierCode, on: connection) else {
            return DossierPresence.orphan(code: notice.dossierCode, eventTime: event.time, delivery: delivery,
                                          wait: orphanWait)
        }
        guard try Inbox.claim(source: event.source, id: event.id, on: connection) else { return .duplicate }
        let fee = catalog.current.procedures[dossier.procedureCode]?.feeVnd
        let mismatch = notice.status == .succeeded && fee != nil && fee != notice.amountVnd
        let inserted = try connection.execute("""
            INSERT INTO payments (transaction_id, status, dossier_code, amount_vnd, gateway, paid_at, expected_fee_vnd,
                                  mismatch, unit_code)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING
            """, [notice.transactionId, notice.status.rawValue, notice.dossierCode, String(notice.amountVnd),
                  notice.gateway.rawValue, VietnamTime.rfc3339(notice.paidAt), fee.map(String.init),
                  mismatch ? "true" : "false", dossier.unitCode]).affected == 1
        guard inserted else { return .duplicate }  // the same notice under another event id
        try DossierJournal.append(code: notice.dossierCode, type: "payment_\(notice.status.rawValue)", at: notice.paidAt,
                                  actor: notice.gateway.rawValue, reason: mismatch ? "amount differs from the fee" : nil,
                                  data: "{}", source: event.source, eventId: event.id, on: connection)
        if mismatch, let fee {
            let alert = PaymentMismatch(dossierCode: notice.dossierCode, unitCode: dossier.unitCode,
                                        procedureCode: dossier.procedureCode, transactionId: notice.transactionId,
                                        amountVnd: notice.amountVnd, expectedVnd: fee, gateway: notice.gateway,
                                        paidAt: notice.paidAt)
            try Outbox.alert("payment.mismatch.\(dossier.unitCode)", source: EventSource.worker("payments"),
                             subject: notice.dossierCode, data: alert, on: connection)
        }
        return .applied
    }
}
