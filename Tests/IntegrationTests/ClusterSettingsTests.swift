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

    /// The test server's URL with a server that is down listed before it, as libpq takes several hosts.
    static func databaseURLWithADeadServerFirst() throws -> String {
        let url = TestEnvironment.databaseURL
        guard let at = url.range(of: "@") else { throw TestFailure("no user in \(url)") }
        var listed = url
        listed.insert(contentsOf: "127.0.0.1:1,", at: at.upperBound)
        return listed + (url.contains("?") ? "&" : "?") + "target_session_attrs=read-write"
    }

    @Test func aDossierGoesThroughWhenTheFirstListedBrokerAndDatabaseAreDown() async throws {
        let environment = [
            "MOTCUA_AMQP_URL": Self.deadBroker + "," + TestEnvironment.amqpURL,
            "MOTCUA_DATABASE_URL": try Self.databaseURLWithADeadServerFirst(),
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
        let primary = TestEnvironment.databaseURL
        guard let slash = primary.range(of: "/", options: .backwards) else {
            throw TestFailure("no database in \(primary)")
        }
        let nowhere = String(primary[..<slash.upperBound]) + "motcua_no_replica"  // a database that does not exist
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
}
