import PostgresDriver

/// Transaction-scoped advisory locks per dossier, so that work on one dossier is serialised across
/// any number of workers: a recorder writing a dossier and another writing an action for it no
/// longer commit side by side without seeing each other. Locks are taken in one fixed order (by
/// hash), so two batches sharing dossiers cannot deadlock on them.
public enum DossierLocks {
    /// The first key of the two-key advisory lock: workers' per-dossier locks.
    public static let workerSpace = 1
    /// Intake's per-dossier admission decisions.
    static let admissionSpace = 2

    public static func lock(_ codes: [String], on connection: PostgresConnection) throws {
        try lock(codes, space: workerSpace, on: connection)
    }

    /// Serialises intake's decisions on one dossier's actions, across intake processes.
    public static func lockAdmission(_ code: String, on connection: PostgresConnection) throws {
        try lock([code], space: admissionSpace, on: connection)
    }

    /// The same for several dossiers, in the fixed order. A worker takes these after its worker locks
    /// (intake never holds an admission lock while it waits for a worker lock, so no cycle).
    public static func lockAdmission(_ codes: [String], on connection: PostgresConnection) throws {
        try lock(codes, space: admissionSpace, on: connection)
    }

    static func lock(_ codes: [String], space: Int, on connection: PostgresConnection) throws {
        guard !codes.isEmpty else { return }
        try connection.execute(
            """
            SELECT pg_advisory_xact_lock($1::int, h)
            FROM (SELECT DISTINCT hashtext(c) AS h FROM unnest($2::text[]) AS c ORDER BY h) AS ordered
            """, [String(space), PostgresArray.literal(Set(codes).sorted())])
    }
}
