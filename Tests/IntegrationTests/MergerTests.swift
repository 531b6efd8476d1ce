import Domain
import Foundation
import PostgresDriver
import TestSupport
import Testing

/// DOMAIN.md §11: a merger resolution loaded while dossiers are open. The workers hand each open dossier to
/// the successor once, through the journal; it keeps its code, receipt, due moments and timers; the ended
/// units refuse new dossiers naming the successor; tokens follow the documented scopes.
@Suite(.serialized) struct MergerTests {
    let database = TestEnvironment.database()

    /// Three fresh unit codes under the province: two communes that merge, and the one they merge into.
    struct Units {
        let tag = String(format: "%02d", Int.random(in: 0..<100))
        var a: String { "000.7\(tag.prefix(1)).\(tag).M01" }
        var b: String { "000.7\(tag.prefix(1)).\(tag).M02" }
        var successor: String { "000.7\(tag.prefix(1)).\(tag).M09" }
    }

    static let province = "000.00.00.H56"

    static func load(_ catalog: [String: Any]) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("merger-\(UUID().uuidString).json")
        try HTTP.json(catalog).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let load = try await motcua(["catalog", "load", file.path])
        guard load.status == 0 else { throw TestFailure("catalog load failed: \(load.error)") }
    }

    static func unit(_ code: String, _ name: String, _ dates: [String: String] = [:]) -> [String: Any] {
        var unit: [String: Any] = ["code": code, "name": name, "level": "commune", "parent": province]
        for (key, value) in dates { unit[key] = value }
        return unit
    }

    /// The timers of `codes` as rows of text, to compare before and after.
    func timers(_ codes: [String]) async throws -> [String] {
        try await database.withConnection { connection in
            try connection.execute(
                """
                SELECT dossier_code || ' ' || kind || ' ' || due_at::text || ' ' || fire_at::text AS t
                FROM deadline_timers WHERE dossier_code = ANY($1::text[]) ORDER BY 1
                """, [PostgresArray.literal(codes)]
            ).rows.map { try $0.string("t") }
        }
    }

    @Test func aMergerHandsEachOpenDossierToTheSuccessorOnceAndKeepsItsTimers() async throws {
        let units = Units()
        let today = VietnamTime.local(Date()).date
        let yesterday = today.adding(days: -1)
        // Received last week, 12 working days: due after today, so the timers are still ahead.
        let received = VietnamTime.rfc3339(VietnamTime.instant(today.adding(days: -7), seconds: 9 * 3600))
        try await Self.load(["units": [Self.unit(units.a, "UBND xã Thử A"), Self.unit(units.b, "UBND xã Thử B")]])
        try await withStack { stack in
            let tokens =
                "all-token=*,new-token=\(units.successor),old-token=\(units.a),follow-token=\(units.a)+successor"
            let intake = try await stack.intake(extra: ["MOTCUA_API_TOKENS": tokens])
            _ = try stack.worker(["--role", "all"])
            _ = try stack.worker(["--role", "deadlines"])
            func submit(_ unit: String) async throws -> String {
                try await intake.submit(
                    dossierBody([
                        "procedureCode": "1.002093", "unitCode": unit, "channel": "direct", "onlineLevel": NSNull(),
                        "linkedGroup": NSNull(), "receivedAt": received, "idempotencyKey": UUID().uuidString,
                        "components": [["name": "Tờ khai", "digitized": false]],
                    ]))
            }
            let open = [try await submit(units.a), try await submit(units.a), try await submit(units.b)]
            let withdrawn = try await submit(units.a)
            let all = open + [withdrawn]
            try await eventually("the dossiers are recorded") {
                try await database.count(
                    "SELECT count(*) FROM dossiers WHERE code = ANY($1::text[])",
                    [
                        PostgresArray.literal(all)
                    ]) == 4
            }
            #expect(
                try await intake.act(withdrawn, ["type": "withdraw", "reason": "Công dân rút hồ sơ"]).status == 202)
            try await eventually("the withdrawal is recorded") {
                try await intake.read(withdrawn)["status"] as? String == "withdrawn"
            }
            var before: [String: [String: Any]] = [:]
            for code in open { before[code] = try await intake.read(code) }
            let timersBefore = try await timers(open)
            #expect(!timersBefore.isEmpty)

            // The resolution: A and B end yesterday into the successor, in force from today.
            let end = ["validTo": yesterday.description, "successor": units.successor]
            try await Self.load([
                "units": [
                    Self.unit(units.a, "UBND xã Thử A", end), Self.unit(units.b, "UBND xã Thử B", end),
                    Self.unit(units.successor, "UBND xã Thử Mới", ["validFrom": today.description]),
                ]
            ])
            try await eventually("the open dossiers pass to the successor") {
                try await database.count(
                    "SELECT count(*) FROM dossiers WHERE code = ANY($1::text[]) AND handling_unit = $2",
                    [PostgresArray.literal(open), units.successor]) == 3
            }
            let endMoment = VietnamTime.rfc3339(VietnamTime.instant(today, seconds: 0))
            for code in open {
                let view = try await intake.read(code)
                let old = try #require(before[code])
                #expect(view["code"] as? String == code)
                #expect(view["handlingUnit"] as? String == units.successor)
                #expect(view["unitCode"] as? String == old["unitCode"] as? String, "the receiving unit stays")
                for field in ["receivedAt", "dueAt", "originalDueAt", "status"] {
                    #expect(view[field] as? String == old[field] as? String, "\(field) is kept")
                }
                let history = try #require(view["history"] as? [[String: Any]])
                let entry = try #require(history.last)
                #expect(entry["type"] as? String == "unit_handover" && entry["at"] as? String == endMoment)
                let reason = entry["reason"] as? String ?? ""
                #expect(reason.hasPrefix("chuyển do sắp xếp đơn vị hành chính"))
                #expect(reason.contains(units.successor) && reason.contains(code.prefix(13)))
            }
            #expect(try await timers(open) == timersBefore, "the timers are the same, at the same moments")
            let handovers = try await database.count(
                "SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND type = 'unit_handover'",
                [PostgresArray.literal(all)])
            #expect(handovers == 3, "once per open dossier, none for the withdrawn one, with two deadline workers")
            #expect(try await intake.read(withdrawn)["handlingUnit"] as? String == units.a)
            // Nowhere in the database (other tests' dossiers included) did a dossier pass from the same unit
            // twice.
            #expect(
                try await database.count(
                    """
                    SELECT count(*) FROM (SELECT 1 FROM journal WHERE type = 'unit_handover'
                                          GROUP BY dossier_code, data ->> 'from' HAVING count(*) > 1) AS twice
                    """) == 0)

            // The officers meet the handover, in both orders: an action dated before the end but recorded after
            // the handover replays before it, and the successor's staff act on a dossier it took over.
            let beforeEnd = VietnamTime.rfc3339(VietnamTime.instant(yesterday, seconds: 10 * 3600))
            let late = try await intake.act(
                open[1], ["type": "request_supplement", "at": beforeEnd, "reason": "Thiếu giấy tờ"])
            #expect(late.status == 202)
            let resolved = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers/\(open[2])/actions", token: "new-token",
                body: HTTP.json(["type": "resolve"]))
            #expect(resolved.status == 202)
            try await eventually("both actions are recorded") {
                let paused = try await intake.read(open[1])["status"] as? String == "supplement_requested"
                let closed = try await intake.read(open[2])["status"] as? String == "resolved"
                return paused && closed
            }
            for code in [open[1], open[2]] {
                #expect(try await intake.read(code)["handlingUnit"] as? String == units.successor)
            }
            #expect(
                try await database.count(
                    "SELECT count(*) FROM journal WHERE dossier_code = ANY($1::text[]) AND type = 'unit_handover'",
                    [PostgresArray.literal(all)]) == 3, "no second handover")

            // The ended unit refuses a new dossier, naming the successor.
            let refused = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(
                    dossierBody([
                        "procedureCode": "1.002093", "unitCode": units.a, "channel": "direct",
                        "onlineLevel": NSNull(), "linkedGroup": NSNull(),
                        "components": [["name": "Tờ khai", "digitized": false]],
                    ])))
            #expect(refused.status == 422 && refused.errorFields == ["unitCode"])
            #expect(String(decoding: refused.body, as: UTF8.self).contains(units.successor))

            // Scopes: the successor's token reaches the predecessors' dossiers; the ended unit's token keeps its
            // own but not the successor's, unless its scope says +successor.
            let fresh = try await intake.submit(
                dossierBody([
                    "procedureCode": "1.002093", "unitCode": units.successor, "channel": "direct",
                    "onlineLevel": NSNull(), "linkedGroup": NSNull(),
                    "components": [["name": "Tờ khai", "digitized": false]],
                ]))
            func status(_ code: String, _ token: String) async throws -> Int {
                try await HTTP.send("GET", intake.base + "/v1/dossiers/\(code)", token: token).status
            }
            #expect(try await status(open[0], "new-token") == 200)
            #expect(try await status(open[2], "new-token") == 200)
            #expect(try await status(open[0], "old-token") == 200)
            #expect(try await status(fresh, "old-token") == 403)
            #expect(try await status(fresh, "follow-token") == 200)

            let tree = try await motcua(["units", "--on", today.description, "--json"])
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(tree.output.utf8)) as? [String: Any])
            func codes(_ nodes: Any?) -> [String] {
                (nodes as? [[String: Any]] ?? []).flatMap { [$0["code"] as? String ?? ""] + codes($0["children"]) }
            }
            let inForce = codes(document["units"])
            #expect(inForce.contains(units.successor) && !inForce.contains(units.a) && inForce.contains(Self.province))
            let predecessors = try await motcua(["units", "--on", today.description])
            #expect(predecessors.output.contains("takes over \(units.a) UBND xã Thử A, \(units.b) UBND xã Thử B"))
            let earlier = try await motcua(["units", "--on", yesterday.description])
            #expect(earlier.output.contains("\(units.a)  commune") && !earlier.output.contains(units.successor + "  "))
        }
    }
}
