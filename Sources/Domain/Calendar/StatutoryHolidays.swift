/// The days off the Labour Code gives in a Gregorian year when no yearly decision says otherwise
/// (Bộ luật Lao động 2019, art. 112.1, and art. 111.3 for a holiday on a weekly rest day).
///
/// The government's yearly decision (which days Tết really takes, the day next to 2/9, swaps, make-up
/// Saturdays) is catalog data (`CalendarYear`) and wins for its year; this is what a year without one gets,
/// so that no year is ever silently without holidays.
public enum StatutoryHolidays {
    /// One day off and what it is for.
    public struct Day: Hashable, Sendable {
        public let date: LocalDate
        public let name: String

        public init(date: LocalDate, name: String) {
            self.date = date
            self.name = name
        }
    }

    /// The days off of `year`, in date order: the art. 112.1 holidays, then, for each that falls on a Saturday
    /// or Sunday, a compensating day (nghỉ bù) on the next working day not already off (art. 111.3:
    /// 1/1/2022, a Saturday, gave Monday 3/1/2022).
    public static func days(in year: Int) -> [Day] {
        let holidays = holidays(in: year)
        var off = Set(holidays.map(\.date))
        var days = holidays
        for holiday in holidays where holiday.date.weekday >= 6 {
            var day = holiday.date.adding(days: 1)
            while day.weekday >= 6 || off.contains(day) { day = day.adding(days: 1) }
            off.insert(day)
            days.append(Day(date: day, name: "Nghỉ bù \(holiday.name)"))
        }
        return days.sorted { $0.date < $1.date }
    }

    /// The dates of `days(in:)`, computed once per process for the years a dossier may touch.
    public static func dates(in year: Int) -> Set<LocalDate> {
        cachedDates[year] ?? Set(days(in: year).map(\.date))
    }

    /// The years `dates(in:)` answers from memory; others are computed on each call.
    static let cachedYears = 1990...2100

    private static let cachedDates: [Int: Set<LocalDate>] = Dictionary(
        uniqueKeysWithValues: cachedYears.map { ($0, Set(days(in: $0).map(\.date))) })

    /// Art. 112.1, before any falls on a weekly rest day. No two share a date: Giỗ Tổ falls between 30/3 and
    /// 29/4 (1968–2198), and Tết before March.
    static func holidays(in year: Int) -> [Day] {
        func day(_ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day) }
        let tet = LunarCalendar.newYear(year)
        let nationalDay = day(9, 2)
        var holidays = [
            Day(date: day(1, 1), name: "Tết Dương lịch"),
            Day(date: tet.adding(days: -1), name: "Tết Âm lịch (ngày cuối năm âm lịch)"),
        ]
        holidays += (0..<4).map { Day(date: tet.adding(days: $0), name: "Tết Âm lịch (mùng \($0 + 1))") }
        if let hungKings = LunarCalendar.solarDate(day: 10, month: 3, year: year) {
            holidays.append(Day(date: hungKings, name: "Giỗ Tổ Hùng Vương"))
        }
        holidays += [
            Day(date: day(4, 30), name: "Ngày Chiến thắng"),
            Day(date: day(5, 1), name: "Ngày Quốc tế Lao động"),
            Day(date: nationalDay, name: "Quốc khánh"),
            Day(date: adjacentToNationalDay(nationalDay), name: "Quốc khánh (ngày liền kề)"),
        ]
        return holidays.sorted { $0.date < $1.date }
    }

    /// The day the Code adds next to 2/9 ("01 ngày liền kề trước hoặc sau"), until the year's decision picks
    /// it: 1/9, except 3/9 when 2/9 is a Thursday.
    ///
    /// The decisions since the second day was added (2021) chose so that the break runs into a weekend:
    /// 3/9 for a Thursday (2021), 1/9 for a Friday (2022), Saturday (2023, with Monday 4/9 in lieu),
    /// Tuesday (2025) and Wednesday (2026); for a Monday (2024) they chose 3/9, which the day before gives
    /// too, since a Sunday 1/9 is compensated on the next working day, Tuesday 3/9. This rule reproduces all
    /// six; the day before alone would have missed 2021 and counted Friday 3/9/2027 as a working day.
    static func adjacentToNationalDay(_ nationalDay: LocalDate) -> LocalDate {
        nationalDay.adding(days: nationalDay.weekday == 4 ? 1 : -1)
    }
}
