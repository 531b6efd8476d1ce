import Foundation

/// The definitions of DOMAIN.md §10 as conditions on one dossier's facts, for a period: pure, so
/// each is unit-tested on hand-built journals. `ReportQuery` asks PostgreSQL the very same conditions.
/// F is the period's first instant, E the first instant after it, S the moment stocks are counted
/// at (E, or now while the period runs), N now.
public struct ReportTally: Sendable {
    public let period: ReportPeriod
    public let now: Date

    public init(period: ReportPeriod, now: Date) {
        self.period = period
        self.now = now
    }

    /// Adds one dossier's contribution to `counts`.
    public func add(_ d: DossierReportFacts, to counts: inout ReportCounts) {
        let (f, e, s) = (period.start, period.end, period.stockMoment(now: now))
        let inPeriod = d.receivedAt >= f && d.receivedAt < e
        let carried = d.receivedAt < f && d.isOpen(at: f)
        let counted = inPeriod || carried
        if inPeriod {
            switch d.channel {
            case .direct: counts.direct += 1
            case .postal: counts.postal += 1
            case .online:
                counts.online += 1
                if d.onlineLevel == .partial { counts.onlinePartial += 1 }
                if d.onlineLevel == .full { counts.onlineFull += 1 }
            }
            if d.onlineOffered { counts.onlineOffered += 1 }
            if d.feeBearing {
                counts.feeDossiers += 1
                if d.paid.contains(s) { counts.paidDossiers += 1 }
            }
            if d.linkedGroup == .birth { counts.birthReceived += 1 }
            if d.linkedGroup == .death { counts.deathReceived += 1 }
        }
        if carried { counts.carriedOver += 1 }
        if counted {
            if let at = d.fullyDigitizedAt, at < s { counts.digitizedDossiers += 1 }
            if let at = d.reusedAt, at < s { counts.reusedDossiers += 1 }
        }
        if let closed = d.closedAt, closed >= f, closed < e, let closing = d.closing {
            switch closing {
            case .resolved:
                switch d.timing {
                case .early?: counts.early += 1
                case .onTime?: counts.onTime += 1
                default: counts.overdue += 1
                }
                let result = d.resultDigitizedAt.map { $0 < s } ?? false
                if d.paperResult {
                    counts.paperResults += 1
                    if result { counts.digitizedResults += 1 }
                }
                if result && d.resultSigned { counts.electronicResults += 1 }
                if d.linkedCompleted && d.linkedGroup == .birth { counts.birthCompleted += 1 }
                if d.linkedCompleted && d.linkedGroup == .death { counts.deathCompleted += 1 }
            case .rejected: counts.rejected += 1
            case .withdrawn: counts.withdrawn += 1
            }
        }
        if counted && d.isOpen(at: s) {
            if d.overdue.contains(s) { counts.openOverdue += 1 } else { counts.openWithinTime += 1 }
        }
        if let at = d.apologyAt, at >= f, at < e {
            if d.apologyTimely == true { counts.apologiesTimely += 1 } else { counts.apologiesNotTimely += 1 }
        }
        if let at = d.escalationAt, at >= f, at < e, at <= now, d.closedAt.map({ $0 > at }) ?? true {
            counts.escalations += 1
        }
    }

    /// Adds one dossier's closing to `counts`, for the row of the unit that closed it ("resolved by"): closed in
    /// the period, by how it closed, and whether another unit received it.
    public func addClosing(_ d: DossierReportFacts, to counts: inout ReportCounts) {
        guard let closed = d.closedAt, closed >= period.start, closed < period.end, let closing = d.closing else {
            return
        }
        switch closing {
        case .resolved:
            switch d.timing {
            case .early?: counts.closedByEarly += 1
            case .onTime?: counts.closedByOnTime += 1
            default: counts.closedByOverdue += 1
            }
        case .rejected: counts.closedByRejected += 1
        case .withdrawn: counts.closedByWithdrawn += 1
        }
        if d.closedBy != d.unitCode { counts.closedByReceivedElsewhere += 1 }
    }

    /// A payment notice of the period: a success counts, a refund takes one away, with its amount.
    public func add(_ payment: DossierHistory.Payment, to counts: inout ReportCounts) {
        guard payment.paidAt >= period.start, payment.paidAt < period.end else { return }
        switch payment.status {
        case .succeeded:
            counts.payments += 1
            counts.paymentsVnd = counts.paymentsVnd.saturatingAdd(payment.amountVnd)
        case .refunded:
            counts.payments -= 1
            counts.paymentsVnd = counts.paymentsVnd.saturatingAdd(-payment.amountVnd)
        case .failed: break
        }
    }

    /// The counts of `dossiers` and `payments` in one row: each dossier's receipt and its closing.
    public func counts(_ dossiers: [DossierReportFacts], payments: [DossierHistory.Payment] = []) -> ReportCounts {
        var counts = ReportCounts()
        for dossier in dossiers {
            add(dossier, to: &counts)
            addClosing(dossier, to: &counts)
        }
        for payment in payments { add(payment, to: &counts) }
        return counts
    }

    /// The counts of each row of `membership` (`ReportQuery.counts` without payments): a dossier's receipt
    /// counts in the row of its receiving unit on its receipt's day, its closing in the row of the unit that
    /// closed it on its closing's day; either may be outside the report.
    public func counts(_ dossiers: [DossierReportFacts], membership: ReportMembership) -> [Int: ReportCounts] {
        var rows: [Int: ReportCounts] = [:]
        for dossier in dossiers {
            if let row = membership.row(of: dossier.unitCode, at: dossier.receivedAt) {
                add(dossier, to: &rows[row, default: ReportCounts()])
            }
            if let closer = dossier.closedBy, let closedAt = dossier.closedAt,
                let row = membership.row(of: closer, at: closedAt)
            {
                addClosing(dossier, to: &rows[row, default: ReportCounts()])
            }
        }
        return rows
    }
}
