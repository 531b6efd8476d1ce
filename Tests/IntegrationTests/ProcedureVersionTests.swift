import Foundation
import TestSupport
import Testing

/// DOMAIN.md §11: a decree that changes a procedure's time limit or fee from a date changes it for dossiers
/// received from that date; earlier dossiers keep theirs. Loaded as a second version with `effectiveFrom`.
@Suite(.serialized) struct ProcedureVersionTests {
    @Test func aDossierTakesTheVersionInForceOnItsReceiptDay() async throws {
        let code = "9.\(Int.random(in: 100_000..<1_000_000))"
        func version(_ days: Int, fee: Int, from: String?) -> [String: Any] {
            var procedure: [String: Any] = [
                "code": code, "name": "Thủ tục thử nghiệm", "field": "Thử nghiệm", "processing": ["workingDays": days],
                "feeVnd": fee, "onlineLevel": NSNull(), "paperResult": false,
            ]
            if let from { procedure["effectiveFrom"] = from }
            return procedure
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("versions-\(UUID().uuidString).json")
        try HTTP.json([
            "procedures": [version(5, fee: 10_000, from: nil), version(2, fee: 0, from: "2026-11-02")]
        ]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let load = try await motcua(["catalog", "load", file.path])
        #expect(load.status == 0, "\(load.error)")
        try await withStack { stack in
            let intake = try await stack.intake()
            func dueAt(receivedAt: String) async throws -> String? {
                let answer = try await HTTP.send(
                    "POST", intake.base + "/v1/dossiers", token: "all-token",
                    body: HTTP.json(
                        dossierBody([
                            "procedureCode": code, "channel": "direct", "onlineLevel": NSNull(),
                            "linkedGroup": NSNull(),
                            "receivedAt": receivedAt, "idempotencyKey": UUID().uuidString,
                            "components": [["name": "Đơn", "digitized": false]],
                        ])))
                #expect(answer.status == 202)
                return answer.json["dueAt"] as? String
            }
            // Friday 30/10, before the decree: 5 working days, due Friday 6/11 at closing.
            #expect(try await dueAt(receivedAt: "2026-10-30T09:00:00+07:00") == "2026-11-06T17:00:00+07:00")
            // Monday 2/11, the decree's first day: 2 working days, due Wednesday 4/11.
            #expect(try await dueAt(receivedAt: "2026-11-02T09:00:00+07:00") == "2026-11-04T17:00:00+07:00")
        }
        // The same code and effectiveFrom twice in one file is refused whole, with the reason.
        try HTTP.json(["procedures": [version(5, fee: 0, from: "2026-11-02"), version(3, fee: 0, from: "2026-11-02")]])
            .write(to: file)
        let twice = try await motcua(["catalog", "load", file.path])
        #expect(twice.status != 0 && twice.error.contains("procedures[1].code"))
    }
}
