import Foundation

/// Reads RFC 3339 times (`2026-11-20T09:00:00+07:00`, `…Z`, fractions allowed) and PostgreSQL's ISO
/// `timestamptz` output (`2026-11-20 09:00:00.5+07`). Hand-written: it runs on every request and row,
/// and Foundation's formatters are neither cheap nor documented as thread-safe on Linux.
public enum Timestamp {
    /// RFC 3339 exactly, as the API takes it: `T` between date and time, the offset `Z` or `±HH:MM`.
    public static func parseRFC3339(_ text: String) -> Date? {
        let c = Array(text.utf8)
        guard c.count >= 20, c[10] == UInt8(ascii: "T") || c[10] == UInt8(ascii: "t") else { return nil }
        let last = c[c.count - 1]
        let zulu = last == UInt8(ascii: "Z") || last == UInt8(ascii: "z")
        let offset =
            c.count >= 25 && (c[c.count - 6] == UInt8(ascii: "+") || c[c.count - 6] == UInt8(ascii: "-"))
            && c[c.count - 3] == UInt8(ascii: ":")
        guard zulu || offset else { return nil }
        return parse(text)
    }

    /// RFC 3339, and PostgreSQL's output forms (a space for `T`, `+07`, offsets to the second).
    public static func parse(_ text: String) -> Date? {
        let c = Array(text.utf8)
        guard c.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= c.count else { return nil }
            var value = 0
            for i in range {
                guard c[i] >= 48, c[i] <= 57 else { return nil }
                value = value * 10 + Int(c[i] - 48)
            }
            return value
        }
        guard c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"),
            c[10] == UInt8(ascii: "T") || c[10] == UInt8(ascii: " ") || c[10] == UInt8(ascii: "t"),
            c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < c.count, c[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < c.count, c[i] >= 48, c[i] <= 57 {
                fraction += Double(c[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < c.count else { return nil }
        var offset = 0
        if c[i] == UInt8(ascii: "Z") || c[i] == UInt8(ascii: "z") {
            guard i + 1 == c.count else { return nil }
        } else if c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
            guard let hours = number(i + 1..<i + 3) else { return nil }
            // `+07`, `+07:00`, or `+07:06:30` (PostgreSQL prints local mean time offsets to the second).
            var minutes = 0
            var seconds = 0
            if i + 3 < c.count {
                guard c[i + 3] == UInt8(ascii: ":"), let m = number(i + 4..<i + 6) else { return nil }
                minutes = m
                if i + 6 < c.count {
                    guard c[i + 6] == UInt8(ascii: ":"), i + 9 == c.count, let s = number(i + 7..<i + 9) else {
                        return nil
                    }
                    seconds = s
                } else {
                    guard i + 6 == c.count else { return nil }
                }
            } else {
                guard i + 3 == c.count else { return nil }
            }
            guard hours < 24, minutes < 60, seconds < 60 else { return nil }
            offset = (c[i] == UInt8(ascii: "+") ? 1 : -1) * (hours * 3600 + minutes * 60 + seconds)
        } else {
            return nil
        }
        let days = LocalDate(year: year, month: month, day: day).daysSinceEpoch
        let local = Double(days * 86_400 + hour * 3600 + minute * 60 + second) + fraction
        return Date(timeIntervalSince1970: local - Double(offset))
    }
}
