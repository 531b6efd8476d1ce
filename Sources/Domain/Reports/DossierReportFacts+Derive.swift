import Foundation

extension DossierReportFacts {
    /// The facts of a dossier, from its history, without I/O. The journal's steps are replayed in the
    /// order of their `at` times (`DossierLifecycle.replay`, the projection's own rule), keeping the
    /// state after each one, so the facts say what the dossier was at every moment: an action keyed
    /// in late with a past `at` counts when it says it happened.
    public static func derive(_ history: DossierHistory, catalog: CatalogSnapshot) -> DossierReportFacts {
        let procedure = catalog.procedure(history.procedureCode, receivedAt: history.receivedAt)
        let restart = DueRestart.rule(
            procedure: history.procedureCode, unit: history.unitCode,
            channel: history.channel, receivedAt: history.receivedAt, catalog: catalog)
        let timeline = timeline(history, restart: restart)
        let final = timeline.last!.state
        var facts = DossierReportFacts(
            code: history.code, unitCode: history.unitCode, receivedAt: history.receivedAt, channel: history.channel,
            onlineLevel: history.channel == .online ? history.onlineLevel : nil,
            onlineOffered: procedure?.onlineLevel != nil, feeBearing: (procedure?.feeVnd ?? 0) > 0,
            paperResult: procedure?.paperResult ?? true)
        if let closed = timeline.first(where: { $0.state.status.isClosed }) {
            facts.closedAt = final.closedAt ?? closed.at
            facts.closedBy = closed.state.handlingUnit
            switch closed.state.status {
            case .resolved: facts.closing = .resolved
            case .rejected: facts.closing = .rejected
            default: facts.closing = .withdrawn
            }
            if facts.closing == .resolved { facts.timing = final.timing }
        }
        facts.overdue = overdueSpans(timeline)
        if let letter = final.apology {
            facts.apologyAt = letter.issuedAt
            facts.apologyTimely = letter.timely
            facts.escalationAt = letter.newDueAt
        }
        digitization(history, timeline: timeline, into: &facts)
        facts.paid = paidSpans(history.payments)
        if let group = history.linkedGroup {
            facts.linkedGroup = group
            // The outcome the group had (`linked_groups`): a partial group resolves its dossier but is not
            // completed; one an officer resolved by hand (stopped, no outcome) is: the resolve is its result.
            facts.linkedCompleted =
                facts.closing == .resolved
                && (history.linkedOutcome ?? LinkedOutcome.completed.rawValue) == LinkedOutcome.completed.rawValue
        }
        return facts
    }

    /// The state from each moment on: at receipt, then after each step in the order of the replay.
    static func timeline(_ history: DossierHistory, restart: @escaping DossierLifecycle.Restart)
        -> [(at: Date, state: DossierState)]
    {
        var initial = DossierState(
            code: history.code, unitCode: history.unitCode, receivedAt: history.receivedAt,
            dueAt: history.initialDueAt)
        if let handler = history.handlingUnit { initial.handlingUnit = handler }
        return DossierLifecycle.fold(initial, steps: history.steps, restart: restart).timeline
    }

    /// While open: overdue by definition once it has a letter or a second supplement request; else,
    /// unless it waits for the applicant, past the due moment its receipt then showed.
    static func overdueSpans(_ timeline: [(at: Date, state: DossierState)]) -> [TimeSpan] {
        var spans: [TimeSpan] = []
        for (index, entry) in timeline.enumerated() {
            let state = entry.state
            if state.status.isClosed { break }
            let upper = index + 1 < timeline.count ? timeline[index + 1].at : nil
            if let upper, upper <= entry.at { continue }
            if state.apology != nil || state.supplementRequests >= 2 {
                spans.append(TimeSpan(entry.at, upper))
            } else if !state.status.isPaused, upper.map({ state.originalDueAt < $0 }) ?? true {
                spans.append(TimeSpan(max(entry.at, state.originalDueAt), upper))
            }
        }
        return TimeSpan.merged(spans)
    }

    /// Components digitized at receipt count from it; files recorded later from their entry's time.
    private static func digitization(
        _ history: DossierHistory, timeline: [(at: Date, state: DossierState)],
        into facts: inout DossierReportFacts
    ) {
        func firstFile(_ target: DigitizationRecord.Target, _ name: String) -> Date? {
            history.fileEntries.filter { $0.target == target && (target == .result || $0.name == name) }.map(\.at).min()
        }
        var names = history.components.map(\.name)
        for entry in history.fileEntries where entry.target == .component && !names.contains(entry.name) {
            names.append(entry.name)
        }
        let moments = names.map { name -> Date? in
            if history.components.first(where: { $0.name == name })?.digitized == true { return history.receivedAt }
            return firstFile(.component, name)
        }
        if !moments.isEmpty, moments.allSatisfy({ $0 != nil }) {
            facts.fullyDigitizedAt = moments.compactMap { $0 }.max()
        }
        let reusedFiles = history.files.filter { $0.target == .component && $0.reused }.compactMap {
            firstFile(.component, $0.name)
        }
        if history.components.contains(where: { $0.reused == true }) {
            facts.reusedAt = history.receivedAt
        } else {
            facts.reusedAt = reusedFiles.min()
        }
        let withResult = timeline.first { $0.state.result != nil }
        facts.resultDigitizedAt = [withResult?.at, firstFile(.result, "")].compactMap { $0 }.min()
        let resultFile = history.files.first { $0.target == .result }
        facts.resultSigned = resultFile?.signed ?? timeline.last?.state.result?.signed ?? false
    }

    /// Succeeded notices add, refunds take away; paid while the sum is above zero.
    static func paidSpans(_ payments: [DossierHistory.Payment]) -> [TimeSpan] {
        var spans: [TimeSpan] = []
        var net = 0
        for payment in payments.sorted(by: { $0.paidAt < $1.paidAt }) {
            let before = net
            switch payment.status {
            case .succeeded: net = net.saturatingAdd(payment.amountVnd)
            case .refunded: net = net.saturatingAdd(-payment.amountVnd)
            case .failed: continue
            }
            if before <= 0, net > 0 { spans.append(TimeSpan(payment.paidAt, nil)) }
            if before > 0, net <= 0 { spans[spans.count - 1].upper = payment.paidAt }
        }
        return spans
    }
}
