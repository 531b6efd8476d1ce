import Foundation
import PostgresDriver
import TestSupport
import Testing

/// DOMAIN.md §11, "received at, resolved by": a dossier received at one unit for another of the province counts
/// in the receiving unit's report as received and in the handling unit's as resolved, on the real servers. Two
/// communes of their own under the province, so other tests' dossiers do not move the figures.
@Suite(.serialized) struct ResolvedByReportTests {
    let database = TestEnvironment.database()
    static let province = "000.00.00.H56"

    /// Two fresh communes: A receives, B handles.
    struct Units {
        let tag = String(format: "%02d", Int.random(in: 0..<100))
        var a: String { "000.6\(tag.prefix(1)).\(tag).R01" }
        var b: String { "000.6\(tag.prefix(1)).\(tag).R02" }
    }

    static func body(_ unit: String, handlingUnit: String?, receivedAt: String) -> [String: Any] {
        var changes: [String: Any] = [
            "procedureCode": "1.002093", "unitCode": unit, "channel": "direct", "onlineLevel": NSNull(),
            "linkedGroup": NSNull(), "idempotencyKey": UUID().uuidString, "receivedAt": receivedAt,
            "components": [["name": "Tờ khai", "digitized": false]],
        ]
        if let handlingUnit { changes["handlingUnit"] = handlingUnit }
        return dossierBody(changes)
    }

    func report(_ unit: String, children: Bool = false, format: String = "json") async throws -> String {
        let answer = try await motcua(
            ["report", "--unit", unit, "--from", "2026-03-01", "--to", "2026-03-31", "--format", format]
                + (children ? ["--children"] : []))
        guard answer.status == 0 else { throw TestFailure("motcua report failed: \(answer.error)") }
        return answer.output
    }

