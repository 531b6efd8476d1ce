import Domain
import Foundation
import Store
import TestSupport
import Testing

/// One shape for one dossier (issue 18, defect 7): a dossier intake accepted reads the same before the
/// workers record it as after, its receipt the first history entry.
@Suite(.serialized) struct AcceptedViewTests {
    let database = TestEnvironment.database()

    @Test func aDossierReadsTheSameBeforeAndAfterTheWorkersRecordIt() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let receivedAt = VietnamTime.rfc3339(Date().addingTimeInterval(-3600))
            let plain = try await intake.submit(plainDossier(receivedAt: receivedAt))
            let linked = try await intake.submit(
                dossierBody([
                    "receivedAt": receivedAt,
                    "idempotencyKey": UUID().uuidString,
                ]))
            let read = { (code: String) in
                try await HTTP.send("GET", intake.base + "/v1/dossiers/\(code)", token: "binhphuoc-token")
            }
            let plainBefore = try await read(plain)
            let linkedBefore = try await read(linked)
            #expect(plainBefore.status == 200 && linkedBefore.status == 200)
            let receipt = try #require((plainBefore.json["history"] as? [[String: Any]])?.first)
            #expect(receipt["type"] as? String == "received" && receipt["at"] as? String == receivedAt)
            #expect(receipt["by"] as? String == "direct" && receipt["reason"] is NSNull)

            _ = try stack.worker(["--role", "recorder"])
            try await eventually("the recorder records both") {
                try await database.count(
                    "SELECT count(*) FROM dossiers WHERE code = ANY($1::text[])",
                    [PostgresArray.literal([plain, linked])]) == 2
            }
            let plainAfter = try await read(plain)
            let linkedAfter = try await read(linked)
            // The whole document, every value, the receipt's recordedAt too.
            #expect(
                plainBefore.json as NSDictionary == plainAfter.json as NSDictionary,
                "before: \(String(decoding: plainBefore.body, as: UTF8.self))\nafter: \(String(decoding: plainAfter.body, as: UTF8.self))"
            )
            // A linked group moves on once recorded (its steps get times); its members stay the same.
            #expect(Self.members(linkedBefore.json) == Self.members(linkedAfter.json))
            #expect(linkedBefore.json["history"] as? NSArray == linkedAfter.json["history"] as? NSArray)
        }
    }

    /// Every member's path in `value`, arrays as `[]`: the shape, without the values.
    static func members(_ value: Any, at path: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set<String>()) { paths, member in
                paths.insert(path + "." + member.key)
                paths.formUnion(members(member.value, at: path + "." + member.key))
            }
        }
        if let array = value as? [Any] {
            return array.reduce(into: Set<String>()) { $0.formUnion(members($1, at: path + "[]")) }
        }
        return []
    }
}
