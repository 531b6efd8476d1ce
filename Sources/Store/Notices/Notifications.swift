import Domain
import Foundation
import PostgresDriver

/// The notifier's ledger (`notifications`): one row per alert and channel, written before the message
/// goes out (docs/notifier.md, "Exactly once"). Every statement takes the whole batch.
public enum Notifications {
    /// One alert on one channel, as the notifier records it.
    public struct Entry: Sendable, Equatable {
        public let alertId: String
        public let channel: NotificationChannel
        public let dossierCode: String
        /// What the alert told: `apology`, `linked_completed`, `missing_information`.
        public let kind: String
        /// `pending`, or `skipped` with its reason in `lastError`.
        public let status: NotificationStatus
        public let lastError: String?

        public init(
            alertId: String, channel: NotificationChannel, dossierCode: String, kind: String,
            status: NotificationStatus, lastError: String? = nil
        ) {
            self.alertId = alertId
            self.channel = channel
            self.dossierCode = dossierCode
            self.kind = kind
            self.status = status
            self.lastError = lastError
        }

        public var reference: String { channel.reference(alertId: alertId) }
    }

    public struct Key: Sendable, Hashable {
        public let alertId: String
        public let channel: NotificationChannel

        public init(alertId: String, channel: NotificationChannel) {
            self.alertId = alertId
            self.channel = channel
        }
    }

    /// A row as it stands.
    public struct Row: Sendable {
        public let key: Key
        public let dossierCode: String
        public let kind: String
        public let status: NotificationStatus
        public let attempts: Int
        public let lastError: String?
        public let parts: Int?
        public let createdAt: Date
        public let sentAt: Date?
        /// Seconds until another attempt may begin (a live lease or a backoff); 0 when it may now.
        public let waitSeconds: Double
    }

    /// Records the entries not yet recorded (a repeated alert changes nothing), in ONE statement; returns
    /// the keys it recorded now.
    @discardableResult
    public static func record(_ entries: [Entry], on connection: PostgresConnection) throws -> Set<Key> {
        guard !entries.isEmpty else { return [] }
        let rows = try connection.execute(
            """
            INSERT INTO notifications (alert_id, channel, reference, dossier_code, kind, status, last_error)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
            ON CONFLICT (alert_id, channel) DO NOTHING
            RETURNING alert_id, channel
            """,
            [
                PostgresArray.literal(entries.map(\.alertId)), PostgresArray.literal(entries.map(\.channel.rawValue)),
                PostgresArray.literal(entries.map(\.reference)), PostgresArray.literal(entries.map(\.dossierCode)),
                PostgresArray.literal(entries.map(\.kind)), PostgresArray.literal(entries.map(\.status.rawValue)),
                PostgresArray.literal(entries.map(\.lastError)),
            ])
        return Set(
            try rows.rows.compactMap { row in
                NotificationChannel(rawValue: try row.string("channel")).map {
                    Key(alertId: (try? row.string("alert_id")) ?? "", channel: $0)
                }
            })
    }

    /// Takes the pending rows among `keys` that no other notifier holds and whose backoff is over: each
    /// gets a lease of `leaseSeconds` and one more attempt counted. Returns them with their attempts.
    public static func claim(_ keys: [Key], leaseSeconds: Int, on connection: PostgresConnection) throws
        -> [Key: Int]
    {
        guard !keys.isEmpty else { return [:] }
        let rows = try connection.execute(
            """
            UPDATE notifications n SET attempts = n.attempts + 1, updated_at = now(),
                   claimed_until = now() + make_interval(secs => $3::int)
            FROM unnest($1::text[], $2::text[]) AS k(alert_id, channel)
            WHERE n.alert_id = k.alert_id AND n.channel = k.channel AND n.status = 'pending'
              AND (n.claimed_until IS NULL OR n.claimed_until < now())
              AND (n.next_attempt_at IS NULL OR n.next_attempt_at <= now())
            RETURNING n.alert_id, n.channel, n.attempts
            """,
            [
                PostgresArray.literal(keys.map(\.alertId)), PostgresArray.literal(keys.map(\.channel.rawValue)),
                String(leaseSeconds),
            ])
        var claimed: [Key: Int] = [:]
        for row in rows.rows {
            guard let channel = NotificationChannel(rawValue: try row.string("channel")) else { continue }
            claimed[Key(alertId: try row.string("alert_id"), channel: channel)] = try row.int("attempts")
        }
        return claimed
    }

