import Domain
import Foundation
import Testing

/// DOMAIN.md §11: a due moment counted over a year whose decision is not loaded is provisional, and loading
/// the decision counts it again (`DueRecomputation`). The default catalog's decisions stop at 2026.
@Suite struct ProvisionalDueTests {
    static let catalog = try! Catalog.parse(DefaultCatalog.data())
    /// 1.002093: twelve working days; 000.00.19.H56: standard office hours.
    static let (procedure, unit) = ("1.002093", "000.00.19.H56")

    static func t(_ text: String) -> Date { Timestamp.parse(text)! }
    static func d(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    /// The default catalog with a 2027 decision: by default 4/1/2027 off besides the statutory days.
    static func with2027(holidays: [String] = ["2027-01-01", "2027-01-04"]) -> CatalogSnapshot {
        var catalog = Self.catalog
        let tet = ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"]
        catalog.calendars.append(CalendarYear(year: 2027, holidays: (holidays + tet).map(d), makeUpDays: []))
        return CatalogSnapshot(catalog)
    }

    static func receiptDue(_ received: String, calendar: WorkingCalendar) -> Date {
        DueMoment.compute(
            receivedAt: t(received), processing: .workingDays(12), paper: true, officeHours: .standard,
            calendar: calendar)
    }

    @Test func twelveWorkingDaysFrom17December2026AreProvisionalWithout2027sDecision() {
        let calendar = CatalogSnapshot(Self.catalog).calendar
        let due = Self.receiptDue("2026-12-17T10:00:00+07:00", calendar: calendar)
        #expect(VietnamTime.rfc3339(due) == "2027-01-05T17:00:00+07:00")
        #expect(
            ProvisionalDue.undecidedYears(from: Self.t("2026-12-17T10:00:00+07:00"), through: due, calendar: calendar)
                == [2027])
    }

