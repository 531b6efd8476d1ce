import AMQPDriver
import Domain
import Foundation
import Store
import TestSupport
import Testing

/// Nothing lost, nothing doubled: redeliveries, broker outages and killed workers.
@Suite(.serialized) struct DeliveryGuaranteeTests {
    let database = TestEnvironment.database()

    @Test func theSameEventDeliveredTwiceIsRecordedOnce() async throws {
        try await withStack { stack in
            let worker = try stack.worker(["--role", "recorder"])
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            let code = "000.00.19.H56-200101-\(Int.random(in: 10000...99999))"
            let now = Date()
            let dossier = DossierReceived(
                code: code, procedureCode: "1.004222", unitCode: "000.00.19.H56", channel: .direct, onlineLevel: nil,
                applicant: Applicant(personalId: "051095001234", fullName: "Trần Thị B"), components: [],
                receivedAt: now, dueAt: now, idempotencyKey: nil, linkedGroup: nil)
            let event = CloudEvent(
                source: EventSource.intake, routingKey: RoutingKey.dossierReceived, subject: code,
                data: dossier)
            let message = OutgoingMessage(
                exchange: Topology.events, routingKey: RoutingKey.dossierReceived,
                body: try JSONCoding.encode(event), messageId: event.id, type: event.type)
            try await publisher.publish(message)
            try await publisher.publish(message)
            await publisher.close()

            try await eventually("both copies are consumed") {
                let depths = try QueueInspection.depths(
                    endpoint: TestEnvironment.amqp, queues: [Topology.recorder.name])
                let ready = depths[Topology.recorder.name]??.ready
                return try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
                    && ready == 0
            }
            // A graceful stop acks what it finished; anything unacknowledged would be back in the queue.
            await worker.terminate()
            let left = try QueueInspection.depths(endpoint: TestEnvironment.amqp, queues: [Topology.recorder.name])
            #expect(left[Topology.recorder.name]??.ready == 0)
            #expect(try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1)
            #expect(try await database.count("SELECT count(*) FROM journal WHERE dossier_code = $1", [code]) == 1)
        }
    }

