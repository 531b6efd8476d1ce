import Domain
import Fixtures
import Foundation
import Testing

/// What the saga's transitions become: commands, alerts, journal entries, the dossier's close.
@Suite struct LinkedWorkTests {
    typealias S = LinkedFixtures
    static let applicant = S.applicant
    static let open = S.openDossier

    static func work(_ group: LinkedGroup, status: DossierStatus = .received, ids: S.Ids, at seconds: Double = 5)
        -> LinkedWork
    {
        LinkedWork(
            policy: S.policy, environment: S.environment(ids, at: seconds), groups: [S.code: group],
            dossiers: [S.code: LinkedDossier(status: status, applicant: applicant)])
    }

    static func envelope(_ message: OutboxMessage) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(message.body.utf8))) as? [String: Any] ?? [:]
    }

    @Test func aCommandGoesToThePartnersExchangeUnderItsStepWithTheApplicantAndInputs() throws {
        let ids = S.Ids()
        var work = Self.work(S.open(ids: ids), ids: ids)
        try work.apply(.timer(step: "birth_registration", requestId: "r1", kind: .send), to: S.code)
        let command = try #require(work.effects.outbox.first)
        #expect(work.effects.outbox.count == 1)
        #expect(command.exchange == "motcua.partners" && command.routingKey == "birth_registration")
        #expect(command.messageId == "r1", "the CloudEvents id is the request id")
        let event = try JSONCoding.decode(CloudEvent<PartnerCommand>.self, from: Data(command.body.utf8))
        #expect(event.type == "vn.motcua.partner.birth_registration" && event.source == "/motcua/workers/chains")
        #expect(event.subject == S.code && event.id == "r1")
        #expect(
            event.data
                == PartnerCommand(
                    requestId: "r1", dossierCode: S.code, group: .birth, step: "birth_registration",
                    attempt: 1, applicant: Self.applicant, inputs: [:]))
        #expect(work.effects.changes[S.code]?.steps == ["birth_registration"])
        #expect(work.effects.journal.isEmpty && work.effects.project.isEmpty)
    }

    @Test func aStuckStepRaisesOneStepFailedAlert() throws {
        let ids = S.Ids()
        let group = S.branched(ids: ids)
        var work = Self.work(group, ids: ids)
        try work.apply(
            S.answer(group, "permanent_residence", .done, missing: ["residenceBookNo"]), to: S.code,
            source: "/partners/police", eventId: "e1", actor: "police")
        let alert = try #require(work.effects.outbox.first { $0.exchange == "motcua.alerts" })
        #expect(alert.routingKey == "linked.step_failed.birth")
        let body = Self.envelope(alert)
        #expect(body["type"] as? String == "vn.motcua.linked.step_failed" && body["id"] as? String == alert.messageId)
        #expect(alert.messageId == "linked:\(S.code):permanent_residence:stuck:1")
        let data = try #require(body["data"] as? [String: Any])
        #expect(data["dossierCode"] as? String == S.code && data["unitCode"] as? String == S.unit)
        #expect(data["group"] as? String == "birth" && data["step"] as? String == "permanent_residence")
        #expect(data["agency"] as? String == "police" && data["attempts"] as? Int == 1)
        #expect(data["lastError"] as? String == "missing fields: residenceBookNo")
        #expect(data["missingFields"] as? [String] == ["residenceBookNo"])
        #expect(!alert.body.contains("051095001234"), "no personal ID in alerts")
        #expect(work.effects.journal.map(\.type) == ["linked_step_stuck"])
        #expect(work.effects.journal[0].actor == "police" && work.effects.journal[0].eventId == "e1")
        // An error stuck after the budget: lastError set, missingFields null.
        var timeouts = Self.work(group, ids: ids)
        var state = group
        for _ in 1...3 {
            let step = state.step("health_insurance_card")!
            if step.status == .pending {
                try timeouts.apply(.timer(step: step.name, requestId: step.requestId!, kind: .send), to: S.code)
                state = timeouts.groups[S.code]!
            }
            try timeouts.apply(
                .timer(step: step.name, requestId: state.step(step.name)!.requestId!, kind: .timeout),
                to: S.code)
            state = timeouts.groups[S.code]!
        }
        let failed = timeouts.effects.outbox.filter { $0.routingKey == "linked.step_failed.birth" }
        #expect(failed.count == 1, "one alert after the attempt limit")
        let failedData = try #require(Self.envelope(failed[0])["data"] as? [String: Any])
        #expect(failedData["attempts"] as? Int == 3 && failedData["missingFields"] is NSNull)
        #expect((failedData["lastError"] as? String)?.hasPrefix("no answer within 60 s") == true)
    }

    @Test func theEndClosesTheDossierLikeAnyActionAndAnnouncesTheOutcome() throws {
        let ids = S.Ids()
        var group = S.branched(ids: ids)
        group =
            LinkedSaga.handle(
                group, S.answer(group, "permanent_residence", .done), policy: S.policy,
                environment: S.environment(ids)
            ).group
        var work = Self.work(group, ids: ids, at: 30)
        try work.apply(
            S.answer(group, "health_insurance_card", .rejected, reason: "trẻ đã có thẻ"), to: S.code,
            eventId: "e9")
        let effects = work.effects
        let close = try #require(effects.closures.first)
        #expect(effects.closures.count == 1 && effects.journal.contains(close))
        #expect(close.type == "resolve" && close.actor == "motcua" && close.eventId == "linked:\(S.code):partial")
        let action = try JSONCoding.decode(DossierAction.self, from: close.data)
        #expect(action.type == .resolve && action.at == S.t0.addingTimeInterval(30) && action.by == "motcua")
        #expect(action.reason == "linked birth group partial: rejected health_insurance_card (trẻ đã có thẻ)")
        #expect(effects.project == [S.code], "the projection replays it: deadline timers cancelled as for any close")
        let completed = try #require(effects.outbox.first { $0.routingKey == "linked.completed.birth" })
        let body = Self.envelope(completed)
        #expect(
            body["type"] as? String == "vn.motcua.linked.completed"
                && completed.messageId == "linked:\(S.code):completed")
        let data = try #require(body["data"] as? [String: Any])
        #expect(data["outcome"] as? String == "partial" && data["group"] as? String == "birth")
        let steps = try #require(data["steps"] as? [[String: Any]])
        #expect(steps.map { $0["status"] as? String } == ["done", "done", "rejected"])
        #expect(steps.allSatisfy { $0["lastError"] != nil && $0["attempts"] as? Int != nil })
        #expect(effects.changes[S.code]?.groupRow == true && effects.changes[S.code]?.group.outcome == .partial)
    }

    @Test func aFailedGroupRejectsTheDossier() throws {
        let ids = S.Ids()
        let group = S.started(ids: ids)
        var work = Self.work(group, ids: ids)
        try work.apply(S.answer(group, "birth_registration", .rejected, reason: "sai thông tin cha mẹ"), to: S.code)
        let close = try #require(work.effects.closures.first)
        #expect(
            close.type == "reject"
                && close.reason == "linked birth group failed: rejected birth_registration (sai thông tin cha mẹ)")
        #expect(!work.effects.outbox.contains { $0.exchange == "motcua.partners" }, "no further command")
    }

    @Test func aGroupWhoseDossierAnOfficerClosedStopsBeforeTheEvent() throws {
        let ids = S.Ids()
        let group = S.branched(ids: ids)
        var work = Self.work(group, status: .withdrawn, ids: ids)
        let t = try work.apply(S.answer(group, "permanent_residence", .done), to: S.code)
        #expect(t?.ignored != nil)
        #expect(work.groups[S.code]?.stopped == "the dossier was withdrawn by an officer")
        #expect(work.effects.journal.map(\.type) == ["linked_stopped"] && work.effects.closures.isEmpty)
        #expect(work.effects.outbox.isEmpty)
        // No group at all: nothing.
        var none = LinkedWork(policy: S.policy, environment: S.environment(ids), groups: [:], dossiers: [:])
        #expect(try none.apply(S.answer(group, "permanent_residence", .done), to: S.code) == nil)
        #expect(none.effects.isEmpty)
    }

    @Test func eventsForOneGroupInOneBatchSeeEachOther() throws {
        let ids = S.Ids()
        let group = S.started(ids: ids)
        var work = Self.work(group, ids: ids)
        let done = S.answer(group, "birth_registration", .done, outputs: S.birthOutputs)
        try work.apply(done, to: S.code)
        let after = work.groups[S.code]!
        try work.apply(S.answer(after, "permanent_residence", .done), to: S.code)
        try work.apply(done, to: S.code)  // a repeat inside the batch
        try work.apply(S.answer(after, "health_insurance_card", .done), to: S.code)
        #expect(work.effects.outbox.filter { $0.exchange == "motcua.partners" }.count == 2)
        #expect(work.effects.closures.count == 1 && work.groups[S.code]?.outcome == .completed)
        #expect(work.effects.changes[S.code]?.steps.count == 3)
    }

    // ---- CloudEvents types ----------------------------------------------------------------------------

    @Test func cloudEventTypesOfTheLinkedMessages() {
        typealias E = CloudEvent<String>
        #expect(E.type(forRoutingKey: "linked.step_failed.birth") == "vn.motcua.linked.step_failed")
        #expect(E.type(forRoutingKey: "linked.completed.death") == "vn.motcua.linked.completed")
        #expect(E.type(forRoutingKey: "linked.step_result") == "vn.motcua.linked.step_result")
        #expect(
            E.type(forRoutingKey: "permanent_residence", exchange: Topology.partners)
                == "vn.motcua.partner.permanent_residence")
        #expect(
            E.type(forRoutingKey: "deadline.overdue.000.00.19.H56", exchange: Topology.alerts)
                == "vn.motcua.deadline.overdue")
        #expect(E.type(forRoutingKey: "payment.mismatch.000.00.19.H56") == "vn.motcua.payment.mismatch")
    }
}
