import Domain
import Foundation
import Testing

/// DOMAIN.md §4, with the default catalog's calendars.
@Suite struct DueMomentTests {
    let calendar = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data())).calendar

    func due(
        _ received: String, _ processing: ProcessingTime, paper: Bool = false,
        hours: OfficeHours = .standard
    ) -> String {
        VietnamTime.rfc3339(
            DueMoment.compute(
                receivedAt: Timestamp.parse(received)!, processing: processing,
                paper: paper, officeHours: hours, calendar: calendar))
    }

    @Test func domainExampleThursday() {
        #expect(due("2026-01-29T10:00:00+07:00", .workingDays(3)) == "2026-02-03T17:00:00+07:00")
    }

    @Test func domainExampleAcrossTet() {
        #expect(due("2026-02-13T10:00:00+07:00", .workingDays(3)) == "2026-02-25T17:00:00+07:00")
    }

    @Test func aYearWithoutADecisionStillHasItsHolidays() {
        // The default catalog stops at 2026. Twelve working days from Thursday 17/12/2026: Friday 18/12 is the
        // first, Thursday 31/12 the tenth; 1/1/2027 is off, so Monday 4/1 is the eleventh and Tuesday 5/1 the
        // twelfth (not Monday 4/1, as when 2027 had no holidays at all).
        #expect(due("2026-12-17T10:00:00+07:00", .workingDays(12)) == "2027-01-05T17:00:00+07:00")
        // Tết 2027 by rule: 30 Tết (5/2) to mùng 4 (9/2), and mùng 1 and 2 on the weekend taken on 10/2 and
        // 11/2. From Monday 1/2/2027: 2, 3 and 4/2, then 12/2, 15–19/2, 22, 23 and 24/2.
        #expect(due("2027-02-01T10:00:00+07:00", .workingDays(12)) == "2027-02-24T17:00:00+07:00")
    }

    @Test func bridgeOfThirtyAprilAndFirstMay2025() {
        // 30/4, 1/5, 2/5 (swap) off, Saturday 26/4 a make-up working day.
        #expect(due("2025-04-29T09:00:00+07:00", .workingDays(1)) == "2025-05-05T17:00:00+07:00")
        #expect(due("2025-04-25T09:00:00+07:00", .workingDays(1)) == "2025-04-26T17:00:00+07:00")
    }

    @Test func makeUpSaturdayIsAWorkingDay() {
        // Friday 9/1/2026: the next working day is the make-up Saturday 10/1.
        #expect(due("2026-01-09T09:00:00+07:00", .workingDays(1)) == "2026-01-10T17:00:00+07:00")
        // Received on the make-up Saturday itself: counting starts Monday.
        #expect(due("2026-01-10T09:00:00+07:00", .workingDays(1)) == "2026-01-12T17:00:00+07:00")
    }

    @Test func paperAtOrAfterThreeCountsFromTheNextWorkingDay() {
        #expect(due("2026-11-19T14:59:59+07:00", .workingDays(1), paper: true) == "2026-11-20T17:00:00+07:00")
        #expect(due("2026-11-19T15:00:00+07:00", .workingDays(1), paper: true) == "2026-11-23T17:00:00+07:00")
        // Online is not paper: 15:30 on Thursday still counts from Friday.
        #expect(due("2026-11-19T15:30:00+07:00", .workingDays(1)) == "2026-11-20T17:00:00+07:00")
    }

    @Test func onlineOnANonWorkingDay() {
        // Sunday 22/11/2026 23:00 counts as Monday's opening; counting starts Tuesday.
        #expect(due("2026-11-22T23:00:00+07:00", .workingDays(2)) == "2026-11-25T17:00:00+07:00")
    }

    @Test func workingHoursSkipLunchAndNights() {
        #expect(due("2026-11-19T10:30:00+07:00", .workingHours(2)) == "2026-11-19T14:30:00+07:00")
        #expect(due("2026-11-19T16:00:00+07:00", .workingHours(2)) == "2026-11-20T08:30:00+07:00")
        #expect(due("2026-11-20T06:00:00+07:00", .workingHours(4)) == "2026-11-20T11:30:00+07:00")
        #expect(due("2026-11-21T09:00:00+07:00", .workingHours(1)) == "2026-11-23T08:30:00+07:00")
    }

    @Test func sameDay() {
        #expect(due("2026-11-19T14:00:00+07:00", .sameDay) == "2026-11-19T17:00:00+07:00")
        #expect(due("2026-11-19T15:10:00+07:00", .sameDay) == "2026-11-20T17:00:00+07:00")
        #expect(due("2026-11-20T16:00:00+07:00", .sameDay) == "2026-11-23T17:00:00+07:00")
        #expect(due("2026-11-21T16:00:00+07:00", .sameDay) == "2026-11-23T17:00:00+07:00")
    }

    @Test func unitOfficeHoursDecideTheEndOfDay() {
        let hours = OfficeHours(pairs: [["07:00", "11:00"], ["13:00", "16:30"]])!
        #expect(due("2026-01-29T10:00:00+07:00", .workingDays(3), hours: hours) == "2026-02-03T16:30:00+07:00")
    }

    @Test func officeHoursRefuseOverlapsAndBadTimes() {
        #expect(OfficeHours(pairs: [["07:30", "11:30"], ["11:00", "17:00"]]) == nil)
        #expect(OfficeHours(pairs: [["7:30", "11:30"]]) == nil)
        #expect(OfficeHours(pairs: [["13:00", "12:00"]]) == nil)
    }
}
