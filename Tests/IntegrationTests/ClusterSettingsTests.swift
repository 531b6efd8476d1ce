import AMQPDriver
import Domain
import Foundation
import TestSupport
import Testing

/// CONTRACT.md "Past one machine", as much of it as one broker and one database server show: a process
/// given several nodes connects to one that answers, so a node that is down at the head of the list
/// costs nothing. (Nothing listens on port 1 of the loopback: a connection there is refused at once, as
/// to a killed node.)
@Suite(.serialized) struct ClusterSettingsTests {
    let database = TestEnvironment.database()

    static let deadBroker = "amqp://guest:guest@127.0.0.1:1/%2f"

    /// The test server's URL with its user, database or hosts changed: the hosts part is `hosts(server)`,
    /// where `server` is `host:port` of the test server (libpq takes several, comma-separated).
    static func databaseURL(
        user: String? = nil, database: String? = nil, query: String? = nil, hosts: (String) -> String = { $0 }
    ) throws -> String {
        guard let url = URLComponents(string: TestEnvironment.databaseURL), let scheme = url.scheme,
            let host = url.host
        else { throw TestFailure("not a URL: \(TestEnvironment.databaseURL)") }
        let credentials = user ?? [url.user, url.password].compactMap { $0 }.joined(separator: ":")
        let server = "\(host):\(url.port ?? 5432)"
        let path = database.map { "/" + $0 } ?? url.path
        return "\(scheme)://\(credentials)@\(hosts(server))\(path)" + (query.map { "?" + $0 } ?? "")
    }

