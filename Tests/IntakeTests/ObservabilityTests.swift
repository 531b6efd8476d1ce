import Foundation
import HummingbirdTesting
import Prometheus
import Shared
import Testing
import TestSupport

@testable import Intake

/// What operators see of a request: its duration by route template in `/metrics`, with no personal data.
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
}

private func recently() -> String { VietnamTime.rfc3339(Date().addingTimeInterval(-600)) }
