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
