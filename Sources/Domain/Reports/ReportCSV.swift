/// `motcua report --format csv`: one header row and one row per unit (with `--children`, the total
/// then each child, as in the table), UTF-8 with a byte order mark so spreadsheet software reads the
/// Vietnamese right; plain figures (no grouping), a rate as numerator, denominator and percent.
public enum ReportCSV {
    public static func render(_ report: UnitReport) -> String {
        var header = [
            "Mã đơn vị", "Đơn vị", "Từ ngày", "Đến ngày", "Tổng số tiếp nhận", "Kỳ trước chuyển qua",
            "Trực tiếp", "Trực tuyến", "Trực tuyến một phần", "Trực tuyến toàn trình", "Bưu chính",
            "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối", "Công dân rút",
            "Đang giải quyết", "Đang giải quyết trong hạn", "Đang giải quyết quá hạn",
        ]
        for rate in ["Trước và đúng hạn", "Trực tuyến", "Số hóa hồ sơ", "Số hóa kết quả", "Tái sử dụng"] {
            header += ["\(rate): tử số", "\(rate): mẫu số", "\(rate): %"]
        }
        header += [
            "Thanh toán trực tuyến (lượt)", "Thanh toán trực tuyến (đồng)", "Khai sinh: tiếp nhận",
            "Khai sinh: hoàn thành", "Khai tử: tiếp nhận", "Khai tử: hoàn thành", "Phiếu xin lỗi",
            "Xin lỗi kịp thời", "Xin lỗi không kịp thời", "Báo cấp trên",
        ]
        for indicator in report.index766 {
            header += [
                "766 \(indicator.indicator): tử số", "766 \(indicator.indicator): mẫu số",
                "766 \(indicator.indicator): %", "766 \(indicator.indicator): điểm",
                "766 \(indicator.indicator): tối đa",
            ]
        }
        // "Resolved by" last, so the columns before keep their places.
        header += [
            "Tổng số", "Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối", "Công dân rút",
            "Tiếp nhận tại đơn vị khác",
        ].map { "Đơn vị giải quyết: \($0.lowercased())" }
        let rows = ReportTable.labelledRows(report).map { row -> [String] in
            let u = row.report
            var cells = [u.unit, row.label == "Tổng cộng" ? "Tổng cộng: \(u.unitName)" : row.label, u.from, u.to]
            cells += [
                u.received.total, u.received.carriedOver, u.received.direct, u.received.online,
                u.received.onlinePartial, u.received.onlineFull, u.received.postal, u.closed.resolved,
                u.closed.early, u.closed.onTime, u.closed.overdue, u.closed.rejected, u.closed.withdrawn,
                u.open.total, u.open.withinTime, u.open.overdue,
            ].map(String.init)
            for rate in [
                u.rates.onTime, u.rates.online, u.rates.digitizedDossiers, u.rates.digitizedResults, u.rates.reuse,
            ] {
                cells += [String(rate.numerator), String(rate.denominator), rate.percent.map(ReportText.percent) ?? ""]
            }
            cells += [
                u.payments.count, u.payments.totalVnd, u.linkedGroups.birth.received,
                u.linkedGroups.birth.completed, u.linkedGroups.death.received, u.linkedGroups.death.completed,
                u.apologies.issued, u.apologies.timely, u.apologies.notTimely, u.apologies.escalations,
            ]
            .map(String.init)
            for i in u.index766 {
                cells += [
                    String(i.numerator), String(i.denominator), i.percent.map(ReportText.percent) ?? "",
                    i.score.map(ReportText.percent) ?? "", ReportText.percent(i.max),
                ]
            }
            let by = u.resolvedBy
            cells += [
                by.total, by.resolved, by.early, by.onTime, by.overdue, by.rejected, by.withdrawn,
                by.receivedElsewhere,
            ].map(String.init)
            return cells
        }
        return "\u{FEFF}" + ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }
}
