import AMQPDriver
import Domain
import Foundation
import Store

/// What every role does to a batch, in order, with the I/O passed in as steps (the database in the
/// workers, dictionaries in unit tests):
/// 1. decode each message; one that cannot be decoded is poison;
/// 2. a repeat of a message earlier in the batch (same `source` + `id`) is a duplicate;
/// 3. lock the batch's dossiers and load them;
/// 4. a message whose dossier is unknown (not issued, recorded, nor received in this batch) waits or,
///    after the orphan wait, is poison (`OrphanPolicy`);
/// 5. claim the inbox for the rest at once; those applied before are duplicates (a message whose role
///    finds its repeats by itself, `BatchRole.findsItsOwnRepeats`, takes no inbox row);
/// 6. the role decides the effects of the fresh ones.
struct BatchPlan<Role: BatchRole> {
    let role: Role
    let orphanWait: TimeInterval

    struct Steps {
        var lock: ([String]) throws -> Void
        var dossiers: ([String]) throws -> KnownDossiers
        var claim: ([MessageKey]) throws -> Set<MessageKey>
        var load: ([Message<Role.Payload>], KnownDossiers) throws -> Role.Loaded
    }

    struct Outcome {
        /// By position in the batch.
        var dispositions: [Disposition]
        var effects: Effects
    }

    func run(_ deliveries: [Delivery], now: Date = Date(), steps: Steps) throws -> Outcome {
        var dispositions = [Disposition?](repeating: nil, count: deliveries.count)
        var messages: [Message<Role.Payload>] = []
        var seen = Set<MessageKey>()
        for (index, delivery) in deliveries.enumerated() {
            let event: Decoded<Role.Payload>
            do {
                event = try role.decode(delivery)
            } catch let poison as PoisonMessage {
                dispositions[index] = .poison(poison.description)
                continue
            } catch {
                dispositions[index] = .poison("the message is not a CloudEvent this queue understands")
                continue
            }
            let message = Message(index: index, delivery: delivery, event: event)
            guard seen.insert(message.key).inserted else {
                dispositions[index] = .duplicate
                continue
            }
            messages.append(message)
        }
        let codes = Array(Set(messages.map(\.dossierCode))).sorted()
        try steps.lock(codes)
        let dossiers = try steps.dossiers(codes)
        // A message that does not wait for its dossier introduces it (a `dossier.received`): the batch's
        // later messages for that dossier need not wait.
        let introduced = Set(messages.filter { !role.waitsForDossier($0.payload) }.map(\.dossierCode))
        messages = messages.filter { message in
            guard dossiers[message.dossierCode] == nil, !introduced.contains(message.dossierCode),
                role.waitsForDossier(message.payload)
            else { return true }
            dispositions[message.index] = OrphanPolicy.decide(
                code: message.dossierCode, eventTime: message.event.time,
                deliveryCount: message.delivery.deliveryCount,
                wait: orphanWait, now: now)
            return false
        }
        let claimed = try steps.claim(messages.filter { !role.findsItsOwnRepeats($0.payload) }.map(\.key))
        let fresh = messages.filter { message in
            if role.findsItsOwnRepeats(message.payload) || claimed.contains(message.key) { return true }
            dispositions[message.index] = .duplicate
            return false
        }
        guard !fresh.isEmpty else {
            return Outcome(dispositions: dispositions.map { $0 ?? .duplicate }, effects: Effects())
        }
        let decision = try role.decide(fresh, dossiers: dossiers, loaded: try steps.load(fresh, dossiers))
        for message in fresh {
            dispositions[message.index] = decision.unchanged.contains(message.index) ? .duplicate : .applied
        }
        return Outcome(dispositions: dispositions.map { $0 ?? .duplicate }, effects: decision.effects)
    }
}

/// The batch plan on a PostgreSQL transaction: the steps are statements, then `EffectWriter` writes
/// the effects, each kind in one statement.
struct RolePipeline<Role: BatchRole>: Sendable {
    let role: Role
    let catalog: CatalogCache
    let orphanWait: TimeInterval
    let leadWorkingDays: Int
    var partnerTimeoutSeconds = LinkedPolicy().timeoutSeconds

    func apply(_ deliveries: [Delivery], on connection: PostgresConnection) throws -> [Disposition] {
        let role = self.role
        let outcome = try BatchPlan(role: role, orphanWait: orphanWait).run(
            deliveries,
            steps: .init(
                lock: { try DossierLocks.lock($0, on: connection) },
                dossiers: { try DossierPresence.load($0, on: connection) },
                claim: { try ProcessedMessages.claim($0, on: connection) },
                load: { try role.load($0, dossiers: $1, on: connection) }))
        try EffectWriter.write(
            outcome.effects, catalog: catalog.current, leadWorkingDays: leadWorkingDays,
            partnerTimeoutSeconds: partnerTimeoutSeconds, on: connection)
        return outcome.dispositions
    }
}
