import Foundation

/// A dossier's current state, derived from its journal by `DossierLifecycle.replay`.
public struct DossierState: Sendable, Equatable {
    public var code: String
    public var status: DossierStatus = .received
    /// The unit handling it now (changes on transfer).
    public var handlingUnit: String
    public var receivedAt: Date
    public var dueAt: Date
    /// The due moment on the citizen's receipt: set at receipt, replaced by a completed supplement's
    /// restart, never moved by an apology (DOMAIN.md §5).
    public var originalDueAt: Date
    /// Where the count of `dueAt` started: the receipt, a completed supplement, or the receipt's due moment
    /// for the pipeline's own letter; nil for a date an agency chose (`extend`), which no calendar moves.
    /// Whether `dueAt` is provisional is decided over it (`provisionalYears(calendar:)`).
    public var dueCountedFrom: Date?
    public var closedAt: Date?
    public var timing: Timing?
    public var apology: ApologyLetter?
    public var supplementRequests = 0
    public var result: FileView?
    /// Where a supplement returns the dossier to.
    var resumeStatus: DossierStatus = .received

    public init(code: String, unitCode: String, receivedAt: Date, dueAt: Date) {
        self.code = code
        self.handlingUnit = unitCode
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.originalDueAt = dueAt
        self.dueCountedFrom = receivedAt
    }

    /// Early before the due date, on time on it (up to the due moment), overdue after; a dossier that
    /// needed an apology, or a second supplement request (Decision 766 §2.1), is overdue by definition.
    public static func classify(closedAt: Date, originalDueAt: Date, apology: ApologyLetter?, supplementRequests: Int)
        -> Timing
    {
        if apology != nil || supplementRequests >= 2 || closedAt > originalDueAt { return .overdue }
        return VietnamTime.local(closedAt).date < VietnamTime.local(originalDueAt).date ? .early : .onTime
    }
}
