import Domain
import Testing

/// DOMAIN.md §11: holidays by rule, the yearly decisions on top.
@Suite struct WorkingCalendarTests {
    static let snapshot = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))
    static func d(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    @Test func aYearWithoutADecisionStillHasItsHolidays() {
        let calendar = Self.snapshot.calendar
        // The default catalog's decisions stop at 2026.
        #expect(!calendar.isWorkingDay(Self.d("2027-01-01")))
        #expect(calendar.isWorkingDay(Self.d("2026-12-31")))
        #expect(calendar.nextWorkingDay(after: Self.d("2026-12-31")) == Self.d("2027-01-04"))
        for day in ["2027-02-05", "2027-02-08", "2027-02-11", "2027-04-16", "2027-05-03", "2027-09-03"] {
            #expect(!calendar.isWorkingDay(Self.d(day)), "\(day)")
        }
        #expect(calendar.isWorkingDay(Self.d("2027-02-12")))
    }

    @Test func aLoadedYearIsUsedAsLoaded() {
        let calendar = Self.snapshot.calendar
        // 2025's decision took Tết from Monday 27/1 to Friday 31/1 and swapped Friday 2/5 for Saturday 26/4;
        // the rule alone would have given 28/1 to Monday 3/2, and no 2/5.
        #expect(!calendar.isWorkingDay(Self.d("2025-01-27")))
        #expect(calendar.isWorkingDay(Self.d("2025-02-03")))
        #expect(!calendar.isWorkingDay(Self.d("2025-05-02")))
        #expect(calendar.isWorkingDay(Self.d("2025-04-26")))
        // A decision that lists only 1/1/2027 leaves Tết 2027 as working days: the decision wins.
        let sparse = WorkingCalendar(decisions: [
            CalendarYear(year: 2027, holidays: [Self.d("2027-01-01")], makeUpDays: [])
        ])
        #expect(!sparse.isWorkingDay(Self.d("2027-01-01")))
        #expect(sparse.isWorkingDay(Self.d("2027-02-05")))
        #expect(sparse.isWorkingDay(Self.d("2027-02-08")))
        // Its neighbours keep the rule: 1/1/2028, a Saturday, is taken on Monday 3/1.
        #expect(!sparse.isWorkingDay(Self.d("2026-02-17")))
        #expect(!sparse.isWorkingDay(Self.d("2028-01-03")))
    }

    @Test func theYearsComputedByRuleAreProvisional() {
        let calendar = Self.snapshot.calendar
        #expect(calendar.decidedYears == [2024, 2025, 2026])
        #expect(!calendar.isProvisional(year: 2026))
        #expect(calendar.isProvisional(year: 2027))
        #expect(calendar.isProvisional(year: 2023))
        #expect(!calendar.isProvisional(from: Self.d("2026-12-01"), through: Self.d("2026-12-31")))
        #expect(calendar.isProvisional(from: Self.d("2026-12-17"), through: Self.d("2027-01-05")))
        #expect(WorkingCalendar().isProvisional(year: 2026))
    }

    @Test func withoutAnyDecisionEveryYearFollowsTheRule() {
        let calendar = WorkingCalendar()
        #expect(!calendar.isWorkingDay(Self.d("2022-01-03")))
        #expect(!calendar.isWorkingDay(Self.d("2030-02-01")))  // 30 Tết 2030
        #expect(calendar.isWorkingDay(Self.d("2030-01-31")))
    }
}
