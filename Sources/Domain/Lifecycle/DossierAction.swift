import Foundation

/// The states of DOMAIN.md §3.
public enum DossierStatus: String, Codable, Sendable, CaseIterable {
    case received
    case supplementRequested = "supplement_requested"
    case inProgress = "in_progress"
    case resolved, rejected, returned, withdrawn

    /// Resolved, rejected, returned and withdrawn close the dossier; nothing reopens it.
    public var isClosed: Bool { [.resolved, .rejected, .returned, .withdrawn].contains(self) }

    /// Waiting for the applicant's supplement: the time limit is paused until it comes (DOMAIN.md §4).
    public var isPaused: Bool { self == .supplementRequested }

    /// The time limit runs: open and not paused. Only then are deadline timers pending, and only then
    /// does a due timer fire (`DeadlineSchedule`, `DeadlineFiring`).
    public var isTimeRunning: Bool { !isClosed && !isPaused }
}

/// The actions of `POST /v1/dossiers/{code}/actions`.
public enum ActionType: String, Codable, Sendable, CaseIterable {
    case requestSupplement = "request_supplement"
    case supplement, transfer, extend, resolve, reject
    case `return`, withdraw
}

/// Closing classification against the original due moment (DOMAIN.md §5).
public enum Timing: String, Codable, Sendable {
    case early
    case onTime = "on_time"
    case overdue
}

/// One action on a dossier, as intake accepted it and the journal keeps it.
public struct DossierAction: Codable, Sendable, Equatable {
    public var type: ActionType
    /// When it happened (may be in the past: officers key in paper work later).
    public var at: Date
    public var by: String?
    public var reason: String?
    public var toUnit: String?
    public var newDueAt: Date?
    public var result: FileView?
    /// Set on the action that closes a dossier because its linked group ended (`resolve` for completed
    /// or partial, `reject` for failed): the group's end is a fact, so it closes the dossier from any
    /// open state, a pending supplement request included (DOMAIN.md §6 as the README states it).
    /// Intake never reads it from a request.
    public var linked: LinkedOutcome?

    public init(
        type: ActionType, at: Date, by: String? = nil, reason: String? = nil, toUnit: String? = nil,
        newDueAt: Date? = nil, result: FileView? = nil, linked: LinkedOutcome? = nil
    ) {
        self.type = type
        self.at = at
        self.by = by
        self.reason = reason
        self.toUnit = toUnit
        self.newDueAt = newDueAt
        self.result = result
        self.linked = linked
    }
}

/// `dossier.action.<type>`: an action for the dossier `code`.
public struct DossierActionEvent: Codable, Sendable {
    public var code: String
    public var action: DossierAction

    public init(code: String, action: DossierAction) {
        self.code = code
        self.action = action
    }
}
