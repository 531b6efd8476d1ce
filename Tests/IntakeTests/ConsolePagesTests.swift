import Domain
import Foundation
import Store
import TestSupport
import Testing

@testable import Intake

/// The console's Liên thông and Báo cáo pages in process, on rows written as the workers write them
/// (the pages in a real browser, with the workers and the partner simulator, are Tests/Browser).
@Suite struct ConsolePagesTests {
    typealias Console = ConsoleTests
    static let csrf = String(repeating: "d", count: 64)
    static func session(_ token: String) -> [String: String] { ["motcua_csrf": csrf, "motcua_console": token] }

    static func text(_ answer: EdgeAnswer) -> String { String(decoding: answer.body, as: UTF8.self) }

    static func received(
        _ code: String, channel: Channel, onlineLevel: OnlineLevel? = nil, at: Date,
        linked: LinkedGroupChoice? = nil
    ) -> DossierReceived {
        DossierReceived(
            code: code, procedureCode: linked == nil ? "1.004222" : "1.001193",
            unitCode: String(code.prefix(13)),
            channel: channel, onlineLevel: onlineLevel,
            applicant: Applicant(personalId: "051095001234", fullName: "Đỗ D"), components: [],
            receivedAt: at, dueAt: at.addingTimeInterval(10 * 86_400), idempotencyKey: nil,
            linkedGroup: linked)
    }

    /// Records `dossiers` as the recorder does (read model, journal, linked group, report facts) after
    /// removing whatever an earlier run left under the same codes.
    static func record(_ dossiers: [DossierReceived], database: PostgresClient) async throws {
        let codes = PostgresArray.literal(dossiers.map(\.code))
        let catalog = try await CatalogCache.load(
            store: CatalogStore(database: database), logger: TestEnvironment.logger)
        try await database.withTransaction { connection in
            for table in ["linked_timers", "linked_steps", "linked_groups", "journal", "deadline_timers"] {
                try connection.execute("DELETE FROM \(table) WHERE dossier_code = ANY($1::text[])", [codes])
            }
            for table in ["report_dossiers", "dossiers"] {
                try connection.execute("DELETE FROM \(table) WHERE code = ANY($1::text[])", [codes])
            }
            try DossierJournal.recordReceived(
                dossiers.map { ($0, "/tests/console", UUID().uuidString) }, on: connection)
            try LinkedStore.insert(
                dossiers.compactMap { dossier in
                    dossier.linkedGroup.map {
                        LinkedSaga.open(
                            $0, dossierCode: dossier.code, unitCode: dossier.unitCode,
                            environment: LinkedEnvironment(now: Date()))
                    }
                }, timeoutSeconds: 60, on: connection)
            let recorded = Set(dossiers.map(\.code))
            _ = try DossierProjection.refresh(codes: recorded, catalog: catalog.current, on: connection)
            try ReportLedger.refresh(codes: recorded, catalog: catalog.current, on: connection)
        }
    }

    /// "STATUS ATTEMPTS BUDGET_START" of the group's first step.
    static func firstStep(_ code: String, _ database: PostgresClient) async throws -> String {
        try await database.withConnection { connection in
            try connection.execute(
                """
                SELECT status || ' ' || attempts || ' ' || budget_start AS s FROM linked_steps
                WHERE dossier_code = $1 AND step = 'birth_registration'
                """, [code]
            ).rows[0].string("s")
        }
    }

    @Test func aStuckStepIsListedForItsUnitAndItsButtonReArmsItOnce() async throws {
        let edge = Edge()
        let code = "000.00.19.H56-200104-\(Int.random(in: 10_000...99_999))"
        try await Self.record(
            [
                Self.received(
                    code, channel: .online, onlineLevel: .full, at: Date(),
                    linked: LinkedGroupChoice(group: .birth, steps: ["permanent_residence"]))
            ],
            database: edge.database)
        // The justice office never answered: five attempts used, the step stuck, its timers gone.
        try await edge.database.withConnection { connection in
            try connection.execute(
                """
                UPDATE linked_steps SET status = 'stuck', attempts = 5, next_attempt_at = NULL,
                    last_error = 'no answer within 60 s', since = now() - interval '2 hours'
                WHERE dossier_code = $1 AND step = 'birth_registration'
                """, [code])
            try connection.execute("DELETE FROM linked_timers WHERE dossier_code = $1", [code])
        }
        let row = "data-step=\"\(code)/birth_registration\""
        try await edge.run { client in
            let page = try await Console.get(client, "/console/linked", cookies: Self.session("all-token"))
            let html = Self.text(page)
            #expect(page.status == 200 && html.contains(row))
            #expect(
                html.contains("no answer within 60 s") && html.contains("2 giờ"),
                "the last error and how long it waited")
            #expect(
                html.contains("action=\"/console/linked/\(code)/birth_registration/retry\"")
                    && html.contains("value=\"\(Self.csrf)\""))

