import Domain
import Foundation
import Testing

/// Decision 766 indicators as data: the version in force, the formula, the score, an empty denominator.
@Suite struct Index766Tests {
    let onTime = Indicator766(
        indicator: "2.1", name: "Trước và đúng hạn", effectiveFrom: LocalDate(iso: "2022-06-23")!,
        numerator: ["closed.early", "closed.onTime"], denominator: ["closed.resolved"],
        thresholdPercent: 90, maxScore: 20)

    @Test func anEmptyDenominatorGivesNoPercentAndNoScore() {
        let score = onTime.score(ReportCounts())
        #expect(score.numerator == 0 && score.denominator == 0 && score.percent == nil && score.score == nil)
        #expect(score.max == 20)
        let json = try! JSONCoding.encodeString(score)
        #expect(json.contains("\"percent\":null") && json.contains("\"score\":null"))
    }

    @Test func theScoreIsTheRateOverTheThresholdTimesTheMaximumCappedAtTheMaximum() {
        var c = ReportCounts()
        c.early = 288
        c.overdue = 5
        let high = onTime.score(c)
        #expect(high.percent == 98.29 && high.score == 20)
        c.early = 45
        c.overdue = 55
        let low = onTime.score(c)
        #expect(low.percent == 45 && low.score == 10)
    }

    @Test func theVersionInForceIsTheLatestToHaveTakenEffect() {
        var newer = onTime
        newer.effectiveFrom = LocalDate(iso: "2025-01-01")!
        newer.maxScore = 15
        let rules = [newer, onTime]
        #expect(Indicator766.inForce(rules, on: LocalDate(iso: "2024-12-31")!).map(\.maxScore) == [20])
        #expect(Indicator766.inForce(rules, on: LocalDate(iso: "2025-01-01")!).map(\.maxScore) == [15])
        #expect(Indicator766.inForce(rules, on: LocalDate(iso: "2022-01-01")!).isEmpty)
    }

    @Test func aFormulaNamingNoMeasureIsRefusedWithTheField() {
        var broken = onTime
        broken.indicator = "9.9"
        broken.numerator = ["closed.early", "closed.sooner"]
        broken.thresholdPercent = 0
        let problems = CatalogRules.problems(in: Catalog(index766: [broken, onTime, onTime]))
        #expect(
            problems.map(\.field) == [
                "index766[0].numerator[1]", "index766[0].thresholdPercent", "index766[2].effectiveFrom",
            ])
    }

    @Test func theShippedIndicatorsAreValidAndNameTheSixTheyScore() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Sources/Domain/Resources/index766.json")
        let catalog = try Catalog.parse(try Data(contentsOf: url))
        #expect(CatalogRules.problems(in: catalog).isEmpty)
        #expect(catalog.index766.map(\.indicator) == ["2.1", "3.3", "3.6", "4.1", "4.2", "4.3"])
    }
}
