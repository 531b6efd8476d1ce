import Foundation

/// Everything that decides one dossier's state: its receipt and every fact about it, the journal's
/// recorded steps (officers' and the chain's actions, the pipeline's letters) and the actions intake
/// accepted that the journal does not hold yet. Every role that changes a dossier decides over this
/// whole record, loaded under the dossier's lock (`DossierRecords`), and differs from the others only
/// in the fact it adds: intake an action (`DossierAdmission`), the deadline worker a letter
/// (`DeadlineFiring`), the chain a closing action (`LinkedWork`), the recorder the journal entry it
/// writes (`DossierProjection`). The state is always `DossierLifecycle.replay` over it.
public struct DossierRecord: Sendable {
    /// The dossier as received, before any action.
    public let initial: DossierState
    /// In the order recorded: the journal's steps first, then intake's accepted actions not journalled.
    public var steps: [DossierLifecycle.Step]
    public let restart: DossierLifecycle.Restart
    /// How many of `steps` intake accepted but no worker has recorded yet.
    public var unrecorded: Int
    /// The number of the dossier's letter, once one is numbered (`1/2026/XL-…`).
    public var letterNumber: String?
    /// The journal rows of the recorded steps (the first `steps.count - unrecorded`), with the refusal
    /// written beside each last time.
    public var journal: [(id: String, refused: String?)] = []

    public init(
        initial: DossierState, steps: [DossierLifecycle.Step], restart: @escaping DossierLifecycle.Restart,
        unrecorded: Int = 0, letterNumber: String? = nil
    ) {
        self.initial = initial
        self.steps = steps
        self.restart = restart
        self.unrecorded = unrecorded
        self.letterNumber = letterNumber
    }

    /// The state every fact leads to.
    public var state: DossierState {
        var state = DossierLifecycle.replay(initial, steps: steps, restart: restart).state
        if let letterNumber, state.apology != nil { state.apology?.number = letterNumber }
        return state
    }

    /// The state the journal alone leads to (what the read model shows).
    public var recordedState: DossierState {
        DossierLifecycle.replay(initial, steps: Array(steps.dropLast(unrecorded)), restart: restart).state
    }

    /// The letter the pipeline issued itself, if it did.
    public var automaticLetter: AutomaticLetter? {
        for step in steps { if case .automaticLetter(let letter) = step { return letter } }
        return nil
    }
}
