import Domain
import Foundation
import Testing

/// DOMAIN.md §5: which timers a dossier has, against the working calendar.
@Suite struct DeadlineScheduleTests {
    static func t(_ text: String) -> Date { Timestamp.parse(text)! }
    let calendar = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data())).calendar
    let restart: DossierLifecycle.Restart = { $0.addingTimeInterval(3 * 86_400) }

    func state(due: String, after actions: [DossierAction] = []) -> DossierState {
        let initial = DossierState(
            code: "000.00.19.H56-261116-0001", unitCode: "000.00.19.H56",
            receivedAt: Self.t("2026-01-05T09:00:00+07:00"), dueAt: Self.t(due))
        return DossierLifecycle.replay(initial, actions, restart: restart).state
    }

    func timers(_ state: DossierState) -> [DeadlineKind: DeadlineTimer] {
        Dictionary(
            uniqueKeysWithValues: DeadlineSchedule.timers(for: state, leadWorkingDays: 1, calendar: calendar)
                .map { ($0.kind, $0) })
    }

    @Test func dueSoonIsOneWorkingDayBeforeAcrossAWeekendAndAcrossTet() {
        // Due Monday 23/11/2026 17:00: due soon the Friday before.
        let monday = timers(state(due: "2026-11-23T17:00:00+07:00"))
        #expect(monday[.dueSoon]?.fireAt == Self.t("2026-11-20T17:00:00+07:00"))
        #expect(monday[.overdue]?.fireAt == Self.t("2026-11-23T17:00:00+07:00"))
        #expect(monday[.escalated] == nil, "no escalation without a letter")
        // Due Monday 23/02/2026, the first working day after Tết (16–20/02): the Friday before Tết.
        let tet = timers(state(due: "2026-02-23T17:00:00+07:00"))
        #expect(tet[.dueSoon]?.fireAt == Self.t("2026-02-13T17:00:00+07:00"))
        // A make-up Saturday counts: due Monday 12/01/2026, one working day before is Saturday 10/01.
        #expect(
            timers(state(due: "2026-01-12T17:00:00+07:00"))[.dueSoon]?.fireAt == Self.t("2026-01-10T17:00:00+07:00"))
    }

    /// The console's "due soon" is the moment the due-soon timer fires, for a dossier whose time runs.
    @Test func dueSoonFromTheTimersMomentWhileTheTimeRuns() {
        let due = Self.t("2026-11-23T17:00:00+07:00")  // Monday; due soon from Friday 20/11 17:00
        func dueSoon(_ status: DossierStatus, at now: String) -> Bool {
            DeadlineSchedule.isDueSoon(
                status: status, originalDueAt: due, now: Self.t(now), leadWorkingDays: 1, calendar: calendar)
        }
        #expect(!dueSoon(.inProgress, at: "2026-11-20T16:59:59+07:00"))
        #expect(dueSoon(.inProgress, at: "2026-11-20T17:00:00+07:00"))
        #expect(dueSoon(.received, at: "2026-11-24T09:00:00+07:00"), "past the due moment it stays due soon")
        #expect(!dueSoon(.supplementRequested, at: "2026-11-21T09:00:00+07:00"), "paused")
        #expect(!dueSoon(.resolved, at: "2026-11-21T09:00:00+07:00"), "closed")
        let timer = timers(state(due: "2026-11-23T17:00:00+07:00"))[.dueSoon]
        #expect(timer?.fireAt == Self.t("2026-11-20T17:00:00+07:00"), "the same moment as the timer's")
    }

    @Test func aSupplementPausesTheTimersAndItsCompletionReschedulesThem() {
        let request = DossierAction(type: .requestSupplement, at: Self.t("2026-11-17T10:00:00+07:00"), reason: "thiếu")
        #expect(timers(state(due: "2026-11-19T17:00:00+07:00", after: [request])).isEmpty)
        let completed = state(
            due: "2026-11-19T17:00:00+07:00",
            after: [request, DossierAction(type: .supplement, at: Self.t("2026-11-18T10:00:00+07:00"))])
        let resumed = timers(completed)
        #expect(resumed[.overdue]?.fireAt == Self.t("2026-11-21T10:00:00+07:00"), "from the restarted due moment")
        #expect(resumed[.overdue]?.dueAt == completed.originalDueAt)
    }

    @Test func anExtensionAddsTheEscalationAndNeverMovesTheReceiptsDueMoment() {
        let extend = DossierAction(
            type: .extend, at: Self.t("2026-11-19T09:00:00+07:00"), reason: "cần xác minh",
            newDueAt: Self.t("2026-11-24T17:00:00+07:00"))
        let extended = timers(state(due: "2026-11-19T17:00:00+07:00", after: [extend]))
        #expect(extended[.overdue]?.fireAt == Self.t("2026-11-19T17:00:00+07:00"))
        #expect(extended[.escalated]?.fireAt == Self.t("2026-11-24T17:00:00+07:00"))
        #expect(extended[.dueSoon]?.dueAt == Self.t("2026-11-19T17:00:00+07:00"))
    }

    @Test func aClosedDossierHasNoTimers() {
        for type in [ActionType.resolve, .reject, .withdraw] {
            let closed = state(
                due: "2026-11-19T17:00:00+07:00",
                after: [DossierAction(type: type, at: Self.t("2026-11-18T10:00:00+07:00"), reason: "x")])
            #expect(timers(closed).isEmpty, "\(type)")
        }
    }

    @Test func alertIdsFollowTheDueMoment() {
        let due = Self.t("2026-11-19T17:00:00+07:00")
        let code = "000.00.19.H56-261116-0001"
        #expect(
            DeadlineSchedule.alertId(code: code, kind: .overdue, dueAt: due)
                == DeadlineSchedule.alertId(code: code, kind: .overdue, dueAt: due))
        #expect(
            DeadlineSchedule.alertId(code: code, kind: .overdue, dueAt: due)
                != DeadlineSchedule.alertId(code: code, kind: .overdue, dueAt: due.addingTimeInterval(86_400)))
        #expect(
            DeadlineSchedule.alertId(code: code, kind: .overdue, dueAt: due)
                != DeadlineSchedule.alertId(code: code, kind: .dueSoon, dueAt: due))
    }
}
