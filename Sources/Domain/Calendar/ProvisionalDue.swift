import Foundation

/// DOMAIN.md §11: a due moment counted over a year whose yearly decision is not loaded is provisional. Its
/// working days came from the statutory holidays computed by rule (`StatutoryHolidays`), and the decision,
/// once loaded, may move it.
public enum ProvisionalDue {
    /// The local years a count from `start` through `due` crosses, both included: every working day counted
    /// (and the day of receipt, which decides where counting starts) falls in one of them.
    public static func years(from start: Date, through due: Date) -> [Int] {
        let (first, last) = (VietnamTime.local(start).date.year, VietnamTime.local(due).date.year)
        return first <= last ? Array(first...last) : []
    }

    /// Those of the years a count from `start` through `due` crosses whose decision `calendar` lacks.
    public static func undecidedYears(from start: Date, through due: Date, calendar: WorkingCalendar) -> [Int] {
        years(from: start, through: due).filter(calendar.isProvisional(year:))
    }

    /// Whether a due moment counted from `start` is provisional under `calendar`.
    public static func isProvisional(from start: Date, through due: Date, calendar: WorkingCalendar) -> Bool {
        !undecidedYears(from: start, through: due, calendar: calendar).isEmpty
    }
}

extension DossierState {
    /// The years without a loaded decision that the due moment in force was counted over; empty when it is
    /// not provisional: the dossier is closed (nothing is due any more), or an agency chose the date itself.
    public func provisionalYears(calendar: WorkingCalendar) -> [Int] {
        guard !status.isClosed, let start = dueCountedFrom else { return [] }
        return ProvisionalDue.undecidedYears(from: start, through: dueAt, calendar: calendar)
    }
}
