import AMQPDriver
import Domain
import Foundation
import TestSupport
import Testing

/// A message that cannot be applied is never dropped: it waits, then goes to the dead-letter
/// queue with its reason, and `motcua dlq replay` puts it back once the cause is gone.
@Suite(.serialized) struct DeadLetterTests {
    let database = TestEnvironment.database()

    @Test func anOrphanPaymentIsDeadLetteredWithItsReasonAndReplayedLater() async throws {
        try await withStack { stack in
            let before = try await motcua(["dlq", "list", "motcua.payments", "--json"])
            #expect(before.status == 0, "\(before.error)")
            let existing =
                (try JSONSerialization.jsonObject(with: Data(before.output.utf8)) as? [String: Any])?["count"]
                as? Int ?? 0
            _ = try stack.worker(["--role", "payments"], environment: ["MOTCUA_ORPHAN_WAIT_SECONDS": "1"])
            let code = "000.00.19.H56-200103-\(Int.random(in: 10000...99999))"
            let transaction = "tx-\(UUID().uuidString)"
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            defer { Task { await publisher.close() } }
            try await publisher.publish(try Self.payment(transaction, for: code))

            var letters: [[String: Any]] = []
            try await eventually(within: 30, "the orphan payment is dead-lettered") {
                let listed = try await motcua(["dlq", "list", "motcua.payments", "--json"])
                let report = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any]
                letters = report?["letters"] as? [[String: Any]] ?? []
                return letters.count == existing + 1
            }
            let letter = try #require(letters.first { ($0["error"] as? String)?.contains(code) == true })
            #expect(letter["routingKey"] as? String == "payment.succeeded")
            #expect((letter["error"] as? String)?.contains("was not recorded") == true)
            #expect(
                try await database.count("SELECT count(*) FROM payments WHERE transaction_id = $1", [transaction]) == 0)

            // The dossier turns up; the operator replays; the payment applies, once.
            try await publisher.publish(try Self.received(code))
            _ = try stack.worker(["--role", "recorder"])
            try await eventually("the dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            let replay = try await motcua(["dlq", "replay", "motcua.payments"])
            #expect(replay.status == 0)
            try await eventually("the replayed payment is applied") {
                try await database.count("SELECT count(*) FROM payments WHERE transaction_id = $1", [transaction]) == 1
            }
        }
    }

    static func payment(_ transaction: String, for code: String) throws -> OutgoingMessage {
        let notice = PaymentNotice(
            transactionId: transaction, dossierCode: code, amountVnd: 20_000, status: .succeeded,
            gateway: .national, paidAt: Date())
        let event = CloudEvent(source: EventSource.intake, routingKey: "payment.succeeded", subject: code, data: notice)
        return OutgoingMessage(
            exchange: Topology.events, routingKey: "payment.succeeded",
            body: try JSONCoding.encode(event), messageId: event.id)
    }

    static func received(_ code: String, dueAt: Date = Date()) throws -> OutgoingMessage {
        let dossier = DossierReceived(
            code: code, procedureCode: "1.004222", unitCode: "000.00.19.H56", channel: .online,
            onlineLevel: .full, applicant: Applicant(personalId: "051095001234", fullName: "Đỗ D"),
            components: [], receivedAt: min(Date(), dueAt), dueAt: dueAt, idempotencyKey: nil,
            linkedGroup: nil)
        let event = CloudEvent(
            source: EventSource.intake, routingKey: RoutingKey.dossierReceived, subject: code,
            data: dossier)
        return OutgoingMessage(
            exchange: Topology.events, routingKey: RoutingKey.dossierReceived,
            body: try JSONCoding.encode(event), messageId: event.id)
    }
}
