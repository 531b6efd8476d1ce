import AMQPDriver
import Domain
import Foundation
import Store
import Synchronization
import TestSupport
import Testing

/// Linked groups (DOMAIN.md §6) on the real servers: intake, the recorder, the chains role, the outbox
/// relay and the partner simulator, with faults from a file the simulator re-reads, short partner
/// timeouts and backoffs.
@Suite(.serialized) struct LinkedChainTests {
    let database = TestEnvironment.database()

    /// Short enough for a test: three attempts of 1.5 s each, backoffs of 0.2–0.4 s.
    static let partnerSettings = [
        "MOTCUA_PARTNER_TIMEOUT_SECONDS": "1.5", "MOTCUA_PARTNER_MAX_ATTEMPTS": "3",
        "MOTCUA_PARTNER_BACKOFF_SECONDS": "0.4", "MOTCUA_PARTNER_BACKOFF_MAX_SECONDS": "0.4",
    ]
    static let pipeline = ["--role", "recorder,chains,outbox"]

    /// The simulator's fault file, rewritten by the tests (the simulator re-reads it within a second).
    final class Faults: Sendable {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "motcua-faults-\(UUID().uuidString).json"
        ).path

        init(_ json: String = "{}") { set(json) }
        func set(_ json: String) { _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8)) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A private queue on `motcua.alerts` for `linked.#`, and what it received.
    final class AlertTap: Sendable {
        let consumer = QueueConsumer(
            endpoint: TestEnvironment.amqp, queue: "test.linked.\(UUID().uuidString)",
            prefetch: 500, subscription: (Topology.alerts, "linked.#"),
            logger: TestEnvironment.logger)
        private let received = Mutex<[Delivery]>([])

        init() {
            Task { [self] in await self.run() }
        }

        private func run() async {
            for await batch in consumer.deliveries {
                received.withLock { $0 += batch }
                consumer.ack(batch)
            }
        }

        func about(_ code: String) -> [(key: String, data: [String: Any], type: String)] {
            received.withLock { $0 }.compactMap { delivery in
                guard let body = try? JSONSerialization.jsonObject(with: delivery.body) as? [String: Any],
                    body["subject"] as? String == code
                else { return nil }
                return (delivery.routingKey, body["data"] as? [String: Any] ?? [:], body["type"] as? String ?? "")
            }
        }

        func close() async { await consumer.close() }
    }

    /// Starts intake, the pipeline's roles and the simulator; returns intake.
    func start(_ stack: Stack, faults: Faults, pipeline: [String] = pipeline) async throws -> IntakeUnderTest {
        try await startWithSimulator(stack, faults: faults, pipeline: pipeline).intake
    }

    /// `start`, returning the simulator too, for a test that restarts it.
    func startWithSimulator(_ stack: Stack, faults: Faults, pipeline: [String] = pipeline) async throws
        -> (intake: IntakeUnderTest, simulator: ChildProcess)
    {
        let intake = try await stack.intake()
        _ = try stack.worker(pipeline, environment: Self.partnerSettings)
        return (intake, try await Self.simulator(stack, faults: faults.path))
    }

    /// The partner's fault is mended: the simulator starts again without faults (waiting for the running one
    /// to re-read its file would be a sleep; it keeps what it registered in the database).
    static func recover(_ simulator: ChildProcess, _ stack: Stack, _ faults: Faults) async throws {
        faults.set("{}")
        await simulator.terminate()
        try await Self.simulator(stack, faults: faults.path)
    }

    /// Starts the partner simulator and waits until it consumes its queue: on a new broker, a command
    /// relayed before the simulator declared its queue is routed nowhere (as one to an agency with no
    /// adapter), and its step waits for the partner timeout.
    @discardableResult
    static func simulator(_ stack: Stack, faults: String) async throws -> ChildProcess {
        let simulator = try stack.partnerSimulator(environment: ["MOTCUA_PARTNER_SIM_CONFIG": faults])
        try await eventually("the partner simulator consumes its queue") {
            try HardeningIntegrationTests.consumers("motcua.partner-sim") >= 1
        }
        return simulator
    }

    static func birth(_ steps: [String] = ["permanent_residence", "health_insurance_card"]) -> [String: Any] {
        dossierBody(["receivedAt": VietnamTime.rfc3339(Date()), "linkedGroup": ["group": "birth", "steps": steps]])
    }

    /// The read model's `linkedGroup` once `condition` holds for it.
    func group(
        _ intake: IntakeUnderTest, _ code: String, within seconds: Double = 30, _ what: String,
        _ condition: @escaping ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        var found: [String: Any] = [:]
        try await eventually(within: seconds, "\(code): \(what)") {
            found = try await intake.read(code)
            guard let group = found["linkedGroup"] as? [String: Any] else { return false }
            return condition(group)
        }
        return found
    }

    static func steps(_ view: [String: Any]) -> [String: [String: Any]] {
        let list = (view["linkedGroup"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []
        return Dictionary(list.map { ($0["step"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    func commands(_ code: String) async throws -> [String] {
        try await database.withConnection { connection in
            try connection.execute(
                """
                SELECT routing_key FROM outbox WHERE exchange = 'motcua.partners' AND body::jsonb ->> 'subject' = $1
                ORDER BY id
                """, [code]
            ).rows.map { try $0.string("routing_key") }
        }
    }

    // ---- the tests ------------------------------------------------------------------------------------

    /// The simulator ships apart from the workers (`motcua-partner-sim`); the workers' old role name still
    /// starts it, as the same process, and refuses to mix it with the pipeline's roles.
    @Test func theWorkersOldPartnerSimRoleBecomesTheSimulator() async throws {
        try await withStack { stack in
            let alias = try stack.worker(["--role", "partner-sim"])
            try await eventually("motcua-workers --role partner-sim becomes motcua-partner-sim") {
                let image = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(alias.pid)/exe")
                return alias.isRunning && image.hasSuffix("/motcua-partner-sim")
            }
            try await eventually("the simulator consumes its queue") {
                try HardeningIntegrationTests.consumers("motcua.partner-sim") >= 1
            }
            let mixed = try stack.worker(["--role", "all,partner-sim"])
            try await eventually("partner-sim with the pipeline's roles is refused") { !mixed.isRunning }
            #expect(mixed.exitStatus == 64)  // EX_USAGE, as for any bad option
        }
    }

    @Test func aBirthGroupWithAllThreeStepsCompletesAndClosesTheDossier() async throws {
        try await withStack { stack in
            let alerts = AlertTap()
            try await eventually("the alert queue is bound") { alerts.consumer.isConsuming }
            let faults = Faults()
            let intake = try await start(stack, faults: faults)
            let code = try await intake.submit(Self.birth())
            let view = try await group(intake, code, "completed") { $0["outcome"] as? String == "completed" }
            #expect(view["status"] as? String == "resolved" && view["closedAt"] is String)
            let steps = Self.steps(view)
            #expect(Set(steps.keys) == ["birth_registration", "permanent_residence", "health_insurance_card"])
            #expect(steps.values.allSatisfy { $0["status"] as? String == "done" && $0["attempts"] as? Int == 1 })
            #expect(steps["permanent_residence"]?["agency"] as? String == "police")
            let history = (view["history"] as? [[String: Any]] ?? []).map {
                ($0["type"] as? String ?? "", $0["by"] as? String)
            }
            #expect(history.filter { $0.0 == "linked_step_done" }.count == 3)
            #expect(
                history.contains { $0.0 == "resolve" && $0.1 == "motcua" }, "closed through the journal like any action"
            )
            // Closing cancelled the deadline timers, as for any close.
            #expect(
                try await database.count("SELECT count(*) FROM deadline_timers WHERE dossier_code = $1", [code]) == 0)
            // The first step's outputs are the next steps' inputs, and what the registry holds.
            let inputs = try await database.withConnection { connection in
                try connection.execute(
                    """
                    SELECT step, inputs::text AS inputs, outputs::text AS outputs FROM linked_steps WHERE dossier_code = $1
                    """, [code]
                ).rows.map { (try $0.string("step"), try $0.string("inputs"), $0["outputs"]) }
            }
            let birth = try #require(inputs.first { $0.0 == "birth_registration" }?.2)
            let outputs = try JSONSerialization.jsonObject(with: Data(birth.utf8)) as? [String: Any] ?? [:]
            let residenceInputs =
                try JSONSerialization.jsonObject(with: Data(inputs.first { $0.0 == "permanent_residence" }!.1.utf8))
                as? [String: Any] ?? [:]
            #expect(residenceInputs["birthCertificateNo"] as? String == outputs["birthCertificateNo"] as? String)
            #expect(residenceInputs["childPersonalId"] as? String == outputs["childPersonalId"] as? String)
            #expect((outputs["childPersonalId"] as? String)?.count == 12)
            #expect(
                try await commands(code).sorted() == [
                    "birth_registration", "health_insurance_card", "permanent_residence",
                ])
            // The end is announced, with the outcome, once.
            try await eventually("linked.completed.birth") {
                alerts.about(code).contains { $0.key == "linked.completed.birth" }
            }
            let completed = alerts.about(code).filter { $0.key == "linked.completed.birth" }
            #expect(completed.count == 1 && completed[0].type == "vn.motcua.linked.completed")
            #expect(
                completed[0].data["outcome"] as? String == "completed"
                    && completed[0].data["unitCode"] as? String == "000.00.19.H56")
            #expect(!alerts.about(code).contains { $0.key.hasPrefix("linked.step_failed.") })
            // An officer's action on the dossier the chain closed is refused like any on a closed dossier.
            let withdraw = try await intake.act(code, ["type": "withdraw", "reason": "rút"])
            #expect(withdraw.status == 409, "\(String(decoding: withdraw.body, as: UTF8.self))")
            let listed = try await motcua(["linked", "list", "--json"])
            #expect(listed.status == 0 && listed.output.contains(code))
            await alerts.close()
        }
    }

    @Test func aHangingResidencePartnerGetsStuckWithOneAlertAndCompletesAfterARetry() async throws {
        try await withStack { stack in
            let alerts = AlertTap()
            try await eventually("the alert queue is bound") { alerts.consumer.isConsuming }
            let faults = Faults(#"{"permanent_residence": {"hangRate": 1}}"#)
            let (intake, simulator) = try await startWithSimulator(stack, faults: faults)
            let code = try await intake.submit(Self.birth())
            let stuck = try await group(intake, code, "the residence step stuck") { group in
                (group["steps"] as? [[String: Any]] ?? []).contains {
                    $0["step"] as? String == "permanent_residence" && $0["status"] as? String == "stuck"
                }
            }
            let residence = try #require(Self.steps(stuck)["permanent_residence"])
            #expect(residence["attempts"] as? Int == 3, "retried up to the attempt limit")
            #expect((residence["lastError"] as? String)?.hasPrefix("no answer within 1.5 s") == true)
            #expect(
                Self.steps(stuck)["health_insurance_card"]?["status"] as? String == "done", "the other branch went on")
            #expect(
                (stuck["linkedGroup"] as? [String: Any])?["outcome"] is NSNull
                    && stuck["status"] as? String == "received")
            #expect(try await commands(code).filter { $0 == "permanent_residence" }.count == 3)
            try await eventually("linked.step_failed.birth") {
                alerts.about(code).contains { $0.key == "linked.step_failed.birth" }
            }
            // No second alert: a check that nothing more comes has no event to wait for, so it gives one the time.
            try await Task.sleep(for: .seconds(3))
            let failed = alerts.about(code).filter { $0.key == "linked.step_failed.birth" }
            #expect(failed.count == 1, "one alert after the attempt limit")
            #expect(failed.first?.type == "vn.motcua.linked.step_failed")
            #expect(
                failed.first?.data["step"] as? String == "permanent_residence"
                    && failed.first?.data["attempts"] as? Int == 3)
            #expect(
                failed.first?.data["agency"] as? String == "police" && failed.first?.data["missingFields"] is NSNull)

            // The operators see it and what they need to act.
            let listed = try await motcua(["linked", "list", "--stuck", "--json"])
            #expect(listed.status == 0)
            let document = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any] ?? [:]
            let groups = document["groups"] as? [[String: Any]] ?? []
            let mine = try #require(groups.first { $0["dossierCode"] as? String == code })
            let stuckStep = (mine["steps"] as? [[String: Any]] ?? []).first { $0["status"] as? String == "stuck" }
            #expect(stuckStep?["step"] as? String == "permanent_residence" && stuckStep?["waitingSince"] is String)
            let table = try await motcua(["linked", "list", "--stuck"])
            #expect(
                table.status == 0 && table.output.contains("WAITING SINCE")
                    && table.output.contains(code) && table.output.contains("no answer within"))

            // A step that is not stuck: non-zero, one line.
            let notStuck = try await motcua(["linked", "retry", code, "health_insurance_card"])
            #expect(
                notStuck.status != 0 && notStuck.error.split(separator: "\n").count == 1
                    && notStuck.error.contains("not stuck"), "\(notStuck.error)")
            let unknown = try await motcua(["linked", "retry", "000.00.19.H56-200101-0001", "permanent_residence"])
            #expect(unknown.status != 0 && unknown.error.split(separator: "\n").count == 1)

            // The police recover; a person re-arms the step; the group completes and the dossier closes.
            try await Self.recover(simulator, stack, faults)
            let retried = try await motcua(["linked", "retry", code, "permanent_residence"])
            #expect(retried.status == 0, "\(retried.error)")
            let done = try await group(intake, code, "completed after the retry") {
                $0["outcome"] as? String == "completed"
            }
            #expect(Self.steps(done)["permanent_residence"]?["attempts"] as? Int == 4, "the attempts count on")
            #expect(done["status"] as? String == "resolved")
            let history = (done["history"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(history.contains("linked_step_stuck") && history.contains("linked_step_rearmed"))
            try await eventually("linked.completed.birth") {
                alerts.about(code).contains { $0.key == "linked.completed.birth" }
            }
            #expect(alerts.about(code).filter { $0.key == "linked.step_failed.birth" }.count == 1)
            await alerts.close()
        }
    }

    /// With two commands allowed out per agency and the justice office hanging, five groups' first
    /// steps go out two at a time: each waits for a hung one to time out (and, with one attempt
    /// allowed, stick) before it is sent.
    @Test func noMoreThanTheCapOfCommandsIsOutAtOnceForAnAgency() async throws {
        try await withStack { stack in
            let faults = Faults(#"{"birth_registration": {"hangRate": 1}}"#)
            let intake = try await stack.intake()
            var settings = Self.partnerSettings
            settings["MOTCUA_PARTNER_MAX_ATTEMPTS"] = "1"
            settings["MOTCUA_PARTNER_MAX_IN_FLIGHT"] = "2"
            _ = try stack.worker(Self.pipeline, environment: settings)
            try await Self.simulator(stack, faults: faults.path)
            var submitted: [String] = []
            for _ in 0..<5 { submitted.append(try await intake.submit(Self.birth(["permanent_residence"]))) }
            let codes = submitted
            try await eventually(within: 60, "every first step stuck after its one attempt") {
                try await database.count(
                    """
                    SELECT count(*) FROM linked_steps WHERE dossier_code = ANY($1::text[]) AND status = 'stuck'
                    """, [PostgresArray.literal(codes)]) == 5
            }
            // Each command's time out: from its outbox row to its step's stuck moment.
            let spans = try await database.withConnection { connection in
                try connection.execute(
                    """
                    SELECT extract(epoch FROM o.created_at)::float8::text AS sent, extract(epoch FROM s.since)::float8::text AS ended
                    FROM outbox o JOIN linked_steps s ON s.dossier_code = o.body::jsonb ->> 'subject' AND s.step = o.routing_key
                    WHERE o.exchange = 'motcua.partners' AND s.dossier_code = ANY($1::text[])
                    """, [PostgresArray.literal(codes)]
                ).rows.map { (Double(try $0.string("sent"))!, Double(try $0.string("ended"))!) }
            }
            #expect(spans.count == 5, "one command per group")
            let starts = spans.map(\.0)
            let mostAtOnce = starts.map { start in spans.filter { $0.0 <= start && start < $0.1 }.count }.max() ?? 0
            #expect(mostAtOnce <= 2, "at most two commands out at once, saw \(mostAtOnce)")
            #expect(spans.map(\.0).max()! - spans.map(\.0).min()! >= 1.5 * 2, "the fifth waited for two timeouts")
        }
    }

    @Test func aRejectedFirstStepFailsTheGroupAndSendsNothingFurther() async throws {
        try await withStack { stack in
            let faults = Faults(#"{"birth_registration": {"rejectRate": 1}}"#)
            let intake = try await start(stack, faults: faults)
            let code = try await intake.submit(Self.birth())
            let view = try await group(intake, code, "failed") { $0["outcome"] as? String == "failed" }
            #expect(view["status"] as? String == "rejected")
            let steps = Self.steps(view)
            #expect(steps["birth_registration"]?["status"] as? String == "rejected")
            #expect((steps["birth_registration"]?["lastError"] as? String)?.contains("simulated") == true)
            #expect(
                steps["permanent_residence"]?["status"] as? String == "pending"
                    && steps["permanent_residence"]?["attempts"] as? Int == 0)
            // Nothing further: no event to wait for, so a second for a wrong command to show.
            try await Task.sleep(for: .seconds(1))
            #expect(try await commands(code) == ["birth_registration"], "no further command")
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM outbox WHERE routing_key = 'linked.completed.birth' AND body::jsonb ->> 'subject' = $1
                        AND body::jsonb #>> '{data,outcome}' = 'failed'
                    """, [code]) == 1)
        }
    }

    @Test func aRejectedCardStepEndsTheGroupPartial() async throws {
        try await withStack { stack in
            let faults = Faults(#"{"health_insurance_card": {"rejectRate": 1}}"#)
            let intake = try await start(stack, faults: faults)
            let code = try await intake.submit(Self.birth())
            let view = try await group(intake, code, "partial") { $0["outcome"] as? String == "partial" }
            #expect(view["status"] as? String == "resolved", "partial closes the dossier as resolved")
            let steps = Self.steps(view)
            #expect(steps["health_insurance_card"]?["status"] as? String == "rejected")
            #expect(steps["permanent_residence"]?["status"] as? String == "done")
        }
    }

    @Test func missingFieldsStopTheStepForAPerson() async throws {
        try await withStack { stack in
            let alerts = AlertTap()
            try await eventually("the alert queue is bound") { alerts.consumer.isConsuming }
            let faults = Faults(#"{"birth_registration": {"missingFieldsRate": 1}}"#)
            let (intake, simulator) = try await startWithSimulator(stack, faults: faults)
            let code = try await intake.submit(Self.birth(["health_insurance_card"]))
            let view = try await group(intake, code, "the first step stuck") { group in
                (group["steps"] as? [[String: Any]] ?? []).first?["status"] as? String == "stuck"
            }
            let first = try #require(Self.steps(view)["birth_registration"])
            #expect(first["missingFields"] as? [String] == ["childPersonalId"] && first["attempts"] as? Int == 1)
            #expect(first["lastError"] as? String == "missing fields: childPersonalId")
            #expect(Self.steps(view)["health_insurance_card"]?["status"] as? String == "pending")
            try await eventually("linked.step_failed.birth") {
                alerts.about(code).contains { $0.key == "linked.step_failed.birth" }
            }
            let failed = try #require(alerts.about(code).first { $0.key == "linked.step_failed.birth" })
            #expect(failed.data["missingFields"] as? [String] == ["childPersonalId"])
            // Nothing more: no event to wait for, so two seconds for a wrong command to show.
            try await Task.sleep(for: .seconds(2))
            #expect(try await commands(code) == ["birth_registration"], "nothing more until a person acts")
            // Once the registry's sync is fixed, a retry gets the same registration, now whole.
            try await Self.recover(simulator, stack, faults)
            #expect(try await motcua(["linked", "retry", code, "birth_registration"]).status == 0)
            _ = try await group(intake, code, "completed") { $0["outcome"] as? String == "completed" }
            #expect(
                try await database.count("SELECT count(*) FROM partner_sim_records WHERE dossier_code = $1", [code])
                    == 2)
            await alerts.close()
        }
    }

    @Test func aDeathGroupWithFourStepsCompletes() async throws {
        try await withStack { stack in
            let intake = try await start(stack, faults: Faults())
            let body = dossierBody([
                "procedureCode": "1.000656", "receivedAt": VietnamTime.rfc3339(Date()),
                "linkedGroup": [
                    "group": "death",
                    "steps": ["residence_removal", "funeral_allowance", "survivor_benefits"],
                ],
            ])
            let code = try await intake.submit(body)
            let view = try await group(intake, code, "completed") { $0["outcome"] as? String == "completed" }
            #expect(view["status"] as? String == "resolved")
            #expect(
                ((view["linkedGroup"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []).compactMap {
                    $0["step"] as? String
                }
                    == ["death_registration", "residence_removal", "funeral_allowance", "survivor_benefits"])
            #expect(Self.steps(view).values.allSatisfy { $0["status"] as? String == "done" })
            #expect(try await commands(code).count == 4)
            let certificate = try await database.withConnection { connection in
                try connection.execute(
                    """
                    SELECT count(DISTINCT inputs ->> 'deathCertificateNo') AS n FROM linked_steps
                    WHERE dossier_code = $1 AND step <> 'death_registration'
                    """, [code]
                ).one("certificate").int("n")
            }
            #expect(certificate == 1, "every later step got the death certificate number")
        }
    }

    /// 150 groups, two chains workers, one SIGKILLed mid-chain and replaced; the simulator answers slowly
    /// and now and then with an error. Every group completes; every step registered once at the partner
    /// with the outputs the step shows; one close and one `linked.completed` per dossier.
    @Test func aChainsWorkerKilledMidChainResumesAndNoDuplicatedCommandHasADoubleEffect() async throws {
        try await withStack { stack in
            let faults = Faults(#"{"*": {"delaySeconds": 0.1, "maxDelaySeconds": 0.6, "errorRate": 0.1}}"#)
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder,outbox"], environment: Self.partnerSettings)
            // Errors on 10% of the commands: ten attempts, so that no step is stuck (a chance of 1e-10 each).
            let settings = Self.partnerSettings.merging([
                "MOTCUA_PARTNER_TIMEOUT_SECONDS": "4",
                "MOTCUA_PARTNER_MAX_ATTEMPTS": "10",
            ]) { _, new in new }
            let victim = try stack.worker(["--role", "chains"], environment: settings)
            _ = try stack.worker(["--role", "chains"], environment: settings)
            try await Self.simulator(stack, faults: faults.path)
            var codes: [String] = []
            for _ in 0..<150 { codes.append(try await intake.submit(Self.birth())) }
            let list = PostgresArray.literal(codes)
            try await eventually(within: 60, "a third of the groups well under way") {
                try await database.count(
                    """
                    SELECT count(*) FROM linked_steps WHERE dossier_code = ANY($1::text[]) AND status = 'done'
                    """, [list]) >= 150
            }
            await victim.kill()
            let doneAtKill = try await database.count(
                """
                SELECT count(*) FROM linked_steps WHERE dossier_code = ANY($1::text[]) AND status = 'done'
                """, [list])
            #expect(doneAtKill < 3 * codes.count, "killed mid-chain (\(doneAtKill) of \(3 * codes.count) steps done)")
            _ = try stack.worker(["--role", "chains"], environment: settings)
            try await eventually(within: 120, "every group completed") {
                try await database.count(
                    """
                    SELECT count(*) FROM linked_groups WHERE dossier_code = ANY($1::text[]) AND outcome = 'completed'
                    """, [list]) == codes.count
            }
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM dossiers WHERE code = ANY($1::text[]) AND status = 'resolved'
                    """, [list]) == codes.count)
            // At the partner: one registration per dossier and step, and it is what the step shows.
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM partner_sim_records WHERE dossier_code = ANY($1::text[])
                    """, [list]) == 3 * codes.count)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM linked_steps s JOIN partner_sim_records r USING (dossier_code, step)
                    WHERE s.dossier_code = ANY($1::text[]) AND s.outputs = r.outputs
                    """, [list]) == 3 * codes.count, "every step's outputs are the partner's one registration")
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM linked_steps s JOIN linked_steps b ON b.dossier_code = s.dossier_code
                        AND b.step = 'birth_registration'
                    WHERE s.dossier_code = ANY($1::text[]) AND s.step <> 'birth_registration'
                        AND s.inputs ->> 'childPersonalId' = b.outputs ->> 'childPersonalId'
                    """, [list]) == 2 * codes.count)
            // One close and one announcement each; no timer left behind.
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND type = 'resolve'
                    """, [list]) == codes.count)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM outbox WHERE routing_key = 'linked.completed.birth' AND body::jsonb ->> 'subject' = ANY($1::text[])
                    """, [list]) == codes.count)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND type = 'linked_step_done'
                    """, [list]) == 3 * codes.count)
            try await eventually(within: 10, "no timer left") {
                try await database.count(
                    "SELECT count(*) FROM linked_timers WHERE dossier_code = ANY($1::text[])",
                    [list]) == 0
            }

            // Every command of 20 groups published again (as a relay whose claim lapsed would): the partner
            // answers each repeat as before, and nothing changes twice.
            let again = PostgresArray.literal(Array(codes.prefix(20)))
            let republished = try await database.withConnection { connection in
                try connection.execute(
                    """
                    UPDATE outbox SET sent_at = NULL, claimed_until = NULL
                    WHERE exchange = 'motcua.partners' AND body::jsonb ->> 'subject' = ANY($1::text[])
                    """, [again]
                ).affected
            }
            #expect(republished >= 60)
            try await eventually(within: 30, "the partner answered every repeated command") {
                try await database.count(
                    """
                    SELECT count(*) FROM partner_sim_records WHERE dossier_code = ANY($1::text[]) AND commands >= 2
                    """, [again]) == 60
            }
            // That nothing changed has no event to wait for: the repeats' answers get two seconds to show one.
            try await Task.sleep(for: .seconds(2))
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM partner_sim_records WHERE dossier_code = ANY($1::text[])
                    """, [list]) == 3 * codes.count, "still one registration per dossier and step")
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND type IN ('resolve', 'linked_step_done')
                    """, [list]) == 4 * codes.count, "no second close, no step done twice")
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM outbox WHERE routing_key = 'linked.completed.birth' AND body::jsonb ->> 'subject' = ANY($1::text[])
                    """, [list]) == codes.count)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM linked_steps s JOIN partner_sim_records r USING (dossier_code, step)
                    WHERE s.dossier_code = ANY($1::text[]) AND s.outputs = r.outputs AND s.status = 'done'
                    """, [list]) == 3 * codes.count)
        }
    }
}
