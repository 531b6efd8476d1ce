/// A PostgreSQL failure. Its `description` names the kind and SQLSTATE only: server messages
/// can quote row values (personal data), so they are never part of it.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        /// The server could not be reached or the connection broke.
        case connection
        /// The server refused a statement.
        case query
        /// A result could not be read as the caller expected.
        case decoding
    }

    public var kind: Kind
    /// The five-character SQLSTATE, when the server gave one.
    public var sqlState: String?
    /// Where it happened, in the program's words ("connect", "execute", column name…).
    public var context: String

    public init(kind: Kind, sqlState: String? = nil, context: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.context = context
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// A write refused because the server (or this session) is read-only (25006): after a failover, the
    /// old primary as a standby.
    public var isReadOnlyServer: Bool { sqlState == "25006" }
    /// A failure of the moment, not of the statement or its data: the connection, a serialization
    /// failure or deadlock (40001, 40P01), a lock not available (55P03), a statement timeout or
    /// cancel (57014). Workers retry the batch; they never dead-letter a message for one of these.
    public var isRetryable: Bool {
        isTransient || sqlState == "55P03" || sqlState == "57014"
    }

    /// A failure worth retrying on a fresh connection rather than a broken statement, a read-only server
    /// (a demoted primary) included.
    public var isTransient: Bool {
        kind == .connection || isSerializationFailure || isReadOnlyServer || sqlState?.hasPrefix("08") == true
            || sqlState == "57P01" || sqlState == "57P03"
    }

    public var description: String {
        "PostgreSQL \(kind.rawValue) error\(sqlState.map { " \($0)" } ?? "") during \(context)"
    }
}
