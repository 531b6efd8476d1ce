import Foundation

/// A query result copied out of libpq's memory: column names and text values.
public struct PostgresRows: Sendable {
    public let columns: [String]
    public let rows: [PostgresRow]
    /// Rows touched by an INSERT, UPDATE or DELETE.
    public let affected: Int

    public var first: PostgresRow? { rows.first }

    /// The first row of a statement that always returns one (`RETURNING`, an aggregate); a decoding
    /// error, never a trap, when it did not.
    public func one(_ context: String) throws -> PostgresRow {
        guard let row = rows.first else { throw PostgresError(kind: .decoding, context: "no row from \(context)") }
        return row
    }
    public var isEmpty: Bool { rows.isEmpty }
    public var count: Int { rows.count }
}

/// One row of text values, read by column name.
public struct PostgresRow: Sendable {
    let index: [String: Int]
    public let values: [String?]

    public subscript(_ column: String) -> String? {
        guard let i = index[column] else { return nil }
        return values[i]
    }

    public func string(_ column: String) throws -> String {
        guard let value = self[column] else { throw PostgresError(kind: .decoding, context: column) }
        return value
    }

    public func int(_ column: String) throws -> Int {
        guard let value = Int(try string(column)) else { throw PostgresError(kind: .decoding, context: column) }
        return value
    }

    public func optionalInt(_ column: String) throws -> Int? {
        try self[column] == nil ? nil : int(column)
    }

    public func bool(_ column: String) throws -> Bool { try string(column) == "t" }

}
