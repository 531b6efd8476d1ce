import AMQPDriver
import Domain
import Foundation
import Store

/// The recorder role: `dossier.received` and `dossier.action.*` into the journal and the read model.
/// An action may come before its dossier (it waits in the journal and applies when the dossier does);
/// actions of one dossier apply in the order of their `at`, whatever order they arrive in.
struct Recorder: BatchRole {
    /// The time a linked group opens (its first step is due then).
    var now: @Sendable () -> Date = { Date() }

    enum Payload: Sendable {
        case received(DossierReceived)
        case action(DossierActionEvent)
    }

    func decode(_ delivery: Delivery) throws -> Decoded<Payload> {
        if delivery.routingKey == RoutingKey.dossierReceived {
            let event = try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: delivery.body)
            return Decoded(event, dossierCode: event.data.code, payload: .received(event.data))
        }
        guard delivery.routingKey.hasPrefix("dossier.action.") else {
            throw PoisonMessage("routing key \(delivery.routingKey) is not handled by the recorder")
        }
        let event = try JSONCoding.decode(CloudEvent<DossierActionEvent>.self, from: delivery.body)
        return Decoded(event, dossierCode: event.data.code, payload: .action(event.data))
    }

    func waitsForDossier(_ payload: Payload) -> Bool {
        if case .action = payload { return true }
        return false
    }

    /// A `dossier.received` is recorded once per code whatever its event id (`decide` looks at `recorded`, the
    /// insert does nothing on a conflict), so it needs no inbox row: one random-key index insert less per
    /// dossier, the costliest statement of the recorder's batch (issue 22). Actions keep theirs.
    func findsItsOwnRepeats(_ payload: Payload) -> Bool {
        if case .received = payload { return true }
        return false
    }

    func load(_ messages: [Message<Payload>], dossiers: KnownDossiers, on connection: PostgresConnection) throws {}

    func decide(_ messages: [Message<Payload>], dossiers: KnownDossiers, loaded: Void) throws -> Decision {
        var decision = Decision()
        var receivedNow = Set<String>()
        for message in messages {
            switch message.payload {
            case .received(let dossier):
                // The same dossier under another event id: recorded once.
                guard dossiers[dossier.code]?.recorded != true, receivedNow.insert(dossier.code).inserted else {
                    decision.unchanged.insert(message.index)
                    continue
                }
                decision.effects.received.append((dossier, message.event.source, message.event.id))
                // Its linked group opens with it: the first step's command goes out at once (`chains`).
                if let choice = dossier.linkedGroup {
                    decision.effects.linkedOpened.append(
                        LinkedSaga.open(
                            choice, dossierCode: dossier.code, unitCode: dossier.unitCode,
                            environment: LinkedEnvironment(now: now())))
                }
            case .action(let action):
                decision.effects.journal.append(
                    try JournalEntry.action(
                        action, source: message.event.source,
                        eventId: message.event.id))
            }
            // A new dossier may have actions that came first; an action changes its dossier's state.
            decision.effects.project.insert(message.dossierCode)
        }
        return decision
    }
}
