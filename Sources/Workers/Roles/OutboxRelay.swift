import AMQPDriver
import Domain
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Store

/// The outbox role: publishes unsent outbox rows with confirms and marks them sent. Each relay
/// claims its rows for 30 s (picked with SKIP LOCKED), so several relays never publish the same row
/// at once; a crashed relay's claim lapses and another publishes the row, which the CloudEvents id
/// makes harmless downstream.
struct OutboxRelay: Service {
    let database: PostgresClient
    /// Its own service, listed before this one, so it closes after the relay's last batch.
    let publisher: EventPublisher
    /// Wakes the relay when a transaction queued rows.
    let wakeups: PostgresListener
    let logger: Logger
    /// How long an idle relay waits unless woken: for a lapsed claim, or a notification it missed.
    var poll: Duration = .seconds(1)
    var batchSize = 100

    func run() async throws {
        let backlog = Gauge(label: "motcua_outbox_backlog")
        let oldest = Gauge(label: "motcua_outbox_oldest_age_seconds")
        let published = Counter(label: "motcua_outbox_published_total")
        var lastLook = Date.distantPast
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var sent = 0
            do {
                sent = try await relayBatch()
                published.increment(by: sent)
                // What still waits, and for how long: at most once a second, on the partial index.
                if Date().timeIntervalSince(lastLook) >= 1 {
                    lastLook = Date()
                    let (count, age) = try await waiting()
                    backlog.record(count)
                    oldest.record(age)
                }
            } catch {
                logger.warning("outbox relay failed; retrying", metadata: ["error": "\(error)"])
            }
            if sent == 0 { await wakeups.wait(upTo: poll) }
        }
        await wakeups.close()
    }

    /// Unsent rows and the age in seconds of the oldest one.
    func waiting() async throws -> (count: Int, age: Double) {
        try await database.withConnection { connection in try Outbox.backlog(on: connection) }
    }

    /// Publishes one batch; returns how many rows it sent.
    func relayBatch() async throws -> Int {
        let rows = try await database.withConnection { connection in
            try Outbox.claim(limit: batchSize, on: connection)
        }
        guard !rows.isEmpty else { return 0 }
        let messages = rows.map { row in
            (
                id: row.id,
                message: OutgoingMessage(
                    exchange: row.exchange, routingKey: row.routingKey, body: Data(row.body.utf8),
                    messageId: row.messageId,
                    type: CloudEvent<String>.type(forRoutingKey: row.routingKey, exchange: row.exchange),
                    mandatory: false)
            )
        }
        // All in flight at once: the publisher pipelines their confirms.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for item in messages { group.addTask { try await publisher.publish(item.message) } }
            try await group.waitForAll()
        }
        // Sent; a partner command's timeout runs from this confirm (CONTRACT.md), so it is armed here.
        let ids = messages.map(\.id)
        try await database.withConnection { connection in
            try LinkedStore.markSentArmingTimeouts(outboxIds: ids, on: connection)
        }
        return messages.count
    }
}
