import Domain
import Foundation
import Testing

/// DOMAIN.md §11: dated units and procedures, legal regimes, and the rules a catalog file keeps.
@Suite struct DatedCatalogTests {
    static let snapshot = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))
    static let province = "000.00.00.H56", district = "000.00.15.H56", binhPhuoc = "000.00.19.H56"
    static let binhKhuong = "000.15.02.H56", newCommune = "000.30.01.H56"

    static func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    static func parse(_ text: String) throws -> Catalog { try Catalog.parse(Data(text.utf8)) }

    @Test func theDefaultCatalogEndsTheDistrictAndMergesThreeCommunes() {
        let s = Self.snapshot
        #expect(s.unit(Self.binhPhuoc, on: Self.day("2025-06-30"))?.parent == Self.district)
        #expect(s.unit(Self.binhPhuoc, on: Self.day("2025-07-01"))?.parent == Self.province)
        #expect(
            s.standing(of: Self.district, on: Self.day("2025-07-01"))
                == .ended(on: Self.day("2025-06-30"), successor: Self.province))
        #expect(s.standing(of: Self.binhKhuong, on: Self.day("2025-06-30")) != .unknown)
        #expect(s.unit(Self.binhKhuong, on: Self.day("2025-06-30")) != nil)
        #expect(
            s.standing(of: Self.binhKhuong, on: Self.day("2025-07-01"))
                == .ended(on: Self.day("2025-06-30"), successor: Self.newCommune))
        #expect(s.standing(of: Self.newCommune, on: Self.day("2025-06-30")) == .notYet(from: Self.day("2025-07-01")))
        #expect(s.predecessors(of: Self.newCommune).map(\.code) == ["000.15.02.H56", "000.15.03.H56", "000.15.04.H56"])
    }

    @Test func aDossierForAnEndedUnitIsRefusedNamingItsSuccessor() {
        let problem = UnitAdmission.problem(Self.binhKhuong, on: Self.day("2026-12-07"), catalog: Self.snapshot)
        #expect(problem?.contains(Self.newCommune) == true)
        #expect(problem?.contains("2025-06-30") == true)
        #expect(UnitAdmission.problem(Self.binhKhuong, on: Self.day("2025-06-30"), catalog: Self.snapshot) == nil)
        #expect(UnitAdmission.problem(Self.newCommune, on: Self.day("2025-07-01"), catalog: Self.snapshot) == nil)
    }

    @Test func theRegimeInForceTurnsAtMidnightOfTheFirstOfJuly2025() {
        let s = Self.snapshot
        #expect(
            s.regime(on: Self.day("2023-09-05"))?.form(.apology)?.title == "Phiếu xin lỗi và hẹn lại ngày trả kết quả")
        #expect(s.regime(on: Self.day("2025-06-30"))?.decree == "61/2018/NĐ-CP")
        #expect(s.regime(on: Self.day("2025-07-01"))?.decree == "118/2025/NĐ-CP")
        #expect(
            s.regime(on: Self.day("2026-12-07"))?.form(.apology)?.title
                == "Phiếu xin lỗi và đề nghị gia hạn thời gian giải quyết")
        #expect(s.regime(on: Self.day("2026-12-07"))?.form(.stopNotice)?.number == "05")
        #expect(s.regime(on: Self.day("2018-06-20")) == nil)
    }

    /// A receipt at 23:59 local on 30/6/2025 takes the old version, one at 00:00 on 1/7 the new.
    @Test func aProcedureVersionIsChosenByTheLocalDayOfReceipt() throws {
        let catalog = try Self.parse(
            """
            {"procedures": [
              {"code": "p", "name": "P", "field": "F", "processing": {"workingDays": 5}, "feeVnd": 10000,
               "onlineLevel": null, "paperResult": true},
              {"code": "p", "name": "P", "field": "F", "processing": {"workingDays": 3}, "feeVnd": 0,
               "onlineLevel": null, "paperResult": true, "effectiveFrom": "2025-07-01"}]}
            """)
        #expect(CatalogRules.problems(in: catalog).isEmpty)
        let s = CatalogSnapshot(catalog)
        let lastMinute = VietnamTime.instant(Self.day("2025-06-30"), seconds: 23 * 3600 + 59 * 60)
        let firstMinute = VietnamTime.instant(Self.day("2025-07-01"), seconds: 0)
        #expect(s.procedure("p", receivedAt: lastMinute)?.processing == .workingDays(5))
        #expect(s.procedure("p", receivedAt: lastMinute)?.feeVnd == 10000)
        #expect(s.procedure("p", receivedAt: firstMinute)?.processing == .workingDays(3))
        #expect(s.procedure("p", receivedAt: firstMinute)?.feeVnd == 0)
        #expect(s.procedure("p", forDossier: "000.00.19.H56-250630-0001")?.feeVnd == 10000)
        #expect(s.procedure("p", forDossier: "000.00.19.H56-250701-0001")?.feeVnd == 0)
    }

    @Test func aUnitVersionIsChosenAtTheBoundaryToo() {
        let lastMinute = VietnamTime.instant(Self.day("2025-06-30"), seconds: 23 * 3600 + 59 * 60)
        let firstMinute = VietnamTime.instant(Self.day("2025-07-01"), seconds: 0)
        #expect(Self.snapshot.unit(Self.binhPhuoc, at: lastMinute)?.parent == Self.district)
        #expect(Self.snapshot.unit(Self.binhPhuoc, at: firstMinute)?.parent == Self.province)
    }

    @Test func scopesFollowTheTreeOfTheDayAndSuccessors() {
        let s = Self.snapshot
        let before = Self.day("2025-03-01")
        let after = Self.day("2026-12-07")
        #expect(s.unit(Self.binhPhuoc, isWithin: Self.district, on: before))
        #expect(!s.unit(Self.binhPhuoc, isWithin: Self.district, on: after))
        #expect(s.unit(Self.binhPhuoc, isWithin: Self.province, on: after))
        // The successor's token reaches the predecessors' dossiers; a predecessor's does not reach the successor's.
        #expect(s.unit(Self.binhKhuong, isWithin: Self.newCommune, on: before))
        #expect(!s.unit(Self.newCommune, isWithin: Self.binhKhuong, on: after))
    }

    @Test func refusesEndsBeforeStartsUndefinedSuccessorsCyclesAndOverlaps() throws {
        let catalog = try Self.parse(
            """
            {"units": [
              {"code": "000.00.01.H99", "name": "A", "level": "province", "parent": null,
               "validFrom": "2025-07-01", "validTo": "2025-06-30"},
              {"code": "000.01.01.H99", "name": "B", "level": "commune", "parent": null,
               "validTo": "2025-06-30", "successor": "000.09.09.H99"},
              {"code": "000.01.02.H99", "name": "C", "level": "commune", "parent": null,
               "validTo": "2025-06-30", "successor": "000.01.03.H99"},
              {"code": "000.01.03.H99", "name": "D", "level": "commune", "parent": null,
               "validTo": "2025-06-30", "successor": "000.01.02.H99"},
              {"code": "000.01.04.H99", "name": "E", "level": "commune", "parent": null, "validTo": "2025-12-31"},
              {"code": "000.01.04.H99", "name": "E", "level": "commune", "parent": null, "validFrom": "2025-07-01"}]}
            """)
        let problems = CatalogRules.problems(in: catalog)
        let text = problems.map(\.description).joined(separator: "\n")
        #expect(
            problems.contains { $0.field == "units[0].validTo" && $0.message.contains("before validFrom") }, "\(text)")
        #expect(
            problems.contains { $0.field == "units[1].successor" && $0.message.contains("000.09.09.H99") }, "\(text)")
        #expect(problems.contains { $0.field == "units" && $0.message.contains("cycle") }, "\(text)")
        #expect(problems.contains { $0.field == "units[5].validFrom" && $0.message.contains("overlap") }, "\(text)")
    }

    @Test func aVersionOverlappingALoadedOneIsRefused() throws {
        let loaded = try Catalog.parse(DefaultCatalog.data())
        let file = try Self.parse(
            """
            {"units": [{"code": "000.00.19.H56", "name": "UBND xã Bình Phước", "level": "commune",
                        "parent": "000.00.00.H56", "validFrom": "2025-01-01"}]}
            """)
        let problems = CatalogRules.problems(in: file, loaded: loaded)
        #expect(problems.contains { $0.field == "units[0].validFrom" && $0.message.contains("overlap") })
    }

    @Test func refusesARegimeListWithAGapOrAMissingForm() throws {
        let forms = """
            "forms": {"receipt": {"number": "01", "title": "R"}, "supplementRequest": {"number": "02", "title": "S"},
                      "refusal": {"number": "03", "title": "T"}, "apology": {"number": "04", "title": "A"}}
            """
        let gap = try Self.parse(
            """
            {"regimes": [
              {"effectiveFrom": "2018-06-21", "effectiveTo": "2025-06-29", "decree": "61/2018/NĐ-CP",
               "circular": "01/2018/TT-VPCP", \(forms)},
              {"effectiveFrom": "2025-07-01", "decree": "118/2025/NĐ-CP", "circular": "03/2025/TT-VPCP", \(forms)}]}
            """)
        let problems = CatalogRules.problems(in: gap)
        #expect(problems.map(\.field) == ["regimes"])
        #expect(problems.first?.message.contains("gap") == true)
        #expect(problems.first?.message.contains("2025-06-30") == true)
        let missing = try Self.parse(
            """
            {"regimes": [{"effectiveFrom": "2025-07-01", "decree": "118/2025/NĐ-CP", "circular": "03/2025/TT-VPCP",
              "forms": {"receipt": {"number": "01", "title": "R"}, "bogus": {"number": "9", "title": "X"}}}]}
            """)
        let fields = CatalogRules.problems(in: missing).map(\.field)
        #expect(fields.contains("regimes[0].forms.apology"))
        #expect(fields.contains("regimes[0].forms.bogus"))
        let fine = try Self.parse(
            #"{"regimes": [{"effectiveFrom": "2025-07-01", "decree": "d", "circular": "c", \#(forms)}]}"#)
        #expect(CatalogRules.problems(in: fine).isEmpty)
    }
}

