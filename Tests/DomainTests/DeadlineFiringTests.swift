import Foundation
import Testing

@testable import Domain

/// What a due timer does (DOMAIN.md §5), decided over the dossier's whole record: the actions intake
/// accepted count before a recorder wrote them.
@Suite struct DeadlineFiringTests {
    typealias W = DecisionInterleavingTests
    static let due = W.restart(W.t0)

    static func record(_ actions: [DossierAction], unrecorded: Int = 0) -> DossierRecord {
        DossierRecord(
            initial: DossierState(code: W.code, unitCode: W.unit, receivedAt: W.t0, dueAt: due),
            steps: actions.map(DossierLifecycle.Step.action), restart: W.restart, unrecorded: unrecorded)
    }

    static func fire(_ kind: DeadlineKind, dueAt: Date = due, over record: DossierRecord) throws
        -> DeadlineFiring.Decision
    {
        try DeadlineFiring.decide(
            [DeadlineFiring.Due(code: W.code, kind: kind, dueAt: dueAt)],
            dossiers: [W.code: DeadlineFiring.Dossier(facts: W.facts, state: record.state)],
            catalog: W.catalog, now: dueAt)
    }

    static func keys(_ decision: DeadlineFiring.Decision) -> [String] { decision.alerts.map(\.routingKey) }

    @Test func anOpenDossierAtItsDueMomentIsAlertedAndGetsTheLetter() throws {
        let decision = try Self.fire(.overdue, over: Self.record([]))
        #expect(Self.keys(decision) == ["deadline.overdue.\(W.unit)"])
        #expect(decision.letters.count == 1 && decision.project == [W.code])
        let letter = try JSONCoding.decode(AutomaticLetter.self, from: decision.letters[0].data)
        #expect(letter.issuedAt == Self.due && letter.newDueAt > Self.due)
    }

    @Test func anAcceptedResolveBeforeTheDueMomentStopsEverything() throws {
        let resolve = DossierAction(type: .resolve, at: Self.due.addingTimeInterval(-3600))
        let decision = try Self.fire(.overdue, over: Self.record([resolve], unrecorded: 1))
        #expect(decision.alerts.isEmpty && decision.letters.isEmpty)
        #expect(try Self.fire(.dueSoon, over: Self.record([resolve], unrecorded: 1)).alerts.isEmpty)
    }

    @Test func anAcceptedSupplementRequestPausesTheTimeLimit() throws {
        let request = DossierAction(type: .requestSupplement, at: Self.due.addingTimeInterval(-7200), reason: "thiếu")
        let decision = try Self.fire(.overdue, over: Self.record([request], unrecorded: 1))
        #expect(decision.alerts.isEmpty && decision.letters.isEmpty)
    }

    @Test func aCompletedSupplementMovesTheDueMomentSoTheOldTimerIsSpent() throws {
        let request = DossierAction(type: .requestSupplement, at: W.t0.addingTimeInterval(3600), reason: "thiếu")
        let supplement = DossierAction(type: .supplement, at: Self.due.addingTimeInterval(-3600))
        let decision = try Self.fire(.overdue, over: Self.record([request, supplement], unrecorded: 2))
        #expect(decision.alerts.isEmpty && decision.letters.isEmpty)
    }

    @Test func theAgencysOwnLetterMeansAnAlertButNoSecondLetter() throws {
        let extend = DossierAction(
            type: .extend, at: Self.due.addingTimeInterval(-86_400), reason: "xác minh",
            newDueAt: Self.due.addingTimeInterval(3 * 86_400))
        let decision = try Self.fire(.overdue, over: Self.record([extend], unrecorded: 1))
        #expect(Self.keys(decision) == ["deadline.overdue.\(W.unit)"] && decision.letters.isEmpty)
    }

    @Test func theLettersNewDueMomentEscalatesToTheParent() throws {
        let extend = DossierAction(
            type: .extend, at: Self.due.addingTimeInterval(-86_400), reason: "xác minh",
            newDueAt: Self.due.addingTimeInterval(3 * 86_400))
        let record = Self.record([extend])
        let parent = try #require(W.catalog.units[W.unit]?.parent)
        let decision = try Self.fire(.escalated, dueAt: extend.newDueAt!, over: record)
        #expect(Self.keys(decision) == ["deadline.escalated.\(parent)"])
        // A timer for another moment than the letter's is stale.
        #expect(try Self.fire(.escalated, dueAt: Self.due, over: record).alerts.isEmpty)
    }
}
