import Domain
import Foundation
import Testing

/// DOMAIN.md §3: every transition, legal and illegal, and the supplement restart.
@Suite struct DossierLifecycleTests {
    static func t(_ text: String) -> Date { Timestamp.parse(text)! }
    let received = DossierState(
        code: "000.00.19.H56-261116-0001", unitCode: "000.00.19.H56",
        receivedAt: t("2026-11-16T09:00:00+07:00"), dueAt: t("2026-11-19T17:00:00+07:00"))
    let restart: DossierLifecycle.Restart = { $0.addingTimeInterval(3 * 86_400) }

    func act(
        _ type: ActionType, _ at: String = "2026-11-17T10:00:00+07:00", newDueAt: String? = nil,
        toUnit: String? = nil
    ) -> DossierAction {
        DossierAction(type: type, at: Self.t(at), reason: "lý do", toUnit: toUnit, newDueAt: newDueAt.map(Self.t))
    }

    func state(after actions: [DossierAction]) -> (DossierState, [DossierLifecycle.Refusal?]) {
        DossierLifecycle.replay(received, actions, restart: restart)
    }

    @Test(arguments: [
        (DossierStatus.received, [ActionType.requestSupplement, .transfer, .extend, .resolve, .reject, .withdraw]),
        (.supplementRequested, [.supplement, .extend, .reject, .withdraw]),
        (.inProgress, [.requestSupplement, .transfer, .extend, .resolve, .reject, .withdraw]),
        (.resolved, [.return]), (.rejected, [.return]), (.returned, []), (.withdrawn, []),
    ])
    func onlyTheLegalTransitionsApply(from status: DossierStatus, legal: [ActionType]) {
        var start = received
        start.status = status
        for type in ActionType.allCases {
            let action = act(type, newDueAt: "2026-11-25T17:00:00+07:00", toUnit: "000.00.15.H56")
            let applied = (try? DossierLifecycle.apply(action, to: start, restart: restart).get()) != nil
            #expect(applied == legal.contains(type), "\(type.rawValue) from \(status.rawValue)")
        }
    }

    @Test func aSupplementRestartsTheTimeLimitAndReplacesTheReceiptsDueMoment() {
        let (s, refusals) = state(after: [
            act(.requestSupplement, "2026-11-16T10:00:00+07:00"),
            act(.supplement, "2026-11-17T10:00:00+07:00"),
        ])
        #expect(refusals == [nil, nil])
        #expect(s.status == .received)
        #expect(s.dueAt == Self.t("2026-11-20T10:00:00+07:00"))
        // DOMAIN.md §3: the new receipt's due moment replaces the first one.
        #expect(s.originalDueAt == s.dueAt)
        // Closed after the first due moment but before the restarted one: early, not overdue.
        let (closed, _) = state(after: [
            act(.requestSupplement, "2026-11-16T10:00:00+07:00"),
            act(.supplement, "2026-11-17T10:00:00+07:00"),
            act(.resolve, "2026-11-19T17:30:00+07:00"),
        ])
        #expect(closed.timing == .early)
    }

    @Test func aSupplementReturnsToTheStateBeforeTheRequest() {
        let (s, _) = state(after: [
            act(.transfer, "2026-11-16T10:00:00+07:00", toUnit: "000.00.15.H56"),
            act(.requestSupplement, "2026-11-16T11:00:00+07:00"), act(.supplement),
        ])
        #expect(s.status == .inProgress && s.handlingUnit == "000.00.15.H56")
    }

    @Test func classificationAtTheDayBoundaries() {
        let due = Self.t("2026-11-19T17:00:00+07:00")
        func classify(_ at: String, apology: Bool = false, supplements: Int = 0) -> Timing {
            DossierState.classify(
                closedAt: Self.t(at), originalDueAt: due,
                apology: apology
                    ? ApologyLetter(
                        number: "x", reason: "", newDueAt: due, issuedAt: due,
                        timely: true) : nil,
                supplementRequests: supplements)
        }
        #expect(classify("2026-11-18T23:59:59+07:00") == .early)
        #expect(classify("2026-11-19T00:00:00+07:00") == .onTime)
        #expect(classify("2026-11-19T17:00:00+07:00") == .onTime)
        #expect(classify("2026-11-19T17:00:01+07:00") == .overdue)
        #expect(classify("2026-11-18T10:00:00+07:00", apology: true) == .overdue)
        #expect(classify("2026-11-18T10:00:00+07:00", supplements: 2) == .overdue)
    }

    @Test func anExtensionIsAllowedOnceAndOnlyBeforeTheDueMoment() {
        let extend = act(.extend, "2026-11-19T09:00:00+07:00", newDueAt: "2026-11-24T17:00:00+07:00")
        let (s, refusals) = state(after: [
            extend,
            act(
                .extend, "2026-11-19T10:00:00+07:00",
                newDueAt: "2026-11-26T17:00:00+07:00"),
        ])
        #expect(refusals[0] == nil && refusals[1] != nil)
        #expect(s.dueAt == Self.t("2026-11-24T17:00:00+07:00") && s.originalDueAt == received.dueAt)
        #expect(s.apology?.timely == true)
        let late = state(after: [act(.extend, "2026-11-19T17:30:00+07:00", newDueAt: "2026-11-24T17:00:00+07:00")])
        #expect(late.1[0] != nil)
    }

    @Test func actionsApplyInTheOrderOfTheirTimesWhateverTheOrderTheyCame() {
        let resolve = act(.resolve, "2026-11-18T10:00:00+07:00")
        let giveBack = act(.return, "2026-11-18T15:00:00+07:00")
        let transfer = act(.transfer, "2026-11-17T09:00:00+07:00", toUnit: "000.00.15.H56")
        let (s, refusals) = state(after: [giveBack, resolve, transfer])
        #expect(refusals == [nil, nil, nil])
        #expect(s.status == .returned && s.timing == .early)
    }

    @Test func nothingReopensAClosedDossier() {
        let (s, refusals) = state(after: [act(.withdraw, "2026-11-16T10:00:00+07:00"), act(.resolve)])
        #expect(s.status == .withdrawn)
        #expect(refusals[1]?.description.contains("closed") == true)
    }
}
