import Domain
import Foundation
import HummingbirdTesting
import Store
import TestSupport
import Testing

@testable import Intake

/// The `dossier.received` event intake publishes is put together from the request's canonical JSON
/// (`ReceivedEventDraft`): it must be the very document that encoding the event whole would give.
@Suite(.serialized) struct ReceivedEventTests {
    let edge = Edge()

    @Test(arguments: [true, false])
    func thePublishedEventIsTheEventEncodedWhole(receivedAtGiven: Bool) async throws {
        try await edge.run { client in
            var body = dossierBody(["idempotencyKey": "key \"\\ \(UUID().uuidString)"])
            if receivedAtGiven { body["receivedAt"] = VietnamTime.rfc3339(Date().addingTimeInterval(-600)) }
            let answer = try await client.send(.post, "/v1/dossiers", json: body)
            #expect(answer.status == 202)
            let code = try #require(answer.json["code"] as? String)
            let message = try #require(edge.publisher.messages.last)
            let text = String(decoding: message.body, as: UTF8.self)

            let event = try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: text)
            #expect(event.id == message.messageId)
            #expect(event.subject == code)
            #expect(event.type == "vn.motcua.dossier.received")
            #expect(event.source == EventSource.intake)
            #expect(event.data.code == code)
            #expect(event.data.idempotencyKey == body["idempotencyKey"] as? String)
            #expect(event.data.applicant.fullName == "Nguyễn Văn A")
            #expect(event.data.components.first?.sha256 == String(repeating: "ab", count: 32))
            #expect(event.data.linkedGroup?.steps == ["permanent_residence", "health_insurance_card"])
            #expect(VietnamTime.rfc3339(event.data.receivedAt) == answer.json["receivedAt"] as? String)
            #expect(VietnamTime.rfc3339(event.data.dueAt) == answer.json["dueAt"] as? String)

            // Field for field the document `CloudEvent` itself encodes, each key once.
            let whole = try JSONCoding.encode(event)
            #expect(try json(message.body) == json(whole))
            for key in ["\"receivedAt\":", "\"code\":", "\"subject\":", "\"idempotencyKey\":"] {
                #expect(text.components(separatedBy: key).count == 2, "\(key) once")
            }
            // What intake keeps for a retry is the same event.
            let stored = try #require(try await IssuedDossiers(database: edge.database).find(code: code))
            #expect(try json(Data(stored.event.utf8)) == json(message.body))
        }
    }
}

private func json(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }
