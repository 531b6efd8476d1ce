import Foundation

/// The notifier's outside world in the tests: `motcua-sms-sim` started by a test, and the SMTP server
/// `ops/test` starts (aiosmtpd, every message saved as a file in `MOTCUA_TEST_MAIL_DIR`). Their ports
/// are moved by `MOTCUA_TEST_OFFSET`, as the other servers' are.
public enum NotifierServers {
    static let env = ProcessInfo.processInfo.environment

    /// `smtp://user:password@127.0.0.1:PORT` of the test SMTP server (it asks for AUTH).
    public static var smtpURL: String {
        get throws {
            guard let url = env["MOTCUA_TEST_SMTP_URL"] else {
                throw TestFailure("MOTCUA_TEST_SMTP_URL is not set: run the tests with ops/test")
            }
            return url
        }
    }

    /// The e-mails the test SMTP server received, whole (headers and body), one file each.
    public static func mails(to address: String) throws -> [String] {
        guard let folder = env["MOTCUA_TEST_MAIL_DIR"] else {
            throw TestFailure("MOTCUA_TEST_MAIL_DIR is not set: run the tests with ops/test")
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".eml") }.compactMap { name in
            guard let text = try? String(contentsOfFile: folder + "/" + name, encoding: .utf8),
                text.contains("To: <\(address)>")
            else { return nil }
            return text
        }
    }

    /// The `k`-th port for an SMS gateway simulator (0 to 9): 55680 + k, moved by the offset.
    public static func smsPort(_ k: Int) -> Int {
        55680 + (Int(env["MOTCUA_TEST_OFFSET"] ?? "0") ?? 0) + k
    }

    /// A metrics port for a notifier under test (0 to 4): 55690 + k, moved by the offset.
    public static func metricsPort(_ k: Int) -> Int {
        55690 + (Int(env["MOTCUA_TEST_OFFSET"] ?? "0") ?? 0) + k
    }
}

/// A running `motcua-sms-sim`, and what it says it received.
public struct SMSGatewayUnderTest: Sendable {
    public let process: ChildProcess
    public let base: String

    public var url: String { base + "/messages" }

    public struct Received: Decodable, Sendable {
        public struct Message: Decodable, Sendable {
            public let to: String
            public let text: String
            public let reference: String
        }
        public let accepted: Int
        public let duplicates: Int
        public let requests: Int
        public let messages: [Message]
    }

    public func received() async throws -> Received {
        try JSONDecoder().decode(Received.self, from: try await HTTP.send("GET", base + "/received").body)
    }

    /// Injects faults for the next requests (`fail`, `refuse`, `timeout`, `dropAnswer`: counts;
    /// `delaySeconds`; `refuseAll`).
    public func faults(_ faults: [String: Any]) async throws {
        let answer = try await HTTP.send("POST", base + "/faults", body: HTTP.json(faults))
        guard answer.status == 200 else { throw TestFailure("the SMS simulator refused the faults: \(answer.status)") }
    }
}

extension Stack {
    /// Starts `motcua-sms-sim` on `NotifierServers.smsPort(k)` and waits until it answers.
    public func smsGateway(_ k: Int = 0, hangSeconds: Double = 30) async throws -> SMSGatewayUnderTest {
        let port = NotifierServers.smsPort(k)
        let process = try ChildProcess(
            "motcua-sms-sim", ["--port", String(port), "--hang-seconds", String(hangSeconds)])
        adopt(process)
        let gateway = SMSGatewayUnderTest(process: process, base: "http://127.0.0.1:\(port)")
        try await eventually(within: 20, "the SMS simulator answers") {
            (try? await HTTP.send("GET", gateway.base + "/healthz").status) == 200 || !process.isRunning
        }
        guard process.isRunning else { throw TestFailure("motcua-sms-sim did not start on port \(port)") }
        return gateway
    }
}
