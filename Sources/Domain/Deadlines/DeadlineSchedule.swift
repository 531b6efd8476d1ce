import Foundation

/// The kinds of deadline timer (DOMAIN.md §5), named as their alerts' routing keys are.
public enum DeadlineKind: String, Codable, CaseIterable, Sendable {
    /// A lead before the receipt's due moment: the unit can still finish or file an extension.
    case dueSoon = "due_soon"
    /// At the receipt's due moment: alert, and the automatic letter when there is none.
    case overdue
    /// At a letter's new due moment: alert the supervising unit.
    case escalated
}

/// A timer a dossier should have now: when it fires, and the due moment it is about.
public struct DeadlineTimer: Sendable, Equatable, Hashable {
    public let kind: DeadlineKind
    public let fireAt: Date
    public let dueAt: Date

    public init(kind: DeadlineKind, fireAt: Date, dueAt: Date) {
        self.kind = kind
        self.fireAt = fireAt
        self.dueAt = dueAt
    }
}

/// Which timers a dossier's state calls for, without I/O. The projection writes them in the same
/// transaction as the journal change that caused them, so they are created when a dossier is
/// recorded, moved when a supplement restarts the time limit or a letter is issued, and gone when it
/// closes or waits for a supplement.
public enum DeadlineSchedule {
    public static func timers(for state: DossierState, leadWorkingDays: Int, calendar: WorkingCalendar)
        -> [DeadlineTimer]
    {
        // Closed: nothing is due any more. Waiting for the applicant: paused until the supplement restarts it.
        guard state.status.isTimeRunning else { return [] }
        let due = state.originalDueAt
        var timers = [
            DeadlineTimer(
                kind: .dueSoon, fireAt: lead(due, workingDays: leadWorkingDays, calendar: calendar),
                dueAt: due),
            DeadlineTimer(kind: .overdue, fireAt: due, dueAt: due),
        ]
        if let letter = state.apology {
            timers.append(DeadlineTimer(kind: .escalated, fireAt: letter.newDueAt, dueAt: letter.newDueAt))
        }
        return timers
    }

    /// Due soon (DOMAIN.md §5): the time limit runs and the due-soon moment of the receipt's due moment
    /// has come, which is when the due-soon alert fires. It stays true past the due moment; where both are
    /// shown (the console's deadlines page), overdue comes first.
    public static func isDueSoon(
        status: DossierStatus, originalDueAt: Date, now: Date, leadWorkingDays: Int, calendar: WorkingCalendar
    ) -> Bool {
        status.isTimeRunning && now >= lead(originalDueAt, workingDays: leadWorkingDays, calendar: calendar)
    }

    /// `workingDays` working days before `moment`, at the same local time of day (one working day
    /// before a Monday 17:00 is the Friday 17:00; before the first day after Tết, the last day before).
    public static func lead(_ moment: Date, workingDays: Int, calendar: WorkingCalendar) -> Date {
        guard workingDays > 0 else { return moment }
        var (day, seconds) = VietnamTime.local(moment)
        for _ in 0..<workingDays { day = calendar.previousWorkingDay(before: day) }
        return VietnamTime.instant(day, seconds: seconds)
    }

    /// The alert's CloudEvents id: the same dossier, kind and due moment give the same id (a republished
    /// alert is recognisably the same); a moved deadline gives a new one.
    public static func alertId(code: String, kind: DeadlineKind, dueAt: Date) -> String {
        alertId(code: code, kind: kind.rawValue, dueAt: dueAt)
    }

    /// The same, for any alert kind (`apology_issued`, about the letter's new due moment).
    public static func alertId(code: String, kind: String, dueAt: Date) -> String {
        "deadline:\(code):\(kind):\(Int(dueAt.timeIntervalSince1970))"
    }
}
