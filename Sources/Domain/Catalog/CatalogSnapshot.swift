/// The catalog as intake and workers consult it: indexed, with the loaded yearly calendars on top of the
/// statutory holidays of every other year.
public struct CatalogSnapshot: Sendable {
    public let units: [String: Unit]
    public let procedures: [String: Procedure]
    public let calendar: WorkingCalendar
    /// Every version of every Decision 766 indicator (`Indicator766.inForce` picks a day's).
    public let indicators: [Indicator766]

    public init(_ catalog: Catalog) {
        units = Dictionary(catalog.units.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        procedures = Dictionary(catalog.procedures.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        calendar = WorkingCalendar(decisions: catalog.calendars)
        indicators = catalog.index766
    }

    /// Whether `unit` is `scope` or one of its descendants.
    public func unit(_ unit: String, isWithin scope: String) -> Bool {
        var cursor: String? = unit
        var hops = 0
        while let code = cursor, hops < 32 {
            if code == scope { return true }
            cursor = units[code]?.parent
            hops += 1
        }
        return false
    }

}
