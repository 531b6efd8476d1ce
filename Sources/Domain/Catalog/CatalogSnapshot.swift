/// The catalog as intake and workers consult it: indexed, with every year's calendar merged.
public struct CatalogSnapshot: Sendable {
    public let units: [String: Unit]
    public let procedures: [String: Procedure]
    public let calendar: WorkingCalendar
    /// Every version of every Decision 766 indicator (`Indicator766.inForce` picks a day's).
    public let indicators: [Indicator766]

    public init(_ catalog: Catalog) {
        units = Dictionary(catalog.units.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        procedures = Dictionary(catalog.procedures.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
        calendar = WorkingCalendar(
            holidays: Set(catalog.calendars.flatMap(\.holidays)),
            makeUpDays: Set(catalog.calendars.flatMap(\.makeUpDays)))
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
