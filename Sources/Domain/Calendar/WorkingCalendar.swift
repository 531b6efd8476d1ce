/// Which days are working days: Monday to Friday, minus public holidays, plus make-up Saturdays.
///
/// A year with a loaded yearly decision (`CalendarYear`, catalog data) takes its days exactly as loaded: the
/// decision wins. Every other year takes the statutory holidays the Labour Code gives (`StatutoryHolidays`),
/// so no year is ever silently without holidays (DOMAIN.md §11); such a year is provisional until its
/// decision is loaded.
public struct WorkingCalendar: Sendable {
    /// The loaded decisions' days off besides weekends.
    public let holidays: Set<LocalDate>
    /// The loaded decisions' make-up working Saturdays.
    public let makeUpDays: Set<LocalDate>
    /// The years whose days are a loaded decision's; every other year's are computed.
    public let decidedYears: Set<Int>

    /// - Parameter decisions: the yearly decisions loaded; one a year (`CatalogRules` refuses two, and
    ///   keeps each decision's days within its year).
    public init(decisions: [CalendarYear] = []) {
        holidays = Set(decisions.flatMap(\.holidays))
        makeUpDays = Set(decisions.flatMap(\.makeUpDays))
        decidedYears = Set(decisions.map(\.year))
    }

    /// Whether `year`'s days off are the statutory ones computed by rule rather than a loaded decision, so
    /// that a due moment counted across it may still move when the decision is loaded (`ProvisionalDue`,
    /// `DueRecomputation`).
    public func isProvisional(year: Int) -> Bool { !decidedYears.contains(year) }

    /// Whether any year from `start` through `end` is provisional.
    public func isProvisional(from start: LocalDate, through end: LocalDate) -> Bool {
        start <= end && (start.year...end.year).contains { isProvisional(year: $0) }
    }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if decidedYears.contains(date.year) {
            if makeUpDays.contains(date) { return true }
            if holidays.contains(date) { return false }
        } else if StatutoryHolidays.dates(in: date.year).contains(date) {
            return false
        }
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
