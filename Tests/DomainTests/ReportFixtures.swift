import Domain
import Foundation

/// Hand-built dossiers for the report tests: the 2023 calendar (Quốc khánh: Fri 1/9 and Mon 4/9 off),
/// a province with a district and two communes, and three procedures.
enum ReportFixtures {
    static func t(_ text: String) -> Date { Timestamp.parse(text)! }

    static let province = "000.00.00.H56", district = "000.00.15.H56", binhPhuoc = "000.00.19.H56"
    static let binhKhuong = "000.00.20.H56"

    static let catalog = CatalogSnapshot(
        Catalog(
            units: [
                Unit(code: province, name: "UBND tỉnh Quảng Ngãi", level: .province, parent: nil),
                Unit(code: district, name: "UBND huyện Bình Sơn", level: .district, parent: province),
                Unit(code: binhPhuoc, name: "UBND xã Bình Phước", level: .commune, parent: district),
                Unit(code: binhKhuong, name: "UBND xã Bình Khương", level: .commune, parent: district),
            ],
            procedures: [
                Procedure(
                    code: "2.000575", name: "Đăng ký hộ kinh doanh", field: "Hộ kinh doanh",
                    processing: .workingDays(3), feeVnd: 100_000, onlineLevel: .full, paperResult: true),
                Procedure(
                    code: "2.000884", name: "Chứng thực chữ ký", field: "Chứng thực",
                    processing: .workingDays(3), feeVnd: 0, onlineLevel: nil, paperResult: false),
                Procedure(
                    code: "1.001193", name: "Đăng ký khai sinh", field: "Hộ tịch",
                    processing: .workingDays(3), feeVnd: 0, onlineLevel: .full, paperResult: true,
                    linkedGroup: .birth),
            ],
            calendars: [
                CalendarYear(
                    year: 2023,
                    holidays: [
                        LocalDate(year: 2023, month: 9, day: 1),
                        LocalDate(year: 2023, month: 9, day: 4),
                    ], makeUpDays: [])
            ],
            index766: [
                Indicator766(
                    indicator: "2.1", name: "Trước và đúng hạn", effectiveFrom: LocalDate(iso: "2022-06-23")!,
                    numerator: ["closed.early", "closed.onTime"], denominator: ["closed.resolved"],
                    thresholdPercent: 100, maxScore: 20)
            ]))

    /// 24/8–24/9/2023, the seed's period; "now" long after it.
    static let period = ReportPeriod(from: LocalDate(iso: "2023-08-24")!, to: LocalDate(iso: "2023-09-24")!)!
    static let now = t("2026-12-01T09:00:00+07:00")

    /// A dossier of `procedure` received at `received`, its due moment computed as intake does.
    static func history(
        received: String, channel: Channel = .direct, level: OnlineLevel? = nil,
        procedure: String = "2.000575", unit: String = binhPhuoc, steps: [DossierLifecycle.Step] = [],
        components: [Component] = [Component(name: "Tờ khai", digitized: true)],
        linkedGroup: LinkedGroupKind? = nil, linkedOutcome: String? = nil,
        fileEntries: [DossierHistory.FileEntry] = [], files: [DigitizationRecord] = [],
        payments: [DossierHistory.Payment] = []
    ) -> DossierHistory {
        let at = t(received)
        let due = DueMoment.compute(
            receivedAt: at, processing: catalog.procedures[procedure]!.processing,
            paper: channel.isPaper, officeHours: .standard, calendar: catalog.calendar)
        return DossierHistory(
            code: "\(unit)-\(UUID().uuidString)", unitCode: unit, procedureCode: procedure,
            channel: channel, onlineLevel: level, receivedAt: at, initialDueAt: due,
            components: components, linkedGroup: linkedGroup, linkedOutcome: linkedOutcome,
            steps: steps, fileEntries: fileEntries, files: files, payments: payments)
    }

    static func act(_ type: ActionType, _ at: String, newDueAt: String? = nil, result: FileView? = nil)
        -> DossierLifecycle.Step
    {
        .action(DossierAction(type: type, at: t(at), reason: "lý do", newDueAt: newDueAt.map(t), result: result))
    }

    static func facts(_ history: DossierHistory) -> DossierReportFacts {
        DossierReportFacts.derive(history, catalog: catalog)
    }

    static func counts(_ histories: [DossierHistory], period: ReportPeriod = period, now: Date = now) -> ReportCounts {
        ReportTally(period: period, now: now).counts(histories.map(facts), payments: histories.flatMap(\.payments))
    }
}
