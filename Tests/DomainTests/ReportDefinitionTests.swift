import Domain
import Foundation
import Testing

/// DOMAIN.md §10's definitions on small hand-built journals (`DossierReportFacts.derive`, `ReportTally`).
@Suite struct ReportDefinitionTests {
    typealias F = ReportFixtures
    static func period(_ from: String, _ to: String) -> ReportPeriod {
        ReportPeriod(from: LocalDate(iso: from)!, to: LocalDate(iso: to)!)!
    }

    @Test func periodsAreWholeLocalDaysFromMidnightUTCPlus7() {
        let histories = [
            F.history(received: "2023-08-23T23:59:59+07:00"),  // the day before: carried over
            F.history(received: "2023-08-23T17:00:00Z"),  // 24/8 00:00 local: inside
            F.history(received: "2023-09-24T23:59:59+07:00"),  // the last second: inside
            F.history(received: "2023-09-25T00:00:00+07:00"),  // the day after: outside
            F.history(received: "2023-08-20T09:00:00+07:00", steps: [F.act(.resolve, "2023-08-23T23:59:59+07:00")]),
            // Closed at midnight after the period: still open at its end, and not closed in it.
            F.history(received: "2023-09-20T09:00:00+07:00", steps: [F.act(.resolve, "2023-09-25T00:00:00+07:00")]),
            // Closed at the period's first instant: carried over and closed in the period.
            F.history(received: "2023-08-21T09:00:00+07:00", steps: [F.act(.resolve, "2023-08-24T00:00:00+07:00")]),
        ]
        let c = F.counts(histories)
        #expect(c.direct == 3 && c.carriedOver == 2 && c.received == 5)
        #expect(c.resolved == 1 && c.onTime == 1)
        // Due 29/8 17:00 (the first two), 28/9 and 25/9: overdue, overdue, within, within at 25/9 00:00.
        #expect(c.open == 4 && c.openOverdue == 2 && c.openWithinTime == 2)
        #expect(c.received == c.resolved + c.rejected + c.withdrawn + c.open)
    }

    @Test func carriedOverIsReceivedBeforeAndOpenAtTheStart() {
        let histories = [
            F.history(received: "2023-08-10T09:00:00+07:00"),
            F.history(received: "2023-08-10T09:00:00+07:00", steps: [F.act(.withdraw, "2023-08-30T09:00:00+07:00")]),
            F.history(received: "2023-08-10T09:00:00+07:00", steps: [F.act(.reject, "2023-08-11T09:00:00+07:00")]),
            F.history(
                received: "2023-08-10T09:00:00+07:00",
                steps: [
                    F.act(.resolve, "2023-08-11T09:00:00+07:00"),
                    F.act(.return, "2023-08-30T09:00:00+07:00"),
                ]),
        ]
        let c = F.counts(histories)
        #expect(c.carriedOver == 2 && c.receivedInPeriod == 0)
        #expect(c.withdrawn == 1 && c.rejected == 0 && c.resolved == 0 && c.open == 1 && c.openOverdue == 1)
    }

    @Test func aBackDatedActionCountsInThePeriodOfItsTime() {
        // Keyed in out of order: the resolve (9/9) was recorded before the transfer (5/9) it follows.
        let late = F.history(
            received: "2023-09-04T09:00:00+07:00",
            steps: [F.act(.resolve, "2023-09-09T10:00:00+07:00"), F.act(.transfer, "2023-09-05T10:00:00+07:00")])
        // A withdrawal keyed in during the period, for a day before it: the dossier was not open at its start.
        let gone = F.history(
            received: "2023-08-15T09:00:00+07:00", steps: [F.act(.withdraw, "2023-08-20T09:00:00+07:00")])
        let c = F.counts([late, gone])
        #expect(c.direct == 1 && c.carriedOver == 0 && c.withdrawn == 0)
        // Received Mon 4/9 (a holiday: counted from Tue 5/9), due Fri 8/9 17:00: closed on Sat 9/9, overdue.
        #expect(c.resolved == 1 && c.overdue == 1)
        let october = F.counts([late, gone], period: Self.period("2023-10-01", "2023-10-31"))
        #expect(october == ReportCounts())
    }

