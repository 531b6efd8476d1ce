/// A unit's daily office intervals, in seconds since local midnight, in order and disjoint.
public struct OfficeHours: Hashable, Sendable {
    public let intervals: [ClosedRange<Int>]

    /// 07:30–11:30 and 13:30–17:00, DOMAIN.md §4.
    public static let standard = OfficeHours(unchecked: [
        (7 * 3600 + 1800)...(11 * 3600 + 1800),
        (13 * 3600 + 1800)...(17 * 3600),
    ])

    init(unchecked intervals: [ClosedRange<Int>]) { self.intervals = intervals }

    /// Builds office hours from `[["07:30", "11:30"], …]`; nil when a time is malformed,
    /// an interval is empty, or intervals overlap or run out of order.
    public init?(pairs: [[String]]) {
        var intervals: [ClosedRange<Int>] = []
        for pair in pairs {
            guard pair.count == 2, let start = Self.seconds(pair[0]), let end = Self.seconds(pair[1]), start < end,
                intervals.last.map({ $0.upperBound <= start }) ?? true
            else { return nil }
            intervals.append(start...end)
        }
        guard !intervals.isEmpty else { return nil }
        self.intervals = intervals
    }

    public var opening: Int { intervals[0].lowerBound }
    public var closing: Int { intervals[intervals.count - 1].upperBound }

    public var pairs: [[String]] {
        intervals.map { [Self.text($0.lowerBound), Self.text($0.upperBound)] }
    }

    static func seconds(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 24 * 60
        else { return nil }
        return h * 3600 + m * 60
    }

    static func text(_ seconds: Int) -> String {
        let h = seconds / 3600
        let m = seconds % 3600 / 60
        return "\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }
}
