extension WorkingCalendar {
    /// This calendar with `years` counted by rule, as if their decisions were not loaded: the calendar a
    /// dossier's due moment was counted under while its recomputation for them is pending
    /// (`DueRecomputation`), so that nothing but that recomputation moves it.
    public func countingByRule(_ years: Set<Int>) -> WorkingCalendar {
        guard !years.isEmpty else { return self }
        let kept = { (day: LocalDate) in !years.contains(day.year) }
        return WorkingCalendar(
            holidays: holidays.filter(kept), makeUpDays: makeUpDays.filter(kept),
            decidedYears: decidedYears.subtracting(years))
    }

    init(holidays: Set<LocalDate>, makeUpDays: Set<LocalDate>, decidedYears: Set<Int>) {
        self.holidays = holidays
        self.makeUpDays = makeUpDays
        self.decidedYears = decidedYears
    }
}