    @Test func withThe2027DecisionTheSameCountIsNotProvisionalAndMayMove() {
        let calendar = Self.with2027().calendar
        let due = Self.receiptDue("2026-12-17T10:00:00+07:00", calendar: calendar)
        #expect(VietnamTime.rfc3339(due) == "2027-01-06T17:00:00+07:00", "4/1/2027 is off by the decision")
        #expect(
            !ProvisionalDue.isProvisional(from: Self.t("2026-12-17T10:00:00+07:00"), through: due, calendar: calendar))
    }

    @Test func aCountInsideDecidedYearsIsNotProvisional() {
        let calendar = CatalogSnapshot(Self.catalog).calendar
        let due = Self.receiptDue("2026-11-02T10:00:00+07:00", calendar: calendar)
        #expect(VietnamTime.rfc3339(due) == "2026-11-18T17:00:00+07:00")
        #expect(
            !ProvisionalDue.isProvisional(from: Self.t("2026-11-02T10:00:00+07:00"), through: due, calendar: calendar))
    }

    @Test func aClosedDossierOrAnAgencysOwnDateIsNotProvisional() throws {
        let calendar = CatalogSnapshot(Self.catalog).calendar
        let received = Self.t("2026-12-17T10:00:00+07:00")
        let state = DossierState(
            code: "X", unitCode: Self.unit, receivedAt: received, dueAt: Self.t("2027-01-05T17:00:00+07:00"))
        #expect(state.provisionalYears(calendar: calendar) == [2027])
        let restart: DossierLifecycle.Restart = { _ in Self.t("2027-01-20T17:00:00+07:00") }
        let extended = DossierLifecycle.apply(
            DossierAction(
                type: .extend, at: Self.t("2026-12-28T09:00:00+07:00"), reason: "chờ xác minh",
                newDueAt: Self.t("2027-01-15T17:00:00+07:00")), to: state, restart: restart)
        #expect(try extended.get().provisionalYears(calendar: calendar) == [], "a date the agency chose")
        let resolved = DossierLifecycle.apply(
            DossierAction(type: .resolve, at: Self.t("2026-12-28T09:00:00+07:00")), to: state, restart: restart)
        #expect(try resolved.get().provisionalYears(calendar: calendar) == [])
    }

    @Test func countingByRuleForgetsALoadedDecision() {
        let calendar = Self.with2027().calendar
        #expect(!calendar.isWorkingDay(Self.d("2027-01-04")))
        let byRule = calendar.countingByRule([2027])
        #expect(byRule.isWorkingDay(Self.d("2027-01-04")) && !byRule.isWorkingDay(Self.d("2027-01-01")))
        #expect(byRule.isProvisional(year: 2027) && !byRule.isProvisional(year: 2026))
    }

    static func record(received: String, dueAt: Date, steps: [DossierAction] = [], catalog: CatalogSnapshot)
        -> DossierRecord
    {
        DossierRecord(
            initial: DossierState(code: "X", unitCode: unit, receivedAt: t(received), dueAt: dueAt),
            steps: steps.map(DossierLifecycle.Step.action),
            restart: DueRestart.rule(
                procedure: procedure, unit: unit, channel: .direct, receivedAt: t(received), catalog: catalog))
    }

    static let facts = DossierFacts(
        code: "X", unitCode: unit, procedureCode: procedure, channel: .direct,
        applicant: Applicant(personalId: "051095001234", fullName: "Nguyễn Văn A"))

    @Test func theRecomputationCountsTheReceiptAgainAndNamesTheChange() throws {
        let decided = Self.with2027()
        let due = Self.t("2027-01-05T17:00:00+07:00")
        let record = Self.record(received: "2026-12-17T10:00:00+07:00", dueAt: due, catalog: decided)
        // Before the pass: still counted by rule, still provisional, nothing journalled.
        let waiting = DueRecomputation.basis(
            of: record, facts: Self.facts, stored: [2027], catalog: decided, recompute: false)
        #expect(waiting.record.state.dueAt == due && waiting.change == nil && waiting.receiptDueAt == nil)
        #expect(waiting.record.state.provisionalYears(calendar: waiting.calendar) == [2027])
        // The pass.
        let pass = DueRecomputation.basis(
            of: record, facts: Self.facts, stored: [2027], catalog: decided, recompute: true)
        let moved = Self.t("2027-01-06T17:00:00+07:00")
        #expect(pass.receiptDueAt == moved)
        #expect(pass.record.state.dueAt == moved && pass.record.state.originalDueAt == moved)
        #expect(pass.record.state.provisionalYears(calendar: pass.calendar) == [])
        let change = try #require(pass.change)
        #expect(change.years == [2027] && change.previousDueAt == due && change.dueAt == moved)
        #expect(
            change.reason
                == "Tính lại hạn trả kết quả do đã nạp quyết định nghỉ lễ năm 2027: 17:00 05/01/2027 → 17:00 06/01/2027"
        )
        // Done: the years written are empty, so the next look finds nothing to do.
        let again = DueRecomputation.basis(
            of: pass.record, facts: Self.facts, stored: [], catalog: decided, recompute: true)
        #expect(again.change == nil && again.receiptDueAt == nil)
    }

    @Test func aDecisionThatMovesNothingOnlyEndsTheProvisionalFlag() {
        let decided = Self.with2027(holidays: ["2027-01-01"])
        let due = Self.t("2027-01-05T17:00:00+07:00")
        let pass = DueRecomputation.basis(
            of: Self.record(received: "2026-12-17T10:00:00+07:00", dueAt: due, catalog: decided),
            facts: Self.facts, stored: [2027], catalog: decided, recompute: true)
        #expect(pass.change == nil && pass.receiptDueAt == nil && pass.record.state.dueAt == due)
        #expect(pass.record.state.provisionalYears(calendar: pass.calendar) == [])
    }

    @Test func aSupplementsRestartIsCountedAgainFromItsCompletion() throws {
        let decided = Self.with2027()
        // Received in November, due within 2026; the supplement completed on 17/12 restarts twelve days.
        let record = Self.record(
            received: "2026-11-02T10:00:00+07:00", dueAt: Self.t("2026-11-18T17:00:00+07:00"),
            steps: [
                DossierAction(type: .requestSupplement, at: Self.t("2026-11-05T09:00:00+07:00"), reason: "thiếu"),
                DossierAction(type: .supplement, at: Self.t("2026-12-17T10:00:00+07:00")),
            ], catalog: decided)
        let waiting = DueRecomputation.basis(
            of: record, facts: Self.facts, stored: [2027], catalog: decided, recompute: false)
        #expect(VietnamTime.rfc3339(waiting.record.state.dueAt) == "2027-01-05T17:00:00+07:00")
        let pass = DueRecomputation.basis(
            of: record, facts: Self.facts, stored: [2027], catalog: decided, recompute: true)
        #expect(pass.receiptDueAt == nil, "the receipt's own count stayed within 2026")
        let change = try #require(pass.change)
        #expect(VietnamTime.rfc3339(change.previousOriginalDueAt) == "2027-01-05T17:00:00+07:00")
        #expect(VietnamTime.rfc3339(change.originalDueAt) == "2027-01-06T17:00:00+07:00")
    }
}
