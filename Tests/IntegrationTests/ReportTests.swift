import Domain
import Fixtures
import Foundation
import Store
import TestSupport
import Testing

/// `motcua report` and `GET /v1/reports` on the real servers: the seed's Bình Phước table rebuilt from
/// a 2023 stream sent through intake; `--children` rows adding up to the total; PostgreSQL counting
/// exactly what `ReportTally` defines.
@Suite(.serialized) struct ReportTests {
    let database = TestEnvironment.database()
    static let period = ["--from", "2023-08-24", "--to", "2023-09-24"]

    func report(_ unit: String, _ extra: [String] = []) async throws -> [String: Any] {
        let answer = try await motcua(["report", "--unit", unit] + Self.period + ["--format", "json"] + extra)
        guard answer.status == 0 else { throw TestFailure("motcua report failed: \(answer.error)") }
        return try JSONSerialization.jsonObject(with: Data(answer.output.utf8)) as! [String: Any]
    }

    /// Sends the stream as a client would, one request after the other; every one must be accepted. A
    /// dossier an earlier run sent to this database answers 200 with its code (the same idempotency key):
    /// its actions were sent then too.
    func send(_ planned: [SeedStream2023.Planned], to intake: IntakeUnderTest) async throws {
        for dossier in planned {
            let submitted = try await HTTP.send(
                "POST", intake.base + "/v1/dossiers", token: "all-token",
                body: HTTP.json(dossier.body))
            guard let code = submitted.json["code"] as? String, [200, 202].contains(submitted.status) else {
                throw TestFailure("submission answered \(submitted.status)")
            }
            if submitted.status == 200 { continue }
            for action in dossier.actions {
                let answer = try await intake.act(code, action)
                guard answer.status == 202 else { throw TestFailure("\(action) on \(code) answered \(answer.status)") }
            }
            for var payment in dossier.payments {
                payment["dossierCode"] = code
                let answer = try await HTTP.send(
                    "POST", intake.base + "/v1/payments", token: "all-token",
                    body: HTTP.json(payment))
                guard answer.status == 202 else { throw TestFailure("payment for \(code) answered \(answer.status)") }
            }
        }
    }

    @Test func theBinhPhuocTableOfSeed000IsRebuiltFromTheEventsAndItsChildrenAddUp() async throws {
        let path = NSTemporaryDirectory() + "catalog-2023-\(UUID().uuidString).json"
        try SeedStream2023.catalog.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try await motcua(["catalog", "load", path])
        #expect(loaded.status == 0, "\(loaded.error)")
        try await withStack { stack in
            let intake = try await stack.intake()
            // No deadlines role: the seed's unit issued no apology letter (see `SeedStream2023`).
            _ = try stack.worker()
            let seed = SeedStream2023.binhPhuocDossiers()
            let neighbours = SeedStream2023.neighbourDossiers()
            try await send(seed + neighbours, to: intake)
            let entries =
                seed.reduce(0) { $0 + 1 + $1.actions.count + $1.payments.count }
                + neighbours.reduce(0) { $0 + 1 + $1.actions.count + $1.payments.count }
            // The stream's own events; the linked groups an officer's resolve stopped add a note each.
            try await eventually(within: 180, "every event of the stream is recorded") {
                try await database.count(
                    """
                    SELECT count(*) FROM journal WHERE dossier_code LIKE ANY (ARRAY['000.00.19.H56-23%',
                        '000.15.02.H56-23%', '000.00.15.H56-23%']) AND type <> 'linked_stopped'
                    """) == entries
            }
            try await checkTheSeedTable()
            try await checkTheSameDocumentOverHTTP(intake)
            try await checkTheChildrenAddUp()
        }
    }

