import Domain
import Foundation
import Testing

@Suite struct DossierViewTests {
    @Test func absentFieldsAreWrittenAsNullSoTheShapeIsFixed() throws {
        let now = Timestamp.parse("2026-11-20T09:00:00+07:00")!
        let dossier = DossierReceived(
            code: "000.00.19.H56-261120-0001", procedureCode: "1.004222",
            unitCode: "000.00.19.H56", channel: .direct, onlineLevel: nil,
            applicant: Applicant(personalId: "051095001234", fullName: "A"), components: [],
            receivedAt: now, dueAt: now, idempotencyKey: nil, linkedGroup: nil)
        let catalog = CatalogSnapshot(try Catalog.parse(DefaultCatalog.data()))
        let view = DossierView.accepted(dossier, issuedAt: now.addingTimeInterval(1), catalog: catalog)
        let json = try JSONSerialization.jsonObject(with: JSONCoding.encode(view)) as! [String: Any]
        for key in ["closedAt", "timing", "apology", "result", "linkedGroup", "onlineLevel"] {
            #expect(json[key] is NSNull, "\(key)")
        }
        #expect(json["receivedAt"] as? String == "2026-11-20T09:00:00+07:00")
        #expect(json["paidNetVnd"] as? Int == 0)
        #expect(json["applicant"] == nil, "the read model carries no personal data beyond what the contract lists")
        // One shape for one dossier: the receipt is the first entry, as the recorder journals it.
        let receipt = try #require((json["history"] as? [[String: Any]])?.first)
        #expect(receipt["type"] as? String == "received" && receipt["at"] as? String == "2026-11-20T09:00:00+07:00")
        #expect(receipt["recordedAt"] as? String == "2026-11-20T09:00:01+07:00" && receipt["by"] as? String == "direct")
        #expect(receipt["reason"] is NSNull && receipt["refused"] is NSNull)
        // Birth registration's result is not a paper document: null, as the recorded view says.
        #expect(json["resultDigitized"] is NSNull)
    }

    @Test func netPaymentsSubtractRefundsAndIgnoreFailures() throws {
        let decoder = JSONCoding.decoder()
        let payments = try ["succeeded", "failed", "refunded", "succeeded"].map { status in
            try decoder.decode(
                PaymentView.self,
                from: Data(
                    """
                    {"transactionId": "t", "amountVnd": 100, "status": "\(status)", "gateway": "national",
                     "paidAt": "2026-11-20T09:00:00+07:00", "mismatch": false}
                    """.utf8))
        }
        #expect(PaymentView.net(payments) == 100)
    }
}
