import Foundation

/// A report's period: whole local days (UTC+7), both ends included (CONTRACT.md `motcua report`).
public struct ReportPeriod: Sendable, Equatable {
    public let from: LocalDate
    public let to: LocalDate

    /// Refuses a period that ends before it starts, or dates outside 2000–2100.
    public init?(from: LocalDate, to: LocalDate) {
        guard from <= to, (2000...2100).contains(from.year), (2000...2100).contains(to.year) else { return nil }
        self.from = from
        self.to = to
    }

    /// Midnight at the start of `from`, local time: the first instant inside the period.
    public var start: Date { VietnamTime.instant(from, seconds: 0) }
    /// Midnight at the end of `to`, local time: the first instant after the period.
    public var end: Date { VietnamTime.instant(to.adding(days: 1), seconds: 0) }

    /// The moment stocks (open dossiers, files recorded, payments held) are counted at: the end of
    /// the period, or `now` while the period has not ended.
    public func stockMoment(now: Date) -> Date { min(end, now) }

    /// Why two texts do not make a period: the field and the rule.
    public struct Invalid: Error, Sendable {
        public let problem: FieldError
        init(_ field: String, _ message: String) { problem = FieldError(field, message) }
    }

    /// The period two texts name, or the field that is wrong and why.
    public static func parse(from: String?, to: String?) -> Result<ReportPeriod, Invalid> {
        guard let from else { return .failure(Invalid("from", "is required, as YYYY-MM-DD")) }
        guard let start = LocalDate(iso: from) else { return .failure(Invalid("from", "must be a date YYYY-MM-DD")) }
        guard let to else { return .failure(Invalid("to", "is required, as YYYY-MM-DD")) }
        guard let end = LocalDate(iso: to) else { return .failure(Invalid("to", "must be a date YYYY-MM-DD")) }
        guard (2000...2100).contains(start.year) else { return .failure(Invalid("from", "must be in 2000 to 2100")) }
        guard (2000...2100).contains(end.year) else { return .failure(Invalid("to", "must be in 2000 to 2100")) }
        guard let period = ReportPeriod(from: start, to: end) else {
            return .failure(Invalid("to", "must not be before from"))
        }
        return .success(period)
    }
}
