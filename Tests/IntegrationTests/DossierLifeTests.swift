import AMQPDriver
import Domain
import Foundation
import TestSupport
import Testing

/// A dossier's whole legal life (DOMAIN.md §3) through intake, RabbitMQ, the recorder and PostgreSQL.
@Suite(.serialized) struct DossierLifeTests {
    @Test func eachPathReadsBackWithItsStatusTimingAndHistory() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker()
            // Received Monday 16/11 09:00, 3 working days: due Thursday 19/11 17:00.
            let paths: [([[String: Any]], String, String?)] = [
                (
                    [
                        ["type": "transfer", "toUnit": "000.30.01.H56", "at": "2026-11-16T10:00:00+07:00"],
                        ["type": "resolve", "at": "2026-11-18T10:00:00+07:00"],
                        ["type": "return", "at": "2026-11-18T15:00:00+07:00"],
                    ], "returned", "early"
                ),
                ([["type": "resolve", "at": "2026-11-19T16:00:00+07:00"]], "resolved", "on_time"),
                (
                    [
                        ["type": "reject", "reason": "không đủ điều kiện", "at": "2026-11-17T09:00:00+07:00"],
                        ["type": "return", "at": "2026-11-17T10:00:00+07:00"],
                    ], "returned", "early"
                ),
                ([["type": "withdraw", "at": "2026-11-17T09:00:00+07:00"]], "withdrawn", nil),
                (
                    [
                        [
                            "type": "extend", "reason": "cần xác minh", "newDueAt": "2026-11-24T17:00:00+07:00",
                            "at": "2026-11-19T09:00:00+07:00",
                        ],
                        ["type": "resolve", "at": "2026-11-23T10:00:00+07:00"],
                    ], "resolved", "overdue"
                ),
            ]
            for (actions, status, timing) in paths {
                let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
                for action in actions { #expect(try await intake.act(code, action).status == 202) }
                let view = try await intake.settled(code, entries: actions.count + 1)
                #expect(view["status"] as? String == status)
                #expect(view["timing"] as? String == timing)
                let types = (view["history"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
                #expect(types == ["received"] + actions.map { $0["type"] as! String })
                #expect(view["originalDueAt"] as? String == "2026-11-19T17:00:00+07:00")
                if status == "withdrawn" { #expect(view["closedAt"] as? String == "2026-11-17T09:00:00+07:00") }
                if timing == "overdue" {
                    let apology = try #require(view["apology"] as? [String: Any])
                    #expect(apology["newDueAt"] as? String == "2026-11-24T17:00:00+07:00")
                    #expect(view["dueAt"] as? String == "2026-11-24T17:00:00+07:00")
                }
            }
        }
    }

    @Test func aSupplementRestartsTheDueMoment() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker()
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            #expect(
                try await intake.act(
                    code,
                    [
                        "type": "request_supplement", "reason": "thiếu bản sao",
                        "at": "2026-11-16T10:00:00+07:00",
                    ]
                ).status == 202)
            let waiting = try await intake.settled(code, entries: 2)
            #expect(waiting["status"] as? String == "supplement_requested")
            #expect(
                try await intake.act(code, ["type": "supplement", "at": "2026-11-17T10:00:00+07:00"]).status == 202)
            let view = try await intake.settled(code, entries: 3)
            #expect(view["status"] as? String == "received")
            // Three working days again from Tuesday 17/11 10:00: Friday 20/11 17:00.
            #expect(view["dueAt"] as? String == "2026-11-20T17:00:00+07:00")
            // The new receipt's due moment replaces the first one (DOMAIN.md §3).
            #expect(view["originalDueAt"] as? String == "2026-11-20T17:00:00+07:00")

