import Foundation
import Store
import TestSupport
import Testing

/// A claim of due timers tries the dossiers' worker locks of its batch only, however long the backlog
/// and whatever plan PostgreSQL picks: a lock per due row would run out of lock memory.
@Suite(.serialized) struct TimerClaimTests {
    /// Codes of a day intake never issues, of dossiers that do not exist: the timers fire as nothing.
    static let codes = "000.00.19.H56-980101-%"

    @Test func aDeadlineClaimHoldsAtMostTwiceItsBatchOfLocksWhateverThePlan() async throws {
        let database = TestEnvironment.database()
        try await database.withConnection { connection in
            try connection.execute("DELETE FROM deadline_timers WHERE dossier_code LIKE $1", [Self.codes])
            try connection.execute(
                """
                INSERT INTO deadline_timers (dossier_code, kind, fire_at, due_at)
                SELECT format('000.00.19.H56-980101-%s', lpad(i::text, 5, '0')), 'overdue',
                       now() - interval '1 minute', now() - interval '1 minute'
                FROM generate_series(1, 20000) i
                """)
            try connection.execute("ANALYZE deadline_timers")
        }
        let most = try await withStack { stack in
            // No index scans: the due rows are read whole and sorted, the plan that tried a lock per row.
            _ = try stack.worker(["--role", "deadlines"], environment: ["PGOPTIONS": "-c enable_indexscan=off"])
            return try await Self.mostWorkerLocks(database, within: 120) {
                try await database.count(
                    "SELECT count(*) FROM deadline_timers WHERE dossier_code LIKE $1 AND fired_at IS NULL",
                    [Self.codes]) == 0
            }
        }
        try await database.withConnection { connection in
            try connection.execute("DELETE FROM deadline_timers WHERE dossier_code LIKE $1", [Self.codes])
        }
        await database.close()
        // The deadlines worker's batch is 500; its claim looks at twice as many candidates at most.
        #expect(most > 0 && most <= 1000, "a claim held \(most) worker locks")
    }

    /// Samples, every few milliseconds until `done`, the most per-dossier worker locks (advisory, first
    /// key 1) one session holds; fails when `done` does not hold within `seconds`.
    static func mostWorkerLocks(
        _ database: PostgresClient, within seconds: Double,
        until done: () async throws -> Bool
    ) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var most = 0
        while ContinuousClock.now < deadline {
            most = max(
                most,
                try await database.count(
                    """
                    SELECT coalesce(max(n), 0)::int FROM (
                        SELECT count(*) AS n FROM pg_locks
                        WHERE locktype = 'advisory' AND classid = \(DossierLocks.workerSpace) AND objsubid = 2 AND granted
                        GROUP BY pid) AS held
                    """))
            if try await done() { return most }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw TestFailure("the due timers were not all fired within \(seconds) s (most locks seen: \(most))")
    }
}
