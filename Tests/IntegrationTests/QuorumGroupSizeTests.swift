import AMQPDriver
import Foundation
import TestSupport
import Testing

/// `MOTCUA_QUORUM_INITIAL_GROUP_SIZE` (a queue's replicas on a cluster) applies when a queue is created,
/// and never breaks a deployment whose queues exist already: RabbitMQ refuses, with 406, a re-declare
/// whose arguments differ from the queue's, and queues made before the setting have no such argument.
/// Declaring the argument unconditionally fails the second step; declaring it again on a queue that
/// has it, without it, fails the third.
@Suite(.serialized) struct QuorumGroupSizeTests {
    func topology(_ queue: String, groupSize: Int) -> AMQPEndpoint {
        var endpoint = TestEnvironment.amqp
        endpoint.topology = BrokerTopology(
            queues: [.init(name: queue, deadLetterExchange: nil, deliveryLimit: 5, bindings: [])],
            initialGroupSize: groupSize)
        return endpoint
    }

    /// Declares the topology the way every process does when it connects.
    func connect(_ endpoint: AMQPEndpoint) async throws {
        try await BrokerSession.using(endpoint) { _ in }
    }

    @Test func anExistingQueueKeepsItsMembersAndANewOneGetsTheSize() async throws {
        let old = "motcua.test.group-size.old-\(UUID().uuidString.prefix(8))"
        let new = "motcua.test.group-size.new-\(UUID().uuidString.prefix(8))"
        // A deployment from before the setting: the queue has no group size.
        try await connect(topology(old, groupSize: 0))
        #expect(try await ManagementAPI.arguments(ofQueue: old)["x-quorum-initial-group-size"] == nil)

        // Upgraded and pointed at a cluster: the connection opens (no 406) and the queue is unchanged.
        try await connect(topology(old, groupSize: 3))
        try await connect(topology(old, groupSize: 3))
        #expect(try await ManagementAPI.arguments(ofQueue: old)["x-quorum-initial-group-size"] == nil)

        // A queue that does not exist yet is created with the size, and declared again without harm.
        try await connect(topology(new, groupSize: 3))
        try await connect(topology(new, groupSize: 3))
        let arguments = try await ManagementAPI.arguments(ofQueue: new)
        #expect(arguments["x-quorum-initial-group-size"] as? Int == 3)
        #expect(arguments["x-queue-type"] as? String == "quorum")
        #expect(arguments["x-delivery-limit"] as? Int == 5)
        try await ManagementAPI.deleteQueue(old)
        try await ManagementAPI.deleteQueue(new)
    }
}