    @Test func withTheBrokerDownIntakeAnswers503AndRecoversWithoutARestart() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let key = "outage-\(UUID().uuidString)"
            #expect(
                try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers", token: "all-token",
                    body: HTTP.json(dossierBody())
                ).status == 202)
            try await TestEnvironment.broker("stop")
            do {
                let refused = try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers", token: "all-token",
                    body: HTTP.json(dossierBody(["idempotencyKey": key])))
                #expect(refused.status == 503)
                #expect(try await HTTP.send("GET", intake.base + "/readyz").status == 503)
            }
            try await TestEnvironment.broker("start")
            var accepted: HTTP.Answer?
            try await eventually(within: 60, "intake accepts again") {
                accepted = try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers", token: "all-token",
                    body: HTTP.json(dossierBody(["idempotencyKey": key])))
                return accepted?.status == 202 || accepted?.status == 200
            }
            #expect(intake.process.isRunning)
            let code = try #require(accepted?.json["code"] as? String)
            _ = try stack.worker(["--role", "recorder"])
            try await eventually("the retried dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
        }
    }

    @Test func aBurstSurvivesKilledWorkersWithExactlyOneRecordEach() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            var workers = [
                try stack.worker(["--role", "recorder"]),
                try stack.worker(["--role", "all", "--prefetch", "50"]),
            ]
            let run = UUID().uuidString.prefix(8)
            let total = 2000
            let counter = Counter()

            // The burst goes on while one worker is killed with SIGKILL and restarted, twice.
            async let burst: Int = withThrowingTaskGroup(of: Int.self) { group in
                for lane in 0..<32 {
                    group.addTask {
                        var accepted = 0
                        for i in stride(from: lane, to: total, by: 32) {
                            let body = dossierBody([
                                "idempotencyKey": "burst-\(run)-\(i)", "linkedGroup": NSNull(),
                                "procedureCode": "1.004222",
                            ])
                            while true {
                                let answer = try await HTTP.send(
                                    "POST", intake.base + "/v1/dossiers", token: "all-token",
                                    body: HTTP.json(body))
                                if answer.status == 202 || answer.status == 200 { break }
                                guard answer.status == 503 else { throw TestFailure("status \(answer.status)") }
                            }
                            accepted += 1
                            await counter.add()
                        }
                        return accepted
                    }
                }
                return try await group.reduce(0, +)
            }
            for threshold in [400, 1200] {
                try await eventually(within: 120, "\(threshold) accepted") { await counter.value >= threshold }
                await workers[0].kill()
                workers[0] = try stack.worker(["--role", "recorder"])
            }
            #expect(try await burst == total)

            let pattern = "burst-\(run)-%"
            try await eventually(within: 120, "every accepted dossier is recorded") {
                try await database.count(
                    """
                    SELECT count(*) FROM dossiers d JOIN issued_dossiers i USING (code) WHERE i.idempotency_key LIKE $1
                    """, [pattern]) == total
            }
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal j JOIN issued_dossiers i ON i.code = j.dossier_code
                    WHERE i.idempotency_key LIKE $1
                    """, [pattern]) == total)
            for worker in workers { await worker.terminate() }
            #expect(workers.allSatisfy { $0.exitStatus == 0 })
        }
    }
}

extension DeliveryGuaranteeTests {
    /// 10,000 dossiers and an action for each, a tenth of them delivered twice, straight into the
    /// recorder queue while its workers are SIGKILLed three times: each dossier recorded once, each
    /// action journalled once and applied.
    @Test func tenThousandSurviveSigkilledWorkers() async throws {
        try await withStack { stack in
            let day = String(format: "25%02d%02d", Int.random(in: 1...12), Int.random(in: 1...28))
            let total = 10_000
            let codes = (0..<total).map { "000.00.19.H56-\(day)-\(10_000 + $0)" }
            var messages: [OutgoingMessage] = []
            for code in codes {
                let received = try DeadLetterTests.received(code)
                let action = DossierAction(type: .transfer, at: Date().wholeSeconds, toUnit: "000.30.01.H56")
                let event = CloudEvent(
                    source: EventSource.intake, routingKey: RoutingKey.action("transfer"),
                    subject: code, data: DossierActionEvent(code: code, action: action))
                messages.append(received)
                messages.append(
                    OutgoingMessage(
                        exchange: Topology.events, routingKey: RoutingKey.action("transfer"),
                        body: try JSONCoding.encode(event), messageId: event.id))
            }
            // A tenth again, later in the stream: redeliveries the inbox must drop.
            messages += stride(from: 0, to: messages.count, by: 10).map { messages[$0] }
            let stream = messages
            var workers = [try stack.worker(["--role", "recorder"]), try stack.worker(["--role", "recorder"])]
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            async let published: Void = withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<64 {
                    group.addTask {
                        for i in stride(from: lane, to: stream.count, by: 64) { try await publisher.publish(stream[i]) }
                    }
                }
                try await group.waitForAll()
            }
            let list = PostgresArray.literal(codes)
            for (round, threshold) in [1_500, 4_000, 7_000].enumerated() {
                try await eventually(within: 180, "\(threshold) recorded") {
                    try await database.count("SELECT count(*) FROM dossiers WHERE code = ANY($1::text[])", [list])
                        >= threshold
                }
                await workers[round % 2].kill()
                workers[round % 2] = try stack.worker(["--role", "recorder"])
            }
            // The last kill came while work remained, or the test proved nothing.
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM dossiers WHERE code = ANY($1::text[]) AND status = 'in_progress'
                    """, [list]) < total)
            try await published
            await publisher.close()
            try await eventually(within: 180, "every action applied") {
                try await database.count(
                    """
                    SELECT count(*) FROM dossiers WHERE code = ANY($1::text[]) AND status = 'in_progress'
                    """, [list]) == total
            }
            #expect(
                try await database.count("SELECT count(*) FROM dossiers WHERE code = ANY($1::text[])", [list]) == total)
            for type in ["received", "transfer"] {
                #expect(
                    try await database.count(
                        """
                        SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND type = $2
                        """, [list, type]) == total, "one \(type) entry per dossier")
            }
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND refused_reason IS NOT NULL
                    """, [list]) == 0)
            for worker in workers { await worker.terminate() }
            #expect(workers.allSatisfy { $0.exitStatus == 0 })
        }
    }
}

actor Counter {
    var value = 0
    func add() { value += 1 }
}
