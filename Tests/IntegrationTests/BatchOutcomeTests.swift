import AMQPDriver
import Domain
import Foundation
import TestSupport
import Testing

/// One recorder batch holding a duplicate, a poison message and actions out of order: each ends right.
@Suite(.serialized) struct BatchOutcomeTests {
    let database = TestEnvironment.database()

    @Test func aMixedBatchEndsWithEachOutcomeRight() async throws {
        try await withStack { stack in
            let code = "000.00.19.H56-261120-\(Int.random(in: 60_000...69_999))"
            let received = try DeadLetterTests.received(code)
            let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
            // Queued before any recorder runs, so they come as one batch: the resolve before the transfer
            // it follows, the dossier twice, and a body no one can read.
            let now = Date()
            for (type, at) in [
                (ActionType.resolve, now.addingTimeInterval(-60)), (.transfer, now.addingTimeInterval(-120)),
            ] {
                let action = DossierAction(
                    type: type, at: at.wholeSeconds, toUnit: type == .transfer ? "000.30.01.H56" : nil)
                let event = CloudEvent(
                    source: EventSource.intake, routingKey: RoutingKey.action(type.rawValue),
                    subject: code, data: DossierActionEvent(code: code, action: action))
                try await publisher.publish(
                    OutgoingMessage(
                        exchange: Topology.events,
                        routingKey: RoutingKey.action(type.rawValue),
                        body: try JSONCoding.encode(event), messageId: event.id))
            }
            try await publisher.publish(received)
            try await publisher.publish(received)
            let poisonId = "poison-\(UUID().uuidString)"
            try await publisher.publish(
                OutgoingMessage(
                    exchange: Topology.events, routingKey: RoutingKey.dossierReceived,
                    body: Data("{\"subject\": 7}".utf8), messageId: poisonId))
            await publisher.close()
            _ = try stack.worker(["--role", "recorder", "--prefetch", "100"])

            try await eventually("the actions apply in the order of their times") {
                try await database.count(
                    "SELECT count(*) FROM dossiers WHERE code = $1 AND status = 'resolved'",
                    [code]) == 1
            }
            #expect(try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1)
            #expect(
                try await database.count(
                    "SELECT count(*) FROM journal WHERE dossier_code = $1 AND type = 'received'",
                    [code]) == 1)
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = $1 AND refused_reason IS NOT NULL
                    """, [code]) == 0)
            try await eventually("the unreadable one is dead-lettered with its reason") {
                let letters = try await motcua(["dlq", "list", "motcua.recorder", "--json"])
                return letters.output.contains(poisonId) && letters.output.contains("not a CloudEvent")
            }
        }
    }
}
