import Domain
import Foundation
import Store
import TestSupport
import Testing

/// Reports across the Bình Sơn merger of the default catalog (DOMAIN.md §11) on the real servers: dossiers
/// back-dated to 2025 for the three merged communes and Bình Phước before 1/7, for the new commune and Bình
/// Phước after; each counts under the units in force on its receipt's day. Every dossier is resolved the
/// next day, so none is carried over across the merger.
@Suite(.serialized) struct MergerReportTests {
    let database = TestEnvironment.database()
    static let province = "000.00.00.H56", district = "000.00.15.H56", binhPhuoc = "000.00.19.H56"
    static let binhKhuong = "000.15.02.H56", binhAn = "000.15.03.H56", oldBinhMinh = "000.15.04.H56"
    static let newCommune = "000.30.01.H56"

    /// (unit, day of receipt, day of resolution): six before the merger, five after.
    static let dossiers = [
        (oldBinhMinh, "2025-04-15", "2025-04-16"), (binhKhuong, "2025-05-12", "2025-05-13"),
        (binhAn, "2025-06-02", "2025-06-03"), (binhPhuoc, "2025-06-10", "2025-06-11"),
        (binhKhuong, "2025-06-30", "2025-06-30"), (binhPhuoc, "2025-06-30", "2025-06-30"),
        (newCommune, "2025-07-01", "2025-07-02"), (binhPhuoc, "2025-07-01", "2025-07-02"),
        (newCommune, "2025-08-05", "2025-08-06"), (newCommune, "2025-09-15", "2025-09-16"),
        (newCommune, "2025-10-06", "2025-10-07"),
    ]

    func report(_ unit: String, _ from: String, _ to: String, children: Bool = false) async throws -> [String: Any] {
        let answer = try await motcua(
            ["report", "--unit", unit, "--from", from, "--to", to, "--format", "json"]
                + (children ? ["--children"] : []))
        guard answer.status == 0 else { throw TestFailure("motcua report failed: \(answer.error)") }
        return try JSONSerialization.jsonObject(with: Data(answer.output.utf8)) as! [String: Any]
    }

    static func received(_ doc: [String: Any]) -> Int { (doc["received"] as! [String: Int])["total"]! }

    /// Each row's unit with its received total, in the order printed; rows that received nothing are left
    /// out (units other tests load under the same district, with no 2025 dossier).
    static func rows(_ doc: [String: Any]) -> [String] {
        (doc["children"] as! [[String: Any]]).filter { received($0) > 0 }.map {
            "\($0["unit"] as! String) \(received($0))"
        }
    }

    /// Whether the rows' counts add up to the document's.
    static func addsUp(_ doc: [String: Any]) -> Bool {
        let sum = (doc["children"] as! [[String: Any]]).map(ReportTests.counts).reduce(into: [String: Int]()) {
            $0.merge($1, uniquingKeysWith: +)
        }
        return !sum.isEmpty && sum == ReportTests.counts(doc)
    }

