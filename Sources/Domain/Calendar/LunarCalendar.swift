import Foundation

/// The Vietnamese lunar calendar (âm lịch), reckoned at UTC+7 as Hồ Ngọc Đức's "Âm lịch Việt Nam" reckons it
/// (https://www.informatik.uni-leipzig.de/~duc/amlich/calrules.html):
/// - a month begins on the local day of a new moon;
/// - month 11 is the month that holds the winter solstice;
/// - when 13 months lie between two months 11, the first of them after month 11 that holds no major solar
///   term (a multiple of 30° of the sun's longitude) repeats the month before it, as a leap month.
///
/// China applies the same rules at UTC+8, so a new moon shortly before midnight in Hà Nội falls on the next
/// day in Beijing: Tết 2007 was 17/2 in Vietnam and 18/2 in China, and 1985 began a month apart. Vietnam
/// reckoned at UTC+8 too until 1967, so for earlier years this is not the calendar Vietnam then used.
/// The astronomy is Jean Meeus's ("Astronomical Algorithms"), truncated as Hồ Ngọc Đức truncates it.
public enum LunarCalendar {
    /// The offset the days are reckoned in: Vietnam's.
    static let timeZoneHours = 7.0

    /// The solar date of day `day` of month `month` (the repeated one when `leap`) of lunar year `year`;
    /// nil when the year has no such leap month or the month no such day.
    public static func solarDate(day: Int, month: Int, year: Int, leap: Bool = false) -> LocalDate? {
        guard (1...12).contains(month), day >= 1,
            let k = lunation(month: month, year: year, leap: leap),
            day <= newMoonDay(k + 1) - newMoonDay(k)
        else { return nil }
        return date(julianDay: newMoonDay(k) + day - 1)
    }

    /// Mùng 1 Tết: the first day of lunar year `year`.
    public static func newYear(_ year: Int) -> LocalDate {
        date(julianDay: newMoonDay(firstLunation(of: year)))
    }

    /// The days (29 or 30) of the last month of lunar year `year`; its last day ("30 Tết", even when it is
    /// the 29th) is the eve of the next year's Tết.
    public static func lastMonthLength(ofYear year: Int) -> Int {
        let next = firstLunation(of: year + 1)
        return newMoonDay(next) - newMoonDay(next - 1)
    }

    /// The last day of lunar year `year`.
    public static func lastDay(ofYear year: Int) -> LocalDate { newYear(year + 1).adding(days: -1) }

    // MARK: - Months

    /// The lunation (see `newMoonDay`) that begins month 1 of `year`.
    static func firstLunation(of year: Int) -> Int { lunation(month: 1, year: year, leap: false)! }

    /// The lunation that begins the month, counted from the month 11 that precedes it.
    static func lunation(month: Int, year: Int, leap: Bool) -> Int? {
        // Months 11 and 12 are counted from the month 11 of the same Gregorian year, the others from the
        // previous year's: month 1 of lunar year Y always begins in January or February of Y.
        let startYear = month >= 11 ? year : year - 1
        let a11 = month11(startYear)
        let b11 = month11(startYear + 1)
        let k = lunationNumber(startingOn: a11)
        var offset = (month - 11 + 12) % 12
        if b11 - a11 > 365 {
            // 13 months: the leap month is the `leapOffset`-th after month 11 and repeats the month before.
            let leapOffset = self.leapOffset(after: a11)
            let leapMonth = (leapOffset + 9) % 12 + 1
            if leap && month != leapMonth { return nil }
            if leap || offset >= leapOffset { offset += 1 }
        } else if leap {
            return nil
        }
        return k + offset
    }

    /// The Julian day on which the month holding the winter solstice of Gregorian year `year` begins.
    static func month11(_ year: Int) -> Int {
        let december31 = julianDay(LocalDate(year: year, month: 12, day: 31))
        let k = Int(((Double(december31) - 2_415_021.076_998_695) / synodicMonth).rounded(.down))
        let candidate = newMoonDay(k)
        // A month that starts with the sun already past 270° starts after the solstice: month 11 is the one before.
        return sunSector(onDay: candidate) >= 9 ? newMoonDay(k - 1) : candidate
    }

