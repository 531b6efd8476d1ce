/// The report of one unit over one period: CONTRACT.md's `motcua report --format json` document, and
/// the answer of `GET /v1/reports`. Built from counts only, so a row of `--children` and the total
/// row are made the same way and the total is their sum.
public struct UnitReport: Encodable, Sendable, Equatable {
    public struct Received: Encodable, Sendable, Equatable {
        public var total, direct, online, onlinePartial, onlineFull, postal, carriedOver: Int
    }

    public struct Closed: Encodable, Sendable, Equatable {
        public var resolved, early, onTime, overdue, rejected, withdrawn: Int
    }

    public struct Open: Encodable, Sendable, Equatable {
        public var total, withinTime, overdue: Int
    }

    public struct Rates: Encodable, Sendable, Equatable {
        public var onTime, online, digitizedDossiers, digitizedResults, reuse: Rate
    }

    public struct Payments: Encodable, Sendable, Equatable {
        public var count, totalVnd: Int
    }

    public struct LinkedGroup: Encodable, Sendable, Equatable {
        public var received, completed: Int
    }

    public struct LinkedGroups: Encodable, Sendable, Equatable {
        public var birth, death: LinkedGroup
    }

    public struct Apologies: Encodable, Sendable, Equatable {
        public var issued, timely, notTimely, escalations: Int
    }

    /// An addition (DOMAIN.md §11, "resolved by"): dossiers closed in the period by the unit handling them then,
    /// wherever they were received; `receivedElsewhere` of those, the ones another unit received.
    public struct ResolvedBy: Encodable, Sendable, Equatable {
        public var total, resolved, early, onTime, overdue, rejected, withdrawn, receivedElsewhere: Int
    }

    public var unit: String
    /// An addition to the contract's fields: the unit's name, for people.
    public var unitName: String
    /// An addition: `subtree` (the unit and its descendants), for the row of a unit's own dossiers among
    /// its children's rows `own`, and for the row of a predecessor (a unit that ended into it) `predecessor`.
    public var scope: String
    public var from: String
    public var to: String
    public var received: Received
    public var closed: Closed
    public var open: Open
    public var rates: Rates
    public var payments: Payments
    public var linkedGroups: LinkedGroups
    public var apologies: Apologies
    /// What the row's units closed, beside what they received (`received`, `closed`: by the receiving unit).
    public var resolvedBy: ResolvedBy
    public var index766: [IndicatorScore]
    public var children: [UnitReport]

    public init(
        unit: String, unitName: String, scope: String = "subtree", period: ReportPeriod, counts c: ReportCounts,
        indicators: [Indicator766], children: [UnitReport] = []
    ) {
        self.unit = unit
        self.unitName = unitName
        self.scope = scope
        from = period.from.description
        to = period.to.description
        received = Received(
            total: c.received, direct: c.direct, online: c.online, onlinePartial: c.onlinePartial,
            onlineFull: c.onlineFull, postal: c.postal, carriedOver: c.carriedOver)
        closed = Closed(
            resolved: c.resolved, early: c.early, onTime: c.onTime, overdue: c.overdue, rejected: c.rejected,
            withdrawn: c.withdrawn)
        open = Open(total: c.open, withinTime: c.openWithinTime, overdue: c.openOverdue)
        rates = Rates(
            onTime: Rate(numerator: c.early + c.onTime, denominator: c.resolved),
            online: Rate(numerator: c.online, denominator: c.receivedInPeriod),
            digitizedDossiers: Rate(numerator: c.digitizedDossiers, denominator: c.received),
            digitizedResults: Rate(numerator: c.digitizedResults, denominator: c.paperResults),
            reuse: Rate(numerator: c.reusedDossiers, denominator: c.received))
        payments = Payments(count: c.payments, totalVnd: c.paymentsVnd)
        linkedGroups = LinkedGroups(
            birth: LinkedGroup(received: c.birthReceived, completed: c.birthCompleted),
            death: LinkedGroup(received: c.deathReceived, completed: c.deathCompleted))
        apologies = Apologies(
            issued: c.apologiesTimely + c.apologiesNotTimely, timely: c.apologiesTimely,
            notTimely: c.apologiesNotTimely, escalations: c.escalations)
        resolvedBy = ResolvedBy(
            total: c.closedByTotal, resolved: c.closedByResolved, early: c.closedByEarly, onTime: c.closedByOnTime,
            overdue: c.closedByOverdue, rejected: c.closedByRejected, withdrawn: c.closedByWithdrawn,
            receivedElsewhere: c.closedByReceivedElsewhere)
        index766 = indicators.map { $0.score(c) }
        self.children = children
    }
}
