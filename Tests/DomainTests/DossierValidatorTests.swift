import Domain
import Foundation
import Testing

@Suite struct DossierValidatorTests {
    let catalog = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))
    let now = Timestamp.parse("2026-11-20T09:00:00+07:00")!

    func body(_ changes: [String: Any] = [:], applicant: [String: Any] = [:]) -> JSONValue {
        var person: [String: Any] = [
            "personalId": "051095001234", "fullName": "Nguyễn Văn A", "birthYear": 1995,
            "sex": "male", "phone": "0905000000", "email": "a@example.vn",
        ]
        person.merge(applicant) { _, new in new }
        var fields: [String: Any] = [
            "procedureCode": "1.001193", "unitCode": "000.00.19.H56", "channel": "online", "onlineLevel": "full",
            "applicant": person, "receivedAt": "2026-11-20T08:00:00+07:00", "idempotencyKey": "k-1",
            "components": [
                [
                    "name": "Tờ khai", "digitized": true, "sha256": String(repeating: "a", count: 64),
                    "bytes": 1000, "mediaType": "application/pdf", "signed": true,
                ]
            ],
            "linkedGroup": ["group": "birth", "steps": ["permanent_residence"]],
        ]
        for (key, value) in changes {
            if value is NSNull { fields.removeValue(forKey: key) } else { fields[key] = value }
        }
        let data = try! JSONSerialization.data(withJSONObject: fields)
        return try! JSONDecoder().decode(JSONValue.self, from: data)
    }

    func errors(_ value: JSONValue) -> [String] {
        switch DossierValidator(catalog: catalog, now: now).validate(value) {
        case .success: return []
        case .failure(let failure): return failure.errors.map(\.field)
        }
    }

    @Test func acceptsTheContractExample() throws {
        let submission = try DossierValidator(catalog: catalog, now: now).validate(body()).get()
        #expect(submission.linkedGroup == LinkedGroupChoice(group: .birth, steps: ["permanent_residence"]))
        #expect(submission.applicant.personalId == "051095001234")
    }

    @Test func namesEachBrokenField() {
        #expect(errors(body(["procedureCode": "9.999999"])) == ["procedureCode"])
        #expect(errors(body(["unitCode": "H56"])) == ["unitCode"])
        #expect(errors(body(["unitCode": "999.99.99.H99"])) == ["unitCode"])
        #expect(errors(body(["channel": "fax"])) == ["channel"])
        #expect(errors(body(["channel": 3])) == ["channel"])
        #expect(errors(body(["onlineLevel": "total"])) == ["onlineLevel"])
        #expect(errors(body(["channel": "direct"])) == ["onlineLevel"])
        #expect(errors(body(["receivedAt": "yesterday"])) == ["receivedAt"])
        #expect(errors(body(["receivedAt": "2026-11-20T09:06:00+07:00"])) == ["receivedAt"])
        #expect(errors(body(["receivedAt": "2021-11-19T09:00:00+07:00"])) == ["receivedAt"])
        #expect(errors(body(applicant: ["personalId": "003095001234"])) == ["applicant.personalId"])
        #expect(errors(body(applicant: ["birthYear": 1990])) == ["applicant.birthYear"])
        #expect(errors(body(applicant: ["sex": "female"])) == ["applicant.sex"])
        #expect(errors(body(applicant: ["fullName": "  "])) == ["applicant.fullName"])
        #expect(errors(body(applicant: ["phone": "12345"])) == ["applicant.phone"])
        #expect(errors(body(applicant: ["email": "nope"])) == ["applicant.email"])
        #expect(
            errors(body(["components": [["name": "x", "digitized": true]]]))
                == ["components[0].sha256", "components[0].bytes", "components[0].mediaType"])
    }

    @Test func onlineLevelDefaultsToWhatTheProcedureOffers() throws {
        let full = try DossierValidator(catalog: catalog, now: now).validate(body(["onlineLevel": NSNull()])).get()
        #expect(full.onlineLevel == .full)
        let partial = try DossierValidator(catalog: catalog, now: now)
            .validate(body(["procedureCode": "1.000894", "onlineLevel": NSNull(), "linkedGroup": NSNull()])).get()
        #expect(partial.onlineLevel == .partial)
    }

    @Test func onlineLevelMustBeOffered() {
        // Marriage registration is offered online at the partial level only.
        #expect(errors(body(["procedureCode": "1.000894", "linkedGroup": NSNull()])) == ["onlineLevel"])
        #expect(errors(body(["procedureCode": "1.000894", "onlineLevel": "partial", "linkedGroup": NSNull()])) == [])
    }

    @Test func linkedGroupRules() {
        #expect(errors(body(["procedureCode": "1.004222"])) == ["linkedGroup"])
        #expect(
            errors(body(["linkedGroup": ["group": "death", "steps": ["funeral_allowance"]]]))
                .contains("linkedGroup.group"))
        #expect(errors(body(["linkedGroup": ["group": "birth", "steps": []]])) == ["linkedGroup.steps"])
        #expect(
            errors(body(["linkedGroup": ["group": "birth", "steps": ["birth_registration"]]])) == ["linkedGroup.steps"])
        #expect(
            errors(body(["linkedGroup": ["group": "birth", "steps": ["funeral_allowance"]]])) == [
                "linkedGroup.steps[0]"
            ])
        #expect(errors(body(["linkedGroup": NSNull()])) == [])
    }

    @Test func canonicalRequestIgnoresKeyOrderAndSeesChanges() throws {
        let validator = DossierValidator(catalog: catalog, now: now)
        let a = try validator.validate(body()).get()
        let b = try validator.validate(body(applicant: ["fullName": "Nguyễn Văn B"])).get()
        #expect(a.canonicalJSON == (try validator.validate(body()).get()).canonicalJSON)
        #expect(a.canonicalJSON != b.canonicalJSON)
    }
}
