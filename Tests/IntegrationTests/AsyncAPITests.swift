import Domain
import Foundation
import TestSupport
import Testing

/// `docs/asyncapi.yaml` against what the pipeline really publishes: private queues bound with `#` on
/// `motcua.events` and `motcua.alerts` take every message of two dossiers' lives, and
/// `ops/asyncapi-check` validates each (envelope, data, routing key) against the document.
@Suite(.serialized) struct AsyncAPITests {
    /// The routing keys (a prefix ends with a dot) the dossiers' lives must have produced.
    static let required = [
        "dossier.received", "dossier.action.", "dossier.digitized", "payment.succeeded",
        "payment.mismatch.", "deadline.due_soon.", "deadline.overdue.", "deadline.apology_issued.",
        "deadline.escalated.", "linked.step_result", "linked.step_failed.", "linked.completed.",
        "birth_registration", "permanent_residence", "health_insurance_card", "death_registration",
        "residence_removal", "funeral_allowance", "survivor_benefits",
    ]

    @Test func everyEventAndAlertPublishedMatchesTheAsyncAPIDocument() async throws {
        try await withStack { stack in
            let taps = [Tap(Topology.events), Tap(Topology.alerts), Tap(Topology.partners)]
            let reading = taps.map { tap in Task { await tap.run() } }
            try await eventually("the private queues are bound") { taps.allSatisfy(\.consumer.isConsuming) }
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "all"])
            func minutesAgo(_ minutes: Double) -> String {
                VietnamTime.rfc3339(Date().addingTimeInterval(-60 * minutes))
            }
            var published = 0  // intake's 2xx answers: each is an event the broker confirmed on motcua.events
            func post(_ path: String, _ body: [String: Any], expect status: Int = 202) async throws {
                let answer = try await HTTP.send("POST", intake.base + path, token: "all-token", body: HTTP.json(body))
                #expect(answer.status == status, "POST \(path): \(String(decoding: answer.body, as: UTF8.self))")
                if answer.status / 100 == 2 { published += 1 }
            }

            // A: long past due when recorded, so every deadline alert fires at once (DeadlineTests).
            let late = plainDossier(receivedAt: "2026-11-16T09:00:00+07:00")
            let a = try await intake.submit(late)
            published += 1
            try await eventually(within: 30, "\(a)'s four deadline alerts") {
                let keys = taps[1].deliveries(about: [a]).map(\.routingKey)
                return ["due_soon", "overdue", "apology_issued", "escalated"].allSatisfy { kind in
                    keys.contains { $0.hasPrefix("deadline.\(kind).") }
                }
            }
            try await post(
                "/v1/dossiers/\(a)/digitizations",
                [
                    "target": "component", "name": "Giấy đề nghị", "sha256": String(repeating: "ab", count: 32),
                    "bytes": 2048, "mediaType": "application/pdf", "signed": true, "reused": false,
                ])
            try await post(
                "/v1/dossiers/\(a)/digitizations",
                [
                    "target": "result", "sha256": String(repeating: "CD", count: 32), "bytes": 4096,
                    "mediaType": "application/pdf", "signed": true,
                ])
            // The fee is 100 000 VND: 90 000 is a mismatch. The repeat republishes the stored event.
            let transaction = "tx-\(UUID().uuidString)"
            func notice(_ transaction: String, _ amount: Int, _ status: String) -> [String: Any] {
                [
                    "transactionId": transaction, "dossierCode": a, "amountVnd": amount, "status": status,
                    "gateway": "national", "paidAt": "2026-11-16T10:00:00+07:00",
                ]
            }
            try await post("/v1/payments", notice(transaction, 90_000, "succeeded"))
            try await post("/v1/payments", notice(transaction, 90_000, "succeeded"), expect: 200)
            try await post("/v1/payments", notice(transaction, 90_000, "refunded"))
            try await post("/v1/payments", notice("tx-\(UUID().uuidString)", 100_000, "failed"))
            try await post(
                "/v1/dossiers/\(a)/actions",
                [
                    "type": "transfer", "toUnit": "000.30.01.H56",
                    "by": "Trần Thị B", "at": minutesAgo(3),
                ])
            try await post(
                "/v1/dossiers/\(a)/actions",
                [
                    "type": "resolve", "at": minutesAgo(2),
                    "result": [
                        "sha256": String(repeating: "cd", count: 32), "bytes": 4096, "mediaType": "application/pdf",
                        "signed": true,
                    ],
                ])
            try await post("/v1/dossiers/\(a)/actions", ["type": "return", "at": minutesAgo(1)])

