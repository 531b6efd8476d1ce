import Foundation
import Shared

/// A worker role as a pure decision over a whole batch. The pipeline (`BatchPlan`) does what every
/// role shares: decode, drop repeats, wait for unknown dossiers, claim the inbox; the role only says
/// what its fresh messages change, given what was loaded for them.
protocol BatchRole: Sendable {
    associatedtype Payload: Sendable
    /// What the decision needs beyond the dossiers, loaded for the whole batch.
    associatedtype Loaded: Sendable

    /// Reads a delivery; throws `PoisonMessage` (or a decoding error) for one this role can never apply.
    func decode(_ delivery: Delivery) throws -> Decoded<Payload>
    /// Whether the message must wait until its dossier is known (issued by intake or recorded).
    func waitsForDossier(_ payload: Payload) -> Bool
    /// Loads what `decide` needs for these messages, a statement per kind.
    func load(_ messages: [Message<Payload>], dossiers: KnownDossiers, on connection: PostgresConnection) throws
        -> Loaded
    /// What the fresh messages (new to the inbox, in batch order) change. Pure.
    func decide(_ messages: [Message<Payload>], dossiers: KnownDossiers, loaded: Loaded) throws -> Decision
}

/// A role's answer for a batch: the effects, and which messages turned out to change nothing.
struct Decision: Sendable {
    var effects = Effects()
    /// Positions (in the batch) of messages without effect: the same fact under another event id.
    var unchanged: Set<Int> = []
}

/// Everything a batch writes, by kind; `EffectStore` writes each kind in one statement.
struct Effects: Sendable {
    var received: [(dossier: DossierReceived, source: String, eventId: String)] = []
    var journal: [JournalEntry] = []
    var payments: [PaymentLedger.Row] = []
    var files: [DigitizationRecord] = []
    var outbox: [OutboxMessage] = []
    /// Dossiers whose state is replayed from the journal once the rest is written.
    var project: Set<String> = []
    /// Linked groups of received dossiers, written with them (only for those that are new).
    var linkedOpened: [LinkedGroup] = []
    /// Linked groups the chain moved, and what of them changed.
    var linked: [LinkedChange] = []
    /// The chain's closing actions (also in `journal`), for intake's checks of officers' actions.
    var closures: [JournalEntry] = []

    var isEmpty: Bool {
        received.isEmpty && journal.isEmpty && payments.isEmpty && files.isEmpty && outbox.isEmpty && project.isEmpty
            && linkedOpened.isEmpty && linked.isEmpty
    }
}
