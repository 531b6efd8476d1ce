import AMQPDriver
import Domain
import Fixtures
import Foundation
import Runtime
import Testing

@testable import PartnerSimulator
@testable import Workers

/// The chains role over a batch as the workers run it, the recorder opening groups, the partner settings
/// and the partner simulator's rules.
@Suite struct LinkedRoleTests {
    typealias S = LinkedFixtures
    static let applicant = S.applicant
    static let open = S.openDossier

    // ---- the chains role over a batch, as the workers run it -------------------------------------------------

    static func answerDelivery(_ result: LinkedStepResult, id: String) -> Delivery {
        RoleDecisionTests.delivery("linked.step_result", id: id, subject: result.dossierCode, result)
    }

    @Test func theChainsRoleMovesStepsAndDropsRepeatsAndStrangers() throws {
        let ids = S.Ids()
        let group = S.started(ids: ids)
        let role = Chains(
            policy: S.policy, catalog: { S.catalog }, clock: { S.t0 }, newRequestId: { ids.make() },
            random: { 0.5 })
        let done = LinkedStepResult(
            requestId: "r1", dossierCode: S.code, step: "birth_registration", outcome: .done,
            outputs: S.birthOutputs)
        let stranger = LinkedStepResult(
            requestId: "zz", dossierCode: "000.00.19.H56-261202-0099",
            step: "birth_registration", outcome: .done)
        let batch = [
            Self.answerDelivery(done, id: "a1"), Self.answerDelivery(done, id: "a1"),
            Self.answerDelivery(done, id: "a2"), Self.answerDelivery(stranger, id: "a3"),
            .unconnected(routingKey: "linked.step_result", body: Data("{}".utf8)),
        ]
        let outcome = try RoleDecisionTests.run(
            role, batch, known: [:],
            loaded: Chains.Loaded(
                groups: [S.code: group],
                dossiers: [S.code: Self.open]))
        // a1 moves the step; a1 again is the same message; a2 the same answer under another id; a3 has no group.
        #expect(outcome.dispositions.prefix(4) == [.applied, .duplicate, .duplicate, .duplicate])
        guard case .poison = outcome.dispositions[4] else {
            Issue.record("an unreadable answer is poison")
            return
        }
        #expect(outcome.effects.outbox.map(\.routingKey) == ["permanent_residence", "health_insurance_card"])
        #expect(outcome.effects.linked.count == 1 && outcome.effects.journal.map(\.type) == ["linked_step_done"])
        #expect(!outcome.effects.isEmpty)
        #expect(throws: PoisonMessage.self) {
            try role.decode(.unconnected(routingKey: "linked.other", body: Data("{}".utf8)))
        }
    }

    @Test func theRecorderOpensTheGroupOfALinkedDossier() throws {
        var dossier = DossierReceived(
            code: S.code, procedureCode: "1.001193", unitCode: S.unit, channel: .online,
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

    // ---- settings ---------------------------------------------------------------------------------------

    @Test func partnerSettingsHaveDefaultsAndRefuseNonsense() throws {
        #expect(
            try Settings.fromEnvironment([:]).partner
                == LinkedPolicy(
                    maxAttempts: 5, timeoutSeconds: 60,
                    backoffSeconds: 5, maxBackoffSeconds: 300))
        let set = try Settings.fromEnvironment([
            "MOTCUA_PARTNER_TIMEOUT_SECONDS": "2.5", "MOTCUA_PARTNER_MAX_ATTEMPTS": "3",
            "MOTCUA_PARTNER_BACKOFF_SECONDS": "0.2",
            "MOTCUA_PARTNER_BACKOFF_MAX_SECONDS": "1",
            "MOTCUA_PARTNER_MAX_IN_FLIGHT": "40",
            "MOTCUA_PARTNER_SIM_CONFIG": "/tmp/faults.json",
        ])
        #expect(
            set.partner
                == LinkedPolicy(
                    maxAttempts: 3, timeoutSeconds: 2.5, backoffSeconds: 0.2, maxBackoffSeconds: 1,
                    maxInFlight: 40))
        #expect(try Settings.fromEnvironment([:]).partner.maxInFlight == 500)
        #expect(set.partnerSimConfig == "/tmp/faults.json")
        for (name, value) in [
            ("MOTCUA_PARTNER_TIMEOUT_SECONDS", "0"), ("MOTCUA_PARTNER_TIMEOUT_SECONDS", "soon"),
            ("MOTCUA_PARTNER_MAX_ATTEMPTS", "0"), ("MOTCUA_PARTNER_MAX_ATTEMPTS", "2.5"),
            ("MOTCUA_PARTNER_BACKOFF_SECONDS", "-1"), ("MOTCUA_PARTNER_BACKOFF_MAX_SECONDS", "1"),
            ("MOTCUA_PARTNER_MAX_IN_FLIGHT", "0"), ("MOTCUA_PARTNER_MAX_IN_FLIGHT", "many"),
        ] {
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
        let config = try PartnerSimConfig.parse(
            Data(
                """
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
        func draw() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1
            return seed >> 11
        }
        let now = S.t0
        let birth = PartnerCommand(
            requestId: "r1", dossierCode: S.code, group: .birth, step: "birth_registration",
            attempt: 1, applicant: Self.applicant, inputs: [:])
        let registered = PartnerSimulation.outputs(birth, now: now, draw: draw)
        guard case .string(let child)? = registered["childPersonalId"],
            case .string(let certificate)? = registered["birthCertificateNo"]
        else {
            Issue.record("birth outputs: \(registered)")
            return
        }
        let year = VietnamTime.local(now).date.year
        #expect(certificate.hasPrefix("KS-\(year)-"))
        if case .failure(let problem) = PersonalID.parse(child, currentYear: year) {
            Issue.record("the child's personal ID \(child) is not valid: \(problem)")
        }
        let done = try #require(
            PartnerSimulation.answer(
                birth, plan: .init(fate: .done, delay: 0), faults: PartnerFaults(),
                registered: registered))
        #expect(
            done.outcome == .done && done.outputs == registered && done.missingFields == nil && done.requestId == "r1")
        let lossy = try #require(
            PartnerSimulation.answer(
                birth, plan: .init(fate: .missingFields, delay: 0),
                faults: PartnerFaults(), registered: registered))
        #expect(
            lossy.outcome == .done && lossy.missingFields == ["childPersonalId"]
                && lossy.outputs?["childPersonalId"] == nil)
        #expect(
            PartnerSimulation.answer(
                birth, plan: .init(fate: .hang, delay: 0), faults: PartnerFaults(),
                registered: [:]) == nil)
        #expect(
            PartnerSimulation.answer(
                birth, plan: .init(fate: .error, delay: 0), faults: PartnerFaults(),
                registered: [:])?.outcome == .error)
        // A later step without what the first produced is refused, as a registry would.
        var card = birth
        card.step = "health_insurance_card"
        #expect(
            PartnerSimulation.answer(
                card, plan: .init(fate: .done, delay: 0), faults: PartnerFaults(),
                registered: [:])?.reason == "the command lacks birthCertificateNo, childPersonalId")
        card.inputs = ["birthCertificateNo": .string(certificate), "childPersonalId": .string(child)]
        #expect(
            PartnerSimulation.answer(
                card, plan: .init(fate: .done, delay: 0), faults: PartnerFaults(),
                registered: ["insuranceCardNo": .string("TE1")])?.outcome == .done)
        let death = PartnerCommand(
            requestId: "r2", dossierCode: S.code, group: .death, step: "death_registration",
            attempt: 1, applicant: Self.applicant, inputs: [:])
        #expect(PartnerSimulation.outputs(death, now: now, draw: draw)["deathCertificateNo"] != nil)
    }
}
