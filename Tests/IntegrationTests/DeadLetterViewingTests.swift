import AMQPDriver
import Domain
import Foundation
import Runtime
import TestSupport
import Testing

/// Looking at dead letters changes nothing: the console lists them every 5 s, and a quorum queue with a
/// delivery limit (RabbitMQ 4: 20 by default) would drop a letter looked at once too often.
@Suite(.serialized) struct DeadLetterViewingTests {
    @Test func aDeadLetterListedTwentyFiveTimesIsStillThereAndReplayedOnce() async throws {
        let letters = DeadLetters(endpoint: TestEnvironment.amqp, queue: Topology.digitization)
        let id = "viewing-\(UUID().uuidString)"
        let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
        try await publisher.publish(
            OutgoingMessage(
                exchange: Topology.deadLetters, routingKey: "dossier.digitized",
                body: Data("{}".utf8), messageId: id, errorHeader: "a test's letter"))
        await publisher.close()
        for look in 1...25 {
            let seen = try await letters.list().filter { $0.messageId == id }
            #expect(seen.count == 1, "look \(look) saw the letter \(seen.count) times")
            #expect(seen.first?.error == "a test's letter")
        }
        let replayed = MemoryPublisher()
        _ = try await letters.replay(limit: 10_000, publisher: replayed)
        #expect(replayed.messages.filter { $0.messageId == id }.map(\.routingKey) == ["dossier.digitized"])
        #expect(try await letters.list().contains { $0.messageId == id } == false)
    }
}
