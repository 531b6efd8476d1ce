import AMQPDriver
import Domain
import Foundation
import Store

/// A message of a batch, decoded: its envelope, its dossier and its payload, and where it sits in the batch.
struct Message<Payload: Sendable>: Sendable {
    /// Its position in the batch.
    let index: Int
    let delivery: Delivery
    let event: Decoded<Payload>

    var key: MessageKey { MessageKey(source: event.source, id: event.id) }
    var dossierCode: String { event.dossierCode }
    var payload: Payload { event.payload }
}

/// What a role reads out of a delivery's body.
struct Decoded<Payload: Sendable>: Sendable {
    let source: String
    let id: String
    /// When it happened (when intake accepted it).
    let time: Date
    let dossierCode: String
    let payload: Payload

    init(source: String, id: String, time: Date, dossierCode: String, payload: Payload) {
        self.source = source
        self.id = id
        self.time = time
        self.dossierCode = dossierCode
        self.payload = payload
    }

    /// The CloudEvent's envelope with `payload` made of its data.
    init<Data>(_ event: CloudEvent<Data>, dossierCode: String, payload: Payload) {
        self.init(source: event.source, id: event.id, time: event.time, dossierCode: dossierCode, payload: payload)
    }
}