            // B: online, with every optional field, sent twice (the repeat republishes the stored event);
            // its agency files an extension, which is announced as a letter.
            let online = dossierBody(["receivedAt": minutesAgo(10), "idempotencyKey": UUID().uuidString])
            let b = try await intake.submit(online)
            published += 1
            try await post("/v1/dossiers", online, expect: 200)
            try await post(
                "/v1/dossiers/\(b)/actions",
                [
                    "type": "request_supplement", "at": minutesAgo(8),
                    "reason": "Thiếu bản sao giấy chứng sinh",
                ])
            try await post("/v1/dossiers/\(b)/actions", ["type": "supplement", "at": minutesAgo(6)])
            try await post(
                "/v1/dossiers/\(b)/actions",
                [
                    "type": "extend", "reason": "Cần xác minh thêm", "at": minutesAgo(4),
                    "newDueAt": VietnamTime.rfc3339(Date().addingTimeInterval(20 * 86_400)),
                ])
            try await post(
                "/v1/dossiers/\(b)/actions",
                [
                    "type": "withdraw", "reason": "Công dân rút hồ sơ",
                    "at": minutesAgo(2),
                ])

            // C and D: linked groups through the partner simulator, started only now so that B's chain (its
            // command waits for an adapter) cannot close B while its actions are still being posted. C's
            // police lose a field (the step is stuck: linked.step_failed), D's police reject (partial:
            // linked.completed); every partner command and answer is on the way.
            let faults = FileManager.default.temporaryDirectory.appendingPathComponent(
                "motcua-faults-\(UUID().uuidString).json")
            try Data(#"{"permanent_residence": {"missingFieldsRate": 1}, "residence_removal": {"rejectRate": 1}}"#.utf8)
                .write(to: faults)
            defer { try? FileManager.default.removeItem(at: faults) }
            try await LinkedChainTests.simulator(stack, faults: faults.path)
            let c = try await intake.submit(dossierBody(["receivedAt": minutesAgo(1)]))
            let d = try await intake.submit(
                dossierBody([
                    "procedureCode": "1.000656", "receivedAt": minutesAgo(1),
                    "linkedGroup": [
                        "group": "death", "steps": ["residence_removal", "funeral_allowance", "survivor_benefits"],
                    ],
                ]))
            published += 2

            let codes: Set<String> = [a, b, c, d]
            let expected = published
            // What has not come yet, named, so that a failure says which.
            var missing: [String] = []
            do {
                try await eventually(within: 60, "every event and alert about \(a), \(b), \(c) and \(d)") {
                    let alerts = taps[1].deliveries(about: codes)
                    func has(_ prefix: String, about code: String) -> Bool {
                        alerts.contains {
                            $0.routingKey.hasPrefix(prefix)
                                && AsyncAPICheck.envelope($0.body)["subject"] as? String == code
                        }
                    }
                    let events = taps[0].deliveries(about: codes)
                    let commands = taps[2].deliveries(about: [c, d]).count
                    let results = taps[0].deliveries(about: [c, d]).filter { $0.routingKey == "linked.step_result" }
                        .count
                    missing = [
                        "deadline.due_soon.", "deadline.overdue.", "deadline.apology_issued.", "deadline.escalated.",
                        "payment.mismatch.",
                    ].filter { !has($0, about: a) }.map { "\($0)* about A" }
                    if events.count < expected { missing.append("events: \(events.count) of \(expected)") }
                    if !has("deadline.apology_issued.", about: b) { missing.append("B's letter") }
                    if !has("linked.step_failed.", about: c) { missing.append("C's linked.step_failed") }
                    if !has("linked.completed.", about: d) { missing.append("D's linked.completed") }
                    if commands < 3 + 4 { missing.append("partner commands: \(commands) of 7") }
                    if results < 3 + 4 { missing.append("step results: \(results) of 7") }
                    return missing.isEmpty
                }
            } catch {
                throw TestFailure("\(error); still missing: \(missing.joined(separator: "; "))")
            }
            for tap in taps { await tap.consumer.close() }
            for task in reading { await task.value }

            let messages = taps.flatMap { tap in
                tap.deliveries(about: codes).map {
                    AsyncAPICheck.Message(
                        exchange: tap.exchange, routingKey: $0.routingKey, messageId: $0.messageId,
                        body: $0.body)
                }
            }
            let outcome = try AsyncAPICheck.run(messages)
            #expect(outcome.status == 0, "ops/asyncapi-check:\n\(outcome.output)")
            #expect(outcome.passed.count == messages.count, "every message was checked and passed:\n\(outcome.output)")
            #expect(Set(messages.map(\.routingKey)) == outcome.passedKeys, "every routing key seen was checked")
            for key in Self.required {
                #expect(
                    outcome.passedKeys.contains { key.hasSuffix(".") ? $0.hasPrefix(key) : $0 == key },
                    "\(key) was seen and checked")
            }
            #expect(
                Set(outcome.passed.values).isSuperset(of: [
                    "dossierReceived", "dossierAction", "dossierDigitized", "paymentNotice", "paymentMismatch",
                    "deadlineDueSoon", "deadlineOverdue", "deadlineApologyIssued", "deadlineEscalated",
                    "linkedStepResult", "linkedStepFailed", "linkedCompleted", "partnerCommand",
                ]))

            try checkerRefusesWhatBreaksTheDocument(messages)
        }
    }

    /// The checker's own test, on real messages made wrong: each must fail, and the run with them.
    func checkerRefusesWhatBreaksTheDocument(_ messages: [AsyncAPICheck.Message]) throws {
        let mismatch = try #require(messages.first { $0.routingKey.hasPrefix("payment.mismatch.") })
        let overdue = try #require(messages.first { $0.routingKey.hasPrefix("deadline.overdue.") })
        let escalated = try #require(messages.first { $0.routingKey.hasPrefix("deadline.escalated.") })
        let action = try #require(messages.first { $0.routingKey.hasPrefix("dossier.action.") })
        let command = try #require(messages.first { $0.routingKey == "birth_registration" })
        let stuck = try #require(messages.first { $0.routingKey.hasPrefix("linked.step_failed.") })
        func data(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { body in
                var data = body["data"] as? [String: Any] ?? [:]
                change(&data)
                body["data"] = data
            }
        }
        let broken = [
            // A field of the wrong type.
            try AsyncAPICheck.altered(mismatch, data { $0["amountVnd"] = "90000" }),
            // A personal ID in an alert.
            try AsyncAPICheck.altered(
                overdue,
                data { data in
                    var applicant = data["applicant"] as? [String: Any] ?? [:]
                    applicant["personalId"] = "051095001234"
                    data["applicant"] = applicant
                }),
            // A time with a fraction of a second, which the encoders never write.
            try AsyncAPICheck.altered(overdue) { $0["time"] = "2026-11-19T17:00:02.250+07:00" },
            // An escalation routed to the dossier's own unit instead of the supervising one.
            try AsyncAPICheck.altered(escalated, routingKey: "deadline.escalated.000.00.19.H56") { _ in },
            // A routing key the document does not know, and an action under another type's key.
            try AsyncAPICheck.altered(overdue, routingKey: "deadline.forgotten.000.00.19.H56") { _ in },
            try AsyncAPICheck.altered(action, routingKey: "dossier.action.reject") { _ in },
            // A command routed to another step's partner, and a step-failed alert with its count as text.
            try AsyncAPICheck.altered(command, routingKey: "health_insurance_card") { _ in },
            try AsyncAPICheck.altered(stuck, data { $0["attempts"] = "3" }),
        ]
        let outcome = try AsyncAPICheck.run(broken)
        #expect(outcome.status == 1, "ops/asyncapi-check on broken messages:\n\(outcome.output)")
        #expect(outcome.passed.isEmpty && outcome.failed.count == broken.count, "\(outcome.output)")
        #expect(outcome.output.contains("amountVnd") && outcome.output.contains("personalId"), "\(outcome.output)")
    }

    /// `motcua alerts tail` is a downstream consumer like any other: bound on `deadline.#`, it prints a
    /// dossier's four deadline alerts, one CloudEvent per line.
    @Test func alertsTailPrintsDeadlineAlerts() async throws {
        try await withStack { stack in
            let output = FileManager.default.temporaryDirectory
                .appendingPathComponent("motcua-tail-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: output) }
            let tail = Process()
            tail.executableURL = URL(fileURLWithPath: TestEnvironment.binDir + "/motcua")
            tail.arguments = ["alerts", "tail", "--key", "deadline.#"]
            tail.standardOutput = try FileHandle(forWritingTo: output)
            tail.standardError = FileHandle.nullDevice
            tail.standardInput = FileHandle.nullDevice
            try tail.run()
            defer { if tail.isRunning { tail.terminate() } }
            try await eventually("motcua alerts tail bound its queue") {
                try await ManagementAPI.bindings(from: Topology.alerts).contains {
                    $0.destination.hasPrefix("motcua.tail.") && $0.routingKey == "deadline.#"
                }
            }
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "all"])
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            var types: [String] = []
            try await eventually(within: 30, "the tail printed \(code)'s four deadline alerts") {
                let lines = String(decoding: try Data(contentsOf: output), as: UTF8.self).split(separator: "\n")
                types = lines.map { AsyncAPICheck.envelope(Data($0.utf8)) }
                    .filter { $0["subject"] as? String == code }.compactMap { $0["type"] as? String }
                return types.count >= 4
            }
            #expect(
                types.sorted() == [
                    "vn.motcua.deadline.apology_issued", "vn.motcua.deadline.due_soon",
                    "vn.motcua.deadline.escalated", "vn.motcua.deadline.overdue",
                ])
            tail.terminate()
            tail.waitUntilExit()
        }
    }
}