/// The handover's moment: the unit's end, or a transfer to the ended unit after it.
@Suite struct UnitHandoverTests {
    static let catalog = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))

    @Test func endedUnitsWithASuccessorAreDueFromTheFirstMomentAfterTheirLastDay() throws {
        let firstMoment = VietnamTime.instant(LocalDate(year: 2025, month: 7, day: 1), seconds: 0)
        #expect(UnitHandover.endings(catalog: Self.catalog, now: firstMoment.addingTimeInterval(-1)).isEmpty)
        let endings = UnitHandover.endings(catalog: Self.catalog, now: firstMoment)
        #expect(endings.map(\.unit) == ["000.00.15.H56", "000.15.02.H56", "000.15.03.H56", "000.15.04.H56"])
        #expect(endings.allSatisfy { $0.at == firstMoment })
        #expect(endings.first { $0.unit == "000.15.02.H56" }?.successor == "000.30.01.H56")
        // Bình Phước carries on under the province: not an ending.
        #expect(!endings.contains { $0.unit == "000.00.19.H56" })
    }

    @Test func aDossierTransferredToAnEndedUnitPassesOnAfterTheTransfer() throws {
        let now = Timestamp.parse("2026-12-07T09:00:00+07:00")!
        let ending = try #require(UnitHandover.endings(catalog: Self.catalog, now: now).first)
        let transfer = DossierAction(
            type: .transfer, at: Timestamp.parse("2026-11-16T10:00:00+07:00")!, toUnit: ending.unit)
        #expect(UnitHandover.moment(ending, after: []) == ending.at)
        #expect(UnitHandover.moment(ending, after: [.action(transfer)]) == transfer.at)
        let state = DossierState(
            code: "X", unitCode: "000.00.19.H56", receivedAt: Timestamp.parse("2026-11-16T09:00:00+07:00")!,
            dueAt: Timestamp.parse("2026-11-19T17:00:00+07:00")!)
        let handover = UnitHandover(
            from: ending.unit, to: ending.successor, at: UnitHandover.moment(ending, after: [.action(transfer)]))
        let replayed = DossierLifecycle.replay(state, steps: [.action(transfer), .handover(handover)], restart: { $0 })
        #expect(replayed.state.handlingUnit == ending.successor, "the replay ends at the successor")
        #expect(replayed.state.dueAt == state.dueAt)
    }
}
