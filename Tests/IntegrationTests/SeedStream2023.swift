import Domain
import Foundation
import TestSupport

/// The event stream behind the Bình Phước table of seed `000_…` (24/8–24/9/2023), as a client would
/// send it to intake: dossiers with their 2023 `receivedAt`, actions with their 2023 `at`, payment
/// notices with their 2023 `paidAt`. The seed's figures (by hand, with slips) and what this stream
/// makes of them:
///   received 314 = 70 direct + 219 online + 25 carried over: the seed's online partial 205 + full 13
///   make 218, and its "218/218 … đạt tỷ lệ 100%" is the online share of dossiers of procedures
///   offered online (766 §3.3); so 218 online and 1 postal here (the 219th, typed in with the online
///   ones), and the 70 direct and the postal one are for procedures not offered online;
///   closed 293 = 288 early + 5 overdue, 3 withdrawn, 18 open within time (293 + 3 + 18 = 314);
///   fully digitized 302 (the seed prints 97.42%, which is 302/310; 302/314 is 96.18%);
///   digitized results 244 of 292 resolved with a paper result (83.56%, as printed; the 293rd
///   resolved has no paper result); linked groups birth 9/9, death 1/1; 189 online payments for
///   2.318.000 đ (and one more paid and refunded within the period, netted out); no apology letter.
enum SeedStream2023 {
    static let binhPhuoc = "000.00.19.H56", binhKhuong = "000.15.02.H56", district = "000.00.15.H56"

    /// The 2023 calendar (civil service): Tết 20–26/1, Giỗ Tổ and 30/4–1/5 as 29/4–3/5 with Saturday
    /// 6/5 worked, 2/1 for New Year's Day on a Sunday, Quốc khánh 1–4/9; and the procedures this stream uses
    /// beyond the default catalog. Bình Khương is the default catalog's, dated: loading it here undated would
    /// undo its merger of 1/7/2025 for every test that runs after.
    static let catalog = """
        {"procedures": [
           {"code": "2.001035", "name": "Chứng thực hợp đồng, giao dịch", "field": "Chứng thực",
            "processing": {"workingDays": 3}, "feeVnd": 0, "onlineLevel": null, "paperResult": true},
           {"code": "2.002165", "name": "Xác nhận thông tin hộ tịch", "field": "Hộ tịch",
            "processing": {"workingDays": 3}, "feeVnd": 0, "onlineLevel": null, "paperResult": false},
           {"code": "2.000908", "name": "Cấp bản sao có chứng thực từ bản chính", "field": "Chứng thực",
            "processing": {"workingDays": 3}, "feeVnd": 10000, "onlineLevel": "partial", "paperResult": true},
           {"code": "2.000927", "name": "Cấp bản sao trích lục hộ tịch (bản điện tử)", "field": "Hộ tịch",
            "processing": {"workingDays": 3}, "feeVnd": 12000, "onlineLevel": "partial", "paperResult": true}],
         "calendars": [{"year": 2023,
            "holidays": ["2023-01-02", "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
                         "2023-05-01", "2023-05-02", "2023-05-03", "2023-09-01", "2023-09-04"],
            "makeUpDays": ["2023-05-06"]}]}
        """

    /// One dossier: its body, then its actions and payment notices (without the code, filled in once issued).
    struct Planned {
        var body: [String: Any]
        var actions: [[String: Any]] = []
        var payments: [[String: Any]] = []
    }

    static let holidays: Set<String> = ["2023-09-01", "2023-09-04"]

    static func nextWorkingDay(after day: String) -> String {
        var date = LocalDate(iso: day)!
        repeat { date = date.adding(days: 1) } while date.weekday >= 6 || holidays.contains(date.description)
        return date.description
    }

    /// Working days of the period with room for a next working day inside it.
    static let receiptDays = [
        "2023-08-24", "2023-08-25", "2023-08-28", "2023-08-29", "2023-08-30", "2023-08-31",
        "2023-09-05", "2023-09-06", "2023-09-07", "2023-09-08", "2023-09-11", "2023-09-12",
        "2023-09-13", "2023-09-14", "2023-09-15", "2023-09-18", "2023-09-19",
    ]

    static func at(_ day: String, _ time: String) -> String { "\(day)T\(time):00+07:00" }

    static let sha = String(repeating: "5e", count: 32)
    static func result() -> [String: Any] {
        ["sha256": sha, "bytes": 80_000, "mediaType": "application/pdf", "signed": true]
    }

    static func dossier(
        _ n: Int, unit: String = binhPhuoc, procedure: String, channel: String, level: String? = nil,
        receivedAt: String, digitized: Bool = true, linkedGroup: [String: Any]? = nil
    ) -> [String: Any] {
        var body: [String: Any] = [
            "procedureCode": procedure, "unitCode": unit, "channel": channel, "receivedAt": receivedAt,
            "idempotencyKey": "seed2023-\(unit)-\(n)",
            "applicant": ["personalId": "051095001234", "fullName": "Nguyễn Văn A", "phone": "0905000000"],
            "components": [
                digitized
                    ? [
                        "name": "Tờ khai", "digitized": true, "sha256": sha, "bytes": 120_000,
                        "mediaType": "application/pdf",
                        "signed": true,
                    ]
                    : ["name": "Tờ khai", "digitized": false]
            ],
        ]
        if let level { body["onlineLevel"] = level }
        if let linkedGroup { body["linkedGroup"] = linkedGroup }
        return body
    }

    static func resolve(_ day: String, withResult: Bool = true) -> [String: Any] {
        var action: [String: Any] = ["type": "resolve", "at": at(day, "10:00")]
        if withResult { action["result"] = result() }
        return action
    }

