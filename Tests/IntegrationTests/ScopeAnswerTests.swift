import Domain
import Foundation
import TestSupport
import Testing

/// Scope before existence (issue 18, defect 6): to a unit token, a unit it does not know and a real unit
/// outside its subtree get the same answer everywhere, so nothing can be learnt about units it may not
/// see. Only a `*` token is told that a unit does not exist.
@Suite(.serialized) struct ScopeAnswerTests {
    /// A well-formed unit code that no catalog holds, and a real unit outside Bình Phước's subtree (its district).
    static let unknownUnit = "999.99.99.H99"
    static let outsideUnit = "000.00.15.H56"
    static let period = "from=2026-01-01&to=2026-01-31"

    @Test func aUnitTokenGetsTheSameAnswerForAnUnknownUnitAndOneOutsideItsScope() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let url = { (unit: String) in intake.base + "/v1/reports?unit=\(unit)&\(Self.period)" }

            let unknown = try await HTTP.send("GET", url(Self.unknownUnit), token: "binhphuoc-token")
            let outside = try await HTTP.send("GET", url(Self.outsideUnit), token: "binhphuoc-token")
            #expect(unknown.status == 403 && outside.status == 403)
            #expect(Self.withoutUnit(unknown) == Self.withoutUnit(outside))
            #expect(try await HTTP.send("GET", url(Self.unknownUnit), token: "all-token").status == 404)

            let submit = { (unit: String, token: String) in
                try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers", token: token,
                    body: HTTP.json(dossierBody(["unitCode": unit])))
            }
            let unknownSubmit = try await submit(Self.unknownUnit, "binhphuoc-token")
            let outsideSubmit = try await submit(Self.outsideUnit, "binhphuoc-token")
            #expect(unknownSubmit.status == 403 && outsideSubmit.status == 403)
            #expect(Self.withoutUnit(unknownSubmit) == Self.withoutUnit(outsideSubmit))
            let unknownToAll = try await submit(Self.unknownUnit, "all-token")
            #expect(unknownToAll.status == 422 && unknownToAll.errorFields == ["unitCode"])

            // A code under an unknown unit and one under another unit: 403 on every route that takes a code.
            for unit in [Self.unknownUnit, Self.outsideUnit] {
                let code = "\(unit)-260129-0001"
                let answers = [
                    try await HTTP.send("GET", intake.base + "/v1/dossiers/\(code)", token: "binhphuoc-token"),
                    try await HTTP.send(
                        "POST", intake.base + "/v1/dossiers/\(code)/actions", token: "binhphuoc-token",
                        body: HTTP.json(["type": "withdraw"])),
                    try await HTTP.send(
                        "POST", intake.base + "/v1/dossiers/\(code)/digitizations", token: "binhphuoc-token",
                        body: HTTP.json([
                            "target": "result", "sha256": String(repeating: "ab", count: 32),
                            "bytes": 1, "mediaType": "application/pdf", "signed": true,
                        ])),
                    try await HTTP.send(
                        "POST", intake.base + "/v1/payments", token: "binhphuoc-token",
                        body: HTTP.json([
                            "transactionId": "scope-\(UUID().uuidString)", "dossierCode": code,
                            "amountVnd": 0, "status": "succeeded", "gateway": "national",
                            "paidAt": "2026-01-29T10:05:00+07:00",
                        ])),
                ]
                #expect(answers.map(\.status) == [403, 403, 403, 403], "\(unit)")
            }
        }
    }

    @Test func theConsoleAnswersAnUnknownUnitAsOneOutsideTheScope() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let page = { (path: String) in try await Self.console(intake.base + path, token: "binhphuoc-token") }
            let unknown = try await page("/console/reports?unit=\(Self.unknownUnit)&\(Self.period)")
            let outside = try await page("/console/reports?unit=\(Self.outsideUnit)&\(Self.period)")
            #expect(unknown.status == outside.status)
            #expect(Self.withoutUnit(unknown) == Self.withoutUnit(outside))
            let unknownCSV = try await page("/console/reports.csv?unit=\(Self.unknownUnit)&\(Self.period)")
            let outsideCSV = try await page("/console/reports.csv?unit=\(Self.outsideUnit)&\(Self.period)")
            #expect(unknownCSV.status == 400 && outsideCSV.status == 400)
            let unknownDossier = try await page("/console/dossiers/\(Self.unknownUnit)-260129-0001")
            let outsideDossier = try await page("/console/dossiers/\(Self.outsideUnit)-260129-0001")
            #expect(unknownDossier.status == 403 && outsideDossier.status == 403)
            // The deadlines page's unit filter: an unknown unit and another unit both fall back to the subtree.
            let unknownFilter = try await page("/console/deadlines?unit=\(Self.unknownUnit)")
            let outsideFilter = try await page("/console/deadlines?unit=\(Self.outsideUnit)")
            let rows = { (answer: HTTP.Answer) in
                String(decoding: answer.body, as: UTF8.self).components(separatedBy: "<tr").count
            }
            #expect(unknownFilter.status == 200 && outsideFilter.status == 200)
            #expect(rows(unknownFilter) == rows(outsideFilter))
        }
    }

    /// Citizen lookup: a wrong pair and an unknown code are the same bytes.
    @Test func aWrongPairAndAnUnknownCodeLookTheSame() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let code = try await intake.submit(
                plainDossier(receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-3600))))
            let lookup = { (code: String, last4: String) in
                try await HTTP.send("GET", intake.base + "/v1/lookup/\(code)?personalIdLast4=\(last4)")
            }
            #expect(try await lookup(code, "1234").status == 200)
            let wrongPair = try await lookup(code, "9999")
            let unknown = try await lookup(String(code.dropLast(4)) + "9999", "1234")
            let unknownUnit = try await lookup("\(Self.unknownUnit)-260129-0001", "1234")
            #expect(wrongPair.status == 404)
            #expect(wrongPair.body == unknown.body && wrongPair.body == unknownUnit.body)
            #expect(wrongPair.headers["content-type"] == unknown.headers["content-type"])
            // Recorded, so that no message is left in the queue for the tests after this one.
            _ = try stack.worker(["--role", "recorder"])
            try await eventually("the dossier is recorded") {
                try await TestEnvironment.database().count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
        }
    }

    /// The answer with both unit codes blanked, so that two answers can be compared whole.
    static func withoutUnit(_ answer: HTTP.Answer) -> String {
        String(decoding: answer.body, as: UTF8.self).replacingOccurrences(of: unknownUnit, with: "UNIT")
            .replacingOccurrences(of: outsideUnit, with: "UNIT")
    }

    /// A console page as the signed-in browser GETs it (the session is the token's cookie).
    static func console(_ url: String, token: String) async throws -> HTTP.Answer {
        try await HTTP.send(
            "GET", url,
            headers: [
                "Cookie": "motcua_console=\(token); motcua_csrf=\(String(repeating: "d", count: 64))"
            ])
    }
}
