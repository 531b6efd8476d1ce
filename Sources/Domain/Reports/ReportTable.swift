/// `motcua report --format table`: for people, with the Vietnamese labels of the seed reports, one
/// table per part of the report, a row per unit (with `--children`: the total first, as the seed
/// appendices put it, then each child), thousands grouped, rates as `num/den (pp.pp%)`.
public enum ReportTable {
    /// One part of the report: its title and its table, whose first two columns are text (the number and
    /// the unit, or the indicator and its name) and the rest figures.
    public struct Section: Sendable {
        public let title: String
        public let headers: [String]
        public let rows: [[String]]
    }

    public static func render(_ report: UnitReport) -> String {
        let parts =
            [heading(report).joined(separator: "\n")]
            + sections(report).map { section in
                section.title + "\n" + TextTable(headers: section.headers, rows: section.rows).render()
            }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// The report's title, unit and period, a line each.
    public static func heading(_ report: UnitReport) -> [String] {
        [
            "BÁO CÁO KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
            "Đơn vị: \(report.unitName) (\(report.unit))",
            "Số liệu tính từ ngày \(day(report.from)) đến ngày \(day(report.to))",
        ]
    }

    /// The parts of the report, as the seed reports put them; the console shows them as HTML tables.
    public static func sections(_ report: UnitReport) -> [Section] {
        let rows = labelledRows(report)
        func table(_ title: String, _ headers: [String], _ cells: (UnitReport) -> [String]) -> Section {
            Section(
                title: title, headers: ["STT", "Đơn vị"] + headers,
                rows: rows.map { [$0.number, $0.label] + cells($0.report) })
        }
        let n = ReportText.number
        let r = ReportText.rate
        var parts = [
            table(
                "1. Tiếp nhận",
                [
                    "Tổng số", "Kỳ trước chuyển qua", "Trực tiếp", "Trực tuyến", "Một phần",
                    "Toàn trình", "Bưu chính",
                ]
            ) { u in
                [
                    n(u.received.total), n(u.received.carriedOver), n(u.received.direct), n(u.received.online),
                    n(u.received.onlinePartial), n(u.received.onlineFull), n(u.received.postal),
                ]
            },
            table(
                "2. Giải quyết",
                [
                    "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối", "Công dân rút",
                    "Đang giải quyết", "Trong hạn", "Quá hạn",
                ]
            ) { u in
                [
                    n(u.closed.resolved), n(u.closed.early), n(u.closed.onTime), n(u.closed.overdue),
                    n(u.closed.rejected),
                    n(u.closed.withdrawn), n(u.open.total), n(u.open.withinTime), n(u.open.overdue),
                ]
            },
            table("3. Tỷ lệ", ["Trước và đúng hạn", "Trực tuyến", "Số hóa hồ sơ", "Số hóa kết quả", "Tái sử dụng"]) {
                u in
                [
                    r(u.rates.onTime), r(u.rates.online), r(u.rates.digitizedDossiers), r(u.rates.digitizedResults),
                    r(u.rates.reuse),
                ]
            },
            table(
                "4. Thanh toán trực tuyến, liên thông, xin lỗi",
                [
                    "Thanh toán (lượt)", "Số tiền (đồng)", "Khai sinh: tiếp nhận", "hoàn thành", "Khai tử: tiếp nhận",
                    "hoàn thành", "Phiếu xin lỗi", "Kịp thời", "Không kịp thời", "Báo cấp trên",
                ]
            ) { u in
                [
                    n(u.payments.count), n(u.payments.totalVnd), n(u.linkedGroups.birth.received),
                    n(u.linkedGroups.birth.completed), n(u.linkedGroups.death.received),
                    n(u.linkedGroups.death.completed), n(u.apologies.issued), n(u.apologies.timely),
                    n(u.apologies.notTimely), n(u.apologies.escalations),
                ]
            },
            Section(
                title: "5. Chỉ số Quyết định 766/QĐ-TTg",
                headers: ["Chỉ số", "Nội dung", "Tử số/Mẫu số (tỷ lệ)", "Ngưỡng", "Điểm", "Tối đa"],
                rows: report.index766.map { i in
                    [
                        i.indicator, i.name, r(Rate(numerator: i.numerator, denominator: i.denominator)),
                        ReportText.percent(i.thresholdPercent) + "%", i.score.map(ReportText.percent) ?? "N/A",
                        ReportText.percent(i.max),
                    ]
                }),
        ]
        if !report.children.isEmpty && !report.index766.isEmpty {
            parts.append(
                table("Điểm chỉ số 766 theo đơn vị", report.index766.map(\.indicator)) { u in
                    u.index766.map { $0.score.map(ReportText.percent) ?? "N/A" }
                })
        }
        // "Resolved by" (DOMAIN.md §11): parts 1 and 2 count at the receiving unit, this at the one that closed.
        parts.append(
            table(
                "6. Đơn vị giải quyết (kể cả hồ sơ tiếp nhận tại đơn vị khác)",
                [
                    "Tổng số", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối", "Công dân rút",
                    "Tiếp nhận tại đơn vị khác",
                ]
            ) { u in
                [
                    n(u.resolvedBy.total), n(u.resolvedBy.resolved), n(u.resolvedBy.early), n(u.resolvedBy.onTime),
                    n(u.resolvedBy.overdue), n(u.resolvedBy.rejected), n(u.resolvedBy.withdrawn),
                    n(u.resolvedBy.receivedElsewhere),
                ]
            })
        return parts
    }

    /// The rows of every table: the unit alone, or the total then each child.
    static func labelledRows(_ report: UnitReport) -> [(number: String, label: String, report: UnitReport)] {
        guard !report.children.isEmpty else { return [("1", report.unitName, report)] }
        return [("", "Tổng cộng", report)]
            + report.children.enumerated().map { index, child in
                (String(index + 1), child.scope == "own" ? "\(child.unitName) (tự tiếp nhận)" : child.unitName, child)
            }
    }

    private static func day(_ iso: String) -> String { LocalDate(iso: iso).map(ReportText.date) ?? iso }
}