    @Test func aCompletedSupplementRestartsTheDueMomentItIsClassifiedAgainst() {
        // Received Mon 28/8 09:00, due Thu 31/8 17:00; waiting for the applicant from 29/8; completed Wed 6/9
        // 10:00, the time limit restarts (Fri 1/9 and Mon 4/9 are holidays): due Mon 11/9 17:00.
        let steps = [
            F.act(.resolve, "2023-09-08T10:00:00+07:00"), F.act(.supplement, "2023-09-06T10:00:00+07:00"),
            F.act(.requestSupplement, "2023-08-29T10:00:00+07:00"),
        ]
        let early = F.history(received: "2023-08-28T09:00:00+07:00", steps: steps)
        #expect(F.facts(early).timing == .early && F.facts(early).overdue.isEmpty)
        // Waiting for the supplement at the end of 31/8: open and within time, though past the first due moment.
        let august = F.counts([early], period: Self.period("2023-08-24", "2023-08-31"))
        #expect(august.open == 1 && august.openWithinTime == 1)
        #expect(F.counts([early]).early == 1)

        let late = F.history(
            received: "2023-08-28T09:00:00+07:00",
            steps: [steps[2], steps[1], F.act(.resolve, "2023-09-12T10:00:00+07:00")])
        #expect(F.counts([late], period: Self.period("2023-08-24", "2023-09-10")).openWithinTime == 1)
        #expect(F.counts([late], period: Self.period("2023-08-24", "2023-09-11")).openOverdue == 1)
        #expect(F.counts([late]).overdue == 1)

        // A second request makes it overdue by definition (Decision 766 §2.1), from that moment.
        let twice = F.history(
            received: "2023-08-28T09:00:00+07:00",
            steps: [
                F.act(.requestSupplement, "2023-08-29T10:00:00+07:00"),
                F.act(.supplement, "2023-08-30T10:00:00+07:00"),
                F.act(.requestSupplement, "2023-08-30T14:00:00+07:00"),
                F.act(.supplement, "2023-08-31T10:00:00+07:00"),
                F.act(.resolve, "2023-09-01T10:00:00+07:00"),
            ])
        #expect(F.counts([twice], period: Self.period("2023-08-24", "2023-08-30")).openOverdue == 1)
        #expect(F.counts([twice]).overdue == 1)
    }

    @Test func refundsAreNettedInThePeriodOfTheRefund() {
        let paid = F.history(
            received: "2023-08-25T09:00:00+07:00", channel: .online, level: .full,
            payments: [
                .init(status: .succeeded, amountVnd: 100_000, paidAt: F.t("2023-08-25T09:05:00+07:00")),
                .init(status: .refunded, amountVnd: 100_000, paidAt: F.t("2023-10-02T09:00:00+07:00")),
            ])
        let refunded = F.history(
            received: "2023-08-26T09:00:00+07:00", channel: .online, level: .full,
            payments: [
                .init(status: .succeeded, amountVnd: 100_000, paidAt: F.t("2023-08-26T09:05:00+07:00")),
                .init(status: .failed, amountVnd: 100_000, paidAt: F.t("2023-08-26T09:01:00+07:00")),
                .init(status: .refunded, amountVnd: 100_000, paidAt: F.t("2023-08-27T09:00:00+07:00")),
            ])
        let free = F.history(received: "2023-08-26T09:00:00+07:00", procedure: "2.000884")
        let c = F.counts([paid, refunded, free])
        #expect(c.payments == 1 && c.paymentsVnd == 100_000)
        // Of the two dossiers with a fee, one was paid (net) at the end of the period.
        #expect(c.feeDossiers == 2 && c.paidDossiers == 1)
        let october = F.counts([paid, refunded, free], period: Self.period("2023-10-01", "2023-10-31"))
        #expect(october.payments == -1 && october.paymentsVnd == -100_000)
    }

