import Foundation

/// Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving, so a fixed offset is exact.
public enum VietnamTime {
    public static let offsetSeconds = 7 * 3600

    /// The local date and the seconds since local midnight of an instant.
    public static func local(_ instant: Date) -> (date: LocalDate, seconds: Int) {
        let total = Int(instant.timeIntervalSince1970.rounded(.down)) + offsetSeconds
        let days = Int((Double(total) / 86_400).rounded(.down))
        return (LocalDate(daysSinceEpoch: days), total - days * 86_400)
    }

    /// The instant of a local date and time of day.
    public static func instant(_ date: LocalDate, seconds: Int) -> Date {
        Date(timeIntervalSince1970: Double(date.daysSinceEpoch * 86_400 + seconds - offsetSeconds))
    }

    /// RFC 3339 with the +07:00 offset, to the second (`2026-11-20T09:00:00+07:00`).
    public static func rfc3339(_ instant: Date) -> String {
        let (date, seconds) = local(instant)
        let h = seconds / 3600
        let m = seconds % 3600 / 60
        let s = seconds % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(date)T\(two(h)):\(two(m)):\(two(s))+07:00"
    }
}
