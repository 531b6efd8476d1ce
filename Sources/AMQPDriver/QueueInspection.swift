/// What AMQP alone tells of a queue, for when the management API is out of reach.
public enum QueueInspection {
    /// Ready messages and consumers per queue (nil for a queue that does not exist).
    public static func depths(endpoint: AMQPEndpoint, queues: [String]) throws -> [String: (
        ready: Int, consumers: Int
    )?] {
        var result: [String: (ready: Int, consumers: Int)?] = [:]
        for queue in queues {
            // A passive declare of a missing queue closes the channel: one connection per question.
            let connection = try AMQPConnection(endpoint: endpoint)
            defer { connection.close() }
            result[queue] = try? connection.inspect(queue: queue)
        }
        return result
    }
}
