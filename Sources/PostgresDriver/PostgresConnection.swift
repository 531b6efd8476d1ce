import CPostgres
import Foundation

/// One libpq connection. Not thread-safe: `PostgresClient` confines each to its own serial queue,
/// and code receives it only inside `withConnection`, on that queue.
public final class PostgresConnection {
    private var handle: OpaquePointer?

    /// Opens a connection; `url` is a libpq URI (`postgres://user:pass@host:port/db`).
    public init(url: String, statementTimeoutSeconds: Int = 15) throws {
        let separator = url.contains("?") ? "&" : "?"
        let target = url.contains("connect_timeout=") ? url : url + separator + "connect_timeout=3"
        guard let conn = PQconnectdb(target) else { throw PostgresError(kind: .connection, context: "connect") }
        handle = conn
        guard PQstatus(conn) == CONNECTION_OK else {
            close()
            throw PostgresError(kind: .connection, context: "connect")
        }
        // Server notices ("relation already exists, skipping") are not ours to print.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        // Timestamps come back in one fixed offset and one format. A fixed +07 rather than the named
        // zone: for times before 1906 the zone's local mean time prints offsets to the second
        // (+07:06:40); Vietnam has kept UTC+7 since 1975, so the dates are the same.
        _ = try execute("SET TIME ZONE INTERVAL '+07:00' HOUR TO MINUTE")
        _ = try execute("SET DateStyle = 'ISO, YMD'")
        // No statement waits for ever: a stuck one fails with 57014 and the caller answers or retries.
        _ = try execute("SET statement_timeout = '\(statementTimeoutSeconds)s'")
        _ = try execute("SET lock_timeout = '\(statementTimeoutSeconds)s'")
    }

    deinit { close() }

    /// Whether the connection is still usable; a broken one is replaced by the pool.
    public var isHealthy: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Closes the connection; calling it twice is harmless.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Waits up to `milliseconds` for a NOTIFY on a channel this connection LISTENs to, and consumes
    /// every one that came; true when at least one did.
    public func awaitNotification(milliseconds: Int32) throws -> Bool {
        guard let handle else { throw PostgresError(kind: .connection, context: "listen on a closed connection") }
        if Self.drainNotifications(handle) { return true }
        var socket = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        if poll(&socket, 1, milliseconds) > 0, PQconsumeInput(handle) != 1 {
            throw PostgresError(kind: .connection, context: "listen")
        }
        return Self.drainNotifications(handle)
    }

    private static func drainNotifications(_ handle: OpaquePointer) -> Bool {
        var any = false
        while let notification = PQnotifies(handle) {
            PQfreemem(notification)
            any = true
        }
        return any
    }

    /// Runs one statement with text parameters (`$1`, `$2`, …). Values are never spliced into SQL.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> PostgresRows {
        guard let handle else { throw PostgresError(kind: .connection, context: "execute on a closed connection") }
        // libpq passes text parameters as C strings and would silently cut one at a NUL: refuse it whole.
        if parameters.contains(where: { $0?.utf8.contains(0) == true }) {
            throw PostgresError(kind: .query, sqlState: "22021", context: "a parameter holds a NUL character")
        }
        let result = withCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return copyRows(result)
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let broken = PQstatus(handle) != CONNECTION_OK
            throw PostgresError(kind: broken ? .connection : .query, sqlState: state, context: "execute")
        }
    }

    /// Runs a script of several statements with no parameters (migrations).
    public func executeScript(_ sql: String) throws {
        guard let handle else { throw PostgresError(kind: .connection, context: "script on a closed connection") }
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            throw PostgresError(
                kind: PQstatus(handle) == CONNECTION_OK ? .query : .connection, sqlState: state,
                context: "script")
        }
    }

    /// Runs `body` inside BEGIN/COMMIT; any error rolls back and is rethrown.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try within("BEGIN", body)
    }

    /// Runs several reads on one consistent snapshot (REPEATABLE READ, READ ONLY), so a view
    /// assembled from several tables never mixes two moments.
    public func snapshot<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try within("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func within<T>(_ begin: String, _ body: (PostgresConnection) throws -> T) throws -> T {
        try execute(begin)
        do {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            if isOpen { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    private var isOpen: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    private func copyRows(_ result: OpaquePointer?) -> PostgresRows {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [String] = []
        var index: [String: Int] = [:]
        for c in 0..<columnCount {
            let name = String(cString: PQfname(result, Int32(c)))
            columns.append(name)
            index[name] = c
        }
        var rows: [PostgresRow] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                }
            }
            rows.append(PostgresRow(index: index, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, rows: rows, affected: affected)
    }
}

/// Calls `body` with C strings for `values` that stay valid for the duration of the call.
private func withCStrings<R>(_ values: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = values.map { value in value.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}

extension PostgresConnection {
    /// What libpq finds wrong with a connection URI, or nil when it reads it (several hosts included:
    /// `postgres://u:p@h1:5432,h2:5432/db?target_session_attrs=read-write`).
    public static func uriProblem(_ uri: String) -> String? {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(uri, &error) else {
            defer { if let error { PQfreemem(error) } }
            return error.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
                ?? "not a connection URI"
        }
        PQconninfoFree(options)
        return nil
    }
}