    @Test func aDossierGoesThroughWhenTheFirstListedBrokerAndDatabaseAreDown() async throws {
        let environment = [
            "MOTCUA_AMQP_URL": Self.deadBroker + "," + TestEnvironment.amqpURL,
            // A server that is down listed before the test server, as libpq takes several hosts.
            "MOTCUA_DATABASE_URL": try Self.databaseURL(
                query: "target_session_attrs=read-write", hosts: { "127.0.0.1:1," + $0 }),
        ]
        try await withStack { stack in
            let intake = try await stack.intake(extra: environment)
            _ = try stack.worker(["--role", "recorder"], environment: environment)
            let answer = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(dossierBody(["receivedAt": "2026-01-29T10:00:00+07:00"])))
            #expect(answer.status == 202)
            let code = try #require(answer.json["code"] as? String)
            try await eventually("the dossier is recorded") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            let read = try await HTTP.send("GET", intake.base + "/v1/dossiers/\(code)", token: "all-token")
            #expect(read.status == 200 && read.json["status"] as? String == "received")
        }
    }

    /// Reports and the console read where MOTCUA_DATABASE_READ_URL says (a replica), the rest the primary:
    /// with a read URL that leads nowhere, a report is unavailable while dossiers are still accepted.
    @Test func reportsReadWhereTheReadURLSays() async throws {
        let nowhere = try Self.databaseURL(database: "motcua_no_replica")  // a database that does not exist
        try await withStack { stack in
            let intake = try await stack.intake(extra: ["MOTCUA_DATABASE_READ_URL": nowhere])
            let report = try await HTTP.send(
                "GET", intake.base + "/v1/reports?unit=000.00.19.H56&from=2026-01-01&to=2026-01-31", token: "all-token")
            #expect(report.status == 503)
            let answer = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(dossierBody(["receivedAt": "2026-01-29T10:00:00+07:00"])))
            #expect(answer.status == 202)
        }
        try await withStack { stack in
            let intake = try await stack.intake(extra: ["MOTCUA_DATABASE_READ_URL": TestEnvironment.databaseURL])
            let report = try await HTTP.send(
                "GET", intake.base + "/v1/reports?unit=000.00.19.H56&from=2026-01-01&to=2026-01-31", token: "all-token")
            #expect(report.status == 200)
        }
    }

    /// A node lost under a connected process: intake and the recorder reach the broker through a second
    /// address listed first (`ops/tcp-forward`, standing for a node of the cluster); that "node" is
    /// killed, their connections break, and they move to the node listed next. A dossier submitted after
    /// the loss (retried with its key while they reconnect) is recorded once.
    @Test func aProcessMovesToTheNextNodeWhenItsNodeIsLost() async throws {
        let broker = try #require(TestEnvironment.amqp.nodes.first)
        let port = Int.random(in: 20_000..<32_000)
        let ops = URL(fileURLWithPath: TestEnvironment.brokerControl).deletingLastPathComponent()
        let forwarder = Process()
        forwarder.executableURL = ops.appendingPathComponent("tcp-forward")
        forwarder.arguments = [String(port), "\(broker.host):\(broker.port)"]
        forwarder.standardOutput = FileHandle.nullDevice
        try forwarder.run()
        defer { if forwarder.isRunning { kill(forwarder.processIdentifier, SIGKILL) } }
        let viaForwarder = TestEnvironment.amqpURL.replacingOccurrences(
            of: "@\(broker.host):\(broker.port)/", with: "@127.0.0.1:\(port)/")
        #expect(viaForwarder != TestEnvironment.amqpURL)
        try await eventually("the forwarder reaches the broker") {
            (try? QueueInspection.depths(endpoint: AMQPEndpoint(url: viaForwarder)!, queues: ["motcua.recorder"]))
                != nil
        }
        let environment = ["MOTCUA_AMQP_URL": viaForwarder + "," + TestEnvironment.amqpURL]
        try await withStack { stack in
            let intake = try await stack.intake(extra: environment)
            _ = try stack.worker(["--role", "recorder"], environment: environment)
            func submit(_ key: String) async throws -> String {
                var code: String?
                try await eventually("dossier \(key) is accepted") {
                    let answer = try await HTTP.send(
                        "POST", intake.base + "/v1/dossiers", token: "all-token",
                        body: HTTP.json(
                            dossierBody(["receivedAt": "2026-01-29T10:00:00+07:00", "idempotencyKey": key])))
                    code = answer.json["code"] as? String
                    return [200, 202].contains(answer.status)
                }
                return try #require(code)
            }
            let key = UUID().uuidString
            let before = try await submit(key + "-before")
            try await eventually("both reach the broker through the first node") {
                try Self.established(port: port) >= 2
            }
            kill(forwarder.processIdentifier, SIGKILL)
            forwarder.waitUntilExit()
            let after = try await submit(key + "-after")
            try await eventually("both dossiers are recorded, once each") {
                try await database.count(
                    "SELECT count(*) FROM dossiers WHERE code = ANY($1::text[])",
                    [
                        "{\(before),\(after)}"
                    ]) == 2
            }
            #expect(try Self.established(port: port) == 0)
        }
    }

    /// A PostgreSQL failover as the workers meet it: the server they are connected to becomes read-only
    /// (a demoted primary, here a role whose sessions are read-only), so their writes fail with 25006.
    /// The batch is retried, never dead-lettered; once writes are taken again ("the new primary"), only
    /// new sessions can write (a session keeps the read-only state it began with), so the recorder must
    /// drop its connections and connect again, and then records the dossier once.
    @Test func aWorkerCutOffByAFailoverRetriesOnANewConnectionAndDeadLettersNothing() async throws {
        let role = "motcua_demoted"
        // Roles are made by the test cluster's superuser (ops/lib.sh: `postgres`, trusted on loopback).
        let admin = TestEnvironment.database(url: try Self.databaseURL(user: "postgres"))
        defer { Task { await admin.close() } }
        try await admin.withConnection { connection in
            _ = try connection.execute("DROP ROLE IF EXISTS \(role)")
            _ = try connection.execute("CREATE ROLE \(role) LOGIN PASSWORD 'demoted' IN ROLE motcua")
            _ = try connection.execute("ALTER ROLE \(role) SET default_transaction_read_only = on")
        }
        let demoted = try Self.databaseURL(user: "\(role):demoted")
        try await withStack { stack in
            let intake = try await stack.intake()
            _ = try stack.worker(["--role", "recorder"], environment: ["MOTCUA_DATABASE_URL": demoted])
            let rollbacks = "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()"
            let before = try await database.count(rollbacks)
            let code = try await intake.submit(
                plainDossier(receivedAt: VietnamTime.rfc3339(Date().addingTimeInterval(-600))))
            try await eventually("the recorder's batch is refused as read-only and retried (rolled back twice)") {
                try await database.count(rollbacks) - before >= 2
            }
            #expect(try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 0)
            try await admin.withConnection { connection in
                _ = try connection.execute("ALTER ROLE \(role) RESET default_transaction_read_only")
            }
            try await eventually(within: 60, "the dossier is recorded on a new connection") {
                try await database.count("SELECT count(*) FROM dossiers WHERE code = $1", [code]) == 1
            }
            let letters = try await motcua(["dlq", "list", "motcua.recorder", "--json"])
            #expect(!letters.output.contains(code))
        }
        try await admin.withConnection { connection in
            _ = try connection.execute("DROP ROLE IF EXISTS \(role)")
        }
    }

    /// Established TCP connections to the loopback port `port` (`ss`).
    static func established(port: Int) throws -> Int {
        let ss = Process()
        ss.executableURL = URL(fileURLWithPath: "/usr/bin/ss")
        ss.arguments = ["-Htn", "state", "established", "( dport = :\(port) )"]
        let output = Pipe()
        ss.standardOutput = output
        try ss.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ss.waitUntilExit()
        return text.split(separator: "\n").count
    }
}
