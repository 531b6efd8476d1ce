/// What a catalog file adds when it only fills gaps (`motcua migrate` with the default catalog): what
/// operators loaded stays as they loaded it, so the file's versions never sit beside theirs.
extension Catalog {
    /// The entries of this file that fill gaps in `loaded`:
    /// - units and procedures whose code has no loaded version at all (a version of a known code could
    ///   overlap the operator's, or change their procedure from a date, neither of which they asked for);
    /// - regimes only when none is loaded (the list is one timeline, the operator's or the file's);
    /// - calendar years not loaded, and Decision 766 rules whose (indicator, day) is not loaded.
    public func fillingGaps(in loaded: Catalog) -> Catalog {
        let units = Set(loaded.units.map(\.code))
        let procedures = Set(loaded.procedures.map(\.code))
        let years = Set(loaded.calendars.map(\.year))
        let rules = Set(loaded.index766.map { "\($0.indicator)@\($0.effectiveFrom)" })
        return Catalog(
            units: self.units.filter { !units.contains($0.code) },
            procedures: self.procedures.filter { !procedures.contains($0.code) },
            calendars: calendars.filter { !years.contains($0.year) },
            index766: index766.filter { !rules.contains("\($0.indicator)@\($0.effectiveFrom)") },
            regimes: loaded.regimes.isEmpty ? regimes : [])
    }
}
