/// Which days are working days: Monday to Friday, minus public holidays, plus make-up Saturdays.
/// Holidays and make-up days are catalog data with a year each, never constants in code.
public struct WorkingCalendar: Sendable {
    public private(set) var holidays: Set<LocalDate>
    public private(set) var makeUpDays: Set<LocalDate>

    public init(holidays: Set<LocalDate> = [], makeUpDays: Set<LocalDate> = []) {
        self.holidays = holidays
        self.makeUpDays = makeUpDays
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if makeUpDays.contains(date) { return true }
        if holidays.contains(date) { return false }
        return date.weekday <= 5
    }

    /// The first working day strictly after `date`.
    public func nextWorkingDay(after date: LocalDate) -> LocalDate {
        var day = date.adding(days: 1)
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The last working day strictly before `date`.
    public func previousWorkingDay(before date: LocalDate) -> LocalDate {
        var day = date.adding(days: -1)
        while !isWorkingDay(day) { day = day.adding(days: -1) }
        return day
    }

    /// The `n`-th working day after `date` (n ≥ 1).
    public func workingDay(_ n: Int, after date: LocalDate) -> LocalDate {
        var day = date
        for _ in 0..<max(1, n) { day = nextWorkingDay(after: day) }
        return day
    }
}
