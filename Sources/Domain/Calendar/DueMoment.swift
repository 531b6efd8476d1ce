import Foundation

/// The due moment (ngày hẹn trả) of a dossier, DOMAIN.md §4.
public enum DueMoment {
    /// Paper received at or after this local time counts as received the next working day;
    /// same-day procedures received after it are due the next working day.
    public static let afternoonCutoff = 15 * 3600

    /// - Parameter paper: the dossier came in on paper (at the counter or by post).
    public static func compute(
        receivedAt: Date, processing: ProcessingTime, paper: Bool,
        officeHours: OfficeHours = .standard, calendar: WorkingCalendar
    ) -> Date {
        let (day, seconds) = effectiveReceipt(
            receivedAt: receivedAt, paper: paper, officeHours: officeHours,
            calendar: calendar)
        switch processing {
        case .workingDays(let n):
            return VietnamTime.instant(calendar.workingDay(n, after: day), seconds: officeHours.closing)
        case .sameDay:
            let dueDay = seconds < afternoonCutoff ? day : calendar.nextWorkingDay(after: day)
            return VietnamTime.instant(dueDay, seconds: officeHours.closing)
        case .workingHours(let n):
            return addOfficeTime(n * 3600, from: day, seconds: seconds, officeHours: officeHours, calendar: calendar)
        }
    }

    /// The working day and time of day a receipt counts from: a non-working day moves to the
    /// opening of the next working day, and so does paper received at or after 15:00.
    static func effectiveReceipt(receivedAt: Date, paper: Bool, officeHours: OfficeHours, calendar: WorkingCalendar)
        -> (LocalDate, Int)
    {
        let (date, seconds) = VietnamTime.local(receivedAt)
        if !calendar.isWorkingDay(date) || (paper && seconds >= afternoonCutoff) {
            return (calendar.nextWorkingDay(after: date), officeHours.opening)
        }
        return (date, seconds)
    }

    /// Walks forward through office intervals until `amount` seconds of office time have passed.
    static func addOfficeTime(
        _ amount: Int, from day: LocalDate, seconds: Int, officeHours: OfficeHours,
        calendar: WorkingCalendar
    ) -> Date {
        var remaining = amount
        var day = day
        var cursor = seconds
        while true {
            for interval in officeHours.intervals where interval.upperBound > cursor {
                let start = max(cursor, interval.lowerBound)
                let available = interval.upperBound - start
                if available >= remaining { return VietnamTime.instant(day, seconds: start + remaining) }
                remaining -= available
                cursor = interval.upperBound
            }
            day = calendar.nextWorkingDay(after: day)
            cursor = 0
        }
    }
}
