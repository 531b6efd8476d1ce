import Foundation

/// How apology letters are numbered (DOMAIN.md §5, CONTRACT.md): `<n>/<year>/XL-<unit>`, in sequence per
/// issuing unit and calendar year of issue, whoever wrote the letter (the agency's `extend`, or the
/// pipeline at the due moment). A letter keeps its number for good. `ApologyLetters` (Store) keeps the
/// sequences.
public enum LetterNumbering {
    public struct Numbered: Sendable, Equatable {
        public init(unitCode: String, year: Int, n: Int) {
            self.unitCode = unitCode
            self.year = year
            self.n = n
        }

        public let unitCode: String
        public let year: Int
        public let n: Int

        public var number: String { "\(n)/\(year)/XL-\(unitCode)" }
    }

    /// One numbering sequence: an issuing unit's letters of one year.
    public struct Sequence: Hashable, Sendable {
        public let unitCode: String
        public let year: Int

        public init(unitCode: String, year: Int) {
            self.unitCode = unitCode
            self.year = year
        }
    }

    /// How far each sequence moves for `letters`, in a fixed order.
    public static func sequenceSteps(_ letters: [(code: String, unitCode: String, year: Int)])
        -> [(sequence: Sequence, count: Int)]
    {
        var counts: [Sequence: Int] = [:]
        for letter in letters { counts[Sequence(unitCode: letter.unitCode, year: letter.year), default: 0] += 1 }
        return counts.map { ($0.key, $0.value) }.sorted {
            ($0.sequence.unitCode, $0.sequence.year) < ($1.sequence.unitCode, $1.sequence.year)
        }
    }

    /// The numbers of `letters`, in the order given, once each sequence was moved on to `last`.
    public static func assign(_ letters: [(code: String, unitCode: String, year: Int)], last: [Sequence: Int])
        -> [String: Numbered]
    {
        var next: [Sequence: Int] = [:]
        for (sequence, count) in sequenceSteps(letters) { next[sequence] = (last[sequence] ?? count) - count + 1 }
        var numbered: [String: Numbered] = [:]
        for letter in letters {
            let sequence = Sequence(unitCode: letter.unitCode, year: letter.year)
            let n = next[sequence] ?? 1
            next[sequence] = n + 1
            numbered[letter.code] = Numbered(unitCode: letter.unitCode, year: letter.year, n: n)
        }
        return numbered
    }
}
