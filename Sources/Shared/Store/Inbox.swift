/// The exactly-once ledger: a message's effect and its `source` + `id` commit together.
public enum Inbox {
    /// Records the message as applied; false when it already was (a redelivery or a duplicate).
    public static func claim(source: String, id: String, on connection: PostgresConnection) throws -> Bool {
        try connection.execute(
            "INSERT INTO inbox (source, id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [source, id]
        ).affected == 1
    }
}