    static func payment(_ n: Int, amount: Int, paidAt: String, status: String = "succeeded") -> [String: Any] {
        [
            "transactionId": "seed2023-tx-\(n)", "amountVnd": amount, "status": status, "gateway": "national",
            "paidAt": paidAt,
        ]
    }

    /// The 314 dossiers of Bình Phước.
    static func binhPhuocDossiers() -> [Planned] {
        var planned: [Planned] = []
        var n = 0
        func next() -> Int {
            n += 1
            return n
        }
        func day(_ i: Int) -> String { receiptDays[i % receiptDays.count] }
        // 25 carried over: land registration (10 working days), received 14–23/8; 23 resolved early on 25/8,
        // 2 received 14/8 (due 28/8) resolved on 15/9, overdue.
        let carriedDays = [
            "2023-08-14", "2023-08-15", "2023-08-16", "2023-08-17", "2023-08-18", "2023-08-21",
            "2023-08-22", "2023-08-23",
        ]
        for i in 0..<25 {
            let received = i < 2 ? "2023-08-14" : carriedDays[i % carriedDays.count]
            var p = Planned(
                body: dossier(
                    next(), procedure: "1.004227", channel: "online", level: "partial",
                    receivedAt: at(received, "09:00")))
            p.actions = [resolve(i < 2 ? "2023-09-15" : "2023-08-25")]
            if i == 2 {  // paid and refunded inside the period: nets out
                p.payments = [
                    payment(1000, amount: 50_000, paidAt: at("2023-08-25", "08:00")),
                    payment(1000, amount: 50_000, paidAt: at("2023-08-26", "08:00"), status: "refunded"),
                ]
            }
            planned.append(p)
        }
        // 13 online, whole (toàn trình): 9 births and 1 death (linked groups), 3 household businesses (paid).
        for i in 0..<13 {
            let received = day(i)
            let (procedure, group): (String, [String: Any]?) =
                i < 9
                ? ("1.001193", ["group": "birth", "steps": ["permanent_residence", "health_insurance_card"]])
                : i == 9
                    ? ("1.000656", ["group": "death", "steps": ["residence_removal", "funeral_allowance"]])
                    : ("2.000575", nil)
            var p = Planned(
                body: dossier(
                    next(), procedure: procedure, channel: "online", level: "full",
                    receivedAt: at(received, "09:00"), linkedGroup: group))
            p.actions = [resolve(nextWorkingDay(after: received))]
            if i >= 10 { p.payments = [payment(n, amount: 100_000, paidAt: at(received, "09:10"))] }
            planned.append(p)
        }
        // 205 online, in part (một phần): 107 certified copies (10.000 đ) and 79 civil-status extracts
        // (12.000 đ), paid and resolved early; 19 funeral allowances, 18 of them received on 21/9 and still
        // within time (due 28/9) at the end of the period.
        for i in 0..<205 {
            let procedure = i < 107 ? "2.000908" : i < 186 ? "2.000927" : "1.001776"
            let open = i >= 187
            let received = open ? "2023-09-21" : day(i)
            var p = Planned(
                body: dossier(
                    next(), procedure: procedure, channel: "online", level: "partial",
                    receivedAt: at(received, "09:\(String(format: "%02d", i % 60))")))
            if !open { p.actions = [resolve(nextWorkingDay(after: received))] }
            if i < 186 { p.payments = [payment(n, amount: i < 107 ? 10_000 : 12_000, paidAt: at(received, "10:30"))] }
            planned.append(p)
        }
        // 70 at the counter and 1 by post, for procedures not offered online: 3 withdrawn, 3 resolved late
        // (received 5/9, due 8/9, resolved 12/9), the rest early; 12 with no file of the form; 48 resolved
        // without a result file; one (2.002165) whose result is not a paper document.
        for i in 0..<71 {
            let postal = i == 70
            let received = i < 6 ? "2023-09-05" : day(i)
            var p = Planned(
                body: dossier(
                    next(), procedure: i == 69 ? "2.002165" : "2.001035",
                    channel: postal ? "postal" : "direct", receivedAt: at(received, "09:00"),
                    digitized: !(6..<18).contains(i)))
            if i < 3 {
                p.actions = [["type": "withdraw", "at": at("2023-09-06", "09:00")]]
            } else if i < 6 {
                p.actions = [resolve("2023-09-12")]
            } else {
                p.actions = [resolve(nextWorkingDay(after: received), withResult: !(18..<66).contains(i))]
            }
            planned.append(p)
        }
        return planned
    }

    /// A few more in the same district: at Bình Khương commune and at the district's own desk.
    static func neighbourDossiers() -> [Planned] {
        [
            Planned(
                body: dossier(
                    1, unit: binhKhuong, procedure: "2.001035", channel: "direct", receivedAt: at("2023-09-05", "09:00")
                ),
                actions: [resolve("2023-09-06")]),
            Planned(
                body: dossier(
                    2, unit: binhKhuong, procedure: "2.001035", channel: "direct", receivedAt: at("2023-09-07", "09:00")
                ),
                actions: [resolve("2023-09-13")]),
            Planned(
                body: dossier(
                    3, unit: binhKhuong, procedure: "2.000908", channel: "online", level: "partial",
                    receivedAt: at("2023-09-22", "09:00")),
                payments: [payment(2001, amount: 10_000, paidAt: at("2023-09-22", "09:30"))]),
            Planned(
                body: dossier(
                    4, unit: district, procedure: "1.004227", channel: "direct", receivedAt: at("2023-09-11", "09:00")),
                actions: [resolve("2023-09-14")]),
            Planned(
                body: dossier(
                    5, unit: district, procedure: "1.004227", channel: "direct", receivedAt: at("2023-09-11", "09:30")),
                actions: [["type": "withdraw", "at": at("2023-09-12", "09:00")]]),
        ]
    }
}
