import Domain
import Foundation
import PostgresDriver

/// The open dossiers the deadlines page lists: overdue ones first, then soonest due first, within the
/// token's units and the page's filters.
public struct OpenDossiers: Sendable {
    /// Overdue as the report counts an open dossier (`open.overdue`, docs/reports.md; DOMAIN.md §5): its
    /// report row's overdue intervals (`report_dossiers.overdue`, derived from the journal in the transaction
    /// that changed it) hold now. That is: past the due moment on its receipt, unless it waits for a
    /// supplement (the time limit is paused), or late by definition: it has an apology letter or a second
    /// supplement request. A letter's new due moment ahead does not make it on time again.
    static let overdue = """
        coalesce((SELECT r.overdue @> now() FROM report_dossiers r WHERE r.code = dossiers.code), false)
        """

    /// Whether the dossier `code` is overdue now, by the same rule (the dossier page).
    public func isOverdue(_ code: String) async throws -> Bool {
        try await database.withConnection { connection in
            try connection.execute("SELECT \(Self.overdue) AS overdue FROM dossiers WHERE code = $1", [code])
                .first?.bool("overdue") ?? false
        }
    }

    public struct Row: Sendable {
        public var code: String
        public var unitCode: String
        public var procedureCode: String
        public var channel: String
        public var status: String
        public var receivedAt: Date
        public var dueAt: Date
        public var originalDueAt: Date
        public var hasLetter: Bool
        /// Overdue by `OpenDossiers.overdue`.
        public var overdue: Bool
    }

    public struct Filter: Sendable {
        /// Units to include (a subtree); nil for every unit.
        public var units: [String]?
        public var procedure: String?
        public var channel: String?

        public init(units: [String]?, procedure: String?, channel: String?) {
            self.units = units
            self.procedure = procedure
            self.channel = channel
        }
    }

    public struct Page: Sendable {
        public var rows: [Row]
        public var open: Int
        public var overdue: Int
    }

    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public func list(_ filter: Filter, limit: Int = 200) async throws -> Page {
        let parameters: [String?] = [filter.units.map(PostgresArray.literal), filter.procedure, filter.channel]
        return try await database.withConnection { connection in
            try connection.snapshot { connection in
                let conditions = """
                    closed_at IS NULL AND ($1::text[] IS NULL OR unit_code = ANY($1::text[]))
                        AND ($2::text IS NULL OR procedure_code = $2) AND ($3::text IS NULL OR channel = $3)
                    """
                let rows = try connection.execute(
                    """
                    SELECT code, unit_code, procedure_code, channel, status, received_at, due_at, original_due_at,
                           apology IS NOT NULL AS has_letter, \(Self.overdue) AS overdue
                    FROM dossiers WHERE \(conditions) ORDER BY \(Self.overdue) DESC, due_at, code LIMIT \(limit)
                    """, parameters
                ).rows.map { row in
                    Row(
                        code: try row.string("code"), unitCode: try row.string("unit_code"),
                        procedureCode: try row.string("procedure_code"), channel: try row.string("channel"),
                        status: try row.string("status"), receivedAt: try row.date("received_at"),
                        dueAt: try row.date("due_at"), originalDueAt: try row.date("original_due_at"),
                        hasLetter: try row.bool("has_letter"), overdue: try row.bool("overdue"))
                }
                let counts = try connection.execute(
                    """
                    SELECT count(*) AS open, count(*) FILTER (WHERE \(Self.overdue)) AS overdue
                    FROM dossiers WHERE \(conditions)
                    """, parameters
                ).one("open dossiers")
                return Page(rows: rows, open: try counts.int("open"), overdue: try counts.int("overdue"))
            }
        }
    }
}
