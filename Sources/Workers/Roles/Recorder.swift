import Foundation
import Shared

/// The recorder role: `dossier.received` and `dossier.action.*` into the journal and the read model.
struct Recorder: Sendable {
    let catalog: CatalogCache
    let orphanWait: TimeInterval

    /// The `dossier.received` messages of a batch in a few statements (inbox, read model, journal: one
    /// each) instead of five round trips per message; actions go message by message (`handle`).
    func handleBatch(_ deliveries: [Delivery], _ connection: PostgresConnection) throws -> [Int: Disposition] {
        let plan = ReceivedBatch(deliveries) { try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: $0) }
        guard !plan.entries.isEmpty else { return plan.dispositions(claimed: []) }
        let claimed = try Inbox.claim(plan.entries.map { ($0.event.source, $0.event.id) }, on: connection)
        let fresh = plan.entries.filter { claimed.contains("\($0.event.source) \($0.event.id)") }
        let new = try DossierJournal.recordReceived(fresh.map { ($0.event.data, $0.event.source, $0.event.id) },
                                                    on: connection)
        // Actions that arrived before their dossier are already in the journal: apply them now.
        for code in try DossierJournal.codesWithActions(new.sorted(), on: connection) {
            try DossierProjection.refresh(code: code, catalog: catalog.current, on: connection)
        }
        return plan.dispositions(claimed: claimed)
    }

    func handle(_ delivery: Delivery, _ connection: PostgresConnection) throws -> Disposition {
        if delivery.routingKey == RoutingKey.dossierReceived {
            let event = try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: delivery.body)
            guard try Inbox.claim(source: event.source, id: event.id, on: connection) else { return .duplicate }
            try DossierJournal.recordReceived(event.data, source: event.source, eventId: event.id, on: connection)
            // Actions that arrived first are already in the journal: apply them now.
            try DossierProjection.refresh(code: event.data.code, catalog: catalog.current, on: connection)
            return .applied
        }
        guard delivery.routingKey.hasPrefix("dossier.action.") else {
            throw PoisonMessage("routing key \(delivery.routingKey) is not handled by the recorder")
        }
        let event = try JSONCoding.decode(CloudEvent<DossierActionEvent>.self, from: delivery.body)
        let code = event.data.code
        guard try DossierPresence.find(code, on: connection) != nil else {
            return DossierPresence.orphan(code: code, eventTime: event.time, delivery: delivery, wait: orphanWait)
        }
        guard try Inbox.claim(source: event.source, id: event.id, on: connection) else { return .duplicate }
        try DossierJournal.recordAction(event.data, source: event.source, eventId: event.id, on: connection)
        try DossierProjection.refresh(code: code, catalog: catalog.current, on: connection)
        return .applied
    }
}
