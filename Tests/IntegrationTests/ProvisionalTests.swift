import Foundation
import Store
import TestSupport
import Testing

/// Provisional due moments (DOMAIN.md §11, issue 21) through intake, the recorder, `motcua catalog load` and
/// the deadline workers, on the real servers: a due moment counted into 2027 without its decision reads
/// provisional; loading the decision counts it again, moves its timers and says so in its history, once.
@Suite(.serialized) struct ProvisionalTests {
    let database = TestEnvironment.database()

    @Test func loadingThe2027DecisionRecomputesAProvisionalDueMomentOnce() async throws {
        try await forget2027()
        try await withStack { stack in
            // Twenty working days from Monday 7/12/2026 09:00 (counter): 8/12 is the first, 31/12 the
            // eighteenth; 1/1/2027 is off by rule, so Monday 4/1 is the nineteenth and Tuesday 5/1 the
            // twentieth. The decision loaded below makes 4/1 a day off too: Wednesday 6/1.
            let procedure = "9.\(Int.random(in: 100_000..<1_000_000))"
            try await load([
                "procedures": [
                    [
                        "code": procedure, "name": "Thủ tục thử nghiệm hai mươi ngày", "field": "Thử nghiệm",
                        "processing": ["workingDays": 20], "feeVnd": 0, "paperResult": false,
                        "linkedGroup": NSNull(),
                    ]
                ]
            ])
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "all"])
            _ = try stack.worker(["--role", "deadlines"])
            let body = plainDossier(receivedAt: "2026-12-07T09:00:00+07:00").merging(["procedureCode": procedure]) {
                _, new in new
            }
            let answer = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token", body: HTTP.json(body))
            #expect(answer.status == 202)
            #expect(answer.json["dueAt"] as? String == "2027-01-05T17:00:00+07:00")
            #expect(answer.json["provisional"] as? Bool == true)
            let code = try #require(answer.json["code"] as? String)
            // The same submission again: the same receipt, still provisional.
            let again = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token", body: HTTP.json(body))
            #expect(again.status == 200 && again.json["provisional"] as? Bool == true)

            // A dossier whose count stays in 2026 is not provisional, and the load leaves it alone.
            let plain = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(plainDossier(receivedAt: "2026-12-07T09:00:00+07:00")))
            #expect(plain.status == 202 && plain.json["provisional"] as? Bool == false)
            let plainCode = try #require(plain.json["code"] as? String)

            try await eventually("the dossiers are recorded with their timers") {
                let (provisional, plain) = (try await timers(code), try await timers(plainCode))
                return plain.count == 2
                    && provisional == ["due_soon": "2027-01-04T17:00:00+07:00", "overdue": "2027-01-05T17:00:00+07:00"]
            }
            let recorded = try await intake.read(code)
            #expect(
                recorded["provisional"] as? Bool == true && recorded["dueAt"] as? String == "2027-01-05T17:00:00+07:00")
            #expect(try await intake.read(plainCode)["provisional"] as? Bool == false)
            let plainTimers = try await timers(plainCode)

            try await load([
                "calendars": [
                    [
                        "year": 2027,
                        "holidays": [
                            "2027-01-01", "2027-01-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10",
                            "2027-02-11", "2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03",
                        ],
                        "makeUpDays": [],
                    ]
                ]
            ])
            var view: [String: Any] = [:]
            try await eventually("the read model shows the recomputed due moment") {
                view = try await intake.read(code)
                return view["dueAt"] as? String == "2027-01-06T17:00:00+07:00" && view["provisional"] as? Bool == false
            }
            #expect(view["originalDueAt"] as? String == "2027-01-06T17:00:00+07:00", "the receipt's own due moment")
            #expect(
                try await timers(code) == [
                    "due_soon": "2027-01-05T17:00:00+07:00", "overdue": "2027-01-06T17:00:00+07:00",
                ])
            let history = try #require(view["history"] as? [[String: Any]])
            let recomputed = history.filter { $0["type"] as? String == "due_recomputed" }
            #expect(recomputed.count == 1)
            let reason = recomputed.first?["reason"] as? String ?? ""
            #expect(reason.contains("năm 2027") && reason.contains("17:00 05/01/2027 → 17:00 06/01/2027"), "\(reason)")
            #expect(
                try await database.count(
                    "SELECT count(*) FROM journal WHERE dossier_code = $1 AND type = 'due_recomputed'", [code]) == 1)
            // The other dossier: untouched, no entry.
            #expect(try await timers(plainCode) == plainTimers)
            #expect(
                try await database.count("SELECT count(*) FROM journal WHERE dossier_code = $1", [plainCode]) == 1)

            // A receipt made now counts 2027 by the decision: not provisional, 6/1.
            let after = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(
                    plainDossier(receivedAt: "2026-12-07T09:00:00+07:00").merging(["procedureCode": procedure]) {
                        _, new in new
                    }))
            #expect(after.json["dueAt"] as? String == "2027-01-06T17:00:00+07:00")
            #expect(after.json["provisional"] as? Bool == false)
            let afterCode = try #require(after.json["code"] as? String)
            try await eventually("the later dossier is recorded") { try await timers(afterCode).count == 2 }
            #expect(
                try await database.count("SELECT count(*) FROM journal WHERE dossier_code = $1", [afterCode]) == 1)
        }
        try await forget2027()
    }

    /// The timers of `code` that have not fired: kind → fire moment.
    func timers(_ code: String) async throws -> [String: String] {
        try await database.withConnection { connection in
            var found: [String: String] = [:]
            for row in try connection.execute(
                """
                SELECT kind, to_char(fire_at AT TIME ZONE 'UTC' + interval '7 hours', 'YYYY-MM-DD"T"HH24:MI:SS') AS at
                FROM deadline_timers WHERE dossier_code = $1 AND fired_at IS NULL
                """, [code]
            ).rows {
                found[try row.string("kind")] = try row.string("at") + "+07:00"
            }
            return found
        }
    }

    /// `motcua catalog load` of `document`.
    func load(_ document: [String: Any]) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).json")
        try HTTP.json(document).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let load = try await motcua(["catalog", "load", file.path])
        guard load.status == 0 else { throw TestFailure("catalog load failed: \(load.error)") }
    }

    /// No 2027 decision, as the default catalog ships (and for the tests after this one).
    func forget2027() async throws {
        _ = try await database.count(
            "WITH gone AS (DELETE FROM calendar_years WHERE year = 2027 RETURNING 1) SELECT count(*) FROM gone")
    }
}
