import Domain
import Testing

/// Labour Code 2019 art. 112.1 and 111.3, computed for years without a loaded decision.
@Suite struct StatutoryHolidaysTests {
    static func days(_ year: Int) -> [String] { StatutoryHolidays.days(in: year).map(\.date.description) }

    /// The statutory days off of `year` that fall Monday to Friday.
    static func weekdays(_ year: Int) -> [String] {
        StatutoryHolidays.days(in: year).filter { $0.date.weekday <= 5 }.map(\.date.description)
    }

    @Test func the2027Holidays() {
        let days = StatutoryHolidays.days(in: 2027).map { "\($0.date) \($0.name)" }
        #expect(
            days == [
                "2027-01-01 Tết Dương lịch",
                "2027-02-05 Tết Âm lịch (ngày cuối năm âm lịch)",
                "2027-02-06 Tết Âm lịch (mùng 1)",
                "2027-02-07 Tết Âm lịch (mùng 2)",
                "2027-02-08 Tết Âm lịch (mùng 3)",
                "2027-02-09 Tết Âm lịch (mùng 4)",
                "2027-02-10 Nghỉ bù Tết Âm lịch (mùng 1)",
                "2027-02-11 Nghỉ bù Tết Âm lịch (mùng 2)",
                "2027-04-16 Giỗ Tổ Hùng Vương",
                "2027-04-30 Ngày Chiến thắng",
                "2027-05-01 Ngày Quốc tế Lao động",
                "2027-05-03 Nghỉ bù Ngày Quốc tế Lao động",
                "2027-09-02 Quốc khánh",
                "2027-09-03 Quốc khánh (ngày liền kề)",
            ])
    }

    @Test func aHolidayOnAWeeklyRestDayIsTakenOnTheNextWorkingDay() {
        // 1/1/2022 was a Saturday: Monday 3/1/2022 was off.
        let newYear = StatutoryHolidays.days(in: 2022).filter { $0.date.month == 1 && $0.date.day <= 3 }
        #expect(newYear.map(\.date.description) == ["2022-01-01", "2022-01-03"])
        #expect(newYear.last?.name == "Nghỉ bù Tết Dương lịch")
        // Giỗ Tổ on Saturday 29/4/2023 and 30/4 on the Sunday: both taken after 1/5, on 2/5 and 3/5.
        #expect(Self.weekdays(2023).filter { $0.hasPrefix("2023-05") } == ["2023-05-01", "2023-05-02", "2023-05-03"])
        // Tết 2024 ran Friday 9/2 to Tuesday 13/2: mùng 1 and 2 on the weekend gave Wednesday and Thursday.
        #expect(
            Self.weekdays(2024).filter { $0.hasPrefix("2024-02") } == [
                "2024-02-09", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15",
            ])
    }

    @Test func theDayNextToTheNationalDayMatchesTheDecisionsSince2021() {
        // The weekdays off the decisions gave around 2/9 (the 2024–2026 ones are in the default catalog).
        let decided: [Int: [String]] = [
            2021: ["2021-09-02", "2021-09-03"],  // Thursday: the Friday after
            2022: ["2022-09-01", "2022-09-02"],  // Friday
            2023: ["2023-09-01", "2023-09-04"],  // Saturday: Friday 1/9, and Monday for 2/9
            2024: ["2024-09-02", "2024-09-03"],  // Monday: a Sunday 1/9 is taken on Tuesday 3/9
            2025: ["2025-09-01", "2025-09-02"],  // Tuesday
            2026: ["2026-09-01", "2026-09-02"],  // Wednesday
        ]
        for (year, days) in decided {
            #expect(Self.weekdays(year).filter { $0.hasPrefix("\(year)-09") } == days, "\(year)")
        }
    }

    @Test func everyYearHasTheElevenDaysOfTheCode() {
        // 1/1, five of Tết, Giỗ Tổ, 30/4, 1/5 and two for 2/9, as weekdays once moved off weekends.
        for year in 2000...2100 {
            #expect(Self.weekdays(year).count == 11, "\(year)")
        }
    }

    @Test func theDecisionOf2026DiffersFromTheRuleOnlyByItsSwap() throws {
        let catalog = try Catalog.parse(DefaultCatalog.data())
        let decided = try #require(catalog.calendars.first { $0.year == 2026 })
        // The decision gave Friday 2/1/2026 for the make-up Saturday 10/1/2026.
        #expect(Set(Self.weekdays(2026)) == Set(decided.holidays.map(\.description)).subtracting(["2026-01-02"]))
    }
}
