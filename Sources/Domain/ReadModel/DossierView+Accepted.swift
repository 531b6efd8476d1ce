import Foundation

extension DossierView {
    /// The view of a dossier intake accepted that no worker has recorded yet, in the shape the recorded view
    /// will have (one shape for one dossier): `received`, with its receipt as the first history entry
    /// exactly as the recorder journals it (`HistoryEntry.receipt`), recorded at `issuedAt`, the moment
    /// intake issued the code, which the recorder keeps as the receipt's `recordedAt` too.
    public static func accepted(_ dossier: DossierReceived, issuedAt: Date, catalog: CatalogSnapshot) -> DossierView {
        let paperResult = catalog.procedure(dossier.procedureCode, receivedAt: dossier.receivedAt)?.paperResult
        var view = DossierView(
            code: dossier.code, status: "received", procedureCode: dossier.procedureCode,
            unitCode: dossier.unitCode, channel: dossier.channel, onlineLevel: dossier.onlineLevel,
            receivedAt: dossier.receivedAt, dueAt: dossier.dueAt, originalDueAt: dossier.dueAt,
            closedAt: nil, timing: nil, apology: nil, components: dossier.components, result: nil,
            payments: [], linkedGroup: dossier.linkedGroup.map(LinkedGroupKind.pendingView),
            history: [HistoryEntry.receipt(of: dossier, recordedAt: issuedAt)],
            fullyDigitized: !dossier.components.isEmpty && dossier.components.allSatisfy(\.digitized),
            resultDigitized: paperResult == false ? nil : false, handlingUnit: dossier.handlingUnit ?? dossier.unitCode)
        view.provisional = dossier.provisional
        return view
    }
}
