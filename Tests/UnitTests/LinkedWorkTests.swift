import Foundation
@testable import Shared
import Testing

@testable import Workers

/// What the saga's transitions become (commands, alerts, journal entries, the dossier's close), the chains
/// role over a batch as the workers run it, the recorder opening groups, and the partner simulator's rules.
@Suite struct LinkedWorkTests {
    typealias S = LinkedSagaTests
    static let applicant = Applicant(personalId: "051095001234", fullName: "Nguyễn Văn A", phone: "0905000000")
    static let open = LinkedDossier(status: .received, applicant: applicant)

    static func work(_ group: LinkedGroup, status: DossierStatus = .received, ids: S.Ids, at seconds: Double = 5)
        -> LinkedWork
    {
        LinkedWork(policy: S.policy, environment: S.environment(ids, at: seconds), groups: [S.code: group],
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
        #expect(event.data == PartnerCommand(requestId: "r1", dossierCode: S.code, group: .birth, step: "birth_registration",
                                             attempt: 1, applicant: Self.applicant, inputs: [:]))
        #expect(work.effects.changes[S.code]?.steps == ["birth_registration"])
        #expect(work.effects.journal.isEmpty && work.effects.project.isEmpty)
    }

    @Test func aStuckStepRaisesOneStepFailedAlert() throws {
        let ids = S.Ids()
        let group = S.branched(ids: ids)
        var work = Self.work(group, ids: ids)
        try work.apply(S.answer(group, "permanent_residence", .done, missing: ["residenceBookNo"]), to: S.code,
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
            try timeouts.apply(.timer(step: step.name, requestId: state.step(step.name)!.requestId!, kind: .timeout),
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
        group = LinkedSaga.handle(group, S.answer(group, "permanent_residence", .done), policy: S.policy,
                                  environment: S.environment(ids)).group
        var work = Self.work(group, ids: ids, at: 30)
        try work.apply(S.answer(group, "health_insurance_card", .rejected, reason: "trẻ đã có thẻ"), to: S.code,
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
        #expect(body["type"] as? String == "vn.motcua.linked.completed" && completed.messageId == "linked:\(S.code):completed")
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
        #expect(close.type == "reject" && close.reason == "linked birth group failed: rejected birth_registration (sai thông tin cha mẹ)")
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

    // ---- the chains role over a batch, as the workers run it -------------------------------------------------

    static func answerDelivery(_ result: LinkedStepResult, id: String) -> Delivery {
        RoleDecisionTests.delivery("linked.step_result", id: id, subject: result.dossierCode, result)
    }

    @Test func theChainsRoleMovesStepsAndDropsRepeatsAndStrangers() throws {
        let ids = S.Ids()
        let group = S.started(ids: ids)
        let role = Chains(policy: S.policy, catalog: { S.catalog }, clock: { S.t0 }, newRequestId: { ids.make() },
                          random: { 0.5 })
        let done = LinkedStepResult(requestId: "r1", dossierCode: S.code, step: "birth_registration", outcome: .done,
                                    outputs: S.birthOutputs)
        let stranger = LinkedStepResult(requestId: "zz", dossierCode: "000.00.19.H56-261202-0099",
                                        step: "birth_registration", outcome: .done)
        let batch = [Self.answerDelivery(done, id: "a1"), Self.answerDelivery(done, id: "a1"),
                     Self.answerDelivery(done, id: "a2"), Self.answerDelivery(stranger, id: "a3"),
                     .unconnected(routingKey: "linked.step_result", body: Data("{}".utf8))]
        let outcome = try RoleDecisionTests.run(role, batch, known: [:],
                                                loaded: Chains.Loaded(groups: [S.code: group],
                                                                      dossiers: [S.code: Self.open]))
        // a1 moves the step; a1 again is the same message; a2 the same answer under another id; a3 has no group.
        #expect(outcome.dispositions.prefix(4) == [.applied, .duplicate, .duplicate, .duplicate])
        guard case .poison = outcome.dispositions[4] else { Issue.record("an unreadable answer is poison"); return }
        #expect(outcome.effects.outbox.map(\.routingKey) == ["permanent_residence", "health_insurance_card"])
        #expect(outcome.effects.linked.count == 1 && outcome.effects.journal.map(\.type) == ["linked_step_done"])
        #expect(!outcome.effects.isEmpty)
        #expect(throws: PoisonMessage.self) {
            try role.decode(.unconnected(routingKey: "linked.other", body: Data("{}".utf8)))
        }
    }

    @Test func theRecorderOpensTheGroupOfALinkedDossier() throws {
        var dossier = DossierReceived(code: S.code, procedureCode: "1.001193", unitCode: S.unit, channel: .online,
                                      onlineLevel: .full, applicant: Self.applicant, components: [], receivedAt: S.t0,
                                      dueAt: S.t0.addingTimeInterval(300_000), idempotencyKey: nil,
                                      linkedGroup: LinkedGroupChoice(group: .birth, steps: ["health_insurance_card"]))
        let linked = RoleDecisionTests.delivery(RoutingKey.dossierReceived, id: "d1", subject: S.code, dossier)
        dossier.code = "000.00.19.H56-261202-0002"
        dossier.linkedGroup = nil
        let plain = RoleDecisionTests.delivery(RoutingKey.dossierReceived, id: "d2", subject: dossier.code, dossier)
        let outcome = try RoleDecisionTests.run(Recorder(now: { S.t0 }), [linked, plain], known: [:], loaded: ())
        #expect(outcome.effects.linkedOpened.count == 1)
        let group = try #require(outcome.effects.linkedOpened.first)
        #expect(group.dossierCode == S.code && group.unitCode == S.unit && group.kind == .birth)
        #expect(group.steps.map(\.name) == ["birth_registration", "health_insurance_card"])
        #expect(group.steps[0].nextAttemptAt == S.t0 && group.steps[0].requestId != nil)
    }

    // ---- CloudEvents types ----------------------------------------------------------------------------

    @Test func cloudEventTypesOfTheLinkedMessages() {
        typealias E = CloudEvent<String>
        #expect(E.type(forRoutingKey: "linked.step_failed.birth") == "vn.motcua.linked.step_failed")
        #expect(E.type(forRoutingKey: "linked.completed.death") == "vn.motcua.linked.completed")
        #expect(E.type(forRoutingKey: "linked.step_result") == "vn.motcua.linked.step_result")
        #expect(E.type(forRoutingKey: "permanent_residence", exchange: Topology.partners)
                == "vn.motcua.partner.permanent_residence")
        #expect(E.type(forRoutingKey: "deadline.overdue.000.00.19.H56", exchange: Topology.alerts)
                == "vn.motcua.deadline.overdue")
        #expect(E.type(forRoutingKey: "payment.mismatch.000.00.19.H56") == "vn.motcua.payment.mismatch")
    }

    // ---- settings ---------------------------------------------------------------------------------------

    @Test func partnerSettingsHaveDefaultsAndRefuseNonsense() throws {
        #expect(try Settings.fromEnvironment([:]).partner == LinkedPolicy(maxAttempts: 5, timeoutSeconds: 60,
                                                                         backoffSeconds: 5, maxBackoffSeconds: 300))
        let set = try Settings.fromEnvironment(["MOTCUA_PARTNER_TIMEOUT_SECONDS": "2.5", "MOTCUA_PARTNER_MAX_ATTEMPTS": "3",
                                                "MOTCUA_PARTNER_BACKOFF_SECONDS": "0.2",
                                                "MOTCUA_PARTNER_BACKOFF_MAX_SECONDS": "1",
                                                "MOTCUA_PARTNER_MAX_IN_FLIGHT": "40",
                                                "MOTCUA_PARTNER_SIM_CONFIG": "/tmp/faults.json"])
        #expect(set.partner == LinkedPolicy(maxAttempts: 3, timeoutSeconds: 2.5, backoffSeconds: 0.2, maxBackoffSeconds: 1,
                                            maxInFlight: 40))
        #expect(try Settings.fromEnvironment([:]).partner.maxInFlight == 500)
        #expect(set.partnerSimConfig == "/tmp/faults.json")
        for (name, value) in [("MOTCUA_PARTNER_TIMEOUT_SECONDS", "0"), ("MOTCUA_PARTNER_TIMEOUT_SECONDS", "soon"),
                              ("MOTCUA_PARTNER_MAX_ATTEMPTS", "0"), ("MOTCUA_PARTNER_MAX_ATTEMPTS", "2.5"),
                              ("MOTCUA_PARTNER_BACKOFF_SECONDS", "-1"), ("MOTCUA_PARTNER_BACKOFF_MAX_SECONDS", "1"),
                              ("MOTCUA_PARTNER_MAX_IN_FLIGHT", "0"), ("MOTCUA_PARTNER_MAX_IN_FLIGHT", "many")]
        {
            var env = [name: value]
            if name == "MOTCUA_PARTNER_BACKOFF_MAX_SECONDS" { env["MOTCUA_PARTNER_BACKOFF_SECONDS"] = "10" }
            do {
                _ = try Settings.fromEnvironment(env)
                Issue.record("\(name)=\(value) was accepted")
            } catch { #expect("\(error)".hasPrefix(name)) }
        }
    }

    // ---- the partner simulator's rules -----------------------------------------------------------------------

    @Test func theSimulatorsFaultsAreDrawnPerCommandAndOverriddenPerStep() throws {
        let config = try PartnerSimConfig.parse(Data("""
            { "*": { "errorRate": 0.05, "hangRate": 0.01, "delaySeconds": 0.1 },
              "permanent_residence": { "hangRate": 1 } }
            """.utf8))
        let police = config.faults(for: "permanent_residence")
        #expect(police.hangRate == 1 && police.errorRate == 0.05 && police.delaySeconds == 0.1)
        #expect(PartnerSimulation.plan(police, draw: 0.999, delayDraw: 0).fate == .hang)
        let card = config.faults(for: "health_insurance_card")
        #expect(PartnerSimulation.plan(card, draw: 0.005, delayDraw: 0).fate == .hang)
        #expect(PartnerSimulation.plan(card, draw: 0.03, delayDraw: 0).fate == .error)
        #expect(PartnerSimulation.plan(card, draw: 0.07, delayDraw: 0) == .init(fate: .done, delay: 0.1))
        let spread = PartnerFaults(delaySeconds: 1, maxDelaySeconds: 3, rejectRate: 0.5, missingFieldsRate: 0.5)
        #expect(PartnerSimulation.plan(spread, draw: 0.2, delayDraw: 0.5) == .init(fate: .rejected, delay: 2))
        #expect(PartnerSimulation.plan(spread, draw: 0.7, delayDraw: 1).fate == .missingFields)
        #expect(PartnerSimulation.plan(PartnerFaults(), draw: 0, delayDraw: 0) == .init(fate: .done, delay: 0.05))
        for bad in [#"{"police": {}}"#, #"{"*": {"errorRate": 2}}"#, #"{"*": {"delaySeconds": -1}}"#, "[]"] {
            #expect(throws: (any Error).self) { try PartnerSimConfig.parse(Data(bad.utf8)) }
        }
    }

    @Test func theSimulatedAgenciesAnswerAsTheContractSays() throws {
        var seed: UInt64 = 42
        func draw() -> UInt64 { seed = seed &* 6364136223846793005 &+ 1; return seed >> 11 }
        let now = S.t0
        let birth = PartnerCommand(requestId: "r1", dossierCode: S.code, group: .birth, step: "birth_registration",
                                   attempt: 1, applicant: Self.applicant, inputs: [:])
        let registered = PartnerSimulation.outputs(birth, now: now, draw: draw)
        guard case .string(let child)? = registered["childPersonalId"], case .string(let certificate)? = registered["birthCertificateNo"]
        else { Issue.record("birth outputs: \(registered)"); return }
        let year = VietnamTime.local(now).date.year
        #expect(certificate.hasPrefix("KS-\(year)-"))
        if case .failure(let problem) = PersonalID.parse(child, currentYear: year) {
            Issue.record("the child's personal ID \(child) is not valid: \(problem)")
        }
        let done = try #require(PartnerSimulation.answer(birth, plan: .init(fate: .done, delay: 0), faults: PartnerFaults(),
                                                         registered: registered))
        #expect(done.outcome == .done && done.outputs == registered && done.missingFields == nil && done.requestId == "r1")
        let lossy = try #require(PartnerSimulation.answer(birth, plan: .init(fate: .missingFields, delay: 0),
                                                          faults: PartnerFaults(), registered: registered))
        #expect(lossy.outcome == .done && lossy.missingFields == ["childPersonalId"] && lossy.outputs?["childPersonalId"] == nil)
        #expect(PartnerSimulation.answer(birth, plan: .init(fate: .hang, delay: 0), faults: PartnerFaults(),
                                         registered: [:]) == nil)
        #expect(PartnerSimulation.answer(birth, plan: .init(fate: .error, delay: 0), faults: PartnerFaults(),
                                         registered: [:])?.outcome == .error)
        // A later step without what the first produced is refused, as a registry would.
        var card = birth
        card.step = "health_insurance_card"
        #expect(PartnerSimulation.answer(card, plan: .init(fate: .done, delay: 0), faults: PartnerFaults(),
                                         registered: [:])?.reason == "the command lacks birthCertificateNo, childPersonalId")
        card.inputs = ["birthCertificateNo": .string(certificate), "childPersonalId": .string(child)]
        #expect(PartnerSimulation.answer(card, plan: .init(fate: .done, delay: 0), faults: PartnerFaults(),
                                         registered: ["insuranceCardNo": .string("TE1")])?.outcome == .done)
        let death = PartnerCommand(requestId: "r2", dossierCode: S.code, group: .death, step: "death_registration",
                                   attempt: 1, applicant: Self.applicant, inputs: [:])
        #expect(PartnerSimulation.outputs(death, now: now, draw: draw)["deathCertificateNo"] != nil)
    }
}
