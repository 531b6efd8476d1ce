import Foundation

/// A provisional due moment counted again once the yearly decisions it lacked are loaded (DOMAIN.md §11),
/// journalled as `due_recomputed` beside the change it made, and shown in the dossier's history.
///
/// What is counted again is the basis of the due moment in force: the receipt (its due moment, a fact of
/// the dossier, takes the new count) or a completed supplement (its restart is counted from the catalog
/// whenever the dossier is replayed). A letter's appointment is not: a letter once issued is never
/// rewritten (CONTRACT.md), so such a dossier just stops being provisional.
public struct DueRecomputation: Codable, Sendable, Equatable {
    /// The years whose decision was loaded.
    public var years: [Int]
    public var previousDueAt: Date
    public var dueAt: Date
    public var previousOriginalDueAt: Date
    public var originalDueAt: Date

    public init(years: [Int], previousDueAt: Date, dueAt: Date, previousOriginalDueAt: Date, originalDueAt: Date) {
        self.years = years
        self.previousDueAt = previousDueAt
        self.dueAt = dueAt
        self.previousOriginalDueAt = previousOriginalDueAt
        self.originalDueAt = originalDueAt
    }

    public static let journalType = "due_recomputed"
    public static let actor = "system"

    /// The years of `stored` (a dossier's provisional years as last written) whose decision `calendar` has now.
    public static func decided(_ stored: [Int], calendar: WorkingCalendar) -> Set<Int> {
        Set(stored).intersection(calendar.decidedYears)
    }

    /// The receipt's due moment counted again under `calendar` with `restart` (the rule intake counted it
    /// with), when the receipt's own count crossed one of `decided`; nil when it did not.
    public static func receiptDue(of initial: DossierState, decided: Set<Int>, restart: DossierLifecycle.Restart)
        -> Date?
    {
        let crossed = ProvisionalDue.years(from: initial.receivedAt, through: initial.dueAt)
        guard !decided.isDisjoint(with: crossed) else { return nil }
        return restart(initial.receivedAt)
    }

    /// The change from `before` (the dossier as last written) to `after` (replayed under the decided years),
    /// or nil when the due moments stayed.
    public static func between(before: (dueAt: Date, originalDueAt: Date), after: DossierState, decided: Set<Int>)
        -> DueRecomputation?
    {
        guard before.dueAt != after.dueAt || before.originalDueAt != after.originalDueAt else { return nil }
        return DueRecomputation(
            years: decided.sorted(), previousDueAt: before.dueAt, dueAt: after.dueAt,
            previousOriginalDueAt: before.originalDueAt, originalDueAt: after.originalDueAt)
    }

    /// In the history's words: why, and the moment before and after.
    public var reason: String {
        let years = self.years.map(String.init).joined(separator: ", ")
        return "Tính lại hạn trả kết quả do đã nạp quyết định nghỉ lễ năm \(years): "
            + "\(Self.moment(previousDueAt)) → \(Self.moment(dueAt))"
    }

    /// The journal entry for `code`, made at `at`; its id names the change, so the same one is recognisable.
    public func journalEntry(code: String, at: Date) throws -> JournalEntry {
        JournalEntry(
            dossierCode: code, type: Self.journalType, at: at, actor: Self.actor, reason: reason,
            data: try JSONCoding.encodeString(self), source: EventSource.worker("deadlines"),
            eventId: "due_recomputed:\(code):\(Int(previousDueAt.timeIntervalSince1970)):"
                + "\(Int(dueAt.timeIntervalSince1970))")
    }

    static func moment(_ date: Date) -> String {
        let (day, seconds) = VietnamTime.local(date)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(two(seconds / 3600)):\(two(seconds % 3600 / 60)) \(two(day.day))/\(two(day.month))/\(day.year)"
    }
}
