import AMQPDriver
import Domain
import Foundation
import Store
import TestSupport
import Testing

/// The review's defect classes that need the real servers and real processes.
@Suite(.serialized) struct HardeningIntegrationTests {
    let database = TestEnvironment.database()

    @Test(arguments: [
        "0001-01-01T00:00:00+07:00", "0226-11-20T09:00:00+07:00", "1899-12-31T23:59:59+07:00",
        "1905-06-01T12:00:00+07:00", "2026-11-20T09:00:00+07:00", "9999-12-31T23:59:59+07:00",
    ])
    func timesRoundTripThroughPostgreSQL(_ text: String) async throws {
        let written = try #require(Timestamp.parse(text))
        let read = try await database.withConnection { connection in
            try connection.execute("SELECT $1::timestamptz AS t", [VietnamTime.rfc3339(written)]).one("select").date(
                "t")
        }
        #expect(read == written)
        #expect(VietnamTime.rfc3339(read) == text)
    }

    @Test func aParameterHoldingNULIsRefusedNotCut() async throws {
        await #expect(throws: PostgresError.self) {
            try await database.withConnection { connection in try connection.execute("SELECT $1::text", ["a\u{0}b"]) }
        }
    }

    /// Several recorders: one records a dossier while another records an action for it. The action must
    /// reach the read model every time, not wait for some later event.
    @Test func anActionRacingItsDossierAcrossRecordersAlwaysApplies() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            // Queued while no recorder runs: received 1, transfer 1, received 2, transfer 2, …
            var codes: [String] = []
            for i in 0..<150 {
                let code = try await intake.submit(
                    plainDossier(
                        receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-3600)),
                        key: "race-\(i)-\(UUID().uuidString)"))
                let transfer = try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers/\(code)/actions", token: "all-token",
                    body: HTTP.json(["type": "transfer", "toUnit": "000.30.01.H56"]))
                guard transfer.status == 202 else { throw TestFailure("transfer answered \(transfer.status)") }
                codes.append(code)
            }
            // One message at a time to each of four recorders: a dossier and its action go to two of them at once.
            for _ in 0..<4 { _ = try stack.worker(["--role", "recorder", "--prefetch", "1"]) }
            let list = PostgresArray.literal(codes)
            try await eventually(within: 60, "every transfer is journalled") {
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND type = 'transfer'
                    """, [list]) == codes.count
            }
            // Every journalled action is in the state: none sits in the journal unapplied.
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM dossiers WHERE code = ANY($1::text[]) AND status = 'in_progress'
                    """, [list]) == codes.count)
        }
    }

    @Test func aBrokerThatBlocksPublishersGets503NotAHang() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            #expect(
                try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers", token: "all-token",
                    body: HTTP.json(dossierBody())
                ).status == 202)
            try await TestEnvironment.broker("block")
            var statuses: [Int] = []
            do {
                let started = Date()
                // Keys of their own: an uncertain keyless body would be found again by other tests' identical ones.
                for i in 0..<3 {
                    let body = dossierBody(["idempotencyKey": "blocked-\(i)-\(UUID().uuidString)"])
                    statuses.append(
                        try await HTTP.send(
                            "POST", intake.base + "/v1/dossiers", token: "all-token",
                            body: HTTP.json(body)
                        ).status)
                }
                // Each answer within the confirm timeout (10 s), never the client's 30 s.
                #expect(Date().timeIntervalSince(started) < 25)
            } catch {
                try await TestEnvironment.broker("unblock")
                throw error
            }
            try await TestEnvironment.broker("unblock")
            #expect(statuses == [503, 503, 503])
            try await eventually(within: 30, "intake accepts again") {
                try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers", token: "all-token",
                    body: HTTP.json(dossierBody(["idempotencyKey": UUID().uuidString]))
                ).status == 202
            }
        }
    }

    @Test func aWorkerStopsOnSIGTERMWhileTheDatabaseIsDownAndLosesNothing() async throws {
        try await withStack { stack in
            let recorder = try stack.worker(["--role", "recorder"])
            try await eventually("the recorder consumes") { try Self.consumers(Topology.recorder.name) >= 1 }
            let code = "000.00.19.H56-261120-\(Int.random(in: 70_000...99_999))"
            try await TestEnvironment.databaseServer("stop")
            do {
                let publisher = EventPublisher(endpoint: TestEnvironment.amqp, logger: TestEnvironment.logger)
                try await publisher.publish(try DeadLetterTests.received(code))
                await publisher.close()
                // The recorder holds it, unacknowledged, retrying against the absent database.
                try await eventually("the recorder took the message") { try Self.ready(Topology.recorder.name) == 0 }
                let signalled = Date()
                await recorder.terminate()
                #expect(Date().timeIntervalSince(signalled) < 15)
            } catch {
                try await TestEnvironment.databaseServer("start")
                throw error
            }
            try await TestEnvironment.databaseServer("start")
            _ = try stack.worker(["--role", "recorder"])
            try await eventually(within: 60, "the dossier is recorded after all") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
        }
    }

    @Test func aLockTimeoutIsRetriedNotDeadLettered() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder"], environment: ["MOTCUA_STATEMENT_TIMEOUT_SECONDS": "1"])
            let code = try await intake.submit(
                plainDossier(receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-600))))
            try await eventually("the dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            // Hold the dossier's worker lock from outside while the action arrives.
            let holder = PostgresClient(url: TestEnvironment.databaseURL, size: 1, logger: TestEnvironment.logger)
            try await holder.withConnection { try $0.execute("SELECT pg_advisory_lock(1, hashtext($1))", [code]) }
            let transfer = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers/\(code)/actions", token: "all-token",
                body: HTTP.json(["type": "transfer", "toUnit": "000.30.01.H56"]))
            #expect(transfer.status == 202)
            // The recorder waits on the lock, times out (55P03), and waits again: a retry, twice seen.
            for round in 1...2 {
                try await eventually(within: 20, "the recorder waits on the lock (\(round))") {
                    try await Self.lockWaiters(database) > 0
                }
                try await eventually(within: 20, "its wait times out (\(round))") {
                    try await Self.lockWaiters(database) == 0
                }
            }
            try await holder.withConnection { try $0.execute("SELECT pg_advisory_unlock(1, hashtext($1))", [code]) }
            await holder.close()
            try await eventually(within: 30, "the transfer applies once the lock is free") {
                try await database.count(
                    "SELECT count(*) FROM dossiers WHERE code = $1 AND status = 'in_progress'",
                    [code]) == 1
            }
            let letters = try await motcua(["dlq", "list", "motcua.recorder", "--json"])
            #expect(!letters.output.contains(code))
        }
    }

    static func lockWaiters(_ database: PostgresClient) async throws -> Int {
        try await database.count(
            """
            SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'
            """)
    }

    static func ready(_ queue: String) throws -> Int {
        try (QueueInspection.depths(endpoint: TestEnvironment.amqp, queues: [queue])[queue] ?? nil)?.ready ?? -1
    }

    static func consumers(_ queue: String) throws -> Int {
        try (QueueInspection.depths(endpoint: TestEnvironment.amqp, queues: [queue])[queue] ?? nil)?.consumers ?? 0
    }
}
