/// The exactly-once ledger: a message's effect and its `source` + `id` commit together.
public enum Inbox {
    /// Records the message as applied; false when it already was (a redelivery or a duplicate).
    public static func claim(source: String, id: String, on connection: PostgresConnection) throws -> Bool {
        try connection.execute(
            "INSERT INTO inbox (source, id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [source, id]
        ).affected == 1
    }
}

extension Inbox {
    /// Claims many messages in ONE statement; returns the `source id` of those that were new.
    public static func claim(_ messages: [(source: String, id: String)], on connection: PostgresConnection) throws
        -> Set<String>
    {
        guard !messages.isEmpty else { return [] }
        let rows = try connection.execute("""
            INSERT INTO inbox (source, id) SELECT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT DO NOTHING RETURNING source, id
            """, [PostgresArray.literal(messages.map(\.source)), PostgresArray.literal(messages.map(\.id))])
        return Set(try rows.rows.map { "\(try $0.string("source")) \(try $0.string("id"))" })
    }
}
