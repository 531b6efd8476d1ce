import Foundation

/// Apology letters as numbered (DOMAIN.md §5, CONTRACT.md): `<n>/<year>/XL-<unit>`, in sequence per
/// issuing unit and calendar year of issue, whoever wrote the letter (the agency's `extend`, or the
/// pipeline at the due moment). A letter keeps its number for good.
public enum ApologyLetters {
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
        return counts.map { ($0.key, $0.value) }.sorted { ($0.sequence.unitCode, $0.sequence.year) < ($1.sequence.unitCode, $1.sequence.year) }
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

    /// The numbers already given to `codes`' letters: ONE statement.
    static func numbers(of codes: [String], on connection: PostgresConnection) throws -> [String: Numbered] {
        guard !codes.isEmpty else { return [:] }
        var numbers: [String: Numbered] = [:]
        for row in try connection.execute("""
            SELECT dossier_code, unit_code, year, n FROM apology_letters WHERE dossier_code = ANY($1::text[])
            """, [PostgresArray.literal(codes)]).rows
        {
            numbers[try row.string("dossier_code")] = Numbered(unitCode: try row.string("unit_code"),
                                                               year: try row.int("year"), n: try row.int("n"))
        }
        return numbers
    }

    /// Numbers new letters (`code`, issuing unit, year), in the order given: one statement moves each
    /// (unit, year) sequence on by its count, one records the letters.
    static func number(_ letters: [(code: String, unitCode: String, year: Int)], on connection: PostgresConnection)
        throws -> [String: Numbered]
    {
        guard !letters.isEmpty else { return [:] }
        let groups = sequenceSteps(letters)
        var last: [Sequence: Int] = [:]
        for row in try connection.execute("""
            INSERT INTO apology_sequences (unit_code, year, last) SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
            ON CONFLICT (unit_code, year) DO UPDATE SET last = apology_sequences.last + EXCLUDED.last
            RETURNING unit_code, year, last
            """, [PostgresArray.literal(groups.map(\.sequence.unitCode)),
                  PostgresArray.literal(groups.map { String($0.sequence.year) }),
                  PostgresArray.literal(groups.map { String($0.count) })]).rows
        {
            last[Sequence(unitCode: try row.string("unit_code"), year: try row.int("year"))] = try row.int("last")
        }
        let numbered = assign(letters, last: last)
        try connection.execute("""
            INSERT INTO apology_letters (dossier_code, unit_code, year, n) SELECT * FROM unnest($1::text[], $2::text[],
                $3::int[], $4::int[])
            """, [PostgresArray.literal(letters.map(\.code)), PostgresArray.literal(letters.map { numbered[$0.code]!.unitCode }),
                  PostgresArray.literal(letters.map { String(numbered[$0.code]!.year) }),
                  PostgresArray.literal(letters.map { String(numbered[$0.code]!.n) })])
        return numbered
    }
}