            let elsewhere = try await Console.get(client, "/console/linked", cookies: Self.session("dongson-token"))
            #expect(
                elsewhere.status == 200 && !Self.text(elsewhere).contains(code), "another unit's step is not listed")
            let path = "/console/linked/\(code)/birth_registration/retry"
            let foreign = try await Console.post(
                client, path, form: "csrf=\(Self.csrf)", cookies: Self.session("dongson-token"))
            #expect(foreign.status == 403)
            let forged = try await Console.post(client, path, form: "", cookies: Self.session("binhphuoc-token"))
            #expect(forged.status == 403)
            #expect(try await Self.firstStep(code, edge.database) == "stuck 5 0", "a refused form changes nothing")

            let retried = try await Console.post(
                client, path, form: "csrf=\(Self.csrf)", cookies: Self.session("binhphuoc-token"))
            #expect(retried.status == 303 && retried.headers[.location]?.hasPrefix("/console/linked?retried=") == true)
            #expect(
                try await Self.firstStep(code, edge.database) == "pending 5 5",
                "a fresh budget of attempts, sent at once")
            let sends = try await edge.database.count(
                "SELECT count(*) FROM linked_timers WHERE dossier_code = $1 AND kind = 'send'", [code])
            let journaled = try await edge.database.count(
                "SELECT count(*) FROM journal WHERE dossier_code = $1 AND type = 'linked_step_rearmed' AND actor = 'console'",
                [code])
            #expect(sends == 1 && journaled == 1)

            // The same button again: the step is no longer stuck, and the page says so.
            let again = try await Console.post(
                client, path, form: "csrf=\(Self.csrf)", cookies: Self.session("binhphuoc-token"))
            let location = try #require(again.headers[.location])
            #expect(again.status == 303 && location.hasPrefix("/console/linked?refused="))
            let refused = try await Console.get(client, location, cookies: Self.session("binhphuoc-token"))
            #expect(Self.text(refused).contains("not stuck: nothing to retry") && !Self.text(refused).contains(row))
            #expect(try await Self.firstStep(code, edge.database) == "pending 5 5")
        }
    }

    /// Journals `actions` on `code` as the recorder does, and replays the dossier (read model, timers, report row).
    static func act(_ code: String, _ actions: [DossierAction], database: PostgresClient) async throws {
        let catalog = try await CatalogCache.load(
            store: CatalogStore(database: database), logger: TestEnvironment.logger)
        try await database.withTransaction { connection in
            try DossierJournal.append(
                try actions.map {
                    try JournalEntry.action(
                        DossierActionEvent(code: code, action: $0), source: "/tests/console",
                        eventId: UUID().uuidString)
                }, on: connection)
            _ = try DossierProjection.refresh(codes: [code], catalog: catalog.current, on: connection)
            try ReportLedger.refresh(codes: [code], catalog: catalog.current, on: connection)
        }
    }

    /// Overdue as the report counts it (past the receipt's due moment unless waiting for a supplement, or a
    /// letter, or a second supplement request); overdue ones lead the page; a letter's new due moment ahead
    /// does not make a late dossier on time; waiting for the applicant pauses the time limit.
    @Test func theDeadlinesPageCountsOverdueAsTheReportDoes() async throws {
        let edge = Edge()
        let unit = "000.19.09.H29"  // phường Tân Tạo: no other test's dossiers
        // What an earlier run of this test left open there is closed, so the page holds this run's only.
        try await edge.database.withConnection { connection in
            try connection.execute(
                "UPDATE dossiers SET closed_at = now() WHERE unit_code = $1 AND closed_at IS NULL", [unit])
        }
        func code() -> String { "\(unit)-200105-\(Int.random(in: 10_000...99_999))" }
        let (late, lettered, extended, waiting, twice, fresh) = (code(), code(), code(), code(), code(), code())
        let soon = code()
        let now = Date()
        func ago(_ hours: Double) -> Date { now.addingTimeInterval(-hours * 3600) }
        // Received 20 days ago: the receipt's due moment (received + 10 days) passed 10 days ago.
        try await Self.record(
            [
                Self.received(late, channel: .direct, at: ago(480)),
                Self.received(lettered, channel: .direct, at: ago(480)),
                Self.received(extended, channel: .direct, at: ago(1)),
                Self.received(waiting, channel: .direct, at: ago(480)),
                Self.received(twice, channel: .direct, at: ago(3)),
                Self.received(fresh, channel: .direct, at: now),
                // Due in 12 hours: past its due-soon moment (a working day before), not overdue.
                Self.received(soon, channel: .direct, at: ago(228)),
            ], database: edge.database)
        // The agency's own letter, filed in time, moving the due moment to tomorrow: past the receipt's all the same.
        try await Self.act(
            lettered,
            [
                DossierAction(
                    type: .extend, at: ago(479), reason: "Cần xác minh",
                    newDueAt: now.addingTimeInterval(86_400))
            ], database: edge.database)
        // A letter with both due moments ahead: late by definition.
        try await Self.act(
            extended,
            [
                DossierAction(
                    type: .extend, at: now, reason: "Cần xác minh",
                    newDueAt: now.addingTimeInterval(15 * 86_400))
            ], database: edge.database)
        // Waiting for the applicant since before its due moment: paused, within time.
        try await Self.act(
            waiting, [DossierAction(type: .requestSupplement, at: ago(456), reason: "Thiếu giấy")],
            database: edge.database)
        // A second supplement request: late by definition, though waiting.
        try await Self.act(
            twice,
            [
                DossierAction(type: .requestSupplement, at: ago(2), reason: "Thiếu giấy"),
                DossierAction(type: .supplement, at: ago(1.5)),
                DossierAction(type: .requestSupplement, at: ago(1), reason: "Thiếu giấy nữa"),
            ],
            database: edge.database)
        try await Edge().run { client in
            let page = try await Console.get(
                client, "/console/deadlines?unit=\(unit)", cookies: Self.session("all-token"))
            let html = Self.text(page)
            #expect(page.status == 200 && html.contains("7 hồ sơ đang giải quyết, trong đó <strong>4 quá hạn</strong>"))
            /// The table row holding `code`'s link.
            func row(_ code: String) throws -> Substring {
                guard let link = html.range(of: ">\(code)</a>"),
                    let opening = html[..<link.lowerBound].range(of: "<tr class=\"", options: .backwards),
                    let closing = html[link.upperBound...].range(of: "</tr>")
                else { throw TestFailure("no row for \(code)") }
                return html[opening.lowerBound..<closing.upperBound]
            }
            let red = "<tr class=\"overdue\""
            #expect(
                try row(late).hasPrefix(red) && row(late).contains("quá hạn 10 ngày")
                    && !row(late).contains("hẹn trên phiếu tiếp nhận"))
            #expect(
                try row(lettered).hasPrefix(red) && row(lettered).contains("quá hạn 10 ngày · hẹn lại còn 23 giờ")
                    && row(lettered).contains("hẹn trên phiếu tiếp nhận: "),
                "late on its receipt, its new due moment ahead")
            #expect(
                try row(extended).hasPrefix(red) && row(extended).contains("còn 14 ngày"),
                "a letter: late by definition")
            #expect(
                try row(twice).hasPrefix(red) && row(twice).contains("tạm dừng tính hạn"), "a second supplement request"
            )
            #expect(
                try !row(waiting).hasPrefix(red) && row(waiting).contains("tạm dừng tính hạn"), "paused, within time")
            #expect(try row(fresh).hasPrefix("<tr class=\"\"") && row(fresh).contains("còn 9 ngày"))
            #expect(try row(soon).hasPrefix("<tr class=\"due-soon\""), "due soon (DeadlineSchedule.isDueSoon)")
            #expect(try row(waiting).hasPrefix("<tr class=\"\""), "paused: neither overdue nor due soon")
            let firstWithinTime = try min(row(waiting).startIndex, row(fresh).startIndex)
            #expect(
                try [late, lettered, extended, twice].allSatisfy { try row($0).startIndex < firstWithinTime },
                "overdue ones lead")
            // The dossier's own page says the same.
            func dossier(_ code: String) async throws -> String {
                Self.text(
                    try await Console.get(client, "/console/dossiers/\(code)", cookies: Self.session("all-token")))
            }
            #expect(
                try await dossier(lettered).contains("<span class=\"overdue\">quá hạn 10 ngày · hẹn lại còn 23 giờ"))
            #expect(try await dossier(waiting).contains("<span class=\"\">tạm dừng tính hạn"))
            #expect(try await dossier(extended).contains("<span class=\"overdue\">còn 14 ngày"))
        }
    }

    @Test func theReportPageAndItsCSVCountTheUnitsDossiersOfThePeriod() async throws {
        let edge = Edge()
        // Sở Y tế of Thái Nguyên, where no other test records a dossier, in a March far ahead: nothing
        // else counts there, nor is carried over into it.
        let unit = "000.00.16.H55"
        let at = VietnamTime.instant(LocalDate(iso: "2088-03-10")!, seconds: 9 * 3600)
        let codes = (1...4).map { "\(unit)-880310-\(1_000 + $0)" }
        try await Self.record(
            [
                Self.received(codes[0], channel: .direct, at: at),
                Self.received(codes[1], channel: .online, onlineLevel: .full, at: at),
                Self.received(codes[2], channel: .online, onlineLevel: .partial, at: at),
                Self.received(codes[3], channel: .postal, at: at),
            ], database: edge.database)
        let period = "unit=\(unit)&from=2088-03-01&to=2088-03-31"
        try await edge.run { client in
            let page = try await Console.get(client, "/console/reports?" + period, cookies: Self.session("all-token"))
            let html = Self.text(page)
            #expect(page.status == 200 && html.contains("/console/reports.csv?unit=\(unit)&amp;from=2088-03-01"))
            // Ended units stay in the picker, marked: their reports count what they received while they stood.
            #expect(html.contains("UBND huyện Bình Sơn – đến 2025-06-30 (000.00.15.H56)"))
            #expect(html.contains("UBND xã Bình Minh (000.30.01.H56)"))
            // The receipt table's row (the first table, as HTML): Tổng số, Kỳ trước chuyển qua, Trực tiếp, Trực tuyến,
            // Một phần, Toàn trình, Bưu chính.
            let start = try #require(html.range(of: "<tr><td>1</td><td>Sở Y tế</td>"), "the unit's row")
            let row = html[start.lowerBound...].prefix { $0 != "\n" }
            let receipts = row[..<(row.range(of: "</tr>")?.lowerBound ?? row.endIndex)].components(separatedBy: "</td>")
                .dropLast().map { $0.split(separator: ">").last.map(String.init) ?? "" }
            #expect(receipts.suffix(7) == ["4", "0", "1", "2", "1", "1", "1"], "\(row)")
            #expect(
                html.contains("<td class=\"n\">4</td>") && html.contains("<th class=\"n\">Tổng số</th>"),
                "figures right-aligned")

            let csv = try await Console.get(
                client, "/console/reports.csv?" + period, cookies: Self.session("all-token"))
            #expect(csv.status == 200 && csv.contentType == "text/csv; charset=utf-8")
            #expect(
                csv.headers[.contentDisposition]?.hasPrefix(
                    "attachment; filename=\"bao-cao-\(unit)-2088-03-01-2088-03-31.csv\"") == true)
            #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF], "UTF-8 with a byte order mark, for Excel")
            let lines = String(decoding: csv.body.dropFirst(3), as: UTF8.self).split(whereSeparator: \.isNewline)
            let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let total = try #require(lines.dropFirst().first { $0.hasPrefix(unit + ",") }, "the unit's row")
                .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func cell(_ name: String) -> String? { header.firstIndex(of: name).map { total[$0] } }
            #expect(
                cell("Tổng số tiếp nhận") == "4" && cell("Trực tiếp") == "1" && cell("Trực tuyến") == "2"
                    && cell("Trực tuyến toàn trình") == "1" && cell("Trực tuyến một phần") == "1"
                    && cell("Bưu chính") == "1")
            // None closed; two of the four online (open ones are counted as of the period's end or now,
            // whichever comes first, so a period ahead has none yet).
            #expect(
                cell("Đã giải quyết") == "0" && cell("Trực tuyến: tử số") == "2" && cell("Trực tuyến: mẫu số") == "4")

            // Another unit than the token's, or a period that ends before it starts: said, nothing counted.
            let foreign = "unit=000.21.07.H06&from=2088-03-01&to=2088-03-31"
            let outside = try await Console.get(
                client, "/console/reports?" + foreign, cookies: Self.session("binhphuoc-token"))
            #expect(
                outside.status == 200 && Self.text(outside).contains("không thuộc phạm vi")
                    && !Self.text(outside).contains("id=\"report\""))
            let outsideCSV = try await Console.get(
                client, "/console/reports.csv?" + foreign, cookies: Self.session("binhphuoc-token"))
            #expect(outsideCSV.status == 400)
            let backwards = try await Console.get(
                client, "/console/reports?unit=000.00.19.H56&from=2088-03-31&to=2088-03-01",
                cookies: Self.session("binhphuoc-token"))
            #expect(Self.text(backwards).contains("Kỳ báo cáo không hợp lệ"))
        }
    }
}
