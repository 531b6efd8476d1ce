import Foundation
import Store
import TestSupport
import Testing

/// The lease on claimed timers (`ClaimLease`, `MOTCUA_TIMER_LEASE_SECONDS`). A deadlines or chains worker
/// that stops (SIGSTOP) inside the transaction that claimed due timers keeps them only for the lease;
/// then PostgreSQL ends its session, its transaction rolls back, and another worker fires each timer
/// once. The stop is placed inside that transaction by holding a row the worker writes after its claim:
/// the worker waits for the row, is stopped while it waits, and the row is let go.
@Suite(.serialized) struct ClaimLeaseTests {
    let database = TestEnvironment.database()
    static let lease = ["MOTCUA_TIMER_LEASE_SECONDS": "2"]

    @Test func aChainsWorkerStoppedHoldingItsClaimedTimersLosesThemAfterTheLease() async throws {
        try await withStack { stack in
            // A partner timeout far longer than the test: a second command could only be a timer fired twice.
            let settings = LinkedChainTests.partnerSettings.merging(["MOTCUA_PARTNER_TIMEOUT_SECONDS": "60"]) { $1 }
            let faults = LinkedChainTests.Faults()
            try await LinkedChainTests.simulator(stack, faults: faults.path)
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder,outbox"], environment: settings)
            let code = try await intake.submit(LinkedChainTests.birth())
            try await eventually("the first step's send timer is written") {
                try await database.count(
                    """
                    SELECT count(*) FROM linked_timers WHERE dossier_code = $1 AND kind = 'send'
                    """, [code]) == 1
            }
            // The claimed send timer is deleted and the step marked sent in the stopped worker's transaction.
            let stopped = try await stopWhileClaiming(
                ["--role", "chains"], environment: settings, stack: stack,
                holding: "SELECT 1 FROM linked_steps WHERE dossier_code = $1 FOR UPDATE",
                code)
            _ = try stack.worker(["--role", "chains"], environment: settings)
            try await eventually("PostgreSQL ends the stopped worker's session after its lease") {
                try await backendIsGone(stopped.backend)
            }
            #expect(stopped.worker.isRunning, "the lease ended the session, not the worker's death")
            // The stopped worker's consumer of motcua.chains would hold the answers the broker hands it until
            // the broker gives up on its connection (missed heartbeats, about 30 s): that is the broker's part.
            await stopped.worker.kill()
            try await eventually(within: 30, "the group completes once the stopped worker's lease ended") {
                try await database.count(
                    """
                    SELECT count(*) FROM linked_groups WHERE dossier_code = $1 AND outcome = 'completed'
                    """, [code]) == 1
            }
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM outbox WHERE exchange = 'motcua.partners' AND body::jsonb ->> 'subject' = $1
                    """, [code]) == 3, "one command per step: the stopped worker's command was rolled back")
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM linked_steps WHERE dossier_code = $1 AND attempts = 1
                    """, [code]) == 3)
            #expect(
                try await database.count("SELECT count(*) FROM partner_sim_records WHERE dossier_code = $1", [code])
                    == 3)
        }
    }

    @Test func aDeadlinesWorkerStoppedHoldingItsClaimedTimersLosesThemAfterTheLease() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker()
            // Received Monday 16/11/2026 09:00, due Thursday 19/11 17:00: every timer is due at once.
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            try await eventually("recorded with its timers") {
                try await database.count("SELECT count(*) FROM deadline_timers WHERE dossier_code = $1", [code]) == 2
            }
            // The claimed timers are marked fired, and the letter journaled, in the stopped worker's transaction.
            let stopped = try await stopWhileClaiming(
                ["--role", "deadlines"], environment: [:], stack: stack,
                holding: "SELECT 1 FROM dossiers WHERE code = $1 FOR UPDATE", code)
            _ = try stack.worker(["--role", "deadlines"])
            try await eventually(within: 30, "every alert is written once the stopped worker's lease ended") {
                try await database.count("SELECT count(*) FROM outbox WHERE body::jsonb ->> 'subject' = $1", [code])
                    == 4
            }
            #expect(try await backendIsGone(stopped.backend), "PostgreSQL ended the stopped worker's session")
            #expect(stopped.worker.isRunning, "the lease ended the session, not the worker's death")
            for kind in ["due_soon", "overdue", "apology_issued", "escalated"] {
                #expect(
                    try await database.count(
                        """
                        SELECT count(*) FROM outbox WHERE body::jsonb ->> 'subject' = $1 AND routing_key LIKE $2
                        """, [code, "deadline.\(kind).%"]) == 1, "\(kind) once")
            }
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = $1 AND type = 'apology_issued'
                    """, [code]) == 1, "one automatic letter")
            await stopped.worker.kill()
        }
    }

    /// Holds the row `holding` locks, starts a worker with a 2 s lease, waits until its transaction (which
    /// claimed due timers) waits for that row, stops the worker there and lets the row go: the worker's
    /// statement completes and its session sits idle in the transaction, holding the claims.
    func stopWhileClaiming(
        _ role: [String], environment: [String: String], stack: Stack, holding: String,
        _ code: String
    ) async throws -> (worker: ChildProcess, backend: Int) {
        let holder = try PostgresConnection(url: TestEnvironment.databaseURL)
        defer { holder.close() }
        try holder.execute("BEGIN")
        let holderPid = try holder.execute("SELECT pg_backend_pid() AS pid").rows[0].int("pid")
        _ = try holder.execute(holding, [code])
        let worker = try stack.worker(role, environment: environment.merging(Self.lease) { _, lease in lease })
        var backend = 0
        try await eventually(within: 30, "the worker's claiming transaction waits for the held row") {
            let waiting = try await database.withConnection { connection in
                try connection.execute(
                    """
                    SELECT pid FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))
                    """, [String(holderPid)]
                ).rows.map { try $0.int("pid") }
            }
            backend = waiting.first ?? 0
            return waiting.count == 1
        }
        worker.suspend()
        try holder.execute("ROLLBACK")
        try await eventually(within: 10, "the stopped worker's session is idle in its transaction") {
            try await database.count(
                """
                SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int AND state = 'idle in transaction'
                """, [String(backend)]) == 1
        }
        return (worker, backend)
    }

    func backendIsGone(_ pid: Int) async throws -> Bool {
        try await database.count("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int", [String(pid)]) == 0
    }
}
