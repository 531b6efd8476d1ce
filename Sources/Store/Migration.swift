/// One numbered step of the schema. `sql` runs in a transaction of its own that also records the
/// version, under a short lock timeout (`Migrator`); `indexes` are built after it, one at a time,
/// `CONCURRENTLY`, so that writers are never held up while an index over millions of rows is built.
public struct Migration: Sendable {
    public let version: Int
    /// DDL and small data changes only: every statement runs under `MOTCUA_STATEMENT_TIMEOUT_SECONDS`
    /// and the DDL's locks are held until the migration commits. A backfill over a big table goes in
    /// batches after the migration (as `DossierProjection.reprojectPending` and `ReportLedger.backfill`).
    public let sql: String
    public let indexes: [SchemaIndex]

    public init(_ version: Int, _ sql: String = "", indexes: [SchemaIndex] = []) {
        self.version = version
        self.sql = sql
        self.indexes = indexes
    }
}

/// A plain index the schema keeps. `motcua migrate` builds it when missing and rebuilds it when a
/// build was interrupted (PostgreSQL leaves such an index INVALID): the list is what the schema has,
/// checked on every run, not only when its migration is applied.
public struct SchemaIndex: Sendable, Hashable {
    public let name: String
    public let table: String
    /// The column list and what follows it: `(due_at, code) WHERE closed_at IS NULL`.
    public let definition: String

    public init(_ name: String, on table: String, _ definition: String) {
        self.name = name
        self.table = table
        self.definition = definition
    }

    /// Builds without blocking writers; does nothing when an index of that name exists.
    var createStatement: String { "CREATE INDEX CONCURRENTLY IF NOT EXISTS \(name) ON \(table) \(definition)" }
    var dropStatement: String { "DROP INDEX CONCURRENTLY IF EXISTS \(name)" }
}
