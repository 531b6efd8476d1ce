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
        // Many workers run side by side in the tests: none serves metrics unless a test asks for it.
        env["MOTCUA_METRICS_PORT"] = "0"
        env.merge(environment) { _, new in new }
        process.environment = env
        // Never the test runner's own pipes: a child that outlived the runner would hold them open.
        let logs = ProcessInfo.processInfo.environment["MOTCUA_TEST_LOGS"] ?? NSTemporaryDirectory()
        let logPath = "\(logs)/\(executable)-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath) ?? FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: Int32 { process.processIdentifier }
    public var exitStatus: Int32 { process.terminationStatus }

    /// SIGTERM, then wait for a graceful exit. A stopped process is continued to receive it.
    public func terminate() async {
        guard process.isRunning else { return }
        process.terminate()
        Foundation.kill(process.processIdentifier, SIGCONT)
        await waitForExit()
    }

    /// SIGSTOP: the process keeps its connections open and does nothing, as a hung one would.
    public func suspend() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGSTOP)
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

/// The processes a test started; `withStack` stops every one of them when the test ends.
public final class Stack: @unchecked Sendable {
    // Invariant for @unchecked Sendable: `processes` is guarded by `lock`.
    private let lock = NSLock()
    private var processes: [ChildProcess] = []

    /// Every role but `deadlines` unless told: most tests use back-dated dossiers (fixed dates, for exact
    /// due moments), whose deadlines have passed; the deadline tests start that role themselves.
    public static let allButDeadlines = ["--role", "recorder,digitization,payments,outbox"]

    public func worker(_ arguments: [String] = Stack.allButDeadlines, environment: [String: String] = [:]) throws
        -> ChildProcess
    {
        let process = try ChildProcess("motcua-workers", arguments, environment: environment)
        lock.withLock { processes.append(process) }
        return process
    }

    /// `motcua-partner-sim`, the partner agencies' stand-in.
    public func partnerSimulator(environment: [String: String] = [:]) throws -> ChildProcess {
        let process = try ChildProcess("motcua-partner-sim", [], environment: environment)
        lock.withLock { processes.append(process) }
        return process
    }

    public func intake(extra: [String: String] = [:]) async throws -> IntakeUnderTest {
        let intake = try await IntakeUnderTest.start(extra: extra)
        lock.withLock { processes.append(intake.process) }
        return intake
    }

    /// Stops `process` with the others when the test ends.
    public func adopt(_ process: ChildProcess) { lock.withLock { processes.append(process) } }

    fileprivate func stopAll(gracefully: Bool) async {
        for process in lock.withLock({ processes }) {
            if gracefully { await process.terminate() } else { await process.kill() }
        }
    }
}

/// Runs `body` with a `Stack`, then stops what it started (SIGTERM; SIGKILL when the test failed).
public func withStack<T>(_ body: (Stack) async throws -> T) async throws -> T {
    let stack = Stack()
    do {
        let result = try await body(stack)
        await stack.stopAll(gracefully: true)
        return result
    } catch {
        await stack.stopAll(gracefully: false)
        throw error
    }
}

/// Runs `motcua ARGUMENTS` to its end and returns what it printed.
public func motcua(_ arguments: [String]) async throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestEnvironment.binDir + "/motcua")
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let error = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
}

/// A running `motcua-intake` on a port of its own.
public struct IntakeUnderTest: Sendable {
    public let process: ChildProcess
    public let base: String

    /// Starts intake on a free port below the ephemeral range (32768+), where outgoing connections
    /// cannot be holding it; if the port was taken anyway, intake exits and another one is tried.
    public static func start(extra: [String: String] = [:]) async throws -> IntakeUnderTest {
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<32_000)
            var environment = ["MOTCUA_HTTP_PORT": String(port), "MOTCUA_API_TOKENS": TestEnvironment.tokens]
            environment.merge(extra) { _, new in new }
            let process = try ChildProcess("motcua-intake", environment: environment)
            let intake = IntakeUnderTest(process: process, base: "http://127.0.0.1:\(port)")
            try await eventually(within: 30, "intake answers /healthz or exits") {
                let healthy = (try? await HTTP.send("GET", intake.base + "/healthz").status) == 200
                return healthy || !process.isRunning
            }
            if process.isRunning { return intake }
        }
        throw TestFailure("intake did not start on any of 5 ports")
    }
}
