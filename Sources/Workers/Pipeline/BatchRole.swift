import AMQPDriver
import Domain
import Foundation
import Store

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
    /// Whether the message's effect is keyed so that `decide` finds a repeat of it by itself (under the
    /// dossier's worker lock), so that it needs no inbox row: the recorder's `dossier.received`, whose
    /// effect is the dossier's row. Default: no.
    func findsItsOwnRepeats(_ payload: Payload) -> Bool
}

extension BatchRole {
    func findsItsOwnRepeats(_ payload: Payload) -> Bool { false }
}

/// A role's answer for a batch: the effects, and which messages turned out to change nothing.
struct Decision: Sendable {
    var effects = Effects()
    /// Positions (in the batch) of messages without effect: the same fact under another event id.
    var unchanged: Set<Int> = []
}
