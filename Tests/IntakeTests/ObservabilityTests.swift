import Domain
import Foundation
import HummingbirdTesting
import Prometheus
import TestSupport
import Testing

@testable import Intake

/// What operators see of a request: its duration by route template in `/metrics`, and its id in the
/// answer and in intake's log lines, with no personal data in either.
@Suite(.serialized) struct ObservabilityTests {
    let edge = Edge()

    @Test func metricsShowRequestDurationsByRouteTemplateNeverByPath() async throws {
        try await edge.run { client in
            let accepted = try await client.send(.post, "/v1/dossiers", json: plainDossier(receivedAt: recently()))
            let code = try #require(accepted.json["code"] as? String)
            #expect(try await client.send(.get, "/v1/dossiers/\(code)").status == 200)
            #expect(try await client.send(.get, "/v1/dossiers/\(code)", token: nil).status == 401)
            #expect(try await client.send(.get, "/v1/nowhere/\(code)").status == 404)

            let text = String(decoding: try await client.send(.get, "/metrics", token: nil).body, as: UTF8.self)
            let name = RequestHistograms.name
            #expect(text.contains("# TYPE \(name) histogram"))
            #expect(text.contains(#"\#(name)_count{route="/v1/dossiers",method="POST",status="202"} 1"#))
            #expect(text.contains(#"\#(name)_count{route="/v1/dossiers/{code}",method="GET",status="200"} 1"#))
            // A refusal thrown by a middleware, and a path no route has, are measured too.
            #expect(text.contains(#"\#(name)_count{route="/v1/dossiers/{code}",method="GET",status="401"} 1"#))
            #expect(text.contains(#"\#(name)_count{route="NotFound",method="GET",status="404"} 1"#))
            // From 1 ms to 10 s.
            #expect(text.contains(#"\#(name)_bucket{route="/v1/dossiers",method="POST",status="202",le="0.001"}"#))
            #expect(text.contains(#"\#(name)_bucket{route="/v1/dossiers",method="POST",status="202",le="10.0"} 1"#))
            #expect(!text.contains(code))
            #expect(!text.contains("051095001234"))
        }
    }

    @Test func anUnusualMethodIsNotALabelOfItsOwn() async throws {
        try await edge.run { client in
            #expect(try await client.send(.init("BREW")!, "/v1/dossiers").status == 404)
            let text = String(decoding: try await client.send(.get, "/metrics", token: nil).body, as: UTF8.self)
            #expect(text.contains(#"\#(RequestHistograms.name)_count{route="NotFound",method="other",status="404"} 1"#))
            #expect(!text.contains("BREW"))
        }
    }

    @Test func logLinesCarryTheRequestIdTheAnswerNamesAndNoPersonalData() async throws {
        let recorder = LogRecorder()
        try await edge.run(logger: recorder.logger()) { client in
            let body = plainDossier(receivedAt: recently())
            let accepted = try await client.send(.post, "/v1/dossiers", json: body)
            #expect(accepted.status == 202)
            let id = try #require(accepted.headers[.requestID])
            let code = try #require(accepted.json["code"] as? String)
            let line = try #require(recorder.lines.first { $0.message == "dossier accepted" })
            #expect(line.metadata["hb.request.id"] == id)
            #expect(line.metadata["code"] == code)

            let action = try await client.send(
                .post, "/v1/dossiers/\(code)/actions",
                json: ["type": "transfer", "toUnit": "000.30.01.H56"])
            #expect(action.status == 202)
            let actionLine = try #require(recorder.lines.first { $0.message == "action accepted" })
            #expect(actionLine.metadata["hb.request.id"] == action.headers[.requestID])
            #expect(action.headers[.requestID] != id)

            // A refusal's answer names its request too.
            let refused = try await client.send(.post, "/v1/dossiers", json: dossierBody(["unitCode": "nowhere"]))
            #expect(refused.status == 422)
            #expect(refused.headers[.requestID] != nil)

            let everything = recorder.lines.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
            #expect(!everything.contains("051095001234"))
            #expect(!everything.contains("Nguyễn Văn A"))
        }
    }

    @Test func anUnconfirmedPublishIsLoggedWithItsRequestAndCode() async throws {
        let recorder = LogRecorder()
        try await edge.run(logger: recorder.logger()) { client in
            edge.publisher.fail(with: .unknownOutcome)
            let answer = try await client.send(.post, "/v1/dossiers", json: plainDossier(receivedAt: recently()))
            #expect(answer.status == 503)
            let id = try #require(answer.headers[.requestID])
            let warning = try #require(recorder.lines.first { $0.level == .warning })
            #expect(warning.metadata["hb.request.id"] == id)
            #expect(warning.metadata["code"]?.hasPrefix("000.00.19.H56-") == true)
            let error = try #require(recorder.lines.first { $0.message == "broker outcome unknown" })
            #expect(error.metadata["hb.request.id"] == id)
        }
    }
}

private func recently() -> String { VietnamTime.rfc3339(Date().addingTimeInterval(-600)) }
