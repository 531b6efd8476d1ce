import PostgresDriver

/// The exactly-once ledger: a message's effect and its `source` + `id` commit together.
public enum ProcessedMessages {
    /// Claims many messages in ONE statement; returns those that were new (the rest were applied before).
    public static func claim(_ keys: [MessageKey], on connection: PostgresConnection) throws -> Set<MessageKey> {
        guard !keys.isEmpty else { return [] }
        let rows = try connection.execute(
            """
            INSERT INTO inbox (source, id) SELECT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT DO NOTHING RETURNING source, id
            """, [PostgresArray.literal(keys.map(\.source)), PostgresArray.literal(keys.map(\.id))])
        return Set(try rows.rows.map { MessageKey(source: try $0.string("source"), id: try $0.string("id")) })
    }
}

/// What makes a message the same message: its CloudEvents `source` and `id`.
public struct MessageKey: Hashable, Sendable {
    public let source: String
    public let id: String

    public init(source: String, id: String) {
        self.source = source
        self.id = id
    }
}
