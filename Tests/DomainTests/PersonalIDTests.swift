import Domain
import Testing

@Suite struct PersonalIDTests {
    func problem(_ id: String, year: Int? = nil, sex: PersonalID.Sex? = nil) -> PersonalID.Problem? {
        if case .failure(let p) = PersonalID.parse(id, currentYear: 2026, statedBirthYear: year, statedSex: sex) {
            return p
        }
        return nil
    }

    @Test func readsProvinceCenturySexAndYear() throws {
        let id = try PersonalID.parse("051095001234", currentYear: 2026).get()
        #expect(id.provinceCode == "051" && id.birthYear == 1995 && id.sex == .male && id.last4 == "1234")
        let girl = try PersonalID.parse("079324001234", currentYear: 2026).get()
        #expect(girl.birthYear == 2024 && girl.sex == .female)
    }

    @Test func refusals() {
        #expect(problem("05109500123") == .length)
        #expect(problem("05109500123A") == .nonDigit)
        #expect(problem("003095001234") == .unknownProvince("003"))
        #expect(problem("097095001234") == .unknownProvince("097"))
        #expect(problem("001230001234") == .birthYearInFuture(2030))
        #expect(problem("001495001234") == .birthYearInFuture(2195))
        #expect(problem("051095001234", year: 1996) == .birthYearMismatch(stated: 1996, encoded: 1995))
        #expect(problem("051095001234", sex: .female) == .sexMismatch(stated: .female, encoded: .male))
        #expect(problem("051095001234", year: 1995, sex: .male) == nil)
    }

    @Test func redactionKeepsNoMoreThanProvinceAndTwoDigits() {
        #expect(PersonalID.redacted("051095001234") == "051*******34")
    }

    @Test func everyOfficialProvinceIsKnown() {
        #expect(ProvinceCodes.names.count == 63)
        #expect(ProvinceCodes.names["001"] == "Hà Nội" && ProvinceCodes.names["096"] == "Cà Mau")
    }
}