    @Test func apologiesAndEscalationsCountWhenTheyHappened() {
        // Received Mon 28/8, due Thu 31/8 17:00. The agency apologises on 30/8 (timely), new due 7/9.
        let extended = F.history(
            received: "2023-08-28T09:00:00+07:00",
            steps: [
                F.act(.extend, "2023-08-30T10:00:00+07:00", newDueAt: "2023-09-07T17:00:00+07:00"),
                F.act(.resolve, "2023-09-06T10:00:00+07:00"),
            ])
        // Still open at the due moment: the pipeline's own letter, then closed after its new due moment.
        let automatic = F.history(
            received: "2023-08-28T09:00:00+07:00",
            steps: [
                .automaticLetter(
                    AutomaticLetter(
                        reason: "quá hạn", newDueAt: F.t("2023-09-07T17:00:00+07:00"),
                        issuedAt: F.t("2023-08-31T17:00:00+07:00"))),
                F.act(.resolve, "2023-09-08T10:00:00+07:00"),
            ])
        let c = F.counts([extended, automatic])
        #expect(c.apologiesTimely == 1 && c.apologiesNotTimely == 1 && c.escalations == 1)
        #expect(c.overdue == 2)
        // An apology makes an open dossier overdue by definition, before its due moment too.
        let august = F.counts([extended], period: Self.period("2023-08-24", "2023-08-30"))
        #expect(august.openOverdue == 1 && august.apologiesTimely == 1)
    }

    @Test func digitizationCountsFilesRecordedByTheEndOfThePeriod() {
        let signed = FileView(
            sha256: String(repeating: "a", count: 64), bytes: 10, mediaType: "application/pdf", signed: true)
        let later = F.history(
            received: "2023-09-20T09:00:00+07:00",
            steps: [F.act(.resolve, "2023-09-21T10:00:00+07:00", result: signed)],
            components: [Component(name: "Tờ khai", digitized: true), Component(name: "CCCD", digitized: false)],
            fileEntries: [DossierHistory.FileEntry(at: F.t("2023-09-26T08:00:00+07:00"), reason: "component CCCD")!])
        let reused = F.history(
            received: "2023-09-20T09:00:00+07:00", steps: [F.act(.resolve, "2023-09-21T10:00:00+07:00")],
            components: [Component(name: "Tờ khai", digitized: true, reused: true)])
        let notPaper = F.history(
            received: "2023-09-20T09:00:00+07:00", procedure: "2.000884",
            steps: [F.act(.resolve, "2023-09-21T10:00:00+07:00")])
        let c = F.counts([later, reused, notPaper])
        #expect(c.digitizedDossiers == 2 && c.reusedDossiers == 1 && c.received == 3)
        #expect(c.paperResults == 2 && c.digitizedResults == 1 && c.electronicResults == 1)
        #expect(F.counts([later], period: Self.period("2023-09-20", "2023-09-30")).digitizedDossiers == 1)
    }

    @Test func linkedGroupsCountReceivedAndCompleted() {
        let done = F.history(
            received: "2023-09-05T09:00:00+07:00", channel: .online, level: .full, procedure: "1.001193",
            steps: [F.act(.resolve, "2023-09-06T10:00:00+07:00")], linkedGroup: .birth)
        let partial = F.history(
            received: "2023-09-05T09:00:00+07:00", channel: .online, level: .full,
            procedure: "1.001193", steps: [F.act(.resolve, "2023-09-06T10:00:00+07:00")],
            linkedGroup: .birth, linkedOutcome: "partial")
        let c = F.counts([done, partial])
        #expect(c.birthReceived == 2 && c.birthCompleted == 1 && c.deathReceived == 0)
        #expect(c.online == 2 && c.onlineFull == 2 && c.onlineOffered == 2)
    }

    @Test func aUnitsFiguresRollUpAndItsChildrensRowsAddUpToThem() {
        let day = F.period.from
        #expect(F.catalog.subtree(of: F.district, on: day) == [F.district, F.binhPhuoc, F.binhKhuong])
        #expect(F.catalog.children(of: F.district, on: day).map(\.code) == [F.binhPhuoc, F.binhKhuong])
        let membership = ReportMembership(unit: F.district, period: F.period, children: true, catalog: F.catalog)
        #expect(membership.rows.map(\.unit.code) == [F.binhPhuoc, F.binhKhuong])
        var own = ReportCounts()
        var first = ReportCounts()
        var second = ReportCounts()
        own.direct = 2
        first.online = 3
        first.onlineFull = 3
        first.early = 1
        second.postal = 1
        second.openOverdue = 4
        let report = UnitReport.assemble(
            membership: membership, period: F.period, children: true, counts: [0: own, 1: first, 2: second],
            catalog: F.catalog)
        #expect(report.children.map(\.unit) == [F.district, F.binhPhuoc, F.binhKhuong])
        #expect(report.children.map(\.scope) == ["own", "subtree", "subtree"])
        #expect(report.received.total == 6 && report.received.direct == 2 && report.open.overdue == 4)
        #expect(report.received.total == report.children.map(\.received.total).reduce(0, +))
        // Without dossiers of its own, a unit has no row of its own among its children's.
        let none = UnitReport.assemble(
            membership: membership, period: F.period, children: true, counts: [1: first], catalog: F.catalog)
        #expect(none.children.map(\.unit) == [F.binhPhuoc, F.binhKhuong])
        #expect(none.children[1].received.total == 0)
    }

