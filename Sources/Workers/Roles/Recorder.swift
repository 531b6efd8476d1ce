import Foundation
import Shared

/// The recorder role: `dossier.received` into the journal and the read model.
enum Recorder {
    static func handle(_ delivery: Delivery, _ connection: PostgresConnection) throws -> Disposition {
        let header = try JSONCoding.decode(EventHeader.self, from: delivery.body)
        switch delivery.routingKey {
        case RoutingKey.dossierReceived:
            guard try Inbox.claim(source: header.source, id: header.id, on: connection) else { return .duplicate }
            let event = try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: delivery.body)
            _ = try DossierJournal.recordReceived(event.data, source: header.source, eventId: header.id, on: connection)
            return .applied
        default:
            throw PoisonMessage("routing key \(delivery.routingKey) is not handled by the recorder")
        }
    }
}
