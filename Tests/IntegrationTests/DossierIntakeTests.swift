import Foundation
import TestSupport
import Testing

/// Intake → RabbitMQ → recorder → PostgreSQL, on the real servers `ops/test` started.
@Suite(.serialized) struct DossierIntakeTests {
    let database = TestEnvironment.database()

    @Test func aValidSubmissionIsRecordedAndReadsBack() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder"])

            let answer = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(dossierBody(["receivedAt": "2026-01-29T10:00:00+07:00"])))
            #expect(answer.status == 202)
            let code = try #require(answer.json["code"] as? String)
            #expect(code.hasPrefix("000.00.19.H56-260129-"))
            #expect(answer.json["dueAt"] as? String == "2026-02-03T17:00:00+07:00")
            #expect(answer.headers["location"] == "/v1/dossiers/\(code)")

            try await eventually("the dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            let read = try await HTTP.send("GET", intake.base + "/v1/dossiers/\(code)", token: "binhphuoc-token")
            #expect(read.status == 200)
            #expect(read.json["status"] as? String == "received")
            #expect(read.json["originalDueAt"] as? String == "2026-02-03T17:00:00+07:00")
            let history = try #require(read.json["history"] as? [[String: Any]])
            #expect(history.map { $0["type"] as? String } == ["received"])
            let group = try #require(read.json["linkedGroup"] as? [String: Any])
            #expect((group["steps"] as? [[String: Any]])?.count == 3)
            // Another commune's token may not read it.
            let other = try await HTTP.send("GET", intake.base + "/v1/dossiers/\(code)", token: "dongson-token")
            #expect(other.status == 403)
        }
    }

    @Test func badInputGetsItsStatusAndFieldsAndLeavesNothingBehind() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let url = intake.base + "/v1/dossiers"
            let before = try await database.count("SELECT count(*) FROM issued_dossiers")

            #expect(try await HTTP.send("POST", url, body: HTTP.json(dossierBody())).status == 401)
            #expect(try await HTTP.send("POST", url, token: "nobody", body: HTTP.json(dossierBody())).status == 401)
            let outside = try await HTTP.send(
                "POST", url, token: "binhphuoc-token",
                body: HTTP.json(dossierBody(["unitCode": "000.21.07.H06"])))
            #expect(outside.status == 403)
            #expect(outside.headers["content-type"] == "application/problem+json")
            #expect(
                try await HTTP.send("POST", url, token: "all-token", body: Data("{\"procedureCode\":".utf8)).status
                    == 400)
            let huge = try await HTTP.send(
                "POST", url, token: "all-token",
                body: HTTP.json(dossierBody(["padding": String(repeating: "x", count: 1 << 20)])))
            #expect(huge.status == 413)

            let invalid = try await HTTP.send(
                "POST", url, token: "all-token",
                body: HTTP.json(
                    dossierBody([
                        "channel": "fax", "receivedAt": "2031-01-01T00:00:00+07:00",
                        "applicant": ["personalId": "003095001234", "fullName": ""],
                    ])))
            #expect(invalid.status == 422)
            #expect(
                Set(invalid.errorFields) == ["channel", "receivedAt", "applicant.personalId", "applicant.fullName"])
            #expect(invalid.json["type"] != nil && invalid.json["title"] != nil && invalid.json["detail"] != nil)

            #expect(try await database.count("SELECT count(*) FROM issued_dossiers") == before)
        }
    }

    @Test func anIdempotencyKeyAnswersTheSameCodeOrAConflict() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let key = "test-\(UUID().uuidString)"
            let body = dossierBody(["idempotencyKey": key])
            let first = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token", body: HTTP.json(body))
            let again = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token", body: HTTP.json(body))
            #expect(first.status == 202 && again.status == 200)
            #expect(first.json["code"] as? String == again.json["code"] as? String)
            #expect(first.json["dueAt"] as? String == again.json["dueAt"] as? String)
            let changed = dossierBody(["idempotencyKey": key, "channel": "direct", "onlineLevel": NSNull()])
            let conflict = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(changed))
            #expect(conflict.status == 409)
            #expect(
                try await database.count("SELECT count(*) FROM issued_dossiers WHERE idempotency_key = $1", [key]) == 1)
        }
    }

    @Test func theSameKeySentConcurrentlyGetsOneCode() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            let body = HTTP.json(dossierBody(["idempotencyKey": "concurrent-\(UUID().uuidString)"]))
            let answers = try await withThrowingTaskGroup(of: HTTP.Answer.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await HTTP.send("POST", intake.base + "/v1/dossiers", token: "all-token", body: body)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.status == 202 }.count == 1)
            #expect(answers.filter { $0.status == 200 }.count == 9)
            #expect(Set(answers.compactMap { $0.json["code"] as? String }).count == 1)
        }
    }

    @Test func unknownCodesAreNotFound() async throws {
        try await withStack { stack in
            let intake = try await stack.intake()
            #expect(
                try await HTTP.send(
                    "GET", intake.base + "/v1/dossiers/000.00.19.H56-200101-9999",
                    token: "all-token"
                ).status == 404)
            #expect(try await HTTP.send("GET", intake.base + "/v1/dossiers/nonsense", token: "all-token").status == 404)
        }
    }
}