    /// The rows of `keys` as they stand.
    public static func rows(_ keys: [Key], on connection: PostgresConnection) throws -> [Key: Row] {
        guard !keys.isEmpty else { return [:] }
        let rows = try connection.execute(
            """
            SELECT \(columns) FROM notifications n
            JOIN unnest($1::text[], $2::text[]) AS k(alert_id, channel)
              ON n.alert_id = k.alert_id AND n.channel = k.channel
            """,
            [PostgresArray.literal(keys.map(\.alertId)), PostgresArray.literal(keys.map(\.channel.rawValue))])
        var found: [Key: Row] = [:]
        for row in rows.rows {
            let decoded = try decode(row)
            found[decoded.key] = decoded
        }
        return found
    }

    /// The message was accepted: recorded at once, the lease released.
    public static func markSent(_ key: Key, parts: Int?, on connection: PostgresConnection) throws {
        try connection.execute(
            """
            UPDATE notifications SET status = 'sent', sent_at = now(), updated_at = now(), parts = $3::int,
                   last_error = NULL, claimed_until = NULL, next_attempt_at = NULL
            WHERE alert_id = $1 AND channel = $2
            """, [key.alertId, key.channel.rawValue, parts.map { String($0) }])
    }

    /// The attempt failed for now: another may begin `afterSeconds` from now.
    public static func markRetry(_ key: Key, error: String, afterSeconds: Double, on connection: PostgresConnection)
        throws
    {
        try connection.execute(
            """
            UPDATE notifications SET last_error = $3, updated_at = now(), claimed_until = NULL,
                   next_attempt_at = now() + make_interval(secs => $4::float8)
            WHERE alert_id = $1 AND channel = $2 AND status = 'pending'
            """, [key.alertId, key.channel.rawValue, String(error.prefix(500)), String(afterSeconds)])
    }

    /// Refused for good, or out of attempts.
    public static func markFailed(_ key: Key, error: String, on connection: PostgresConnection) throws {
        try connection.execute(
            """
            UPDATE notifications SET status = 'failed', last_error = $3, updated_at = now(), claimed_until = NULL
            WHERE alert_id = $1 AND channel = $2 AND status = 'pending'
            """, [key.alertId, key.channel.rawValue, String(error.prefix(500))])
    }

    /// The newest rows first, at most `limit`: every one, only the failed, or one dossier's.
    public static func list(failedOnly: Bool, dossier: String?, limit: Int, on connection: PostgresConnection) throws
        -> [Row]
    {
        try connection.execute(
            """
            SELECT \(columns) FROM notifications n
            WHERE ($1::bool IS NOT TRUE OR n.status = 'failed') AND ($2::text IS NULL OR n.dossier_code = $2)
            ORDER BY n.created_at DESC, n.alert_id, n.channel LIMIT \(limit)
            """, [failedOnly ? "true" : "false", dossier]
        ).rows.map(decode)
    }

    static let columns = """
        n.alert_id, n.channel, n.dossier_code, n.kind, n.status, n.attempts, n.last_error, n.parts, n.created_at,
        n.sent_at, greatest(0, extract(epoch FROM greatest(
            coalesce(n.claimed_until, now()), coalesce(n.next_attempt_at, now())) - now()))::float8 AS wait
        """

    static func decode(_ row: PostgresRow) throws -> Row {
        guard let channel = NotificationChannel(rawValue: try row.string("channel")),
            let status = NotificationStatus(rawValue: try row.string("status"))
        else { throw PostgresError(kind: .decoding, context: "notifications") }
        return Row(
            key: Key(alertId: try row.string("alert_id"), channel: channel),
            dossierCode: try row.string("dossier_code"), kind: try row.string("kind"), status: status,
            attempts: try row.int("attempts"), lastError: row["last_error"], parts: try row.optionalInt("parts"),
            createdAt: try row.date("created_at"), sentAt: try row.optionalDate("sent_at"),
            waitSeconds: Double(try row.string("wait")) ?? 0)
    }
}
