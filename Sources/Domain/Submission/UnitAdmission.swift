/// Whether a unit may receive a new dossier on a day (DOMAIN.md §11): after its end it accepts none, and
/// the refusal names the successor that does.
public enum UnitAdmission {
    /// The rule a dossier for `code` on `day` breaks, or nil when the unit is in force.
    public static func problem(_ code: String, on day: LocalDate, catalog: CatalogSnapshot) -> String? {
        switch catalog.standing(of: code, on: day) {
        case .inForce: return nil
        case .unknown: return "is not a unit of the catalog"
        case .ended(let end, let successor?):
            return "unit \(code) ended on \(end); its successor is \(successor), which receives its dossiers"
        case .ended(let end, nil): return "unit \(code) ended on \(end) and receives no dossier after it"
        case .notYet(let start?): return "unit \(code) is in force from \(start), after \(day)"
        case .notYet(nil): return "unit \(code) is not in force on \(day)"
        }
    }
}

/// Receiving regardless of boundary (DOMAIN.md §11): under a regime that allows it, a unit receives a dossier
/// another unit of the same province handles; both are recorded.
public enum Reception {
    /// The rule naming `handling` for a dossier received at `receiving` on `day` breaks, or nil.
    public static func problem(handling: String, receiving: String, on day: LocalDate, catalog: CatalogSnapshot)
        -> String?
    {
        guard UnitCode.isWellFormed(handling) else { return "must be shaped DDD.DD.DD.LDD, e.g. 000.00.19.H56" }
        if handling == receiving { return nil }
        if let problem = UnitAdmission.problem(handling, on: day, catalog: catalog) { return problem }
        guard let regime = catalog.regime(on: day), regime.receptionAcrossUnits == true else {
            let decree = catalog.regime(on: day).map { " under Decree \($0.decree)" } ?? ""
            return "a dossier is handled by the unit that receives it\(decree)"
        }
        guard let province = self.province(of: receiving, on: day, catalog: catalog),
            province == self.province(of: handling, on: day, catalog: catalog)
        else {
            return "unit \(handling) is not of the province of \(receiving): a unit receives for its own province only"
        }
        return nil
    }

    /// The root of `code`'s tree on `day`.
    static func province(of code: String, on day: LocalDate, catalog: CatalogSnapshot) -> String? {
        var cursor = code
        for _ in 0..<32 {
            guard let unit = catalog.unit(cursor, on: day) else { return nil }
            guard let parent = unit.parent else { return cursor }
            cursor = parent
        }
        return nil
    }
}
