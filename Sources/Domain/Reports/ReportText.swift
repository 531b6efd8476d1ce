/// How figures read in the report's text and spreadsheet forms.
public enum ReportText {
    /// Thousands grouped with a dot, as the seed reports write them: `2.318.000`.
    public static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `288/293 (98.29%)`; an empty denominator reads `0/0 (N/A)`.
    public static func rate(_ rate: Rate) -> String {
        "\(number(rate.numerator))/\(number(rate.denominator)) (\(rate.percent.map { percent($0) + "%" } ?? "N/A"))"
    }

    /// Two decimals, a point between: `98.29`.
    public static func percent(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths.magnitude % 100
        return "\(hundredths < 0 ? "-" : "")\(hundredths.magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `dd/mm/yyyy`.
    public static func date(_ day: LocalDate) -> String {
        "\(day.day < 10 ? "0" : "")\(day.day)/\(day.month < 10 ? "0" : "")\(day.month)/\(day.year)"
    }
}

/// Columns aligned in plain text: the first two (number, name) to the left, figures to the right.
struct TextTable {
    var headers: [String]
    var rows: [[String]]
    var leftColumns = 2

    func render() -> String {
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column < leftColumns ? cell + pad : pad + cell
            }.joined(separator: "  ").replacing(/\s+$/, with: "")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}
