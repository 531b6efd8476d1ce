import AMQPDriver
import Domain
import Foundation
import Store

/// The digitization role: the current file of each component and of the result; a second record
/// for the same one replaces the first, and the journal says so; the same file again changes nothing.
struct Digitization: BatchRole {
    func decode(_ delivery: Delivery) throws -> Decoded<DigitizationRecord> {
        let event = try JSONCoding.decode(CloudEvent<DigitizationRecord>.self, from: delivery.body)
        return Decoded(event, dossierCode: event.data.dossierCode, payload: event.data)
    }

    func waitsForDossier(_ payload: DigitizationRecord) -> Bool { true }

    func load(_ messages: [Message<DigitizationRecord>], dossiers: KnownDossiers, on connection: PostgresConnection)
        throws -> DigitizedFiles
    {
        DigitizedFiles(try DigitizationStore.current(codes: messages.map(\.dossierCode), on: connection))
    }

    func decide(_ messages: [Message<DigitizationRecord>], dossiers: KnownDossiers, loaded: DigitizedFiles) throws
        -> Decision
    {
        var decision = Decision()
        var files = loaded
        for message in messages {
            let record = message.payload
            let type: String
            switch files.record(record) {
            case .unchanged:
                decision.unchanged.insert(message.index)
                continue
            case .digitized: type = "digitized"
            case .replaced: type = "digitization_replaced"
            }
            decision.effects.journal.append(
                JournalEntry(
                    dossierCode: record.dossierCode, type: type, at: message.event.time, actor: nil,
                    reason: record.target == .result ? "result" : "component \(record.name)",
                    source: message.event.source, eventId: message.event.id))
        }
        decision.effects.files = files.toWrite
        return decision
    }
}
