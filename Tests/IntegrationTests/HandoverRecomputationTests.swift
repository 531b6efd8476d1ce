import Domain
import Foundation
import PostgresDriver
import TestSupport
import Testing

/// DOMAIN.md §11: the two things the deadline workers do to an open dossier on their own, a merger's handover
/// and the recomputation of a provisional due moment when a year's holiday decision is loaded, meet on one
/// dossier in both orders. Each happens once, and the timers end at the recomputed moments.
@Suite(.serialized) struct HandoverRecomputationTests {
    let database = TestEnvironment.database()

    /// Two fresh communes that merge into a third (codes of their own, apart from `MergerTests`').
    struct Units {
        let tag = String(format: "%02d", Int.random(in: 0..<100))
        var a: String { "000.5\(tag.prefix(1)).\(tag).P01" }
        var b: String { "000.5\(tag.prefix(1)).\(tag).P02" }
        var successor: String { "000.5\(tag.prefix(1)).\(tag).P09" }
    }

    /// The timers of `code` that have not fired: kind → fire moment, local time.
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

    /// How many journal entries of `type` the dossier has.
    func entries(_ code: String, _ type: String) async throws -> Int {
        try await database.count("SELECT count(*) FROM journal WHERE dossier_code = $1 AND type = $2", [code, type])
    }

    /// No 2027 decision, as the default catalog ships (and for the tests after this one).
    func forget2027() async throws {
        _ = try await database.count(
            "WITH gone AS (DELETE FROM calendar_years WHERE year = 2027 RETURNING 1) SELECT count(*) FROM gone")
    }

    @Test func aHandoverAndARecomputationMeetOnOneDossierInEitherOrder() async throws {
        try await forget2027()
        let units = Units()
        let today = VietnamTime.local(Date()).date
        let end = ["validTo": today.adding(days: -1).description, "successor": units.successor]
        // Twenty working days from Monday 7/12/2026 09:00: Tuesday 5/1/2027 while 2027 has no decision (1/1 off by
        // rule), Wednesday 6/1 once the decision below makes 4/1 a day off too (ProvisionalTests).
        let procedure = "9.\(Int.random(in: 100_000..<1_000_000))"
        try await MergerTests.load([
            "units": [MergerTests.unit(units.a, "UBND xã Thử A"), MergerTests.unit(units.b, "UBND xã Thử B")],
            "procedures": [
                [
                    "code": procedure, "name": "Thủ tục thử nghiệm hai mươi ngày", "field": "Thử nghiệm",
                    "processing": ["workingDays": 20], "feeVnd": 0, "paperResult": false, "linkedGroup": NSNull(),
                ]
            ],
        ])
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "all"])
            _ = try stack.worker(["--role", "deadlines"])
            func submit(_ unit: String) async throws -> String {
                let body = plainDossier(receivedAt: "2026-12-07T09:00:00+07:00").merging([
                    "procedureCode": procedure, "unitCode": unit,
                ]) { _, new in new }
                let answer = try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers", token: "all-token", body: HTTP.json(body))
                #expect(answer.json["dueAt"] as? String == "2027-01-05T17:00:00+07:00")
                #expect(answer.json["provisional"] as? Bool == true)
                guard answer.status == 202, let code = answer.json["code"] as? String else {
                    throw TestFailure("submission answered \(answer.status)")
                }
                return code
            }
            func holder(_ code: String) async throws -> String? {
                try await intake.read(code)["handlingUnit"] as? String
            }
            // The first is handed over and then recomputed; the second recomputed and then handed over.
            let (first, second) = (try await submit(units.a), try await submit(units.b))
            let provisional = ["due_soon": "2027-01-04T17:00:00+07:00", "overdue": "2027-01-05T17:00:00+07:00"]
            try await eventually("both dossiers are recorded with their provisional timers") {
                let (one, two) = (try await timers(first), try await timers(second))
                return one == provisional && two == provisional
            }

            // A ends yesterday into the successor: the first passes to it, its provisional timers kept.
            try await MergerTests.load([
                "units": [
                    MergerTests.unit(units.a, "UBND xã Thử A", end),
                    MergerTests.unit(units.successor, "UBND xã Thử Mới", ["validFrom": today.description]),
                ]
            ])
            try await eventually("the first dossier passes to the successor") {
                try await holder(first) == units.successor
            }
            #expect(try await timers(first) == provisional)

            // The 2027 decision: both are counted again, the first under its new holder.
            try await MergerTests.load([
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
            let recomputed = ["due_soon": "2027-01-05T17:00:00+07:00", "overdue": "2027-01-06T17:00:00+07:00"]
            try await eventually("both due moments are recomputed") {
                let (one, two) = (try await intake.read(first), try await intake.read(second))
                return one["dueAt"] as? String == "2027-01-06T17:00:00+07:00"
                    && two["dueAt"] as? String == "2027-01-06T17:00:00+07:00"
                    && one["provisional"] as? Bool == false && two["provisional"] as? Bool == false
            }

            // B ends into the same successor: the second, already recomputed, passes to it.
            try await MergerTests.load([
                "units": [
                    MergerTests.unit(units.a, "UBND xã Thử A", end), MergerTests.unit(units.b, "UBND xã Thử B", end),
                    MergerTests.unit(units.successor, "UBND xã Thử Mới", ["validFrom": today.description]),
                ]
            ])
            try await eventually("the second dossier passes to the successor") {
                try await holder(second) == units.successor
            }

            for code in [first, second] {
                let view = try await intake.read(code)
                #expect(view["handlingUnit"] as? String == units.successor, "\(code)")
                #expect(view["status"] as? String == "received", "\(code)")
                #expect(view["dueAt"] as? String == "2027-01-06T17:00:00+07:00", "\(code)")
                #expect(view["originalDueAt"] as? String == "2027-01-06T17:00:00+07:00", "\(code)")
                #expect(try await entries(code, "unit_handover") == 1, "\(code): one handover")
                #expect(try await entries(code, "due_recomputed") == 1, "\(code): one recomputation")
                #expect(try await timers(code) == recomputed, "\(code): the timers at the recomputed moments")
                let types = (view["history"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
                #expect(Set(types) == ["received", "unit_handover", "due_recomputed"], "\(code): \(types)")
            }
        }
        try await forget2027()
    }
}
