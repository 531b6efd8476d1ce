import AMQPDriver
import Domain
import Foundation
import TestSupport
import Testing

/// Payments (DOMAIN.md §8) and digitization records (§7).
@Suite(.serialized) struct PaymentAndDigitizationTests {
    let database = TestEnvironment.database()

    func notice(_ code: String, _ transaction: String, amount: Int = 100_000, status: String = "succeeded")
        -> [String: Any]
    {
        [
            "transactionId": transaction, "dossierCode": code, "amountVnd": amount, "status": status,
            "gateway": "national", "paidAt": "2026-11-16T10:00:00+07:00",
        ]
    }

    @Test func theSameNoticeFiveTimesCountsOnce() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker()
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            let transaction = "tx-\(UUID().uuidString)"
            var statuses: [Int] = []
            for _ in 0..<5 {
                statuses.append(
                    try await HTTP.send(
                        "POST", intake.base + "/v1/payments", token: "all-token",
                        body: HTTP.json(notice(code, transaction))
                    ).status)
            }
            #expect(statuses == [202, 200, 200, 200, 200])
            var view = try await intake.settled(code, entries: 2)
            #expect((view["payments"] as? [Any])?.count == 1)
            #expect(view["paidNetVnd"] as? Int == 100_000)
            // A refund after the success nets out.
            #expect(
                try await HTTP.send(
                    "POST", intake.base + "/v1/payments", token: "all-token",
                    body: HTTP.json(notice(code, transaction, status: "refunded"))
                ).status == 202)
            view = try await intake.settled(code, entries: 3)
            #expect(view["paidNetVnd"] as? Int == 0)
            #expect(
                try await database.count("SELECT count(*) FROM payments WHERE transaction_id = $1", [transaction]) == 2)
            let unknown = try await HTTP.send(
                "POST", intake.base + "/v1/payments", token: "all-token",
                body: HTTP.json(notice("000.00.19.H56-200101-7777", "tx-x")))
            #expect(unknown.status == 422 && unknown.errorFields == ["dossierCode"])
        }
    }

    @Test func aMismatchedAmountRaisesExactlyOneAlert() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let alerts = QueueConsumer(
                endpoint: TestEnvironment.amqp, queue: "test.alerts.\(UUID().uuidString)",
                prefetch: 10, subscription: (Topology.alerts, "payment.mismatch.#"),
                logger: TestEnvironment.logger)
            try await eventually("the alert queue is bound") { alerts.isConsuming }
            // Two workers, so two outbox relays compete for the same row.
            _ = try stack.worker()
            _ = try stack.worker()
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            let transaction = "tx-\(UUID().uuidString)"
            for _ in 0..<2 {
                _ = try await HTTP.send(
                    "POST", intake.base + "/v1/payments", token: "all-token",
                    body: HTTP.json(notice(code, transaction, amount: 90_000)))
            }
            try await eventually("the alert left the outbox") {
                try await database.count(
                    """
                    SELECT count(*) FROM outbox WHERE body::jsonb #>> '{data,transactionId}' = $1 AND sent_at IS NOT NULL
                    """, [transaction]) == 1
            }
            var received: [Delivery] = []
            for await batch in alerts.deliveries {
                received += batch.filter { $0.body.range(of: Data(transaction.utf8)) != nil }
                batch.forEach(alerts.ack)
                if !received.isEmpty { break }
            }
            await alerts.close()
            #expect(received.count == 1)
            #expect(received.first?.routingKey == "payment.mismatch.000.00.19.H56")
            let envelope = try JSONSerialization.jsonObject(with: received[0].body) as! [String: Any]
            #expect(envelope["specversion"] as? String == "1.0")
            #expect(envelope["type"] as? String == "vn.motcua.payment.mismatch")
            #expect(envelope["source"] as? String == "/motcua/workers/payments")
            #expect(envelope["subject"] as? String == code)
            #expect(envelope["id"] as? String == received[0].messageId)
            let data = try #require(envelope["data"] as? [String: Any])
            #expect(data["amountVnd"] as? Int == 90_000 && data["expectedVnd"] as? Int == 100_000)
            #expect(
                try await database.count(
                    "SELECT count(*) FROM outbox WHERE body::jsonb #>> '{data,transactionId}' = $1",
                    [transaction]) == 1)
        }
    }

    @Test func aPaymentPublishedBeforeItsDossierIsAppliedWhenTheDossierArrives() async throws {
        try await withStack { stack in
            _ = try stack.worker(["--role", "payments"])
            let code = "000.00.19.H56-200102-\(Int.random(in: 10000...99999))"
            let transaction = "tx-\(UUID().uuidString)"
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            let payment = PaymentNotice(
                transactionId: transaction, dossierCode: code, amountVnd: 20_000,
                status: .succeeded, gateway: .provincial, paidAt: Date())
            let paymentEvent = CloudEvent(
                source: EventSource.intake, routingKey: "payment.succeeded", subject: code,
                data: payment)
            try await publisher.publish(
                OutgoingMessage(
                    exchange: Topology.events, routingKey: "payment.succeeded",
                    body: try JSONCoding.encode(paymentEvent),
                    messageId: paymentEvent.id))
            // The payments worker takes it first (nothing left ready) and has nothing to attach it to yet.
            try await eventually("the payments worker took the notice") {
                let depths = try QueueInspection.depths(
                    endpoint: TestEnvironment.amqp, queues: [Topology.payments.name])
                return depths[Topology.payments.name]??.ready == 0
            }
            #expect(
                try await database.count("SELECT count(*) FROM payments WHERE transaction_id = $1", [transaction]) == 0)
            let dossier = DossierReceived(
                code: code, procedureCode: "1.004222", unitCode: "000.00.19.H56",
                channel: .online, onlineLevel: .full,
                applicant: Applicant(personalId: "051095001234", fullName: "Lê Văn C"),
                components: [], receivedAt: Date(), dueAt: Date(), idempotencyKey: nil,
                linkedGroup: nil)
            let received = CloudEvent(
                source: EventSource.intake, routingKey: RoutingKey.dossierReceived, subject: code,
                data: dossier)
            try await publisher.publish(
                OutgoingMessage(
                    exchange: Topology.events, routingKey: RoutingKey.dossierReceived,
                    body: try JSONCoding.encode(received), messageId: received.id))
            await publisher.close()
            _ = try stack.worker(["--role", "recorder"])
            try await eventually(within: 30, "the waiting payment is applied") {
                try await database.count("SELECT count(*) FROM payments WHERE transaction_id = $1", [transaction]) == 1
            }
            #expect(
                try await database.count(
                    "SELECT count(*) FROM payments WHERE mismatch AND transaction_id = $1",
                    [transaction]) == 0)
        }
    }

    @Test func aReplacedDigitizationKeepsOneCurrentRecord() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker()
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            for sha in ["a", "b"] {
                let answer = try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers/\(code)/digitizations",
                    token: "all-token",
                    body: HTTP.json([
                        "target": "component", "name": "Giấy đề nghị",
                        "sha256": String(repeating: sha, count: 64), "bytes": 2048,
                        "mediaType": "application/pdf", "signed": true, "reused": false,
                    ]))
                #expect(answer.status == 202)
                // Wait for each, so the second one is the replacement.
                _ = try await intake.settled(code, entries: sha == "a" ? 2 : 3)
            }
            let view = try await intake.read(code)
            let components = try #require(view["components"] as? [[String: Any]])
            #expect(components.count == 1)
            #expect(components[0]["sha256"] as? String == String(repeating: "b", count: 64))
            #expect(view["fullyDigitized"] as? Bool == true && view["resultDigitized"] as? Bool == false)
            let types = (view["history"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
            #expect(types == ["received", "digitized", "digitization_replaced"])
            #expect(try await database.count("SELECT count(*) FROM digitizations WHERE dossier_code = $1", [code]) == 1)
            let bad = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers/\(code)/digitizations", token: "all-token",
                body: HTTP.json(["target": "component", "sha256": "xyz"]))
            #expect(bad.status == 422)
            #expect(Set(bad.errorFields) == ["name", "sha256", "bytes", "mediaType"])
        }
    }
}
