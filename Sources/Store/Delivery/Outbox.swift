import Domain
import Foundation
import PostgresDriver

/// Messages workers emit, written in the same transaction as the state change that caused them;
/// the outbox relay publishes them with confirms and marks them sent.
public enum Outbox {
    /// Queues messages in ONE statement, which also notifies the relay (delivered at the commit).
    public static func insert(_ messages: [OutboxMessage], on connection: PostgresConnection) throws {
        guard !messages.isEmpty else { return }
        try connection.execute(
            """
            WITH queued AS (
                INSERT INTO outbox (exchange, routing_key, message_id, body)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
                RETURNING 1)
            SELECT pg_notify('\(NotifyChannel.outbox)', '') FROM (SELECT 1 FROM queued LIMIT 1) AS any_row
            """,
            [
                PostgresArray.literal(messages.map(\.exchange)), PostgresArray.literal(messages.map(\.routingKey)),
                PostgresArray.literal(messages.map(\.messageId)), PostgresArray.literal(messages.map(\.body)),
            ])
    }

    /// Unsent rows and the age in seconds of the oldest one.
    public static func backlog(on connection: PostgresConnection) throws -> (count: Int, age: Double) {
        let row = try connection.execute(
            """
            SELECT count(*) AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
            FROM outbox WHERE sent_at IS NULL
            """
        ).one("outbox backlog")
        return (try row.int("n"), Double(try row.string("age")) ?? 0)
    }

    /// A row the relay claimed to publish.
    public struct Claimed: Sendable {
        public let id: String
        public let exchange: String
        public let routingKey: String
        public let messageId: String
        /// The CloudEvent, as JSON.
        public let body: String
    }

    /// Claims up to `limit` unsent rows for 30 seconds (rows another relay claimed are skipped; a claim
    /// whose relay died lapses), oldest first.
    public static func claim(limit: Int, on connection: PostgresConnection) throws -> [Claimed] {
        try connection.execute(
            """
            UPDATE outbox SET claimed_until = now() + interval '30 seconds'
            WHERE id IN (SELECT id FROM outbox
                         WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, exchange, routing_key, message_id, body
            """, [String(limit)]
        ).rows.sorted { (Int($0["id"] ?? "") ?? 0) < (Int($1["id"] ?? "") ?? 0) }
            .map { row in
                Claimed(
                    id: try row.string("id"), exchange: try row.string("exchange"),
                    routingKey: try row.string("routing_key"), messageId: try row.string("message_id"),
                    body: try row.string("body"))
            }
    }
}
