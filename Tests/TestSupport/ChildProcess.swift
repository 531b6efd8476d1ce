import Foundation

/// A pipeline executable started by a test, stopped with SIGTERM or killed with SIGKILL.
public final class ChildProcess: @unchecked Sendable {
    // Invariant for @unchecked Sendable: `process` is configured before start and only signalled after.
    private let process = Process()
    public let name: String

    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws {
        name = executable
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binDir + "/" + executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["MOTCUA_LOG_LEVEL"] = env["MOTCUA_TEST_LOG_LEVEL"] ?? "warning"
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }
    public var exitStatus: Int32 { process.terminationStatus }

    /// SIGTERM, then wait for a graceful exit.
    public func terminate() async {
        guard process.isRunning else { return }
        process.terminate()
        await waitForExit()
    }

    /// SIGKILL: no chance to finish anything.
    public func kill() async {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        await waitForExit()
    }

    public func waitForExit() async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    deinit { if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) } }
}

/// A running `motcua-intake` on a port of its own.
public struct IntakeUnderTest: Sendable {
    public let process: ChildProcess
    public let base: String

    public static func start(extra: [String: String] = [:]) async throws -> IntakeUnderTest {
        let port = Int.random(in: 20_000...40_000)
        var environment = ["MOTCUA_HTTP_PORT": String(port), "MOTCUA_API_TOKENS": TestEnvironment.tokens]
        environment.merge(extra) { _, new in new }
        let process = try ChildProcess("motcua-intake", environment: environment)
        let intake = IntakeUnderTest(process: process, base: "http://127.0.0.1:\(port)")
        try await eventually(within: 30, "intake answers /healthz") {
            try await HTTP.send("GET", intake.base + "/healthz").status == 200
        }
        return intake
    }
}
