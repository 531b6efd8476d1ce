import Domain
import Testing

@Suite struct DossierCodeTests {
    @Test func formatsAndParses() {
        let code = DossierCode(unitCode: "000.00.19.H56", day: LocalDate(year: 2026, month: 11, day: 20), sequence: 7)
        #expect(code.description == "000.00.19.H56-261120-0007")
        #expect(DossierCode("000.00.19.H56-261120-0007") == code)
    }

    @Test func widensPastNineThousandNineHundredNinetyNine() {
        let day = LocalDate(year: 2026, month: 1, day: 5)
        #expect(
            DossierCode(unitCode: "000.00.19.H56", day: day, sequence: 9999).description == "000.00.19.H56-260105-9999")
        #expect(
            DossierCode(unitCode: "000.00.19.H56", day: day, sequence: 10000).description
                == "000.00.19.H56-260105-10000")
        #expect(DossierCode("000.00.19.H56-260105-10000")?.sequence == 10000)
    }

    @Test func refusesMalformedCodes() {
        #expect(DossierCode("000.00.19.H56-261320-0001") == nil)
        #expect(DossierCode("00.00.19.H56-261120-0001") == nil)
        #expect(DossierCode("000.00.19.H56-261120-001") == nil)
        #expect(DossierCode("000.00.19.H56-261120-0000") == nil)
        #expect(DossierCode("x") == nil)
    }

    @Test func unitCodeShape() {
        #expect(UnitCode.isWellFormed("000.00.19.H56"))
        #expect(!UnitCode.isWellFormed("000.00.19.h56"))
        #expect(!UnitCode.isWellFormed("000.00.19.H5"))
    }

    @Test func localDateArithmetic() {
        #expect(LocalDate(year: 2026, month: 11, day: 23).weekday == 1)
        #expect(LocalDate(year: 2024, month: 2, day: 28).adding(days: 1) == LocalDate(year: 2024, month: 2, day: 29))
        #expect(LocalDate(iso: "2026-02-29") == nil)
        let day = LocalDate(year: 1999, month: 12, day: 31)
        #expect(LocalDate(daysSinceEpoch: day.daysSinceEpoch) == day)
    }
}
