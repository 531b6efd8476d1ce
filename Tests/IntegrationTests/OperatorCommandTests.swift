import AMQPDriver
import Domain
import Foundation
import Store
import TestSupport
import Testing

/// The `motcua` CLI against the real servers.
@Suite(.serialized) struct OperatorCommandTests {
    let database = TestEnvironment.database()

    func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "catalog-\(UUID().uuidString).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func migrateIsSafeToRunTwice() async throws {
        #expect(try await motcua(["migrate"]).status == 0)
        let again = try await motcua(["migrate"])
        #expect(again.status == 0 && again.output.contains("schema up to date"))
    }

    @Test func aBrokenCatalogIsRefusedWholeWithTheReason() async throws {
        let units = try await database.count("SELECT count(*) FROM units")
        let broken = try file(
            """
            {"units": [{"code": "001.00.01.H56", "name": "UBND xã Thử", "level": "commune", "parent": "000.00.15.H56"},
                       {"code": "nope", "name": "X", "level": "commune"}]}
            """)
        let refused = try await motcua(["catalog", "load", broken])
        #expect(refused.status != 0)
        #expect(refused.error.contains("units[1].code") && refused.error.split(separator: "\n").count == 1)
        #expect(try await database.count("SELECT count(*) FROM units") == units)
    }

    @Test func aCatalogLoadUpsertsByCodeAndYear() async throws {
        let good = try file(
            """
            {"units": [{"code": "001.00.02.H56", "name": "UBND xã Thử Nghiệm", "level": "commune",
                        "parent": "000.00.15.H56", "officeHours": [["07:00", "11:00"], ["13:00", "16:30"]]}],
             "procedures": [{"code": "9.000001", "name": "Thủ tục thử", "field": "Thử", "processing": {"workingHours": 4},
                             "feeVnd": 5000, "onlineLevel": "partial", "paperResult": false}],
             "calendars": [{"year": 2027, "holidays": ["2027-01-01"], "makeUpDays": []}]}
            """)
        #expect(try await motcua(["catalog", "load", good]).status == 0)
        #expect(try await motcua(["catalog", "load", good]).status == 0)
        #expect(try await database.count("SELECT count(*) FROM units WHERE code = '001.00.02.H56'") == 1)
        let listed = try await motcua(["catalog", "list", "--json"])
        let catalog = try Catalog.parse(Data(listed.output.utf8))
        #expect(catalog.procedures.contains { $0.code == "9.000001" && $0.processing == .workingHours(4) })
        #expect(catalog.calendars.contains { $0.year == 2027 })
    }

    @Test func queuesReportsEveryWorkQueue() async throws {
        try await BrokerSession.using(TestEnvironment.amqp) { _ in }  // declares the queues, as any process does
        let answer = try await motcua(["queues", "--json"])
        #expect(answer.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(answer.output.utf8)) as? [String: Any]
        let names = (report?["queues"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == Topology.workQueues.map(\.name))
        // Each is a quorum queue: its leader, its members (one node here) and their majority.
        for queue in report?["queues"] as? [[String: Any]] ?? [] {
            let members = queue["members"] as? [String] ?? []
            #expect(members.count == 1 && queue["online"] as? [String] == members, "\(queue["name"] ?? "")")
            #expect(queue["leader"] as? String == members.first && queue["majority"] as? Bool == true)
        }
        let table = try await motcua(["queues"])
        #expect(table.output.contains("LEADER") && table.output.contains("1/1"))
    }
}
