import Domain
import Testing

/// The Vietnamese lunar calendar at UTC+7 against published dates.
///
/// Source: Hồ Ngọc Đức, "Âm lịch Việt Nam" (https://www.informatik.uni-leipzig.de/~duc/amlich/):
/// - Tết and Giỗ Tổ 2021–2030 as his table of lunar festivals ("Bảng các ngày lễ âm lịch quan trọng",
///   holidays.html) lists them;
/// - Tết 1985 and 2000–2020 and Giỗ Tổ 2012 read off his tables of new moons and solar terms at UTC+7
///   ("Bảng ngày giờ các Sóc và Tiết khí", DuLieu/Sun-Moon-2000.html and the pages for the other years).
/// The year codes of his amlich-hnd.js give every month's start and length: this implementation matches them
/// for every month of 1968–2053 (Vietnam has reckoned at UTC+7 since 1968; the first day apart is in 2054,
/// a new moon near midnight). Where China differs, its date (UTC+8) is in the comment; the Vietnamese
/// authority's explanation of 2007 and 2030 is in Viet-Jo, 6/7/2006
/// (https://viet-jo.com/news/life/060706102756.html).
@Suite struct LunarCalendarTests {
    static let tet: [(Int, String)] = [
        (2000, "2000-02-05"), (2001, "2001-01-24"), (2002, "2002-02-12"), (2003, "2003-02-01"),
        (2004, "2004-01-22"), (2005, "2005-02-09"), (2006, "2006-01-29"),
        (2007, "2007-02-17"),  // China: 18/2/2007 (the new moon was at 23:14 in Hà Nội, 00:14 in Beijing)
        (2008, "2008-02-07"), (2009, "2009-01-26"), (2010, "2010-02-14"), (2011, "2011-02-03"),
        (2012, "2012-01-23"), (2013, "2013-02-10"), (2014, "2014-01-31"), (2015, "2015-02-19"),
        (2016, "2016-02-08"), (2017, "2017-01-28"), (2018, "2018-02-16"), (2019, "2019-02-05"),
        (2020, "2020-01-25"), (2021, "2021-02-12"), (2022, "2022-02-01"), (2023, "2023-01-22"),
        (2024, "2024-02-10"), (2025, "2025-01-29"), (2026, "2026-02-17"), (2027, "2027-02-06"),
        (2028, "2028-01-26"), (2029, "2029-02-13"),
        (2030, "2030-02-02"),  // China: 3/2/2030 (the new moon at 23:07 in Hà Nội)
    ]

    @Test func tetFrom2000To2030() {
        for (year, date) in Self.tet {
            #expect(LunarCalendar.newYear(year).description == date, "Tết \(year)")
            #expect(LunarCalendar.solarDate(day: 1, month: 1, year: year)?.description == date, "Tết \(year)")
        }
    }

    @Test func tet1985CameAMonthBeforeChinas() {
        // China's lunar 1984 had 13 months (a leap 10th) where Vietnam's had 12; China: 20/2/1985. Vietnam's
        // leap month came in 1985, after the second.
        #expect(LunarCalendar.newYear(1985).description == "1985-01-21")
        #expect(LunarCalendar.solarDate(day: 1, month: 2, year: 1985, leap: true)?.description == "1985-03-21")
    }

    @Test(arguments: [
        (2012, "2012-03-31"), (2021, "2021-04-21"), (2022, "2022-04-10"),
        (2023, "2023-04-29"),  // after a leap second month
        (2024, "2024-04-18"), (2025, "2025-04-07"), (2026, "2026-04-26"), (2027, "2027-04-16"),
        (2028, "2028-04-04"), (2029, "2029-04-23"), (2030, "2030-04-12"),
    ])
    func gioToHungVuong(year: Int, date: String) {
        #expect(LunarCalendar.solarDate(day: 10, month: 3, year: year)?.description == date)
    }

    @Test func theLastDayOfTheYearIsTheEveOfTet() {
        // Lunar 2024 ended with a month of 29 days, so "30 Tết" was the 29th: 28/1/2025.
        #expect(LunarCalendar.lastMonthLength(ofYear: 2024) == 29)
        #expect(LunarCalendar.lastDay(ofYear: 2024).description == "2025-01-28")
        #expect(LunarCalendar.solarDate(day: 30, month: 12, year: 2024) == nil)
        #expect(LunarCalendar.solarDate(day: 29, month: 12, year: 2024)?.description == "2025-01-28")
        // Lunar 2023's last month had 30 days: 30 Tết was 9/2/2024.
        #expect(LunarCalendar.lastMonthLength(ofYear: 2023) == 30)
        #expect(LunarCalendar.solarDate(day: 30, month: 12, year: 2023)?.description == "2024-02-09")
        #expect(LunarCalendar.lastDay(ofYear: 2026).description == "2027-02-05")
    }

    @Test func leapMonthsFollowTheMonthTheyRepeat() {
        #expect(LunarCalendar.solarDate(day: 1, month: 2, year: 2023, leap: true)?.description == "2023-03-22")
        #expect(LunarCalendar.solarDate(day: 1, month: 4, year: 2020, leap: true)?.description == "2020-05-23")
        #expect(LunarCalendar.solarDate(day: 1, month: 6, year: 2025, leap: true)?.description == "2025-07-25")
        #expect(LunarCalendar.solarDate(day: 1, month: 7, year: 2025)?.description == "2025-08-23")
        // A year has at most one leap month, and most years none.
        #expect(LunarCalendar.solarDate(day: 1, month: 3, year: 2023, leap: true) == nil)
        #expect(LunarCalendar.solarDate(day: 1, month: 2, year: 2024, leap: true) == nil)
    }
}
