import Domain
import Foundation
import Testing

/// DOMAIN.md §10–11 on the default catalog's Bình Sơn merger: a dossier counts under the units in force on
/// its receipt's local day, a successor's report takes in its predecessors', and `--children` rows add up.
@Suite struct ReportMembershipTests {
    static let catalog = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))
    static let province = "000.00.00.H56", district = "000.00.15.H56", binhPhuoc = "000.00.19.H56"
    static let binhKhuong = "000.15.02.H56", binhAn = "000.15.03.H56", oldBinhMinh = "000.15.04.H56"
    static let newCommune = "000.30.01.H56"

    static func period(_ from: String, _ to: String) -> ReportPeriod {
        ReportPeriod(from: LocalDate(iso: from)!, to: LocalDate(iso: to)!)!
    }

    static func membership(_ unit: String, _ from: String, _ to: String, children: Bool = true) -> ReportMembership {
        ReportMembership(unit: unit, period: period(from, to), children: children, catalog: catalog)
    }

    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    /// The code of the row a dossier counts in, "own" for the unit's own, nil when left out.
    static func row(_ m: ReportMembership, _ unit: String, _ receivedAt: String) -> String? {
        m.row(of: unit, receivedAt: at(receivedAt)).map { $0 == 0 ? "own" : m.rows[$0 - 1].unit.code }
    }

    static func listed(_ m: ReportMembership) -> [String] { m.rows.filter(\.listed).map(\.unit.code) }

    @Test func theTreeChangesOnlyAtTheMerger() {
        let epochs = Self.catalog.treeEpochs
        #expect(epochs.map(\.from) == [nil, LocalDate(iso: "2025-07-01")])
        #expect(
            epochs[0].children(of: Self.district) == [Self.binhPhuoc, Self.binhKhuong, Self.binhAn, Self.oldBinhMinh])
        #expect(epochs[1].children(of: Self.province).contains(Self.newCommune))
        #expect(epochs[1].parents[Self.district] == nil)
        #expect(
            Self.catalog.subtree(of: Self.province, on: LocalDate(iso: "2025-07-01")!)
                == [Self.province, Self.binhPhuoc, Self.newCommune])
    }

    @Test func theSecondQuarterOf2025RollsUpThroughTheDistrict() {
        let m = Self.membership(Self.province, "2025-04-01", "2025-06-30")
        #expect(Self.listed(m) == [Self.district])
        #expect(Self.row(m, Self.binhKhuong, "2025-06-30T23:59:00+07:00") == Self.district)
        #expect(Self.row(m, Self.binhPhuoc, "2025-05-12T09:00:00+07:00") == Self.district)
        #expect(Self.row(m, Self.district, "2025-05-12T09:00:00+07:00") == Self.district)
        #expect(Self.row(m, Self.province, "2025-05-12T09:00:00+07:00") == "own")
        // Nothing received after the period is asked for.
        #expect(Self.row(m, Self.newCommune, "2025-07-01T00:00:00+07:00") == nil)
    }

    @Test func theThirdQuarterHasNoDistrictRow() {
        let m = Self.membership(Self.province, "2025-07-01", "2025-09-30")
        #expect(Self.listed(m) == [Self.binhPhuoc, Self.newCommune])
        #expect(Self.row(m, Self.binhPhuoc, "2025-07-01T00:00:00+07:00") == Self.binhPhuoc)
        #expect(Self.row(m, Self.newCommune, "2025-07-01T00:00:00+07:00") == Self.newCommune)
        // A dossier received under the district and carried over into the quarter keeps the district's row,
        // which shows only when there is one.
        #expect(Self.row(m, Self.binhPhuoc, "2025-06-30T23:59:00+07:00") == Self.district)
        #expect(Self.row(m, Self.binhKhuong, "2025-06-30T23:59:00+07:00") == Self.district)
        #expect(m.rows.first { $0.unit.code == Self.district }?.listed == false)
    }

    @Test func the2025ProvinceReportSplitsAtTheMergerAndEveryDossierHasOneRow() {
        let m = Self.membership(Self.province, "2025-01-01", "2025-12-31")
        #expect(Self.listed(m) == [Self.district, Self.binhPhuoc, Self.newCommune])
        #expect(Self.row(m, Self.binhPhuoc, "2025-06-30T23:59:59+07:00") == Self.district)
        #expect(Self.row(m, Self.binhPhuoc, "2025-07-01T00:00:00+07:00") == Self.binhPhuoc)
        #expect(Self.row(m, Self.binhAn, "2025-03-03T08:00:00+07:00") == Self.district)
        #expect(Self.row(m, Self.newCommune, "2025-12-31T16:59:00+07:00") == Self.newCommune)
        // 00:00 local on 1/7 is 17:00 UTC on 30/6: the local day decides.
        #expect(Self.row(m, Self.binhPhuoc, "2025-06-30T17:00:00Z") == Self.binhPhuoc)
        #expect(Self.row(m, Self.binhPhuoc, "2025-06-30T16:59:59Z") == Self.district)
        // Another province's units are not counted.
        #expect(Self.row(m, "000.21.07.H06", "2025-03-03T08:00:00+07:00") == nil)
        // No (unit, day) in two spans: the rows add up to the total.
        for (a, b) in zip(m.spans, m.spans.dropFirst()) where a.unit == b.unit {
            #expect(a.until != nil && b.from != nil && a.until! <= b.from!)
        }
    }

    @Test func theSuccessorsReportHasItsPredecessorsAsRows() {
        let m = Self.membership(Self.newCommune, "2025-01-01", "2025-12-31")
        #expect(Self.listed(m) == [Self.binhKhuong, Self.binhAn, Self.oldBinhMinh])
        #expect(m.rows.allSatisfy { $0.predecessor })
        #expect(Self.row(m, Self.binhKhuong, "2025-06-30T23:59:00+07:00") == Self.binhKhuong)
        #expect(Self.row(m, Self.oldBinhMinh, "2025-02-10T08:00:00+07:00") == Self.oldBinhMinh)
        #expect(Self.row(m, Self.newCommune, "2025-07-01T00:00:00+07:00") == "own")
        #expect(Self.row(m, Self.binhPhuoc, "2025-07-01T00:00:00+07:00") == nil)
        // Whenever received: a predecessor's 2023 dossier is the successor's too (carried over, if open).
        #expect(Self.row(m, Self.binhKhuong, "2023-08-24T08:00:00+07:00") == Self.binhKhuong)
        // After the merger, the predecessors stood only before the period: no row unless carried over.
        let q3 = Self.membership(Self.newCommune, "2025-07-01", "2025-09-30")
        #expect(Self.listed(q3).isEmpty && q3.rows.count == 3)
        // Without --children, everything counts in row 0.
        let plain = Self.membership(Self.newCommune, "2025-01-01", "2025-12-31", children: false)
        #expect(plain.rows.isEmpty && plain.spans.allSatisfy { $0.row == 0 })
        #expect(plain.row(of: Self.binhAn, receivedAt: Self.at("2025-06-30T23:59:00+07:00")) == 0)
    }

    @Test func theDistrictKeepsWhatItsCommunesReceivedWhileItStood() {
        let m = Self.membership(Self.district, "2025-01-01", "2025-12-31")
        #expect(Self.listed(m) == [Self.binhPhuoc, Self.binhKhuong, Self.binhAn, Self.oldBinhMinh])
        #expect(Self.row(m, Self.binhPhuoc, "2025-06-30T23:59:00+07:00") == Self.binhPhuoc)
        #expect(Self.row(m, Self.binhPhuoc, "2025-07-01T00:00:00+07:00") == nil)
        #expect(Self.row(m, Self.newCommune, "2025-07-01T00:00:00+07:00") == nil)
        // Bình Phước's own report counts it whichever its parent.
        let binhPhuoc = Self.membership(Self.binhPhuoc, "2025-01-01", "2025-12-31", children: false)
        #expect(binhPhuoc.spans == [.init(unit: Self.binhPhuoc, from: nil, until: nil, row: 0)])
    }

    @Test func reportsOfAnUndatedCatalogAreTheOldRollUp() {
        let m = ReportMembership(
            unit: ReportFixtures.district, period: ReportFixtures.period, children: true,
            catalog: ReportFixtures.catalog)
        #expect(m.spans.allSatisfy { $0.from == nil && $0.until == nil })
        #expect(m.spans.map(\.unit) == [ReportFixtures.district, ReportFixtures.binhPhuoc, ReportFixtures.binhKhuong])
        #expect(m.spans.map(\.row) == [0, 1, 2])
    }
}