            // A dossier recorded under the old rule (the first due moment kept) is put right by `migrate`.
            let database = TestEnvironment.database()
            try await database.withConnection { connection in
                try connection.execute(
                    "UPDATE dossiers SET original_due_at = '2026-11-19T17:00:00+07:00' WHERE code = $1",
                    [code])
                try connection.execute("INSERT INTO reprojection_pending VALUES ($1)", [code])
            }
            let migrated = try await motcua(["migrate"])
            #expect(migrated.status == 0 && migrated.output.contains("replayed 1 dossiers"))
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM dossiers WHERE code = $1 AND original_due_at = '2026-11-20T17:00:00+07:00'
                    """, [code]) == 1)
            #expect(try await database.count("SELECT count(*) FROM reprojection_pending") == 0)
            await database.close()
        }
    }

    @Test func anIllegalActionIs409AndChangesNothing() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker()
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            #expect(try await intake.act(code, ["type": "withdraw", "at": "2026-11-16T10:00:00+07:00"]).status == 202)
            _ = try await intake.settled(code, entries: 2)
            let refused = try await intake.act(code, ["type": "resolve"])
            #expect(refused.status == 409)
            #expect((refused.json["detail"] as? String)?.contains("withdrawn") == true)
            let missing = try await intake.act(code, ["type": "reject"])
            #expect(missing.status == 422 && missing.errorFields == ["reason"])
            #expect(
                try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers/000.00.19.H56-200101-4242/actions",
                    token: "all-token", body: HTTP.json(["type": "return"])
                ).status == 404)
            let view = try await intake.read(code)
            #expect(view["status"] as? String == "withdrawn")
            #expect((view["history"] as? [Any])?.count == 2)
        }
    }

    @Test func actionsPublishedOutOfOrderEndInTheRightState() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            // Straight onto the broker, latest first, before any worker runs.
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            for (type, at) in [
                (ActionType.return, "2026-11-18T15:00:00+07:00"), (.resolve, "2026-11-18T10:00:00+07:00"),
                (.transfer, "2026-11-17T09:00:00+07:00"),
            ] {
                let action = DossierAction(
                    type: type, at: Timestamp.parse(at)!,
                    toUnit: type == .transfer ? "000.30.01.H56" : nil)
                let event = CloudEvent(
                    source: EventSource.intake, routingKey: RoutingKey.action(type.rawValue),
                    subject: code, data: DossierActionEvent(code: code, action: action))
                try await publisher.publish(
                    OutgoingMessage(
                        exchange: Topology.events,
                        routingKey: RoutingKey.action(type.rawValue),
                        body: try JSONCoding.encode(event), messageId: event.id))
            }
            await publisher.close()
            _ = try stack.worker(["--role", "recorder"])
            let view = try await intake.settled(code, entries: 4)
            #expect(view["status"] as? String == "returned")
            #expect(view["timing"] as? String == "early")
            let refused = (view["history"] as? [[String: Any]])?.compactMap { $0["refused"] as? String }
            #expect(refused == [])
        }
    }

    @Test func citizensLookUpStatusOnlyAndAreRateLimited() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            let found = try await HTTP.send("GET", intake.base + "/v1/lookup/\(code)?personalIdLast4=1234")
            #expect(found.status == 200)
            #expect(Set(found.json.keys) == ["status", "dueAt", "timing"])
            #expect(found.json["status"] as? String == "received" && found.json["timing"] is NSNull)
            let wrongPair = try await HTTP.send("GET", intake.base + "/v1/lookup/\(code)?personalIdLast4=9999")
            let unknown = try await HTTP.send(
                "GET", intake.base + "/v1/lookup/000.00.19.H56-200101-0042?personalIdLast4=1234")
            #expect(wrongPair.status == 404 && unknown.status == 404)
            #expect(wrongPair.body == unknown.body)
            var statuses: [Int] = []
            for _ in 0..<25 {
                statuses.append(
                    try await HTTP.send("GET", intake.base + "/v1/lookup/\(code)?personalIdLast4=1234").status)
            }
            #expect(statuses.contains(429))
        }
    }
}
