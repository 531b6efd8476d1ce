import Domain
import Foundation
import PostgresDriver

extension PostgresRow {
    /// A `timestamptz` column; sessions run with ISO output so values read as `2026-11-20 09:00:00.5+07`.
    public func date(_ column: String) throws -> Date {
        guard let date = Timestamp.parse(try string(column)) else {
            throw PostgresError(kind: .decoding, context: column)
        }
        return date
    }

    public func optionalDate(_ column: String) throws -> Date? {
        try self[column] == nil ? nil : date(column)
    }
}
