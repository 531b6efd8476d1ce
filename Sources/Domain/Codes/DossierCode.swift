/// The dossier code (mã hồ sơ) `<unitCode>-YYMMDD-NNNN`, DOMAIN.md §2: the receiving unit, the local
/// date of receipt and a daily per-unit sequence from 0001, widening to five digits past 9999.
public struct DossierCode: Hashable, Sendable, CustomStringConvertible {
    public let unitCode: String
    public let day: LocalDate
    public let sequence: Int

    public init(unitCode: String, day: LocalDate, sequence: Int) {
        self.unitCode = unitCode
        self.day = day
        self.sequence = sequence
    }

    public var description: String {
        let yy = day.year % 100
        let mm = day.month
        let dd = day.day
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let number = String(sequence)
        let padded = number.count >= 4 ? number : String(repeating: "0", count: 4 - number.count) + number
        return "\(unitCode)-\(two(yy))\(two(mm))\(two(dd))-\(padded)"
    }

    /// Parses a code; nil when it is not of the shape (the unit code's shape is checked too).
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, UnitCode.isWellFormed(String(parts[0])), parts[1].count == 6,
            parts[2].count >= 4, parts[2].count <= 6, parts[2].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let sequence = Int(parts[2]), sequence > 0,
            let day = LocalDate(iso: "20\(parts[1].prefix(2))-\(parts[1].dropFirst(2).prefix(2))-\(parts[1].suffix(2))")
        else { return nil }
        self.init(unitCode: String(parts[0]), day: day, sequence: sequence)
    }
}

/// Unit codes are shaped `DDD.DD.DD.LDD` (Circular 01/2018/TT-VPCP), e.g. `000.00.19.H56`.
public enum UnitCode {
    public static func isWellFormed(_ code: String) -> Bool {
        let u = Array(code.utf8)
        guard u.count == 13 else { return false }
        func digit(_ i: Int) -> Bool { u[i] >= 48 && u[i] <= 57 }
        func upper(_ i: Int) -> Bool { u[i] >= 65 && u[i] <= 90 }
        let dot = UInt8(ascii: ".")
        return digit(0) && digit(1) && digit(2) && u[3] == dot && digit(4) && digit(5) && u[6] == dot
            && digit(7) && digit(8) && u[9] == dot && upper(10) && digit(11) && digit(12)
    }
}
