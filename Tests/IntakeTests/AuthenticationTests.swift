import HummingbirdTesting
import TestSupport
import Testing

@testable import Intake

/// `Authorization: Bearer <token>`, read by hand (`Authorizer.authenticate`).
@Suite(.serialized) struct AuthenticationTests {
    let edge = Edge()

    @Test func spacesAroundTheTokenAreNotPartOfIt() async throws {
        try await edge.run { client in
            for header in ["Bearer all-token", "Bearer   all-token", "Bearer all-token  ", "Bearer \tall-token\t"] {
                let answer = try await client.send(
                    .get, "/v1/dossiers/000.00.19.H56-260129-9999", token: nil,
                    headers: [.authorization: header])
                #expect(answer.status == 404, "\(header)")
            }
            for header in ["Bearer all-tok", "Bearer all-token x", "Basic all-token", "bearer all-token", "Bearer "] {
                let answer = try await client.send(
                    .get, "/v1/dossiers/000.00.19.H56-260129-9999", token: nil,
                    headers: [.authorization: header])
                #expect(answer.status == 401, "\(header)")
            }
        }
    }
}
