import AMQPDriver
import Foundation
import Logging
import Runtime
import Store

/// Where the servers and binaries under test are; `ops/test` sets these.
public enum TestEnvironment {
    static let env = ProcessInfo.processInfo.environment

    public static var databaseURL: String {
        env["MOTCUA_DATABASE_URL"] ?? "postgres://motcua:motcua@127.0.0.1:5432/motcua"
    }
    public static var amqpURL: String { env["MOTCUA_AMQP_URL"] ?? "amqp://guest:guest@127.0.0.1:5672/%2f" }
    public static var amqp: AMQPEndpoint { AMQPEndpoint(url: amqpURL, topology: .motcua)! }
    /// The folder holding `motcua-intake`, `motcua-workers` and `motcua`.
    public static var binDir: String {
        env["MOTCUA_BIN_DIR"] ?? FileManager.default.currentDirectoryPath + "/.build/debug"
    }
    /// `ops/broker`: stops and starts the test broker.
    public static var brokerControl: String {
        env["MOTCUA_TEST_BROKER"] ?? FileManager.default.currentDirectoryPath + "/ops/broker"
    }

    public static let logger: Logger = {
        var logger = Logger(label: "motcua.tests")
        logger.logLevel = .critical
        return logger
    }()

    /// A token with every scope, and one for Bình Phước commune only.
    public static let tokens = "all-token=*,binhphuoc-token=000.00.19.H56,dongson-token=000.21.07.H06"

    public static func database() -> PostgresClient { PostgresClient(url: databaseURL, size: 2, logger: logger) }
    /// A client of another database (or user) on the test server.
    public static func database(url: String) -> PostgresClient { PostgresClient(url: url, size: 2, logger: logger) }

    /// `ops/database`: stops and starts the test PostgreSQL.
    public static var databaseControl: String {
        env["MOTCUA_TEST_DATABASE"] ?? FileManager.default.currentDirectoryPath + "/ops/database"
    }

    /// Runs `ops/broker stop|start|block|unblock` and waits for it.
    public static func broker(_ action: String) async throws { try await run(brokerControl, action) }

    /// Runs `ops/database stop|start` and waits for it.
    public static func databaseServer(_ action: String) async throws { try await run(databaseControl, action) }

    private static func run(_ script: String, _ action: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = [action]
        // Not the runner's own pipes: a server the script starts would hold them open.
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await eventually(within: 120, "\(script) \(action) finishes") { !process.isRunning }
        guard process.terminationStatus == 0 else { throw TestFailure("\(script) \(action) failed") }
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `seconds` pass: the tests' only way to wait.
public func eventually(
    within seconds: Double = 20, _ what: String = "condition",
    _ condition: () async throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    if try await condition() { return }
    throw TestFailure("\(what) did not hold within \(seconds) s")
}

extension PostgresClient {
    /// The integer of a one-value query.
    public func count(_ sql: String, _ parameters: [String?] = []) async throws -> Int {
        try await withConnection { connection in
            let rows = try connection.execute(sql, parameters)
            return try rows.first!.int(rows.columns[0])
        }
    }
}
