import Domain
import Foundation
import PostgresDriver

/// The numbering sequences of apology letters (`apology_letters` and their units' counters), by the rule
/// of `LetterNumbering`.
public enum ApologyLetters {
    /// The numbers already given to `codes`' letters: ONE statement.
    static func numbers(of codes: [String], on connection: PostgresConnection) throws -> [String: LetterNumbering
        .Numbered]
    {
        guard !codes.isEmpty else { return [:] }
        var numbers: [String: LetterNumbering.Numbered] = [:]
        for row in try connection.execute(
            """
            SELECT dossier_code, unit_code, year, n FROM apology_letters WHERE dossier_code = ANY($1::text[])
            """, [PostgresArray.literal(codes)]
        ).rows {
            numbers[try row.string("dossier_code")] = LetterNumbering.Numbered(
                unitCode: try row.string("unit_code"),
                year: try row.int("year"), n: try row.int("n"))
        }
        return numbers
    }

    /// Numbers new letters (`code`, issuing unit, year), in the order given: one statement moves each
    /// (unit, year) sequence on by its count, one records the letters.
    static func number(_ letters: [(code: String, unitCode: String, year: Int)], on connection: PostgresConnection)
        throws -> [String: LetterNumbering.Numbered]
    {
        guard !letters.isEmpty else { return [:] }
        let groups = LetterNumbering.sequenceSteps(letters)
        var last: [LetterNumbering.Sequence: Int] = [:]
        for row in try connection.execute(
            """
            INSERT INTO apology_sequences (unit_code, year, last) SELECT * FROM unnest($1::text[], $2::int[], $3::int[])
            ON CONFLICT (unit_code, year) DO UPDATE SET last = apology_sequences.last + EXCLUDED.last
            RETURNING unit_code, year, last
            """,
            [
                PostgresArray.literal(groups.map(\.sequence.unitCode)),
                PostgresArray.literal(groups.map { String($0.sequence.year) }),
                PostgresArray.literal(groups.map { String($0.count) }),
            ]
        ).rows {
            last[LetterNumbering.Sequence(unitCode: try row.string("unit_code"), year: try row.int("year"))] =
                try row.int("last")
        }
        let numbered = LetterNumbering.assign(letters, last: last)
        try connection.execute(
            """
            INSERT INTO apology_letters (dossier_code, unit_code, year, n) SELECT * FROM unnest($1::text[], $2::text[],
                $3::int[], $4::int[])
            """,
            [
                PostgresArray.literal(letters.map(\.code)),
                PostgresArray.literal(letters.map { numbered[$0.code]!.unitCode }),
                PostgresArray.literal(letters.map { String(numbered[$0.code]!.year) }),
                PostgresArray.literal(letters.map { String(numbered[$0.code]!.n) }),
            ])
        return numbered
    }
}
