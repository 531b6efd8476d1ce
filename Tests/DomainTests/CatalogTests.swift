import Domain
import Foundation
import Testing

@Suite struct CatalogTests {
    @Test func defaultCatalogFollowsItsOwnRules() throws {
        let catalog = try Catalog.parse(DefaultCatalog.data())
        #expect(CatalogRules.problems(in: catalog).isEmpty)
        #expect(catalog.units.count >= 40)
        let groups = catalog.procedures.compactMap(\.linkedGroup)
        #expect(Set(groups) == [.birth, .death])
        #expect(Set(catalog.calendars.map(\.year)) == [2024, 2025, 2026])
    }

    @Test func theFileOperatorsCopyIsTheInstalledOne() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../catalog/default.json")
        #expect(try Data(contentsOf: file) == (try DefaultCatalog.data()))
    }

    @Test func refusesABrokenFileWithEveryReason() throws {
        let text = """
            {"units": [{"code": "bad", "name": "", "level": "commune", "parent": "000.00.99.H99"}],
             "calendars": [{"year": 2026, "holidays": ["2025-01-01"]}]}
            """
        let problems = CatalogRules.problems(in: try Catalog.parse(Data(text.utf8))).map(\.field)
        #expect(problems == ["units[0].code", "units[0].name", "units[0].parent", "calendars[0].holidays[0]"])
    }

    @Test func processingMustBeExactlyOneKind() {
        let text =
            #"{"procedures": [{"code": "x", "name": "x", "field": "x", "processing": {"workingDays": 3, "sameDay": true}, "feeVnd": 0, "paperResult": true}]}"#
        #expect(throws: Catalog.LoadError.self) { try Catalog.parse(Data(text.utf8)) }
    }

    @Test func scopesFollowParents() throws {
        let snapshot = CatalogSnapshot(try Catalog.parse(DefaultCatalog.data()))
        let before = LocalDate(year: 2024, month: 5, day: 1)
        #expect(snapshot.unit("000.00.19.H56", isWithin: "000.00.00.H56"))
        #expect(snapshot.unit("000.00.19.H56", isWithin: "000.00.15.H56", on: before))
        #expect(!snapshot.unit("000.00.15.H56", isWithin: "000.00.19.H56", on: before))
        #expect(!snapshot.unit("000.00.19.H56", isWithin: "000.00.00.H06"))
    }
}
