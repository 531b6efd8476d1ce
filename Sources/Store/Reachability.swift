import PostgresDriver

extension PostgresClient {
    /// Whether the database answers now (`GET /readyz`).
    public func isReachable() async -> Bool {
        (try? await withConnection { try $0.execute("SELECT 1") }) != nil
    }
}
