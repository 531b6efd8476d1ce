import Foundation
import PostgresDriver
import TestSupport
import Testing

/// DOMAIN.md §11, receiving regardless of boundary: under Decree 118/2025 a one-stop unit receives a dossier
/// another unit of the same province handles; both are recorded, and the handling unit's staff act on it.
@Suite(.serialized) struct ReceptionTests {
    let database = TestEnvironment.database()
    static let binhPhuoc = "000.00.19.H56", binhMinh = "000.30.01.H56"

    static func body(handlingUnit: String, receivedAt: String? = nil) -> [String: Any] {
        var changes: [String: Any] = [
            "procedureCode": "1.002093", "channel": "direct", "onlineLevel": NSNull(), "linkedGroup": NSNull(),
            "idempotencyKey": UUID().uuidString, "handlingUnit": handlingUnit,
            "components": [["name": "Tờ khai", "digitized": false]],
        ]
        if let receivedAt { changes["receivedAt"] = receivedAt }
        return dossierBody(changes)
    }

    @Test func aUnitReceivesForAnotherUnitOfItsProvinceAndBothAreRecorded() async throws {
        try await withStack { stack in
            let tokens =
                "all-token=*,binhphuoc-token=\(Self.binhPhuoc),binhminh-token=\(Self.binhMinh),dongson-token=000.21.07.H06"
            let intake = try await stack.intake(extra: ["MOTCUA_API_TOKENS": tokens])
            _ = try stack.worker()
            let code = try await intake.submit(Self.body(handlingUnit: Self.binhMinh), token: "binhphuoc-token")
            #expect(code.hasPrefix(Self.binhPhuoc), "the code names the receiving unit")
            try await eventually("the dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            let view = try await intake.read(code)
            #expect(view["receivingUnit"] as? String == Self.binhPhuoc)
            #expect(view["handlingUnit"] as? String == Self.binhMinh)
            // Both units' staff see it; the handling unit's acts on it.
            for token in ["binhphuoc-token", "binhminh-token"] {
                let answer = try await HTTP.send("GET", intake.base + "/v1/dossiers/\(code)", token: token)
                #expect(answer.status == 200, "\(token)")
            }
            let act = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers/\(code)/actions", token: "binhminh-token",
                body: HTTP.json(["type": "resolve"]))
            #expect(act.status == 202, "\(String(decoding: act.body, as: UTF8.self))")
            try await eventually("the handling unit's resolution is recorded") {
                try await intake.read(code)["status"] as? String == "resolved"
            }
            #expect(try await intake.read(code)["handlingUnit"] as? String == Self.binhMinh, "it stays recorded")
            // A unit of another province has nothing to do with it.
            let stranger = try await HTTP.send("GET", intake.base + "/v1/dossiers/\(code)", token: "dongson-token")
            #expect(stranger.status == 403)

            // Refused: a unit of another province; and before 1/7/2025, under Decree 61/2018.
            let elsewhere = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(Self.body(handlingUnit: "000.21.07.H06")))
            #expect(elsewhere.status == 422 && elsewhere.errorFields == ["handlingUnit"])
            let before = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(Self.body(handlingUnit: "000.00.00.H56", receivedAt: "2024-05-06T09:00:00+07:00")))
            #expect(before.status == 422 && before.errorFields == ["handlingUnit"])
            #expect(String(decoding: before.body, as: UTF8.self).contains("61/2018"))
        }
    }

    /// CONTRACT.md's shape of the same fact: `unitCode` the handling unit, `receivingUnitCode` the unit that
    /// received it, whose token must cover it and whose code the dossier's begins with.
    @Test func theContractsReceivingUnitCodeNamesTheReceivingUnitAndUnitCodeTheHandlingOne() async throws {
        try await withStack { stack in
            let tokens = "all-token=*,binhphuoc-token=\(Self.binhPhuoc),binhminh-token=\(Self.binhMinh)"
            let intake = try await stack.intake(extra: ["MOTCUA_API_TOKENS": tokens])
            _ = try stack.worker()
            var body = Self.body(handlingUnit: Self.binhMinh)
            body["handlingUnit"] = nil
            body["unitCode"] = Self.binhMinh
            body["receivingUnitCode"] = Self.binhPhuoc
            let answer = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "binhphuoc-token", body: HTTP.json(body))
            #expect(answer.status == 202, "\(String(decoding: answer.body, as: UTF8.self))")
            let accepted = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
            let code = try #require(accepted["code"] as? String)
            #expect(code.hasPrefix(Self.binhPhuoc), "the code names the receiving unit")
            #expect(accepted["unitCode"] as? String == Self.binhMinh, "as the request named it")
            #expect(accepted["receivingUnitCode"] as? String == Self.binhPhuoc)
            try await eventually("the dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            let view = try await intake.read(code)
            #expect(view["receivingUnit"] as? String == Self.binhPhuoc)
            #expect(view["receivingUnitCode"] as? String == Self.binhPhuoc, "the read model shows it")
            #expect(view["handlingUnit"] as? String == Self.binhMinh)

            // The token must cover the receiving unit: the handling unit's alone is not enough.
            body["idempotencyKey"] = UUID().uuidString
            let handlersToken = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "binhminh-token", body: HTTP.json(body))
            #expect(handlersToken.status == 403)
            // Refused, naming the field: a receiving unit of another province; both ways of saying it at once.
            body["receivingUnitCode"] = "000.21.07.H06"
            let elsewhere = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token", body: HTTP.json(body))
            #expect(elsewhere.status == 422 && elsewhere.errorFields == ["receivingUnitCode"])
            body["receivingUnitCode"] = Self.binhPhuoc
            body["handlingUnit"] = Self.binhMinh
            let both = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token", body: HTTP.json(body))
            #expect(both.status == 422 && both.errorFields.contains("receivingUnitCode"))
        }
    }
}
