import Domain
import Foundation
import PostgresDriver

/// The linked steps waiting for a person (status `stuck`) in running groups: the console's "Liên thông"
/// page lists them, `motcua linked list --stuck` their groups. One definition of "stuck" for both.
public enum StuckSteps {
    /// A step of a group not stopped, stuck (aliases: `s` the step, `g` its group).
    static let stuck = """
        linked_steps s JOIN linked_groups g ON g.dossier_code = s.dossier_code AND g.stopped IS NULL
        WHERE s.status = 'stuck'
        """

    public struct Step: Sendable {
        public let dossierCode: String
        public let group: String
        public let step: String
        public let agency: String
        public let attempts: Int
        public let lastError: String?
        /// What a partner's `done` answer lacked.
        public let missingFields: [String]
        public let since: Date
    }

    /// The stuck steps in `units` (nil: every unit), longest stuck first, at most `limit`.
    public static func list(units: [String]?, limit: Int = 200, on connection: PostgresConnection) throws -> [Step] {
        try connection.execute(
            """
            SELECT s.dossier_code, g.kind, s.step, s.agency, s.attempts, s.last_error,
                   s.missing_fields::text AS missing, s.since
            FROM \(stuck) AND ($1::text[] IS NULL OR g.unit_code = ANY($1::text[]))
            ORDER BY s.since, s.dossier_code, s.step LIMIT \(limit)
            """, [units.map(PostgresArray.literal)]
        ).rows.map { row in
            Step(
                dossierCode: try row.string("dossier_code"), group: try row.string("kind"),
                step: try row.string("step"), agency: try row.string("agency"), attempts: try row.int("attempts"),
                lastError: row["last_error"],
                missingFields: try row["missing"].map { try JSONCoding.decode([String].self, from: $0) } ?? [],
                since: try row.date("since"))
        }
    }

    /// The dossiers of groups to list, at most `limit`, and how many matched: with a stuck step (longest
    /// stuck first), or every group (newest first).
    public static func groups(stuckOnly: Bool, limit: Int, on connection: PostgresConnection) throws
        -> (codes: [String], total: Int)
    {
        let picked = try connection.execute(
            stuckOnly
                ? """
                SELECT s.dossier_code, count(*) OVER () AS total FROM \(stuck)
                GROUP BY s.dossier_code ORDER BY min(s.since), s.dossier_code LIMIT $1
                """
                : """
                SELECT dossier_code, count(*) OVER () AS total FROM linked_groups
                ORDER BY created_at DESC, dossier_code DESC LIMIT $1
                """, [String(limit)])
        return (try picked.rows.map { try $0.string("dossier_code") }, try picked.first?.int("total") ?? 0)
    }
}