    func document(_ unit: String, children: Bool = false) async throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try await report(unit, children: children).utf8))
            as! [String: Any]
    }

    @Test func theReceivingUnitCountsItReceivedAndTheHandlingUnitResolved() async throws {
        let units = Units()
        try await MergerTests.load([
            "units": [MergerTests.unit(units.a, "UBND xã Nhận A"), MergerTests.unit(units.b, "UBND xã Giải quyết B")]
        ])
        try await withStack { stack in
            let tokens = "all-token=*,a-token=\(units.a),b-token=\(units.b)"
            let intake = try await stack.intake(extra: ["MOTCUA_API_TOKENS": tokens])
            _ = try stack.worker()
            func act(_ code: String, _ token: String, _ action: [String: Any]) async throws {
                let answer = try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers/\(code)/actions", token: token, body: HTTP.json(action))
                guard answer.status == 202 else {
                    throw TestFailure("\(action["type"]!) on \(code) answered \(answer.status)")
                }
            }
            // Received at A for B, resolved by B's officer the next day.
            let across = try await intake.submit(
                Self.body(units.a, handlingUnit: units.b, receivedAt: "2026-03-02T09:00:00+07:00"), token: "a-token")
            try await act(across, "b-token", ["type": "resolve", "at": "2026-03-03T10:00:00+07:00"])
            // Received and handled at A, transferred by A to B, rejected by B.
            let moved = try await intake.submit(
                Self.body(units.a, handlingUnit: nil, receivedAt: "2026-03-02T10:00:00+07:00"), token: "a-token")
            try await act(moved, "a-token", ["type": "transfer", "toUnit": units.b, "at": "2026-03-02T11:00:00+07:00"])
            // B's staff act on it once the transfer is recorded (the unit holding a dossier acts on it).
            try await eventually(within: 60, "the transfer is recorded") {
                try await intake.read(moved)["handlingUnit"] as? String == units.b
            }
            try await act(
                moved, "b-token", ["type": "reject", "reason": "không đủ điều kiện", "at": "2026-03-04T09:00:00+07:00"])
            // B's own, resolved at home.
            let own = try await intake.submit(
                Self.body(units.b, handlingUnit: nil, receivedAt: "2026-03-05T09:00:00+07:00"), token: "b-token")
            try await act(own, "b-token", ["type": "resolve", "at": "2026-03-05T15:00:00+07:00"])
            // Still open at A at the end of the month: received, not resolved by anyone.
            let open = try await intake.submit(
                Self.body(units.a, handlingUnit: units.b, receivedAt: "2026-03-30T09:00:00+07:00"), token: "a-token")
            let codes = [across, moved, own, open]
            try await eventually(within: 120, "every dossier's report facts are written, three of them closed") {
                let list = [PostgresArray.literal(codes)]
                let written = try await database.count(
                    "SELECT count(*) FROM report_dossiers WHERE code = ANY($1::text[])", list)
                let closed = try await database.count(
                    "SELECT count(*) FROM report_dossiers WHERE code = ANY($1::text[]) AND closed_by IS NOT NULL", list)
                return written == 4 && closed == 3
            }
            #expect(
                try await database.count(
                    "SELECT count(*) FROM report_dossiers WHERE code = ANY($1::text[]) AND closed_by = $2",
                    [PostgresArray.literal(codes), units.b]) == 3)

            // A received three and closed none; what it received is resolved elsewhere.
            let a = try await document(units.a)
            #expect((a["received"] as! [String: Int])["total"] == 3)
            #expect(
                (a["closed"] as! [String: Int])["resolved"] == 1 && (a["closed"] as! [String: Int])["rejected"] == 1)
            #expect((a["open"] as! [String: Int])["total"] == 1)
            #expect(
                a["resolvedBy"] as? [String: Int] == [
                    "total": 0, "resolved": 0, "early": 0, "onTime": 0, "overdue": 0, "rejected": 0, "withdrawn": 0,
                    "receivedElsewhere": 0,
                ])
            // B received one and closed three, two of them received at A.
            let b = try await document(units.b)
            #expect((b["received"] as! [String: Int])["total"] == 1)
            #expect((b["closed"] as! [String: Int])["resolved"] == 1)
            #expect(
                b["resolvedBy"] as? [String: Int] == [
                    "total": 3, "resolved": 2, "early": 2, "onTime": 0, "overdue": 0, "rejected": 1, "withdrawn": 0,
                    "receivedElsewhere": 2,
                ])
            // B's staff read the same document over HTTP.
            let http = try await HTTP.send(
                "GET", intake.base + "/v1/reports?unit=\(units.b)&from=2026-03-01&to=2026-03-31", token: "b-token")
            #expect(http.status == 200)
            #expect(try JSONSerialization.jsonObject(with: http.body) as? NSDictionary == b as NSDictionary)

            // At the province with --children: A's row and B's row are the two reports, and the rows add up.
            let province = try await document(Self.province, children: true)
            let rows = province["children"] as! [[String: Any]]
            let rowA = try #require(rows.first { $0["unit"] as? String == units.a })
            let rowB = try #require(rows.first { $0["unit"] as? String == units.b })
            #expect(
                ReportTests.counts(rowA) == ReportTests.counts(a) && ReportTests.counts(rowB) == ReportTests.counts(b))
            #expect(MergerReportTests.addsUp(province))
            #expect(
                ReportTests.counts(try await document(Self.province)) == ReportTests.counts(province),
                "the same total without --children")
            let total = ReportTests.counts(province)
            #expect(total["resolvedBy.total"]! >= 3 && total["received.total"]! >= 4)

            // The table's part 6 and the CSV's last columns say the same for B.
            let table = try await report(units.b, format: "table")
            let lines = table.components(separatedBy: "\n")
            let part = try #require(lines.firstIndex { $0.hasPrefix("6. Đơn vị giải quyết") })
            #expect(
                lines[part + 3].split(separator: " ").filter { Int($0) != nil }
                    == ["1", "3", "2", "2", "0", "0", "1", "0", "2"])
            let csv = try await report(units.b, format: "csv").components(separatedBy: "\r\n")
            #expect(csv[1].hasSuffix(",3,2,2,0,0,1,0,2"))

            // Rows written before migration 14 have no closer: `motcua migrate` fills them from the dossier.
            let list = [PostgresArray.literal(codes)]
            _ = try await database.count(
                """
                WITH emptied AS (UPDATE report_dossiers SET closed_by = NULL WHERE code = ANY($1::text[]) RETURNING 1)
                SELECT count(*) FROM emptied
                """, list)
            #expect(try await document(units.b)["resolvedBy"] as? [String: Int] != b["resolvedBy"] as? [String: Int])
            let migrate = try await motcua(["migrate"])
            #expect(migrate.status == 0 && migrate.output.contains("recorded the unit that closed"))
            #expect(
                try await database.count(
                    "SELECT count(*) FROM report_dossiers WHERE code = ANY($1::text[]) AND closed_by = $2",
                    list + [units.b]) == 3)
            #expect(ReportTests.counts(try await document(units.b)) == ReportTests.counts(b))
        }
    }
}
