import Domain
import Foundation
import Store
import TestSupport
import Testing

/// Where two roles act on one dossier, on the real servers: each decides over the dossier's whole
/// record (its journal and every action intake accepted), so the record tells one story (issue 18's
/// numbered defects, each made to happen as a client would).
@Suite(.serialized) struct OneTruthTests {
    let database = TestEnvironment.database()
    typealias Chains = LinkedChainTests

    /// Partner settings for groups that must not time out while a test acts around them.
    static let patient = [
        "MOTCUA_PARTNER_TIMEOUT_SECONDS": "600", "MOTCUA_PARTNER_MAX_ATTEMPTS": "3",
        "MOTCUA_PARTNER_BACKOFF_SECONDS": "0.4", "MOTCUA_PARTNER_BACKOFF_MAX_SECONDS": "0.4",
    ]

    func status(_ intake: IntakeUnderTest, _ code: String) async throws -> String? {
        try await intake.read(code)["status"] as? String
    }

    func outbox(_ code: String, key prefix: String) async throws -> Int {
        try await database.count(
            """
            SELECT count(*) FROM outbox WHERE routing_key LIKE $1 AND body::jsonb ->> 'subject' = $2
            """, [prefix + "%", code])
    }

    // ---- 1. an agency stalls for good ------------------------------------------------------------------

    /// Two groups' first commands hang at the justice office and both dossiers are withdrawn: their
    /// groups stop and give their places back, so a third group's first step is commanded at once.
    @Test func aGroupStoppedByAWithdrawalGivesItsPlaceBack() async throws {
        try await withStack { stack in
            let faults = Chains.Faults(#"{"birth_registration": {"hangRate": 1}}"#)
            let intake = try await stack.intake()
            var settings = Self.patient
            settings["MOTCUA_PARTNER_MAX_IN_FLIGHT"] = "2"
            _ = try stack.worker(Chains.pipeline, environment: settings)
            try await Chains.simulator(stack, faults: faults.path)
            var first: [String] = []
            for _ in 0..<2 { first.append(try await intake.submit(Chains.birth(["permanent_residence"]))) }
            let stalled = first
            try await eventually("both first steps are out") {
                try await database.count(
                    """
                    SELECT count(*) FROM linked_steps WHERE dossier_code = ANY($1::text[]) AND step = 'birth_registration'
                        AND status = 'sent'
                    """, [PostgresArray.literal(stalled)]) == 2
            }
            for code in stalled {
                #expect(try await intake.act(code, ["type": "withdraw"]).status == 202)
            }
            for code in stalled {
                try await eventually("\(code) is withdrawn and its group stopped") {
                    let stopped = try await database.count(
                        """
                        SELECT count(*) FROM linked_groups WHERE dossier_code = $1 AND stopped IS NOT NULL
                        """, [code])
                    return try await status(intake, code) == "withdrawn" && stopped == 1
                }
            }
            #expect(
                try await database.count(
                    "SELECT count(*) FROM linked_timers WHERE dossier_code = ANY($1::text[])",
                    [PostgresArray.literal(stalled)]) == 0,
                "a stopped group's commands are not retried")
            let third = try await intake.submit(Chains.birth(["permanent_residence"]))
            try await eventually(within: 15, "the third group's first step is commanded") {
                try await database.count(
                    """
                    SELECT count(*) FROM linked_steps WHERE dossier_code = $1 AND step = 'birth_registration'
                        AND status = 'sent'
                    """, [third]) == 1
            }
        }
    }

    // ---- 2. a sent letter is rewritten -----------------------------------------------------------------