    func checkTheSeedTable() async throws {
        let doc = try await report(SeedStream2023.binhPhuoc)
        #expect(doc["unit"] as? String == "000.00.19.H56" && doc["from"] as? String == "2023-08-24")
        #expect(
            doc["received"] as? [String: Int] == [
                "total": 314, "direct": 70, "online": 218, "onlinePartial": 205,
                "onlineFull": 13, "postal": 1, "carriedOver": 25,
            ])
        #expect(
            doc["closed"] as? [String: Int] == [
                "resolved": 293, "early": 288, "onTime": 0, "overdue": 5,
                "rejected": 0, "withdrawn": 3,
            ])
        #expect(doc["open"] as? [String: Int] == ["total": 18, "withinTime": 18, "overdue": 0])
        let rates = doc["rates"] as! [String: [String: Any]]
        func rate(_ name: String) -> String {
            let r = rates[name]!
            return "\(r["numerator"]!)/\(r["denominator"]!) \(r["percent"]!)"
        }
        #expect(rate("onTime") == "288/293 98.29")
        #expect(rate("online") == "218/289 75.43")
        #expect(rate("digitizedDossiers") == "302/314 96.18")
        #expect(rate("digitizedResults") == "244/292 83.56")
        #expect(doc["payments"] as? [String: Int] == ["count": 189, "totalVnd": 2_318_000])
        #expect(
            doc["linkedGroups"] as? [String: [String: Int]] == [
                "birth": ["received": 9, "completed": 9],
                "death": ["received": 1, "completed": 1],
            ])
        #expect(doc["apologies"] as? [String: Int] == ["issued": 0, "timely": 0, "notTimely": 0, "escalations": 0])
        let index = Dictionary(
            uniqueKeysWithValues: (doc["index766"] as! [[String: Any]]).map {
                ($0["indicator"] as! String, "\($0["numerator"]!)/\($0["denominator"]!) \($0["percent"]!)")
            })
        #expect(index["2.1"] == "288/293 98.29" && index["3.3"] == "218/218 100" && index["3.6"] == "189/189 100")
        #expect(index["4.2"] == "302/314 96.18")

        let table = try await motcua(["report", "--unit", SeedStream2023.binhPhuoc] + Self.period)
        #expect(table.status == 0)
        let row = { (section: String) -> [String] in
            let lines = table.output.components(separatedBy: "\n")
            let start = lines.firstIndex(of: section)!
            return lines[start + 3].split(separator: " ").map(String.init).filter {
                Int($0.replacingOccurrences(of: ".", with: "")) != nil
            }
        }
        #expect(row("1. Tiếp nhận") == ["1", "314", "25", "70", "218", "205", "13", "1"])
        #expect(row("2. Giải quyết") == ["1", "293", "288", "0", "5", "0", "3", "18", "18", "0"])
        #expect(table.output.contains("288/293 (98.29%)") && table.output.contains("244/292 (83.56%)"))
        #expect(table.output.contains("302/314 (96.18%)") && table.output.contains("2.318.000"))
    }

    func checkTheSameDocumentOverHTTP(_ intake: IntakeUnderTest) async throws {
        let query = "/v1/reports?unit=000.00.19.H56&from=2023-08-24&to=2023-09-24"
        let cli = try await report(SeedStream2023.binhPhuoc) as NSDictionary
        let answer = try await HTTP.send("GET", intake.base + query, token: "all-token")
        #expect(answer.status == 200 && answer.headers["content-type"] == "application/json")
        #expect(try JSONSerialization.jsonObject(with: answer.body) as? NSDictionary == cli)
        // A unit token sees its own subtree only.
        #expect(try await HTTP.send("GET", intake.base + query, token: "binhphuoc-token").status == 200)
        let district = try await HTTP.send(
            "GET", intake.base + "/v1/reports?unit=000.00.15.H56&from=2023-08-24&to=2023-09-24",
            token: "binhphuoc-token")
        #expect(district.status == 403)
        #expect(try await HTTP.send("GET", intake.base + query).status == 401)
        let bad = try await HTTP.send(
            "GET", intake.base + "/v1/reports?unit=000.00.19.H56&from=2023-09-24&to=2023-08-24",
            token: "all-token")
        #expect(bad.status == 400 && bad.errorFields == ["to"])
        let unknown = try await HTTP.send(
            "GET", intake.base + "/v1/reports?unit=999.99.99.H99&from=2023-08-24&to=2023-09-24",
            token: "all-token")
        #expect(unknown.status == 404)
    }

    func checkTheChildrenAddUp() async throws {
        let district = try await report(SeedStream2023.district, ["--children"])
        let rows = district["children"] as! [[String: Any]]
        #expect(rows.first?["unit"] as? String == SeedStream2023.district && rows.first?["scope"] as? String == "own")
        #expect(rows.contains { $0["unit"] as? String == SeedStream2023.binhKhuong })
        let total = Self.counts(district)
        let sum = rows.map(Self.counts).reduce(into: [String: Int]()) { sum, row in sum.merge(row, uniquingKeysWith: +)
        }
        #expect(!total.isEmpty && total == sum)
        #expect(total["received.total"] == 319 && total["closed.resolved"] == 296 && total["payments.count"] == 190)
        // The child's row is the child's own report, and the unit's figure is the same with or without --children.
        let binhPhuoc = rows.first { $0["unit"] as? String == SeedStream2023.binhPhuoc }!
        #expect(Self.counts(binhPhuoc) == Self.counts(try await report(SeedStream2023.binhPhuoc)))
        #expect(Self.counts(try await report(SeedStream2023.district)) == total)
        let own = Self.counts(rows[0])
        #expect(own["received.direct"] == 2 && own["closed.early"] == 1 && own["closed.withdrawn"] == 1)
        let csv = try await motcua(
            ["report", "--unit", SeedStream2023.district] + Self.period + ["--children", "--format", "csv"])
        #expect(csv.output.hasPrefix("\u{FEFF}"))
        #expect(csv.output.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2 + rows.count)
    }

    /// Every count of a report row by its path (`received.total`, `index766.2.1.numerator`): the figures
    /// that add up (percents and scores do not).
    static func counts(_ row: [String: Any]) -> [String: Int] {
        var found: [String: Int] = [:]
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                for (key, inner) in object
                where !["children", "percent", "score", "max", "thresholdPercent"].contains(key) {
                    walk(inner, path.isEmpty ? key : "\(path).\(key)")
                }
            } else if let list = value as? [[String: Any]], path == "index766" {
                for item in list { walk(item, "index766.\(item["indicator"] as! String)") }
            } else if let number = value as? Int {
                found[path] = number
            }
        }
        walk(row, "")
        return found
    }

    @Test func postgresCountsWhatTheTallyDefines() async throws {
        // Random dossiers of three units that exist nowhere else, their facts written as the workers do.
        var generator = SeededGenerator(seed: 766)
        let units = ["000.97.01.H56", "000.97.02.H56", "000.97.03.H56"]
        let procedures = ["2.000575", "1.004227", "1.001776"]
        let catalog = CatalogSnapshot(try await CatalogStore(database: database).fetch())
        let start = Timestamp.parse("2023-07-20T00:00:00+07:00")!
        var histories: [DossierHistory] = []
        let types: [ActionType] = [
            .requestSupplement, .supplement, .transfer, .extend, .resolve, .reject, .return, .withdraw,
        ]
        for n in 0..<600 {
            let received = start.addingTimeInterval(Double(Int.random(in: 0..<(90 * 86_400), using: &generator)))
            let procedure = procedures.randomElement(using: &generator)!
            let channel = Channel.allCases.randomElement(using: &generator)!
            var at = received
            var steps: [DossierLifecycle.Step] = []
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                at = at.addingTimeInterval(Double(Int.random(in: 600..<(9 * 86_400), using: &generator)))
                let type = types.randomElement(using: &generator)!
                // A transfer moves the dossier to one of the three units: whoever holds it at its close
                // resolved it ("resolved by").
                let toUnit = type == .transfer ? units.randomElement(using: &generator) : nil
                steps.append(
                    .action(
                        DossierAction(
                            type: type, at: at, reason: "lý do", toUnit: toUnit,
                            newDueAt: type == .extend ? at.addingTimeInterval(5 * 86_400) : nil)))
            }
            var payments: [DossierHistory.Payment] = []
            for k in 0..<Int.random(in: 0...2, using: &generator) {
                let paidAt: Date = received.addingTimeInterval(Double(k * 86_400 * 20 + 60))
                payments.append(
                    DossierHistory.Payment(
                        status: k == 0 ? .succeeded : .refunded, amountVnd: 100_000,
                        paidAt: paidAt))
            }
            let digitizedLater = Bool.random(using: &generator)
            histories.append(
                DossierHistory(
                    code: "\(units[n % 3])-REPORT-\(n)", unitCode: units[n % 3], procedureCode: procedure,
                    channel: channel,
                    onlineLevel: channel == .online ? .partial : nil, receivedAt: received,
                    initialDueAt: received.addingTimeInterval(3 * 86_400),
                    components: [
                        Component(
                            name: "Tờ khai", digitized: Bool.random(using: &generator),
                            reused: Bool.random(using: &generator))
                    ],
                    linkedGroup: n % 10 == 0 ? .birth : nil, steps: steps,
                    fileEntries: digitizedLater
                        ? [
                            .init(
                                at: received.addingTimeInterval(86_400 * 10), target: .component,
                                name: "Tờ khai")
                        ] : [],
                    payments: payments,
                    // One in five received for another of the three units to handle.
                    handlingUnit: n % 5 == 0 ? units[(n + 1) % 3] : nil))
        }
        let facts = histories.map { DossierReportFacts.derive($0, catalog: catalog) }
        #expect(facts.filter { $0.closedBy != nil && $0.closedBy != $0.unitCode }.count > 20)
        try await database.withTransaction { try ReportLedger.write(facts, on: $0) }
        defer {
            Task { [database] in
                try? await database.withConnection {
                    try $0.execute(
                        "DELETE FROM report_dossiers WHERE unit_code = ANY($1::text[])",
                        [PostgresArray.literal(units)])
                }
            }
        }
        let periods = [
            ("2023-08-24", "2023-09-24"), ("2023-09-01", "2023-09-01"), ("2023-07-01", "2023-12-31"),
            ("2023-10-15", "2023-11-30"),
        ]
        for (from, to) in periods {
            let period = ReportPeriod(from: LocalDate(iso: from)!, to: LocalDate(iso: to)!)!
            for now in [Timestamp.parse("2023-09-10T12:00:00+07:00")!, Timestamp.parse("2026-12-01T00:00:00+07:00")!] {
                let tally = ReportTally(period: period, now: now)
                for unit in ["000.97.00.H56", units[2]] {
                    let membership = ReportMembership(
                        unit: unit, period: period, children: true, catalog: Self.merger(units))
                    let sql = try await database.withConnection { connection in
                        try ReportQuery.counts(spans: membership.spans, period: period, now: now, on: connection)
                    }
                    let expected = tally.counts(facts, membership: membership)
                    if from == "2023-07-01" { #expect(expected.values.contains { $0.closedByReceivedElsewhere > 0 }) }
                    for row in 0...membership.rows.count {
                        #expect(
                            (sql[row] ?? ReportCounts()) == (expected[row] ?? ReportCounts()),
                            "\(unit) row \(row) \(from)–\(to) at \(now)")
                    }
                    let counted = facts.filter { membership.row(of: $0.unitCode, receivedAt: $0.receivedAt) != nil }
                    #expect(!counted.isEmpty && counted.count < facts.count, "\(unit)")
                }
            }
        }
    }

    /// The three units of `postgresCountsWhatTheTallyDefines` under a root, dated: the first ends on 31/8/2023
    /// into the third; the second moves under the third from 16/9/2023.
    static func merger(_ units: [String]) -> CatalogSnapshot {
        let root = "000.97.00.H56"
        func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }
        return CatalogSnapshot(
            Catalog(units: [
                Unit(code: root, name: "Gốc", level: .province, parent: nil),
                Unit(
                    code: units[0], name: "Một", level: .commune, parent: root, validTo: day("2023-08-31"),
                    successor: units[2]),
                Unit(code: units[1], name: "Hai", level: .commune, parent: root, validTo: day("2023-09-15")),
                Unit(code: units[1], name: "Hai", level: .commune, parent: units[2], validFrom: day("2023-09-16")),
                Unit(code: units[2], name: "Ba", level: .commune, parent: root),
            ]))
    }
}