    /// Which month after month 11 (1 = the next) holds no major term, in a year of 13 months.
    static func leapOffset(after a11: Int) -> Int {
        let k = lunationNumber(startingOn: a11)
        var i = 1
        var sector = sunSector(onDay: newMoonDay(k + i))
        var last: Int
        repeat {
            last = sector
            i += 1
            sector = sunSector(onDay: newMoonDay(k + i))
        } while sector != last && i < 14
        return i - 1
    }

    static func lunationNumber(startingOn day: Int) -> Int {
        Int(((Double(day) - 2_415_021.076_998_695) / synodicMonth + 0.5).rounded(.down))
    }

    // MARK: - Astronomy

    static let synodicMonth = 29.530_588_853
    private static let radians = Double.pi / 180

    /// The Julian day, at UTC+7, of the `k`-th new moon after the one of 6 January 1900.
    static func newMoonDay(_ k: Int) -> Int {
        let k = Double(k)
        let t = k / 1236.85
        let t2 = t * t
        let t3 = t2 * t
        var mean = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3
        mean += 0.000_33 * sin((166.56 + 132.87 * t - 0.009_173 * t2) * radians)
        let sunAnomaly = (359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3) * radians
        let moonAnomaly = (306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3) * radians
        let argumentOfLatitude = (21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3) * radians
        var correction = (0.1734 - 0.000_393 * t) * sin(sunAnomaly) + 0.0021 * sin(2 * sunAnomaly)
        correction += -0.4068 * sin(moonAnomaly) + 0.0161 * sin(2 * moonAnomaly) - 0.0004 * sin(3 * moonAnomaly)
        correction += 0.0104 * sin(2 * argumentOfLatitude) - 0.0051 * sin(sunAnomaly + moonAnomaly)
        correction += -0.0074 * sin(sunAnomaly - moonAnomaly) + 0.0004 * sin(2 * argumentOfLatitude + sunAnomaly)
        correction +=
            -0.0004 * sin(2 * argumentOfLatitude - sunAnomaly) - 0.0006 * sin(2 * argumentOfLatitude + moonAnomaly)
        correction += 0.0010 * sin(2 * argumentOfLatitude - moonAnomaly) + 0.0005 * sin(2 * moonAnomaly + sunAnomaly)
        // ΔT, terrestrial minus universal time, in days.
        let deltaT =
            t < -11
            ? 0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
            : -0.000_278 + 0.000_265 * t + 0.000_262 * t2
        let instant = mean + correction - deltaT
        return Int((instant + 0.5 + timeZoneHours / 24).rounded(.down))
    }

    /// The sun's longitude at local midnight starting Julian day `day`, as a sector of 30° (0 = from the vernal
    /// equinox, 9 = from the winter solstice). A major term falls in a month when the sector changes within it.
    static func sunSector(onDay day: Int) -> Int {
        let t = (Double(day) - 2_451_545.5 - timeZoneHours / 24) / 36525
        let t2 = t * t
        let anomaly = (357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2) * radians
        let meanLongitude = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2
        var center = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * sin(anomaly)
        center += (0.019_993 - 0.000_101 * t) * sin(2 * anomaly) + 0.000_290 * sin(3 * anomaly)
        var longitude = (meanLongitude + center) * radians
        longitude -= 2 * Double.pi * (longitude / (2 * Double.pi)).rounded(.down)
        return Int((longitude / Double.pi * 6).rounded(.down))
    }

    // MARK: - Julian days

    /// The Julian day number of 1970-01-01.
    private static let epochJulianDay = 2_440_588

    static func julianDay(_ date: LocalDate) -> Int { date.daysSinceEpoch + epochJulianDay }

    static func date(julianDay: Int) -> LocalDate { LocalDate(daysSinceEpoch: julianDay - epochJulianDay) }
}