    @Test func aDossierCountsReceivedWhereItWasReceivedAndResolvedByWhoeverHeldItAtItsClose() {
        // Received at Bình Phước for Bình Khương, resolved there: received at one, resolved by the other.
        var across = F.history(
            received: "2023-09-05T09:00:00+07:00", steps: [F.act(.resolve, "2023-09-06T10:00:00+07:00")])
        across.handlingUnit = F.binhKhuong
        // Received and handled at Bình Phước, transferred to Bình Khương, then rejected there.
        let moved = F.history(
            received: "2023-09-05T09:00:00+07:00",
            steps: [
                .action(
                    DossierAction(
                        type: .transfer, at: F.t("2023-09-05T10:00:00+07:00"), toUnit: F.binhKhuong)),
                .action(DossierAction(type: .reject, at: F.t("2023-09-07T10:00:00+07:00"), reason: "lý do")),
            ])
        // A transfer recorded late with a time after the close moves nothing: it resolved at home.
        let home = F.history(
            received: "2023-09-05T09:00:00+07:00",
            steps: [
                F.act(.resolve, "2023-09-06T10:00:00+07:00"),
                .action(
                    DossierAction(
                        type: .transfer, at: F.t("2023-09-07T10:00:00+07:00"), toUnit: F.binhKhuong)),
            ])
        let open = F.history(received: "2023-09-05T09:00:00+07:00")
        let facts = [across, moved, home, open].map(F.facts)
        #expect(facts.map(\.closedBy) == [F.binhKhuong, F.binhKhuong, F.binhPhuoc, nil])

        let membership = ReportMembership(unit: F.district, period: F.period, children: true, catalog: F.catalog)
        let rows = ReportTally(period: F.period, now: F.now).counts(facts, membership: membership)
        let binhPhuoc = rows[1]!
        let binhKhuong = rows[2]!
        #expect(binhPhuoc.receivedInPeriod == 4 && binhPhuoc.resolved == 2 && binhPhuoc.rejected == 1)
        #expect(
            binhPhuoc.closedByTotal == 1 && binhPhuoc.closedByEarly == 1 && binhPhuoc.closedByReceivedElsewhere == 0)
        #expect(binhKhuong.receivedInPeriod == 0 && binhKhuong.resolved == 0)
        #expect(
            binhKhuong.closedByTotal == 2 && binhKhuong.closedByResolved == 1 && binhKhuong.closedByRejected == 1
                && binhKhuong.closedByReceivedElsewhere == 2)
        // The district's figure is the sum of its rows, and the one-row tally of all of them.
        let total = rows.values.reduce(ReportCounts(), +)
        #expect(total == ReportTally(period: F.period, now: F.now).counts(facts))
        #expect(total.closedByTotal == total.resolved + total.rejected + total.withdrawn)
        // Bình Khương's own report: it received nothing and closed two.
        let own = ReportMembership(unit: F.binhKhuong, period: F.period, children: false, catalog: F.catalog)
        let alone = ReportTally(period: F.period, now: F.now).counts(facts, membership: own)
        #expect(alone[0]?.received == 0 && alone[0]?.closedByTotal == 2)
        let report = UnitReport.assemble(
            membership: own, period: F.period, children: false, counts: alone, catalog: F.catalog)
        let by = report.resolvedBy
        #expect(by.total == 2 && by.resolved == 1 && by.early == 1 && by.onTime == 0 && by.overdue == 0)
        #expect(by.rejected == 1 && by.withdrawn == 0 && by.receivedElsewhere == 2)
        // Closed after the period: not in it.
        let october = ReportTally(period: Self.period("2023-10-01", "2023-10-31"), now: F.now)
        #expect(october.counts(facts, membership: membership).values.allSatisfy { $0.closedByTotal == 0 })
    }
}
