import Shared

/// Writes a batch's effects, each kind in ONE statement, inside the batch's transaction.
enum EffectStore {
    static func write(_ effects: Effects, catalog: CatalogSnapshot, leadWorkingDays: Int,
                      partnerTimeoutSeconds: Double = LinkedPolicy().timeoutSeconds, on connection: PostgresConnection)
        throws
    {
        guard !effects.isEmpty else { return }
        let new = try DossierJournal.recordReceived(effects.received, on: connection)
        // A new dossier's linked group is written with it: its first step is due at once.
        try LinkedStore.insert(effects.linkedOpened.filter { new.contains($0.dossierCode) },
                               timeoutSeconds: partnerTimeoutSeconds, on: connection)
        try DossierJournal.append(effects.journal, on: connection)
        try LinkedStore.save(effects.linked, timeoutSeconds: partnerTimeoutSeconds, on: connection)
        try LinkedStore.recordClosures(effects.closures, on: connection)
        try PaymentLedger.insert(effects.payments, on: connection)
        try DigitizationStore.upsert(effects.files, on: connection)
        // Every dossier whose journal changed gets its report facts from what is written above (before
        // the projection, which numbers letters last to hold their sequence rows for less).
        try ReportLedger.refresh(codes: effects.project.union(effects.journal.map(\.dossierCode))
                                     .union(effects.received.map(\.dossier.code)),
                                 catalog: catalog, on: connection)
        // The projection reads the journal written above; new apology letters come back as alerts.
        let letters = try DossierProjection.refresh(codes: effects.project, catalog: catalog,
                                                    leadWorkingDays: leadWorkingDays, on: connection)
        // A dossier an officer's action closed stops its linked group in the same transaction.
        let acted = Set(effects.journal.filter { ActionType(rawValue: $0.type) != nil }.map(\.dossierCode))
        try LinkedStore.stopClosed(acted, policy: LinkedPolicy(timeoutSeconds: partnerTimeoutSeconds), catalog: catalog,
                                   on: connection)
        try Outbox.insert(effects.outbox + letters, on: connection)
    }
}