    func send(to intake: IntakeUnderTest) async throws -> [String] {
        var codes: [String] = []
        for (n, (unit, received, resolved)) in Self.dossiers.enumerated() {
            let time = n % 2 == 0 ? "09:00" : "15:30"
            let submitted = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json([
                    "procedureCode": "1.004194", "unitCode": unit, "channel": "direct",
                    "receivedAt": "\(received)T\(time):00+07:00", "idempotencyKey": "merger2025-\(n)",
                    "applicant": ["personalId": "051095001234", "fullName": "Nguyễn Văn A", "phone": "0905000000"],
                    "components": [["name": "Tờ khai", "digitized": false]],
                ]))
            guard let code = submitted.json["code"] as? String, [200, 202].contains(submitted.status) else {
                throw TestFailure("submission \(n) answered \(submitted.status)")
            }
            codes.append(code)
            if submitted.status == 200 { continue }
            let answer = try await intake.act(code, ["type": "resolve", "at": "\(resolved)T16:45:00+07:00"])
            guard answer.status == 202 else { throw TestFailure("resolve on \(code) answered \(answer.status)") }
        }
        return codes
    }

    @Test func reportsBeforeAcrossAndAfterTheMergerCountUnderTheUnitsInForceAtReceipt() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker()
            let codes = try await send(to: intake)
            try await eventually(within: 120, "every dossier is recorded resolved") {
                try await database.count(
                    "SELECT count(*) FROM report_dossiers WHERE code = ANY($1::text[]) AND closing = 'resolved'",
                    [PostgresArray.literal(codes)]) == codes.count
            }
            // An ended unit receives nothing after its end (by design): the refusal names the successor.
            let late = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json([
                    "procedureCode": "1.004194", "unitCode": Self.binhKhuong, "channel": "direct",
                    "receivedAt": "2025-07-01T00:00:00+07:00", "idempotencyKey": "merger2025-late",
                    "applicant": ["personalId": "051095001234", "fullName": "Nguyễn Văn A", "phone": "0905000000"],
                    "components": [["name": "Tờ khai", "digitized": false]],
                ]))
            #expect(late.status == 422 && late.errorFields == ["unitCode"])

            // Q2 rolls up through the district; the district's communes are its own rows.
            let q2 = try await report(Self.province, "2025-04-01", "2025-06-30", children: true)
            #expect(Self.rows(q2) == ["\(Self.district) 6"] && Self.addsUp(q2))
            let district = try await report(Self.district, "2025-01-01", "2025-12-31", children: true)
            #expect(
                Self.rows(district) == [
                    "\(Self.binhPhuoc) 2", "\(Self.binhKhuong) 2", "\(Self.binhAn) 1", "\(Self.oldBinhMinh) 1",
                ])
            #expect(Self.addsUp(district))
            // Q3 has no district row.
            let q3 = try await report(Self.province, "2025-07-01", "2025-09-30", children: true)
            #expect(Self.rows(q3) == ["\(Self.binhPhuoc) 1", "\(Self.newCommune) 3"] && Self.addsUp(q3))
            // 2025 adds up across the change; a row is only what its unit brought while it was a child.
            let year = try await report(Self.province, "2025-01-01", "2025-12-31", children: true)
            #expect(
                Self.rows(year) == ["\(Self.district) 6", "\(Self.binhPhuoc) 1", "\(Self.newCommune) 4"]
                    && Self.addsUp(year))
            #expect(
                ReportTests.counts(try await report(Self.province, "2025-01-01", "2025-12-31"))
                    == ReportTests.counts(year))
            #expect(Self.received(try await report(Self.binhPhuoc, "2025-01-01", "2025-12-31")) == 3)
            // The successor's report has its predecessors as rows of their own.
            let successor = try await report(Self.newCommune, "2025-01-01", "2025-12-31", children: true)
            #expect(
                Self.rows(successor) == [
                    "\(Self.newCommune) 4", "\(Self.binhKhuong) 2", "\(Self.binhAn) 1", "\(Self.oldBinhMinh) 1",
                ])
            #expect(
                (successor["children"] as! [[String: Any]]).map { $0["scope"] as! String } == [
                    "own", "predecessor", "predecessor", "predecessor",
                ])
            #expect(Self.addsUp(successor) && Self.received(successor) == 8)
            #expect(Self.received(try await report(Self.newCommune, "2025-07-01", "2025-09-30")) == 3)
            // The same document over HTTP.
            let answer = try await HTTP.send(
                "GET", intake.base + "/v1/reports?unit=\(Self.province)&from=2025-01-01&to=2025-12-31&children=true",
                token: "all-token")
            #expect(answer.status == 200)
            #expect(try JSONSerialization.jsonObject(with: answer.body) as? NSDictionary == year as NSDictionary)
        }
    }
}
