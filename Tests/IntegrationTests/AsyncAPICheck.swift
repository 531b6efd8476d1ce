import AMQPDriver
import Foundation
import Synchronization
import TestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A private queue bound with `#` on one exchange, as a downstream service would bind one, and every
/// message it received.
final class Tap: Sendable {
    let exchange: String
    let consumer: QueueConsumer
    private let received = Mutex<[Delivery]>([])

    init(_ exchange: String) {
        self.exchange = exchange
        consumer = QueueConsumer(
            endpoint: TestEnvironment.amqp, queue: "test.asyncapi.\(UUID().uuidString)",
            prefetch: 500, subscription: (exchange, "#"), logger: TestEnvironment.logger)
    }

    /// Takes deliveries until the consumer is closed.
    func run() async {
        for await batch in consumer.deliveries {
            received.withLock { $0 += batch }
            consumer.ack(batch)
        }
    }

    var deliveries: [Delivery] { received.withLock { $0 } }

    /// The deliveries whose CloudEvents `subject` is one of `codes`.
    func deliveries(about codes: Set<String>) -> [Delivery] {
        deliveries.filter { codes.contains(AsyncAPICheck.envelope($0.body)["subject"] as? String ?? "") }
    }
}

/// `ops/asyncapi-check`: checks message files against `docs/asyncapi.yaml`.
enum AsyncAPICheck {
    static var script: String { FileManager.default.currentDirectoryPath + "/ops/asyncapi-check" }

    struct Message {
        var exchange: String
        var routingKey: String
        var messageId: String?
        var body: Data
    }

    struct Outcome {
        let status: Int32
        let output: String
        /// File name → the message of the document it matched, for every message that passed.
        let passed: [String: String]
        /// File names of the messages that failed.
        let failed: Set<String>
        /// Every routing key that passed.
        let passedKeys: Set<String>
    }

    static func envelope(_ body: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    /// Writes each message to its own file (`NNN.json`: exchange, routing key, message id and the body
    /// as received) in a new folder, runs the checker on the folder and reads its verdicts.
    static func run(_ messages: [Message]) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("motcua-asyncapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, message) in messages.enumerated() {
            let record: [String: Any] = [
                "exchange": message.exchange, "routingKey": message.routingKey,
                "messageId": message.messageId.map { $0 as Any } ?? NSNull(),
                "body": String(decoding: message.body, as: UTF8.self),
            ]
            try JSONSerialization.data(withJSONObject: record)
                .write(to: folder.appendingPathComponent(String(format: "%03d.json", index)))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = [folder.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var passed: [String: String] = [:]
        var failed: Set<String> = []
        var keys: Set<String> = []
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 5 else { continue }
            if fields[0] == "ok" {
                passed[fields[1]] = fields[4]
                keys.insert(fields[3])
            } else if fields[0] == "FAIL" {
                failed.insert(fields[1])
            }
        }
        return Outcome(
            status: process.terminationStatus, output: output, passed: passed, failed: failed,
            passedKeys: keys)
    }

    /// The same message with its JSON body changed by `change`.
    static func altered(_ message: Message, routingKey: String? = nil, _ change: (inout [String: Any]) -> Void) throws
        -> Message
    {
        var body = envelope(message.body)
        change(&body)
        return Message(
            exchange: message.exchange, routingKey: routingKey ?? message.routingKey,
            messageId: message.messageId, body: try JSONSerialization.data(withJSONObject: body))
    }
}

/// The management API (`MOTCUA_RABBITMQ_API_URL`), as the tests ask it.
enum ManagementAPI {
    /// The bindings of an exchange, to see that a process bound its queue.
    static func bindings(from exchange: String) async throws -> [(destination: String, routingKey: String)] {
        let list = try await send("GET", "/api/exchanges/%2F/\(exchange)/bindings/source") as? [[String: Any]] ?? []
        return list.map { ($0["destination"] as? String ?? "", $0["routing_key"] as? String ?? "") }
    }

    /// The arguments a queue was declared with.
    static func arguments(ofQueue name: String) async throws -> [String: Any] {
        let queue = try await send("GET", "/api/queues/%2F/\(name)") as? [String: Any]
        return queue?["arguments"] as? [String: Any] ?? [:]
    }

    static func deleteQueue(_ name: String) async throws { _ = try await send("DELETE", "/api/queues/%2F/\(name)") }

    private static func send(_ method: String, _ path: String) async throws -> Any? {
        let base =
            ProcessInfo.processInfo.environment["MOTCUA_RABBITMQ_API_URL"]
            ?? "http://guest:guest@127.0.0.1:15672"
        guard var components = URLComponents(string: base) else { throw TestFailure("bad MOTCUA_RABBITMQ_API_URL") }
        let credentials = "\(components.user ?? "guest"):\(components.password ?? "guest")"
        components.user = nil
        components.password = nil
        guard let root = components.string, let url = URL(string: root + path) else {
            throw TestFailure("bad MOTCUA_RABBITMQ_API_URL")
        }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = method
        request.setValue("Basic " + Data(credentials.utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw TestFailure(
                "management API: \(method) \(path) answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        return data.isEmpty ? nil : try JSONSerialization.jsonObject(with: data)
    }
}
