import Domain
import Foundation
import Testing

@Suite struct ActionValidatorTests {
    let catalog = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))
    let now = Timestamp.parse("2026-11-20T09:00:00+07:00")!

    func json(_ object: [String: Any]) -> JSONValue {
        try! JSONDecoder().decode(JSONValue.self, from: JSONSerialization.data(withJSONObject: object))
    }

    func fields(_ object: [String: Any]) -> [String] {
        switch ActionValidator(catalog: catalog, now: now).validate(json(object)) {
        case .success: return []
        case .failure(let failure): return failure.errors.map(\.field)
        }
    }

    @Test func eachTypeRequiresItsFields() {
        #expect(fields(["type": "close"]) == ["type"])
        #expect(fields(["type": "request_supplement"]) == ["reason"])
        #expect(fields(["type": "reject"]) == ["reason"])
        #expect(fields(["type": "transfer"]) == ["toUnit"])
        #expect(fields(["type": "transfer", "toUnit": "999.99.99.H99"]) == ["toUnit"])
        #expect(fields(["type": "extend", "reason": "x"]) == ["newDueAt"])
        #expect(fields(["type": "extend", "reason": "x", "newDueAt": "2026-11-19T17:00:00+07:00"]) == ["newDueAt"])
        #expect(
            fields(["type": "resolve", "result": ["sha256": "zz", "bytes": 0]])
                == ["result.sha256", "result.bytes", "result.mediaType"])
        #expect(fields(["type": "withdraw", "at": "2026-11-20T09:06:00+07:00"]) == ["at"])
        #expect(fields(["type": "return"]) == [])
    }

    @Test func aTransferToAnEndedUnitIsRefusedNamingItsSuccessor() throws {
        func refusal(_ object: [String: Any]) -> [FieldError] {
            if case .failure(let failure) = ActionValidator(catalog: catalog, now: now).validate(json(object)) {
                return failure.errors
            }
            return []
        }
        // Bình Khương ended on 30/6/2025 into the new xã Bình Minh (the default catalog).
        let ended = refusal(["type": "transfer", "toUnit": "000.15.02.H56"])
        #expect(ended.map(\.field) == ["toUnit"])
        #expect(
            ended.first?.message
                == "unit 000.15.02.H56 ended on 2025-06-30; its successor is 000.30.01.H56, which receives its dossiers"
        )
        // The district ended into the province; the successor is named the same way.
        #expect(
            refusal(["type": "transfer", "toUnit": "000.00.15.H56"]).first?.message.contains("000.00.00.H56") == true)
        // Dated before its end, the transfer went to a unit then in force; the new commune did not stand yet.
        #expect(fields(["type": "transfer", "toUnit": "000.15.02.H56", "at": "2025-06-30T16:00:00+07:00"]) == [])
        #expect(
            fields(["type": "transfer", "toUnit": "000.30.01.H56", "at": "2025-06-30T16:00:00+07:00"]) == ["toUnit"])
        #expect(fields(["type": "transfer", "toUnit": "000.30.01.H56"]) == [])
    }

    @Test func atDefaultsToNowAndIsKeptToTheSecond() throws {
        let action = try ActionValidator(catalog: catalog, now: now.addingTimeInterval(0.7))
            .validate(json(["type": "supplement"])).get()
        #expect(action.at == now)
    }

    @Test func paymentsAndDigitizationsNameTheirFields() {
        func payment(_ object: [String: Any]) -> [String] {
            if case .failure(let f) = PaymentValidator.validate(json(object)) { return f.errors.map(\.field) }
            return []
        }
        #expect(
            payment([
                "transactionId": "t", "dossierCode": "x", "amountVnd": -1, "status": "paid", "gateway": "bank",
                "paidAt": "now",
            ]) == ["dossierCode", "amountVnd", "status", "gateway", "paidAt"])
        #expect(
            payment([
                "transactionId": "t", "dossierCode": "000.00.19.H56-261120-0001", "amountVnd": 20000,
                "status": "refunded", "gateway": "provincial", "paidAt": "2026-11-20T08:00:00+07:00",
            ]) == [])
        if case .success(let record) = DigitizationValidator.validate(
            json([
                "target": "result", "sha256": String(repeating: "A", count: 64), "bytes": 1, "mediaType": "image/png",
            ]),
            code: "c")
        {
            #expect(record.name == "result" && record.sha256 == String(repeating: "a", count: 64) && !record.reused)
        } else {
            Issue.record("a result record needs no name")
        }
    }
}
