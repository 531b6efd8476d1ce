import AMQPDriver
import Domain
import Foundation
import Store

/// The payments role: payment notices into PostgreSQL, once each per unit, transaction and status; a
/// wrong amount is kept, flagged and announced as `payment.mismatch.<unitCode>` through the outbox.
struct Payments: BatchRole {
    /// The catalog now (its fees); the workers pass their `CatalogCache`'s.
    let catalog: @Sendable () -> CatalogSnapshot

    struct Loaded: Sendable {
        /// Notices recorded before, under any event id.
        let recorded: Set<PaymentLedger.Key>
        let catalog: CatalogSnapshot
    }

    func decode(_ delivery: Delivery) throws -> Decoded<PaymentNotice> {
        let event = try JSONCoding.decode(CloudEvent<PaymentNotice>.self, from: delivery.body)
        return Decoded(event, dossierCode: event.data.dossierCode, payload: event.data)
    }

    func waitsForDossier(_ payload: PaymentNotice) -> Bool { true }

    func load(_ messages: [Message<PaymentNotice>], dossiers: KnownDossiers, on connection: PostgresConnection) throws
        -> Loaded
    {
        let keys = messages.compactMap { message in
            dossiers[message.dossierCode].map { key(message.payload, unit: $0.unitCode) }
        }
        return Loaded(recorded: try PaymentLedger.recorded(keys, on: connection), catalog: catalog())
    }

    func decide(_ messages: [Message<PaymentNotice>], dossiers: KnownDossiers, loaded: Loaded) throws -> Decision {
        var decision = Decision()
        var recorded = loaded.recorded
        for message in messages {
            let notice = message.payload
            guard let dossier = dossiers[notice.dossierCode],
                recorded.insert(key(notice, unit: dossier.unitCode)).inserted
            else {
                decision.unchanged.insert(message.index)  // the same notice under another event id
                continue
            }
            let fee = loaded.catalog.procedure(dossier.procedureCode, forDossier: notice.dossierCode)?.feeVnd
            let mismatch = FeeCheck.isMismatch(notice, fee: fee)
            decision.effects.payments.append(
                PaymentLedger.Row(
                    notice: notice, unitCode: dossier.unitCode,
                    expectedFeeVnd: fee, mismatch: mismatch))
            decision.effects.journal.append(
                JournalEntry(
                    dossierCode: notice.dossierCode, type: "payment_\(notice.status.rawValue)", at: notice.paidAt,
                    actor: notice.gateway.rawValue, reason: mismatch ? "amount differs from the fee" : nil,
                    source: message.event.source, eventId: message.event.id))
            if mismatch, let fee {
                let alert = PaymentMismatch(
                    dossierCode: notice.dossierCode, unitCode: dossier.unitCode,
                    procedureCode: dossier.procedureCode, transactionId: notice.transactionId,
                    amountVnd: notice.amountVnd, expectedVnd: fee, gateway: notice.gateway,
                    paidAt: notice.paidAt)
                decision.effects.outbox.append(
                    try .alert(
                        "payment.mismatch.\(dossier.unitCode)",
                        source: EventSource.worker("payments"),
                        subject: notice.dossierCode, data: alert))
            }
        }
        return decision
    }

    private func key(_ notice: PaymentNotice, unit: String) -> PaymentLedger.Key {
        PaymentLedger.Key(unitCode: unit, transactionId: notice.transactionId, status: notice.status)
    }
}
