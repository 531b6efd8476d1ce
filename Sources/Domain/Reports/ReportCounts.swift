/// The counts one report row is made of, for one unit (and its descendants) over one period: every
/// figure is a count of dossiers (or payments) under a condition of `ReportTally`, so rows add up.
/// The names are the measures indicator formulas refer to (`Indicator766`).
public struct ReportCounts: Sendable, Equatable {
    public var direct = 0, online = 0, onlinePartial = 0, onlineFull = 0, postal = 0
    public var carriedOver = 0
    /// Received in the period, of procedures offered online.
    public var onlineOffered = 0
    public var early = 0, onTime = 0, overdue = 0, rejected = 0, withdrawn = 0
    public var openWithinTime = 0, openOverdue = 0
    /// Of the received ones (in the period and carried over): fully digitized, with a reused component.
    public var digitizedDossiers = 0, reusedDossiers = 0
    /// Resolved in the period with a paper result, and those whose result file was recorded.
    public var paperResults = 0, digitizedResults = 0
    /// Resolved in the period with a digitally signed result file.
    public var electronicResults = 0
    /// Received in the period for a procedure with a fee, and those paid (net) online.
    public var feeDossiers = 0, paidDossiers = 0
    /// Payment notices in the period: succeeded ones less refunds, and their net amount.
    public var payments = 0, paymentsVnd = 0
    public var birthReceived = 0, birthCompleted = 0, deathReceived = 0, deathCompleted = 0
    public var apologiesTimely = 0, apologiesNotTimely = 0, escalations = 0
    /// "Resolved by" (DOMAIN.md §11): dossiers closed in the period by the row's units (the unit handling each
    /// at its closing step), wherever they were received; and of those, the ones another unit received.
    public var closedByEarly = 0, closedByOnTime = 0, closedByOverdue = 0, closedByRejected = 0,
        closedByWithdrawn = 0
    public var closedByReceivedElsewhere = 0

    public init() {}

    public var receivedInPeriod: Int { direct + online + postal }
    public var received: Int { receivedInPeriod + carriedOver }
    public var resolved: Int { early + onTime + overdue }
    public var open: Int { openWithinTime + openOverdue }
    public var closedByResolved: Int { closedByEarly + closedByOnTime + closedByOverdue }
    public var closedByTotal: Int { closedByResolved + closedByRejected + closedByWithdrawn }

    /// The measures by the names formulas use, as the JSON document names them where it has them.
    public static let measures: [String: KeyPath<ReportCounts, Int> & Sendable] = [
        "received.total": \.received, "received.inPeriod": \.receivedInPeriod, "received.direct": \.direct,
        "received.online": \.online, "received.onlinePartial": \.onlinePartial, "received.onlineFull": \.onlineFull,
        "received.postal": \.postal, "received.carriedOver": \.carriedOver, "received.onlineOffered": \.onlineOffered,
        "closed.resolved": \.resolved, "closed.early": \.early, "closed.onTime": \.onTime, "closed.overdue": \.overdue,
        "closed.rejected": \.rejected, "closed.withdrawn": \.withdrawn,
        "open.total": \.open, "open.withinTime": \.openWithinTime, "open.overdue": \.openOverdue,
        "digitization.dossiers": \.digitizedDossiers, "digitization.reused": \.reusedDossiers,
        "digitization.paperResults": \.paperResults, "digitization.results": \.digitizedResults,
        "digitization.electronicResults": \.electronicResults,
        "payments.count": \.payments, "payments.feeDossiers": \.feeDossiers, "payments.paidDossiers": \.paidDossiers,
        "resolvedBy.total": \.closedByTotal, "resolvedBy.resolved": \.closedByResolved,
        "resolvedBy.early": \.closedByEarly, "resolvedBy.onTime": \.closedByOnTime,
        "resolvedBy.overdue": \.closedByOverdue, "resolvedBy.rejected": \.closedByRejected,
        "resolvedBy.withdrawn": \.closedByWithdrawn, "resolvedBy.receivedElsewhere": \.closedByReceivedElsewhere,
    ]

    /// Field by field.
    public static func + (a: ReportCounts, b: ReportCounts) -> ReportCounts {
        var sum = ReportCounts()
        for path in allFields { sum[keyPath: path] = a[keyPath: path].saturatingAdd(b[keyPath: path]) }
        return sum
    }

    static let allFields: [WritableKeyPath<ReportCounts, Int> & Sendable] = [
        \.direct, \.online, \.onlinePartial, \.onlineFull, \.postal, \.carriedOver, \.onlineOffered, \.early, \.onTime,
        \.overdue, \.rejected, \.withdrawn, \.openWithinTime, \.openOverdue, \.digitizedDossiers, \.reusedDossiers,
        \.paperResults, \.digitizedResults, \.electronicResults, \.feeDossiers, \.paidDossiers, \.payments,
        \.paymentsVnd, \.birthReceived, \.birthCompleted, \.deathReceived, \.deathCompleted, \.apologiesTimely,
        \.apologiesNotTimely, \.escalations, \.closedByEarly, \.closedByOnTime, \.closedByOverdue, \.closedByRejected,
        \.closedByWithdrawn, \.closedByReceivedElsewhere,
    ]
}
