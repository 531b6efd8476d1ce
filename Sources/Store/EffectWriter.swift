import Domain
import Foundation
import PostgresDriver

/// Everything one transaction of a worker writes, by kind: a recorder's, payment's or digitization
/// batch, the chain's moves, the deadline worker's firing, an operator's re-arm.
public struct Effects: Sendable {
    public var received: [(dossier: DossierReceived, source: String, eventId: String)] = []
    public var journal: [JournalEntry] = []
    public var payments: [PaymentLedger.Row] = []
    public var files: [DigitizationRecord] = []
    public var outbox: [OutboxMessage] = []
    /// Dossiers whose state is replayed from the journal once the rest is written.
    public var project: Set<String> = []
    /// Linked groups of received dossiers, written with them (only for those that are new).
    public var linkedOpened: [LinkedGroup] = []
    /// Linked groups the chain moved, and what of them changed.
    public var linked: [LinkedChange] = []
    /// The chain's closing actions (also in `journal`), for intake's checks of officers' actions.
    public var closures: [JournalEntry] = []

    public init(journal: [JournalEntry] = [], outbox: [OutboxMessage] = [], project: Set<String> = []) {
        self.journal = journal
        self.outbox = outbox
        self.project = project
    }

    /// The chain's effects (`LinkedWork`), as the writer takes them.
    public init(_ linked: LinkedEffects) {
        self.init(journal: linked.journal, outbox: linked.outbox, project: linked.project)
        self.linked = Array(linked.changes.values)
        self.closures = linked.closures
    }

    public var isEmpty: Bool {
        received.isEmpty && journal.isEmpty && payments.isEmpty && files.isEmpty && outbox.isEmpty && project.isEmpty
            && linkedOpened.isEmpty && linked.isEmpty
    }
}

/// The one writer of `Effects`, and so the one place the write order lives: each kind in ONE statement,
/// inside the caller's transaction, which holds the dossiers' locks.
///
/// The order: the receipt, the journal, the linked groups, payments and files; then the report facts
/// (derived from what is written above); then the projection (which replays each changed dossier's
/// whole record, numbers new letters last so their sequence rows stay locked for least time, and
/// returns their alerts); then the linked groups an officer's action closed are stopped; the outbox last.
public enum EffectWriter {
    public static func write(
        _ effects: Effects, catalog: CatalogSnapshot, leadWorkingDays: Int,
        partnerTimeoutSeconds: Double = LinkedPolicy().timeoutSeconds,
        on connection: PostgresConnection
    ) throws {
        guard !effects.isEmpty else { return }
        let new = try DossierJournal.recordReceived(effects.received, on: connection)
        // A new dossier's linked group is written with it: its first step is due at once.
        try LinkedStore.insert(
            effects.linkedOpened.filter { new.contains($0.dossierCode) },
            timeoutSeconds: partnerTimeoutSeconds, on: connection)
        try DossierJournal.append(effects.journal, on: connection)
        try LinkedStore.save(effects.linked, timeoutSeconds: partnerTimeoutSeconds, on: connection)
        try LinkedStore.recordClosures(effects.closures, on: connection)
        try PaymentLedger.insert(effects.payments, on: connection)
        try DigitizationStore.upsert(effects.files, on: connection)
        // Every dossier whose journal changed gets its report facts from what is written above (before
        // the projection, which numbers letters last to hold their sequence rows for less).
        try ReportLedger.refresh(
            codes: effects.project.union(effects.journal.map(\.dossierCode))
                .union(effects.received.map(\.dossier.code)),
            catalog: catalog, on: connection)
        // The projection reads the journal written above; new apology letters come back as alerts.
        let letters = try DossierProjection.refresh(
            codes: effects.project, catalog: catalog,
            leadWorkingDays: leadWorkingDays, on: connection)
        // A dossier an officer's action closed stops its linked group in the same transaction. The chain's
        // own closing actions are not looked at: their group is over already.
        let acted = Set(
            effects.journal.filter { ActionType(rawValue: $0.type) != nil && !effects.closures.contains($0) }
                .map(\.dossierCode))
        try LinkedStore.stopClosed(
            acted, policy: LinkedPolicy(timeoutSeconds: partnerTimeoutSeconds), catalog: catalog,
            on: connection)
        try Outbox.insert(effects.outbox + letters, on: connection)
    }
}
