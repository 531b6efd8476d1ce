import Domain
import Foundation
import Testing

/// The table, csv and json forms of a report.
@Suite struct ReportFormatTests {
    typealias F = ReportFixtures

    var report: UnitReport {
        var c = ReportCounts()
        c.direct = 70
        c.online = 218
        c.onlinePartial = 205
        c.onlineFull = 13
        c.postal = 1
        c.carriedOver = 25
        c.early = 288
        c.overdue = 5
        c.withdrawn = 3
        c.openWithinTime = 18
        c.payments = 189
        c.paymentsVnd = 2_318_000
        c.closedByEarly = 290
        c.closedByOverdue = 5
        c.closedByWithdrawn = 3
        c.closedByReceivedElsewhere = 2
        return UnitReport.assemble(
            membership: ReportMembership(unit: F.binhPhuoc, period: F.period, children: false, catalog: F.catalog),
            period: F.period, children: false, counts: [0: c], catalog: F.catalog)
    }

    @Test func figuresReadAsTheSeedReportsWriteThem() {
        #expect(
            ReportText.number(2_318_000) == "2.318.000" && ReportText.number(314) == "314"
                && ReportText.number(0) == "0")
        #expect(ReportText.number(-1_000) == "-1.000")
        #expect(ReportText.rate(Rate(numerator: 288, denominator: 293)) == "288/293 (98.29%)")
        #expect(ReportText.rate(Rate(numerator: 0, denominator: 0)) == "0/0 (N/A)")
        #expect(ReportText.rate(Rate(numerator: 1_000, denominator: 1_000)) == "1.000/1.000 (100.00%)")
    }

    @Test func theTableHasTheSeedsLabelsAndAlignedColumns() throws {
        let text = ReportTable.render(report)
        #expect(text.contains("Kỳ trước chuyển qua") && text.contains("Công dân rút") && text.contains("Trước hạn"))
        #expect(text.contains("288/293 (98.29%)") && text.contains("2.318.000"))
        #expect(text.contains("Số liệu tính từ ngày 24/08/2023 đến ngày 24/09/2023"))
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines.firstIndex { $0.hasPrefix("STT") }!
        // The rule under a header is as wide as the header's columns.
        #expect(lines[header + 1].count == lines[header].count || lines[header + 1].count >= lines[header].count - 1)
        #expect(lines[header + 2].hasPrefix("1    UBND xã Bình Phước"))
        // "Resolved by" is a part of its own, after the parts counted at the receiving unit.
        let resolvedBy = try #require(lines.firstIndex { $0.hasPrefix("6. Đơn vị giải quyết") })
        #expect(
            lines[resolvedBy + 3].split(separator: " ").filter { Int($0) != nil }
                == ["1", "298", "295", "290", "0", "5", "0", "3", "2"])
    }

    @Test func csvIsOneHeaderRowAndOneRowPerUnitWithAByteOrderMark() {
        let csv = ReportCSV.render(report)
        #expect(csv.unicodeScalars.first == "\u{FEFF}")
        let rows = csv.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 2)
        #expect(
            rows[0].split(separator: ",").count == rows[1].split(separator: ",", omittingEmptySubsequences: false).count
        )
        #expect(
            rows[1].hasPrefix(
                "000.00.19.H56,UBND xã Bình Phước,2023-08-24,2023-09-24,314,25,70,218,205,13,1,293,288,0,5"))
        #expect(rows[0].hasSuffix(",Đơn vị giải quyết: tiếp nhận tại đơn vị khác"))
        #expect(rows[1].hasSuffix(",298,295,290,0,5,0,3,2"))
        #expect(ReportCSV.field("a, \"b\"") == "\"a, \"\"b\"\"\"")
    }

    @Test func jsonHasTheContractsShape() throws {
        let object = try JSONSerialization.jsonObject(with: try JSONCoding.encode(report)) as! [String: Any]
        for key in [
            "unit", "from", "to", "received", "closed", "open", "rates", "payments", "linkedGroups", "apologies",
            "resolvedBy", "index766", "children",
        ] {
            #expect(object[key] != nil, "\(key)")
        }
        let received = object["received"] as! [String: Int]
        #expect(
            received == [
                "total": 314, "direct": 70, "online": 218, "onlinePartial": 205, "onlineFull": 13,
                "postal": 1, "carriedOver": 25,
            ])
        let rates = object["rates"] as! [String: [String: Any]]
        #expect(Set(rates.keys) == ["onTime", "online", "digitizedDossiers", "digitizedResults", "reuse"])
        #expect(rates["onTime"]?["percent"] as? Double == 98.29)
        #expect(rates["digitizedResults"]?["percent"] is NSNull)
        let linked = object["linkedGroups"] as! [String: [String: Int]]
        #expect(linked["birth"] == ["received": 0, "completed": 0])
        #expect(
            object["resolvedBy"] as? [String: Int] == [
                "total": 298, "resolved": 295, "early": 290, "onTime": 0, "overdue": 5, "rejected": 0,
                "withdrawn": 3, "receivedElsewhere": 2,
            ])
        let apologies = object["apologies"] as! [String: Int]
        #expect(Set(apologies.keys) == ["issued", "timely", "notTimely", "escalations"])
        let index = object["index766"] as! [[String: Any]]
        #expect(
            Set(index[0].keys).isSuperset(of: ["indicator", "numerator", "denominator", "percent", "score", "max"]))
    }
}
