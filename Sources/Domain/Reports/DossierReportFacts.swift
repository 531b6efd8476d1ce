import Foundation

/// What the reports need to know of one dossier, derived from its journal (`DossierReportFacts.derive`)
/// as moments, so that a report for any period counts it as the journal says it was then. One row of
/// `report_dossiers` each; every figure of a report is a count of these rows under a condition on
/// the period (`ReportTally`, and the same conditions in SQL in `ReportQuery`).
public struct DossierReportFacts: Sendable, Equatable {
    /// How a dossier closed; a `return` afterwards changes nothing here.
    public enum Closing: String, Sendable, Equatable, CaseIterable {
        case resolved, rejected, withdrawn
    }

    public var code: String
    /// The receiving unit: a dossier counts where it was received, whoever handles it after a transfer.
    public var unitCode: String
    public var receivedAt: Date
    public var channel: Channel
    public var onlineLevel: OnlineLevel?
    /// The procedure is offered online (at any level): the dossier counts in Decision 766 §3.3.
    public var onlineOffered: Bool
    /// The procedure has a fee: the dossier counts in Decision 766 §3.6.
    public var feeBearing: Bool
    /// The procedure's result is a paper document: its result is to be digitized (DOMAIN.md §7).
    public var paperResult: Bool
    public var closedAt: Date?
    public var closing: Closing?
    /// The unit that closed it: the one handling it at its closing step (DOMAIN.md §11, "resolved by"), which
    /// is the receiving unit unless the receipt named another, a transfer moved it or a merger handed it over.
    public var closedBy: String?
    /// early / on time / overdue, for a resolved dossier.
    public var timing: Timing?
    /// When the dossier was open and overdue (past the due moment on its receipt then, or overdue by
    /// definition: an apology, a second supplement request); not while it waited for a supplement.
    public var overdue: [TimeSpan]
    /// Every component had a file from this moment on.
    public var fullyDigitizedAt: Date?
    /// A component reused an earlier result from this moment on.
    public var reusedAt: Date?
    /// The result's file was recorded at this moment.
    public var resultDigitizedAt: Date?
    /// The result file is digitally signed (an electronic result, Decision 766 §4.1).
    public var resultSigned: Bool
    /// When the applicant's payments, net of refunds, were above zero.
    public var paid: [TimeSpan]
    public var linkedGroup: LinkedGroupKind?
    /// The linked group ended `completed` (not `partial` or `failed`).
    public var linkedCompleted: Bool
    /// The apology letter: when, and whether the agency filed it in time (`extend`).
    public var apologyAt: Date?
    public var apologyTimely: Bool?
    /// The letter's new due moment: the supervising unit is alerted then if the dossier is still open.
    public var escalationAt: Date?

    public init(
        code: String, unitCode: String, receivedAt: Date, channel: Channel, onlineLevel: OnlineLevel? = nil,
        onlineOffered: Bool = true, feeBearing: Bool = false, paperResult: Bool = true, closedAt: Date? = nil,
        closing: Closing? = nil, timing: Timing? = nil, overdue: [TimeSpan] = [], fullyDigitizedAt: Date? = nil,
        reusedAt: Date? = nil, resultDigitizedAt: Date? = nil, resultSigned: Bool = false, paid: [TimeSpan] = [],
        linkedGroup: LinkedGroupKind? = nil, linkedCompleted: Bool = false, apologyAt: Date? = nil,
        apologyTimely: Bool? = nil, escalationAt: Date? = nil, closedBy: String? = nil
    ) {
        self.code = code
        self.unitCode = unitCode
        self.receivedAt = receivedAt
        self.channel = channel
        self.onlineLevel = onlineLevel
        self.onlineOffered = onlineOffered
        self.feeBearing = feeBearing
        self.paperResult = paperResult
        self.closedAt = closedAt
        self.closing = closing
        self.closedBy = closedBy ?? (closing == nil ? nil : unitCode)
        self.timing = timing
        self.overdue = overdue
        self.fullyDigitizedAt = fullyDigitizedAt
        self.reusedAt = reusedAt
        self.resultDigitizedAt = resultDigitizedAt
        self.resultSigned = resultSigned
        self.paid = paid
        self.linkedGroup = linkedGroup
        self.linkedCompleted = linkedCompleted
        self.apologyAt = apologyAt
        self.apologyTimely = apologyTimely
        self.escalationAt = escalationAt
    }

    /// Open at `moment`: received before it, not closed before it (a dossier closed at the very
    /// moment still counts as open at the end of the day before).
    public func isOpen(at moment: Date) -> Bool {
        receivedAt < moment && (closedAt.map { $0 >= moment } ?? true)
    }
}

/// An interval of time open at its start and closed at its end, `(lower, upper]`; `upper` nil runs on
/// for ever. Stored as a `tstzmultirange` so SQL asks the same question (`@>`).
public struct TimeSpan: Sendable, Equatable {
    public var lower: Date
    public var upper: Date?

    public init(_ lower: Date, _ upper: Date?) {
        self.lower = lower
        self.upper = upper
    }

    public func contains(_ moment: Date) -> Bool { moment > lower && (upper.map { moment <= $0 } ?? true) }

    /// Joins spans that touch, in order of their start.
    static func merged(_ spans: [TimeSpan]) -> [TimeSpan] {
        var result: [TimeSpan] = []
        for span in spans.sorted(by: { $0.lower < $1.lower }) {
            guard let last = result.last else {
                result.append(span)
                continue
            }
            guard let upper = last.upper else { continue }  // the last one runs on for ever
            if span.lower <= upper {
                result[result.count - 1].upper = span.upper.map { max($0, upper) }
            } else {
                result.append(span)
            }
        }
        return result
    }
}

extension Array where Element == TimeSpan {
    public func contains(_ moment: Date) -> Bool { contains { $0.contains(moment) } }

    /// PostgreSQL's text form of a `tstzmultirange`: `{(a,b],(c,)}`.
    public var multirangeLiteral: String {
        "{"
            + map { span in
                "(\(VietnamTime.rfc3339(span.lower)),\(span.upper.map { VietnamTime.rfc3339($0) + "]" } ?? ")")"
            }
            .joined(separator: ",") + "}"
    }
}
