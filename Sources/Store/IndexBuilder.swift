import Foundation
import Logging
import PostgresDriver

/// Builds the schema's plain indexes with `CREATE INDEX CONCURRENTLY`: writers go on while the table is
/// read, twice. A build that was interrupted (a crash, a cancel, a failed uniqueness check) leaves an
/// INVALID index that the planner never uses and `IF NOT EXISTS` would keep for ever: it is dropped,
/// concurrently too, and built again.
struct IndexBuilder {
    let logger: Logger
    /// How many times a build that failed on a lock wait (55P03) or a deadlock (40P01) is tried.
    var attempts = 5

    /// Builds each of `indexes` that is missing or invalid; leaves valid ones alone.
    func ensure(_ indexes: [SchemaIndex], on connection: PostgresConnection) throws {
        guard !indexes.isEmpty else { return }
        let valid = try validity(of: indexes.map(\.name), on: connection)
        for index in indexes where valid[index.name] != true {
            try build(index, replacingInvalid: valid[index.name] == false, on: connection)
        }
    }

    /// Whether each index of `names` that exists in the current schema is valid.
    func validity(of names: [String], on connection: PostgresConnection) throws -> [String: Bool] {
        var found: [String: Bool] = [:]
        for row in try connection.execute(
            """
            SELECT c.relname AS name, i.indisvalid AS valid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
            WHERE c.relname = ANY($1::text[]) AND c.relnamespace = current_schema()::regnamespace
            """, [PostgresArray.literal(names)]
        ).rows {
            found[try row.string("name")] = try row.bool("valid")
        }
        return found
    }

    private func build(_ index: SchemaIndex, replacingInvalid invalid: Bool, on connection: PostgresConnection) throws {
        let previous = try connection.execute("SELECT current_setting('statement_timeout') AS t").rows[0].string("t")
        try connection.execute("SET statement_timeout = 0")
        defer { _ = try? connection.execute("SELECT set_config('statement_timeout', $1, false)", [previous]) }
        var dropFirst = invalid
        for attempt in 1...max(1, attempts) {
            do {
                if dropFirst {
                    logger.notice(
                        "dropping an index left invalid by an interrupted build", metadata: ["index": "\(index.name)"])
                    try connection.executeScript(index.dropStatement)
                }
                logger.info(
                    "building index concurrently", metadata: ["index": "\(index.name)", "table": "\(index.table)"])
                try connection.executeScript(index.createStatement)
                return
            } catch let error as PostgresError where ["55P03", "40P01"].contains(error.sqlState) && attempt < attempts {
                // The failed build left its index INVALID: drop it before the next try.
                dropFirst = true
                Thread.sleep(forTimeInterval: Double(attempt))
            }
        }
    }
}