    /// Once the pipeline's letter is out, an extension, back-dated or not, is refused with its number,
    /// and the letter reads as it was sent.
    @Test func anExtensionAfterTheAutomaticLetterIsRefusedNamingIt() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder,deadlines,outbox"])
            // Received Monday 16/11 09:00, 3 working days: due Thursday 19/11 17:00, long past.
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            var letter: [String: Any] = [:]
            try await eventually("the automatic letter is on the dossier") {
                letter = try await intake.read(code)["apology"] as? [String: Any] ?? [:]
                return letter["number"] as? String != nil
            }
            let number = try #require(letter["number"] as? String)
            #expect(letter["timely"] as? Bool == false)
            for at in ["2026-11-19T10:00:00+07:00", VietnamTime.rfc3339(Date())] {
                let answer = try await intake.act(
                    code,
                    [
                        "type": "extend", "reason": "Cần xác minh thêm", "at": at,
                        "newDueAt": "2027-01-15T17:00:00+07:00",
                    ])
                #expect(answer.status == 409, "an extend at \(at) after the letter")
                #expect((answer.json["detail"] as? String)?.contains(number) == true, "the refusal names \(number)")
            }
            let resolve = try await intake.act(code, ["type": "resolve", "at": "2026-11-19T16:00:00+07:00"])
            #expect(resolve.status == 409, "nothing dated before the letter changes the dossier")
            let view = try await intake.read(code)
            let after = try #require(view["apology"] as? [String: Any])
            #expect(after["number"] as? String == number && after["timely"] as? Bool == false)
            #expect(after["reason"] as? String == letter["reason"] as? String)
            #expect(after["newDueAt"] as? String == letter["newDueAt"] as? String)
            #expect(try await outbox(code, key: "deadline.apology_issued.") == 1)
        }
    }

    // ---- 3. a letter announced, then gone ----------------------------------------------------------------

    /// A resolve back-dated before the due moment is accepted while no recorder runs; the deadline
    /// worker then sees it in the dossier's record and issues nothing.
    @Test func theDeadlineWorkerSeesAnAcceptedResolveTheRecorderHasNotWritten() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let recorder = try stack.worker(["--role", "recorder"])
            let code = try await intake.submit(plainDossier(receivedAt: "2026-11-16T09:00:00+07:00"))
            try await eventually("\(code) is recorded") {
                try await database.count("SELECT count(*) FROM deadline_timers WHERE dossier_code = $1", [code]) == 2
            }
            await recorder.kill()  // a crash between the two roles
            #expect(try await intake.act(code, ["type": "resolve", "at": "2026-11-18T10:00:00+07:00"]).status == 202)
            _ = try stack.worker(["--role", "deadlines,outbox"])
            try await eventually("the deadline worker took every timer of \(code)") {
                try await database.count(
                    """
                    SELECT count(*) FROM deadline_timers WHERE dossier_code = $1 AND fired_at IS NULL
                    """, [code]) == 0
            }
            _ = try stack.worker(["--role", "recorder"])
            try await eventually("the resolve is recorded") { try await status(intake, code) == "resolved" }
            let view = try await intake.read(code)
            #expect(view["timing"] as? String == "early" && view["apology"] is NSNull)
            #expect(
                try await outbox(code, key: "deadline.") == 0, "no alert and no letter for a dossier resolved in time")
            #expect(
                try await database.count("SELECT count(*) FROM apology_letters WHERE dossier_code = $1", [code]) == 0)
        }
    }

    // ---- 4. partial counted as completed ---------------------------------------------------------------

    @Test func aPartialGroupIsNotCountedCompleted() async throws {
        // A commune of its own: another test's group at Bình Phước that completes meanwhile would move the count.
        let unit = String(
            format: "000.%02d.%02d.P%02d", Int.random(in: 0..<100), Int.random(in: 0..<100), Int.random(in: 0..<100))
        try await MergerTests.load([
            "units": [["code": unit, "name": "UBND xã Thử Liên Thông", "level": "commune", "parent": "000.00.00.H56"]]
        ])
        try await withStack { stack in
            let faults = Chains.Faults(#"{"health_insurance_card": {"rejectRate": 1}}"#)
            let intake = try await Chains().start(stack, faults: faults)
            let today = String(VietnamTime.rfc3339(Date()).prefix(10))
            func birth() async throws -> [String: Any] {
                let answer = try await HTTP.send(
                    "GET", intake.base + "/v1/reports?unit=\(unit)&from=\(today)&to=\(today)",
                    token: "all-token")
                return (answer.json["linkedGroups"] as? [String: Any])?["birth"] as? [String: Any] ?? [:]
            }
            let before = try await birth()
            var codes: [String] = []
            for _ in 0..<2 {
                var body = Chains.birth()
                body["unitCode"] = unit
                codes.append(try await intake.submit(body))
            }
            for code in codes {
                _ = try await Chains().group(intake, code, "partial") { $0["outcome"] as? String == "partial" }
            }
            let after = try await birth()
            #expect((after["received"] as? Int ?? 0) - (before["received"] as? Int ?? 0) == 2)
            #expect(after["completed"] as? Int == before["completed"] as? Int, "partial groups are not completed ones")
        }
    }

    // ---- 5. a finished chain leaves its dossier open -----------------------------------------------------

    /// A supplement requested while the group runs: the group's end still closes the dossier, and the
    /// citizen's supplement afterwards is refused as for any closed dossier.
    @Test func aGroupThatEndsWhileASupplementIsRequestedClosesTheDossier() async throws {
        try await withStack { stack in
            let faults = Chains.Faults(#"{"*": {"delaySeconds": 2, "maxDelaySeconds": 2}}"#)
            let intake = try await stack.intake()
            _ = try stack.worker(Chains.pipeline, environment: Self.patient)
            try await Chains.simulator(stack, faults: faults.path)
            let code = try await intake.submit(Chains.birth(["permanent_residence"]))
            #expect(
                try await intake.act(code, ["type": "request_supplement", "reason": "Thiếu giấy chứng sinh"]).status
                    == 202)
            try await eventually("the request is recorded") { try await status(intake, code) == "supplement_requested" }
            let view = try await Chains().group(intake, code, "completed") { $0["outcome"] as? String == "completed" }
            #expect(view["status"] as? String == "resolved", "the group's end closes the dossier")
            // Two seconds ahead: the group's end (its own time, to the fraction) certainly came first.
            let supplement = try await intake.act(
                code,
                [
                    "type": "supplement",
                    "at": VietnamTime.rfc3339(Date().addingTimeInterval(2)),
                ])
            #expect(supplement.status == 409, "a closed dossier takes no supplement")
            #expect(try await status(intake, code) == "resolved")
            #expect(
                try await database.count("SELECT count(*) FROM deadline_timers WHERE dossier_code = $1", [code]) == 0)
        }
    }

    /// The request accepted but not yet recorded when the group's last answer commits: the dossier
    /// reads resolved and stays resolved once the recorder writes the request.
    @Test func aSupplementRequestRecordedAfterTheGroupEndedDoesNotReopenTheDossier() async throws {
        try await withStack { stack in
            let faults = Chains.Faults(#"{"*": {"delaySeconds": 1, "maxDelaySeconds": 1}}"#)
            let intake = try await stack.intake()
            let recorder = try stack.worker(["--role", "recorder"])
            _ = try stack.worker(["--role", "chains,outbox"], environment: Self.patient)
            try await Chains.simulator(stack, faults: faults.path)
            let code = try await intake.submit(Chains.birth(["permanent_residence"]))
            // Recorded, not only accepted (an accepted dossier reads `received` too), and its group opened.
            try await eventually("\(code) is recorded") {
                try await database.count("SELECT count(*) FROM linked_groups WHERE dossier_code = $1", [code]) == 1
            }
            await recorder.kill()  // a crash between the two roles
            #expect(
                try await intake.act(code, ["type": "request_supplement", "reason": "Thiếu giấy chứng sinh"]).status
                    == 202)
            try await eventually(within: 30, "the group completed") {
                try await database.count(
                    """
                    SELECT count(*) FROM linked_groups WHERE dossier_code = $1 AND outcome = 'completed'
                    """, [code]) == 1
            }
            #expect(try await status(intake, code) == "resolved")
            _ = try stack.worker(["--role", "recorder"])
            try await eventually("the request is recorded") {
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code = $1 AND type = 'request_supplement'
                    """, [code]) == 1
            }
            let view = try await intake.read(code)
            #expect(view["status"] as? String == "resolved", "a dossier that read closed never reopens")
            let history = view["history"] as? [[String: Any]] ?? []
            let request = history.first { $0["type"] as? String == "request_supplement" }
            #expect(request != nil, "the request stays in the history")
        }
    }
}
