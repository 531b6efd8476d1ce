import Foundation
import Store
import TestSupport
import Testing

/// Catalog changes reach every running intake within 2 s of `motcua catalog load` (issue 18): the load
/// NOTIFYs, each intake LISTENs and reloads; a slow poll stays behind it for a lost connection.
@Suite(.serialized) struct CatalogReloadTests {
    let database = TestEnvironment.database()

    @Test func aLoadedUnitAndProcedureAreAcceptedByEveryRunningIntakeWithinTwoSeconds() async throws {
        try await withStack { stack in
            let intakes = [try await stack.intake(), try await stack.intake()]
            let fresh = FreshEntries()
            for intake in intakes {
                let before = try await fresh.submit(to: intake)
                #expect(before.status == 422, "the unit and procedure are not in the catalog yet")
            }
            try await fresh.load()
            let loaded = Date()
            for (index, intake) in intakes.enumerated() {
                try await eventually(
                    within: max(0, 2 - Date().timeIntervalSince(loaded)),
                    "intake \(index + 1) accepts a dossier for the new unit and procedure"
                ) {
                    try await fresh.submit(to: intake).status == 202
                }
            }
            try await fresh.drain(stack, accepted: intakes.count, database: database)
        }
    }

    /// A notification sent while the listening connection was down is never heard: the intake reloads when it
    /// reconnects, long before its 30 s poll.
    @Test func anIntakeWhoseListenerLostItsConnectionReloadsWhenItReconnects() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let listening = "SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN \(NotifyChannel.catalog)'"
            try await eventually(within: 10, "intake listens") { try await database.count(listening) >= 1 }
            _ = try await database.count(
                """
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'LISTEN \(NotifyChannel.catalog)'
                """)
            try await eventually(within: 10, "the listening connection is gone") {
                try await database.count(listening) == 0
            }
            let fresh = FreshEntries()
            try await fresh.load()
            try await eventually(within: 5, "intake accepts a dossier for the unit loaded while it was not listening") {
                try await fresh.submit(to: intake).status == 202
            }
            try await eventually(within: 10, "intake listens again") { try await database.count(listening) >= 1 }
            try await fresh.drain(stack, accepted: 1, database: database)
        }
    }

    /// A unit and a procedure with new codes every time, so that no intake can have read them at its start.
    struct FreshEntries {
        let unit = String(
            format: "000.%02d.%02d.Z%02d", Int.random(in: 0..<100), Int.random(in: 0..<100),
            Int.random(in: 0..<100))
        let procedure = "9.\(Int.random(in: 100_000..<1_000_000))"

        /// `motcua catalog load` of a file holding them.
        func load() async throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "catalog-\(UUID().uuidString).json")
            try HTTP.json([
                "units": [["code": unit, "name": "UBND xã Thử Nghiệm", "level": "commune", "parent": "000.00.15.H56"]],
                "procedures": [
                    [
                        "code": procedure, "name": "Thủ tục thử nghiệm", "field": "Thử nghiệm",
                        "processing": ["workingDays": 2], "feeVnd": 0, "paperResult": false,
                        "linkedGroup": NSNull(),
                    ]
                ],
            ]).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let load = try await motcua(["catalog", "load", file.path])
            guard load.status == 0 else { throw TestFailure("catalog load failed: \(load.error)") }
        }

        /// Records the dossiers accepted for the unit, so that no message is left in the queue for the tests
        /// after this one.
        func drain(_ stack: Stack, accepted: Int, database: PostgresClient) async throws {
            _ = try stack.worker(["--role", "recorder"])
            try await eventually("the accepted dossiers are recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE unit_code = $1", [unit]) == accepted
            }
        }

        /// A direct dossier for the procedure at the unit.
        func submit(to intake: IntakeUnderTest) async throws -> HTTP.Answer {
            try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(
                    dossierBody([
                        "unitCode": unit, "procedureCode": procedure, "channel": "direct", "onlineLevel": NSNull(),
                        "linkedGroup": NSNull(), "idempotencyKey": UUID().uuidString,
                        "components": [["name": "Đơn", "digitized": false]],
                    ])))
        }
    }
}
