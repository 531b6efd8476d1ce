import Foundation
import Shared
import Testing

@testable import Workers

/// The recorder's bulk path for `dossier.received`, decided without I/O.
@Suite struct ReceivedBatchTests {
    static func received(_ code: String, id: String) -> Delivery {
        let dossier = DossierReceived(code: code, procedureCode: "1.004222", unitCode: "000.00.19.H56", channel: .online,
                                      onlineLevel: .full, applicant: Applicant(personalId: "051095001234", fullName: "A"),
                                      components: [], receivedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                      dueAt: Date(timeIntervalSince1970: 1_800_300_000), idempotencyKey: nil,
                                      linkedGroup: nil)
        let event = CloudEvent(id: id, source: EventSource.intake, routingKey: RoutingKey.dossierReceived,
                               subject: code, data: dossier)
        return .unconnected(routingKey: RoutingKey.dossierReceived, body: try! JSONCoding.encode(event))
    }

    static func decode(_ data: Data) throws -> CloudEvent<DossierReceived> {
        try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: data)
    }

    @Test func duplicatesInsideTheBatchPoisonAndActionsAreSortedOut() {
        let batch = [
            Self.received("000.00.19.H56-261120-0001", id: "a"),
            .unconnected(routingKey: "dossier.action.transfer", body: Data("{}".utf8)),
            Self.received("000.00.19.H56-261120-0001", id: "a"),  // the same message twice
            .unconnected(routingKey: RoutingKey.dossierReceived, body: Data("not json".utf8)),
            Self.received("000.00.19.H56-261120-0002", id: "b"),
        ]
        let plan = ReceivedBatch(batch, decode: Self.decode)
        #expect(plan.entries.map(\.index) == [0, 4])
        let outcomes = plan.dispositions(claimed: ["\(EventSource.intake) a"])  // b was in the inbox already
        #expect(Set(outcomes.keys) == [0, 2, 3, 4])  // the action is left to the per-message path
        #expect(outcomes[0] == .applied)
        #expect(outcomes[2] == .duplicate)
        #expect(outcomes[4] == .duplicate)
        guard case .poison(let reason)? = outcomes[3] else {
            Issue.record("an unreadable message was not poison")
            return
        }
        #expect(reason.contains("not a CloudEvent"))
        #expect(outcomes[1] == nil)
    }
}
