import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Runtime
import TestSupport

@testable import Intake

/// An intake application in process, on the real PostgreSQL of `ops/test`, with an in-memory broker.
struct Edge {
    let publisher = MemoryPublisher()
    let database = TestEnvironment.database()

    static let settings: Settings = {
        var env = ProcessInfo.processInfo.environment
        env["MOTCUA_API_TOKENS"] = TestEnvironment.tokens
        env["MOTCUA_TRUSTED_PROXIES"] = "127.0.0.1"
        return try! Settings.fromEnvironment(env, requireTokens: true)
    }()

    /// - Parameters:
    ///   - registry: what `/metrics` serves; a fresh one unless a test reads it.
    ///   - logger: the application's, from which each request's logger is made.
    ///   - mode: `.router` (no socket), or `.live` where a test needs a peer address (127.0.0.1).
    func run(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        logger: Logger = TestEnvironment.logger, mode: TestingSetup = .router,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let app = try await IntakeApplication.build(
            settings: Self.settings, registry: registry, logger: logger,
            publisher: publisher)
        try await app.test(mode, body)
    }
}

extension TestClientProtocol {
    /// Sends `body` (a JSON object, or raw bytes) with the token, and returns status, headers and JSON.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = "all-token", json: Any? = nil,
        raw: Data? = nil, headers extra: HTTPFields = [:]
    ) async throws -> EdgeAnswer {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers[.contentType] = "application/json"
        let data = raw ?? json.map { try! JSONSerialization.data(withJSONObject: $0) }
        return try await execute(
            uri: uri, method: method, headers: headers,
            body: data.map { ByteBuffer(bytes: $0) }
        ) { response in
            EdgeAnswer(
                status: Int(response.status.code), headers: response.headers,
                body: Data(buffer: response.body))
        }
    }
}

struct EdgeAnswer: Sendable {
    let status: Int
    let headers: HTTPFields
    let body: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var errorFields: [String] { (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String } }
    var contentType: String? { headers[.contentType] }
}
