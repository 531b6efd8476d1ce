import Foundation

/// One indicator of the service index of Decision 766/QĐ-TTg (2022) that the pipeline can compute,
/// as data with the date it takes effect (a catalog's `index766`): its formula is a sum of report
/// measures (`ReportCounts.measures`) over another, scored `min(max, rate / threshold × max)`.
public struct Indicator766: Codable, Sendable, Equatable {
    /// `2.1`, `3.3`, …
    public var indicator: String
    public var name: String
    public var effectiveFrom: LocalDate
    public var numerator: [String]
    public var denominator: [String]
    /// The rate that earns the full score, in percent.
    public var thresholdPercent: Double
    public var maxScore: Double
    /// Where the formula and its figures come from.
    public var source: String?

    public init(
        indicator: String, name: String, effectiveFrom: LocalDate, numerator: [String], denominator: [String],
        thresholdPercent: Double, maxScore: Double, source: String? = nil
    ) {
        self.indicator = indicator
        self.name = name
        self.effectiveFrom = effectiveFrom
        self.numerator = numerator
        self.denominator = denominator
        self.thresholdPercent = thresholdPercent
        self.maxScore = maxScore
        self.source = source
    }

    /// The indicator's figures for `counts`: an empty denominator gives no percent and no score.
    public func score(_ counts: ReportCounts) -> IndicatorScore {
        func sum(_ names: [String]) -> Int {
            names.reduce(0) { $0.saturatingAdd(ReportCounts.measures[$1].map { counts[keyPath: $0] } ?? 0) }
        }
        let rate = Rate(numerator: sum(numerator), denominator: sum(denominator))
        let score = rate.percent.map { percent in
            Rate.rounded(Swift.min(maxScore, percent / thresholdPercent * maxScore))
        }
        return IndicatorScore(
            indicator: indicator, name: name, numerator: rate.numerator,
            denominator: rate.denominator, percent: rate.percent, score: score, max: maxScore,
            thresholdPercent: thresholdPercent, effectiveFrom: effectiveFrom.description)
    }

    /// Of each indicator, the version in force on `day` (the latest that took effect by then).
    public static func inForce(_ rules: [Indicator766], on day: LocalDate) -> [Indicator766] {
        var latest: [String: Indicator766] = [:]
        for rule in rules where rule.effectiveFrom <= day {
            if let known = latest[rule.indicator], known.effectiveFrom >= rule.effectiveFrom { continue }
            latest[rule.indicator] = rule
        }
        return latest.values.sorted { $0.indicator.compare($1.indicator, options: .numeric) == .orderedAscending }
    }

    /// What a catalog's indicators break, by field path (`index766[i].…`).
    public static func problems(in rules: [Indicator766]) -> [FieldError] {
        var problems: [FieldError] = []
        var seen = Set<String>()
        for (i, rule) in rules.enumerated() {
            let at = "index766[\(i)]"
            if rule.indicator.isEmpty { problems.append(.init("\(at).indicator", "must not be empty")) }
            if !seen.insert("\(rule.indicator)@\(rule.effectiveFrom)").inserted {
                problems.append(
                    .init("\(at).effectiveFrom", "indicator \(rule.indicator) has two versions from this day"))
            }
            for (key, names) in [("numerator", rule.numerator), ("denominator", rule.denominator)] {
                if names.isEmpty { problems.append(.init("\(at).\(key)", "must name at least one measure")) }
                for (j, name) in names.enumerated() where ReportCounts.measures[name] == nil {
                    problems.append(
                        .init(
                            "\(at).\(key)[\(j)]",
                            "\(name) is not a report measure; one of "
                                + ReportCounts.measures.keys.sorted().joined(separator: ", ")))
                }
            }
            if !(rule.thresholdPercent > 0 && rule.thresholdPercent <= 100) {
                problems.append(.init("\(at).thresholdPercent", "must be above 0 and at most 100"))
            }
            if !(rule.maxScore >= 0 && rule.maxScore <= 100) {
                problems.append(.init("\(at).maxScore", "must be from 0 to 100"))
            }
        }
        return problems
    }
}

/// An indicator's figures in a report (CONTRACT.md `index766`), with what it was scored by.
public struct IndicatorScore: Encodable, Sendable, Equatable {
    public var indicator: String
    public var name: String
    public var numerator: Int
    public var denominator: Int
    @ExplicitNull public var percent: Double?
    @ExplicitNull public var score: Double?
    public var max: Double
    public var thresholdPercent: Double
    public var effectiveFrom: String
}

/// A rate with what it is made of (DOMAIN.md §10: every rate shows its numerator and denominator).
public struct Rate: Encodable, Sendable, Equatable {
    public var numerator: Int
    public var denominator: Int

    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Percent to two decimals; nil for an empty denominator.
    public var percent: Double? {
        denominator == 0 ? nil : Self.rounded(Double(numerator) / Double(denominator) * 100)
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    enum CodingKeys: String, CodingKey { case numerator, denominator, percent }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(numerator, forKey: .numerator)
        try container.encode(denominator, forKey: .denominator)
        if let percent {
            try container.encode(percent, forKey: .percent)
        } else {
            try container.encodeNil(forKey: .percent)
        }
    }
}
