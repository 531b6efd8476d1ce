import Foundation

/// The ceilings every submitted figure is held to, so that no stored value, and no sum of them,
/// can overflow, and no list can make a refusal larger than the request.
public enum Limits {
    /// 10¹² VND: above any fee or payment a one-stop unit handles, far below `Int.max` even summed.
    public static let maxAmountVnd = 1_000_000_000_000
    /// 10¹² bytes for one file record.
    public static let maxFileBytes = 1_000_000_000_000
    public static let birthYears = 1900...2100
    public static let maxComponents = 200
    public static let maxLinkedSteps = 10
    /// How far back a time may be given (receipts keyed in late, old payments): 5 calendar years.
    public static let maxPastYears = 5
    /// How far ahead of the server's clock a time may be: 5 minutes.
    public static let maxFuture: TimeInterval = 5 * 60
}

/// The instants a submitted time may take: never more than 5 years back or 5 minutes ahead.
public struct TimeWindow: Sendable, Equatable {
    public var earliest: Date
    public var latest: Date

    public init(earliest: Date, latest: Date) {
        self.earliest = earliest
        self.latest = latest
    }

    /// The window around `now`: the same local moment `Limits.maxPastYears` earlier (29 February falls
    /// back to the 28th) up to `Limits.maxFuture` ahead.
    public static func around(_ now: Date) -> TimeWindow {
        let (date, seconds) = VietnamTime.local(now)
        let year = date.year - Limits.maxPastYears
        let back = LocalDate(
            year: year, month: date.month,
            day: min(date.day, LocalDate.daysIn(month: date.month, year: year)))
        return TimeWindow(
            earliest: VietnamTime.instant(back, seconds: seconds),
            latest: now.addingTimeInterval(Limits.maxFuture))
    }

    /// The same window, starting no earlier than `moment` (an action never precedes its dossier's receipt).
    public func notBefore(_ moment: Date) -> TimeWindow {
        TimeWindow(earliest: max(earliest, moment), latest: latest)
    }
}
