import AMQPDriver
import Domain
import Foundation
import Store
import TestSupport
import Testing

/// Deadlines (DOMAIN.md §5) through the recorder, the deadline workers, the outbox relay and
/// `motcua.alerts`, on the real servers.
@Suite(.serialized) struct DeadlineTests {
    let database = TestEnvironment.database()

    /// A private queue on `motcua.alerts` for `deadline.#`, and the alerts about `code` it has seen.
    final class AlertWatch: @unchecked Sendable {
        let consumer = QueueConsumer(
            endpoint: TestEnvironment.amqp, queue: "test.deadlines.\(UUID().uuidString)",
            prefetch: 200, subscription: (Topology.alerts, "deadline.#"),
            logger: TestEnvironment.logger)

        /// Collects the alerts about `code` until `count` came (or fails after `seconds`).
        func alerts(about code: String, count: Int, within seconds: Double = 20) async throws -> [Delivery] {
            let consumer = self.consumer
            return try await withThrowingTaskGroup(of: [Delivery]?.self) { group in
                group.addTask {
                    var found: [Delivery] = []
                    for await batch in consumer.deliveries {
                        found += batch.filter { $0.body.range(of: Data("\"subject\":\"\(code)\"".utf8)) != nil }
                        consumer.ack(batch)
                        if found.count >= count { return found }
                    }
                    return found
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(seconds))
                    return nil
                }
                let first = try await group.next()!
                group.cancelAll()
                guard let found = first else {
                    throw TestFailure("fewer than \(count) alerts about \(code) in \(seconds) s")
                }
                return found
            }
        }
    }

    @Test func aDossierPastItsDueMomentWhenRecordedGetsEachAlertOnceAndOneAutomaticLetter() async throws {
        try await withStack { stack in
            let watch = AlertWatch()
            try await eventually("the alert queue is bound") { watch.consumer.isConsuming }
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "all"])
            // Received Monday 16/11 09:00, 3 working days: due Thursday 19/11 17:00, long past.
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            let alerts = try await watch.alerts(about: code, count: 4)
            await watch.consumer.close()
            // The letter's new due moment (the processing time again from 19/11 17:00: 24/11 17:00) is past
            // too, so the supervising unit hears of it as well.
            #expect(
                alerts.map(\.routingKey).sorted() == [
                    "deadline.apology_issued.000.00.19.H56",
                    "deadline.due_soon.000.00.19.H56", "deadline.escalated.000.00.00.H56",
                    "deadline.overdue.000.00.19.H56",
                ])
            let view = try await intake.read(code)
            let apology = try #require(view["apology"] as? [String: Any])
            #expect(apology["timely"] as? Bool == false)
            #expect(apology["newDueAt"] as? String == "2026-11-24T17:00:00+07:00")
            #expect(apology["issuedAt"] as? String == "2026-11-19T17:00:00+07:00")
            let number = try #require(apology["number"] as? String)
            #expect(number.hasSuffix("/2026/XL-000.00.19.H56") && Int(number.split(separator: "/")[0]) != nil)
            #expect(view["dueAt"] as? String == "2026-11-24T17:00:00+07:00")
            #expect(view["originalDueAt"] as? String == "2026-11-19T17:00:00+07:00", "an apology never moves it")

            let overdue = try #require(alerts.first { $0.routingKey.hasPrefix("deadline.overdue.") })
            let envelope = try JSONSerialization.jsonObject(with: overdue.body) as! [String: Any]
            #expect(envelope["type"] as? String == "vn.motcua.deadline.overdue")
            #expect(envelope["source"] as? String == "/motcua/workers/deadlines")
            let data = try #require(envelope["data"] as? [String: Any])
            #expect(
                data["unitCode"] as? String == "000.00.19.H56"
                    && data["originalDueAt"] as? String == "2026-11-19T17:00:00+07:00")
            #expect((data["overdueSeconds"] as? Int ?? 0) > 86_400)
            // CONTRACT.md's fixed shape: made before the letter, so `apology` is there and null.
            #expect(data.keys.contains("apology") && data["apology"] is NSNull)
            #expect(Set(data.keys).isSuperset(of: ["procedureName", "applicant", "dueAt", "receivedAt", "channel"]))
            let contact = try #require(data["applicant"] as? [String: Any])
            #expect(Set(contact.keys) == ["fullName", "phone", "email"])
            let issued = try #require(alerts.first { $0.routingKey.hasPrefix("deadline.apology_issued.") })
            let issuedData = try #require(
                (try JSONSerialization.jsonObject(with: issued.body) as? [String: Any])?["data"]
                    as? [String: Any])
            #expect((issuedData["overdueSeconds"] as? Int ?? 0) > 86_400, "made days after the due moment")
            #expect((issuedData["apology"] as? [String: Any])?["timely"] as? Bool == false)
            #expect(!String(decoding: overdue.body, as: UTF8.self).contains("051095001234"), "no personal ID in alerts")
            let escalation = try #require(alerts.first { $0.routingKey.hasPrefix("deadline.escalated.") })
            let escalated = try JSONSerialization.jsonObject(with: escalation.body) as! [String: Any]
            // Bình Phước's parent since the district ended on 30/6/2025 (DOMAIN.md §11) is the province.
            #expect((escalated["data"] as? [String: Any])?["escalatedTo"] as? String == "000.00.00.H56")

            let printed = try await motcua(["apology", "show", code])
            #expect(
                printed.status == 0 && printed.output.contains("Số: \(number)")
                    && printed.output.contains("Hẹn trả kết quả:    17 giờ 00 phút, ngày 19/11/2026")
                    && printed.output.contains("PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT")
                    && printed.output.contains("Mẫu số 04 (Thông tư 03/2025/TT-VPCP)"))
            let none = try await motcua(["apology", "show", "000.00.19.H56-200101-0001"])
            #expect(none.status != 0 && none.error.split(separator: "\n").count == 1)

            // Exactly once: every timer is spent, and nothing else was queued about it.
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM deadline_timers WHERE dossier_code = $1 AND fired_at IS NULL AND fire_at <= now()
                    """, [code]) == 0)
            #expect(
                try await database.count("SELECT count(*) FROM outbox WHERE body::jsonb ->> 'subject' = $1", [code])
                    == 4)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = $1 AND type = 'apology_issued'
                    """, [code]) == 1)
        }
    }

    /// DOMAIN.md §11: the regime in force at receipt decides the form, so a dossier of the seeds' 2023 prints
    /// Circular 01/2018's Mẫu 04 while one received today prints Circular 03/2025's (the test above).
    @Test func aLateDossierOf2023PrintsTheFormOfDecree61Of2018() async throws {
        // A commune of its own, and the dossier closed in 2023: no other test's report counts it.
        let unit = String(
            format: "000.%02d.%02d.Q%02d", Int.random(in: 0..<100), Int.random(in: 0..<100), Int.random(in: 0..<100))
        try await MergerTests.load([
            "units": [["code": unit, "name": "UBND xã Thử Mẫu Cũ", "level": "commune", "parent": "000.00.00.H56"]]
        ])
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "all"])
            var body = plainDossier(receivedAt: "2023-10-02T09:00:00+07:00")
            body["unitCode"] = unit
            let code = try await intake.submit(body)
            try await eventually("the automatic letter is recorded") {
                try await intake.read(code)["apology"] as? [String: Any] != nil
            }
            #expect(try await intake.act(code, ["type": "resolve", "at": "2023-10-20T09:00:00+07:00"]).status == 202)
            try await eventually("the resolution is recorded") {
                try await intake.read(code)["status"] as? String == "resolved"
            }
            let printed = try await motcua(["apology", "show", code])
            #expect(printed.status == 0)
            #expect(printed.output.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"))
            #expect(
                printed.output.contains("Mẫu số 04 (Thông tư 01/2018/TT-VPCP)")
                    && printed.output.contains("Nghị định số 61/2018/NĐ-CP"))
            #expect(!printed.output.contains("gia hạn"))
        }
    }

    @Test func closingCancelsTheTimersAndTheAgencysOwnLetterIsTimely() async throws {
        try await withStack { stack in
            let watch = AlertWatch()
            try await eventually("the alert queue is bound") { watch.consumer.isConsuming }
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder,outbox"])
            // Received now: nothing is due yet. Resolved at once: its timers are gone.
            let now = VietnamTime.rfc3339(Date())
            let early = try await intake.submit(plainDossier(receivedAt: now))
            try await eventually("its timers are written with the dossier") {
                try await database.count("SELECT count(*) FROM deadline_timers WHERE dossier_code = $1", [early]) == 2
            }
            #expect(try await intake.act(early, ["type": "resolve"]).status == 202)
            try await eventually("resolving cancels them") {
                try await database.count("SELECT count(*) FROM deadline_timers WHERE dossier_code = $1", [early]) == 0
            }
            // Past due, with the agency's letter filed (back-dated) before the deadline worker runs.
            let late = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            #expect(
                try await intake.act(
                    late,
                    [
                        "type": "extend", "reason": "cần xác minh", "at": "2026-11-19T09:00:00+07:00",
                        "newDueAt": "2026-11-24T17:00:00+07:00",
                    ]
                ).status == 202)
            _ = try await intake.settled(late, entries: 2)
            _ = try stack.worker(["--role", "deadlines"])
            // The agency's letter is announced when it is recorded; then each deadline once.
            let alerts = try await watch.alerts(about: late, count: 4)
            await watch.consumer.close()
            #expect(
                alerts.map(\.routingKey).sorted() == [
                    "deadline.apology_issued.000.00.19.H56",
                    "deadline.due_soon.000.00.19.H56", "deadline.escalated.000.00.00.H56",
                    "deadline.overdue.000.00.19.H56",
                ])
            let view = try await intake.read(late)
            let apology = try #require(view["apology"] as? [String: Any])
            #expect(apology["timely"] as? Bool == true)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = $1 AND type = 'apology_issued'
                    """, [late]) == 0, "no automatic letter beside the agency's")
            #expect(
                try await database.count("SELECT count(*) FROM outbox WHERE body::jsonb ->> 'subject' = $1", [late])
                    == 4)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM outbox WHERE body::jsonb ->> 'subject' = $1 AND routing_key LIKE 'deadline.apology_issued.%'
                    """, [late]) == 1)
        }
    }

    /// 1,000 dossiers whose deadlines are all due, three deadline workers, one SIGKILLed while it works:
    /// one alert per timer and kind, and one letter per dossier.
    @Test func threeWorkersAndAKillFireEachTimerOnce() async throws {
        try await withStack { stack in
            let day = String(format: "24%02d%02d", Int.random(in: 1...12), Int.random(in: 1...28))
            let codes = (0..<1_000).map { "000.00.19.H56-\(day)-\(20_000 + $0)" }
            let recorder = try stack.worker(["--role", "recorder"])
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            let messages = try codes.map { try DeadLetterTests.received($0, dueAt: Date().addingTimeInterval(-3600)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<32 {
                    group.addTask {
                        for i in stride(from: lane, to: messages.count, by: 32) {
                            try await publisher.publish(messages[i])
                        }
                    }
                }
                try await group.waitForAll()
            }
            await publisher.close()
            let list = PostgresArray.literal(codes)
            try await eventually(within: 60, "recorded with their timers") {
                try await database.count(
                    "SELECT count(*) FROM deadline_timers WHERE dossier_code = ANY($1::text[])",
                    [list]) == 2_000
            }
            await recorder.terminate()
            var workers = try (0..<3).map { _ in try stack.worker(["--role", "deadlines"]) }
            try await eventually(within: 60, "the first timers fired") {
                try await database.count(
                    """
                    SELECT count(*) FROM deadline_timers WHERE dossier_code = ANY($1::text[]) AND fired_at IS NOT NULL
                    """, [list]) > 0
            }
            await workers[0].kill()
            workers[0] = try stack.worker(["--role", "deadlines,recorder"])
            try await eventually(within: 90, "every due timer fired") {
                try await database.count(
                    """
                    SELECT count(*) FROM deadline_timers WHERE dossier_code = ANY($1::text[])
                        AND fired_at IS NULL AND fire_at <= now()
                    """, [list]) == 0
            }
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM deadline_timers WHERE dossier_code = ANY($1::text[]) AND fired_at IS NOT NULL
                    """, [list]) == 2_000, "due soon and overdue of each")
            for prefix in ["deadline.due_soon.", "deadline.overdue.", "deadline.apology_issued."] {
                #expect(
                    try await database.count(
                        """
                        SELECT count(*) FROM (SELECT DISTINCT body::jsonb ->> 'subject' FROM outbox
                            WHERE routing_key LIKE $2 AND body::jsonb ->> 'subject' = ANY($1::text[])) AS s
                        """, [list, prefix + "%"]) == 1_000, "\(prefix) for each dossier")
                #expect(
                    try await database.count(
                        """
                        SELECT count(*) FROM outbox WHERE routing_key LIKE $2 AND body::jsonb ->> 'subject' = ANY($1::text[])
                        """, [list, prefix + "%"]) == 1_000, "\(prefix) once each")
            }
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND type = 'apology_issued'
                    """, [list]) == 1_000)
            for worker in workers { await worker.terminate() }
        }
    }
}
