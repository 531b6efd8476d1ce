import Foundation
import Shared
import Testing
import TestSupport

/// Catalog changes reach every running intake within 2 s of `motcua catalog load` (issue 18): the load
/// NOTIFYs, each intake LISTENs and reloads; a slow poll stays behind it for a lost connection.
@Suite(.serialized) struct CatalogReloadTests {
    @Test func aLoadedUnitAndProcedureAreAcceptedByEveryRunningIntakeWithinTwoSeconds() async throws {
        try await withStack { stack in
            let intakes = [try await stack.intake(), try await stack.intake()]
            // New codes every run, so that no intake can have read them at its start.
            let unit = String(format: "000.%02d.%02d.Z%02d", Int.random(in: 0..<100), Int.random(in: 0..<100),
                              Int.random(in: 0..<100))
            let procedure = "9.\(Int.random(in: 100_000..<1_000_000))"
            let body = { (key: String) in
                dossierBody(["unitCode": unit, "procedureCode": procedure, "channel": "direct", "onlineLevel": NSNull(),
                             "linkedGroup": NSNull(), "idempotencyKey": key,
                             "components": [["name": "Đơn", "digitized": false]]])
            }
            for intake in intakes {
                let before = try await HTTP.send("POST", intake.base + "/v1/dossiers", token: "all-token",
                                                 body: HTTP.json(body(UUID().uuidString)))
                #expect(before.status == 422, "the unit and procedure are not in the catalog yet")
            }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).json")
            try HTTP.json([
                "units": [["code": unit, "name": "UBND xã Thử Nghiệm", "level": "commune", "parent": "000.00.15.H56"]],
                "procedures": [["code": procedure, "name": "Thủ tục thử nghiệm", "field": "Thử nghiệm",
                                "processing": ["workingDays": 2], "feeVnd": 0, "paperResult": false,
                                "linkedGroup": NSNull()]],
            ]).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let load = try await motcua(["catalog", "load", file.path])
            #expect(load.status == 0, "\(load.error)")
            let loaded = Date()
            for (index, intake) in intakes.enumerated() {
                let key = UUID().uuidString
                try await eventually(within: max(0, 2 - Date().timeIntervalSince(loaded)),
                                     "intake \(index + 1) accepts a dossier for the new unit and procedure") {
                    try await HTTP.send("POST", intake.base + "/v1/dossiers", token: "all-token",
                                        body: HTTP.json(body(key))).status == 202
                }
            }
        }
    }
}
