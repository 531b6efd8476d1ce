import Foundation

/// The rules a catalog file must follow before any of it is loaded: a file that breaks one is
/// refused whole, with every reason.
public enum CatalogRules {
    /// - Parameter loaded: the catalog already in the database, which a parent or successor may name and
    ///   which the file's versions and regimes must fit beside (`DatedRules`).
    public static func problems(in catalog: Catalog, loaded: Catalog = Catalog()) -> [FieldError] {
        var problems: [FieldError] = []
        let knownUnits = Set(loaded.units.map(\.code))
        let fileUnits = Set(catalog.units.map(\.code))
        var seen = Set<String>()
        for (i, unit) in catalog.units.enumerated() {
            let at = "units[\(i)]"
            if !UnitCode.isWellFormed(unit.code) {
                problems.append(.init("\(at).code", "must be shaped DDD.DD.DD.LDD, e.g. 000.00.19.H56"))
            }
            if !seen.insert("\(unit.code)@\(unit.validFrom?.description ?? "")").inserted {
                problems.append(.init("\(at).code", "appears twice in the file with the same validFrom"))
            }
            if unit.name.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init("\(at).name", "must not be empty"))
            }
            if let parent = unit.parent {
                if parent == unit.code {
                    problems.append(.init("\(at).parent", "a unit cannot be its own parent"))
                } else if !fileUnits.contains(parent) && !knownUnits.contains(parent) {
                    problems.append(
                        .init("\(at).parent", "names unit \(parent), which is neither in the file nor loaded"))
                }
            }
            if let hours = unit.officeHours, OfficeHours(pairs: hours) == nil {
                problems.append(
                    .init(
                        "\(at).officeHours",
                        "must be ordered, non-overlapping [\"HH:MM\", \"HH:MM\"] pairs"))
            }
        }
        var procedureCodes = Set<String>()
        for (i, procedure) in catalog.procedures.enumerated() {
            let at = "procedures[\(i)]"
            if procedure.code.isEmpty { problems.append(.init("\(at).code", "must not be empty")) }
            if !procedureCodes.insert("\(procedure.code)@\(procedure.effectiveFrom?.description ?? "")").inserted {
                problems.append(.init("\(at).code", "appears twice in the file with the same effectiveFrom"))
            }
            if procedure.name.isEmpty { problems.append(.init("\(at).name", "must not be empty")) }
            if !(0...Limits.maxAmountVnd).contains(procedure.feeVnd) {
                problems.append(.init("\(at).feeVnd", "must be from 0 to \(Limits.maxAmountVnd)"))
            }
        }
        var years = Set<Int>()
        for (i, calendar) in catalog.calendars.enumerated() {
            let at = "calendars[\(i)]"
            if !(2000...2100).contains(calendar.year) { problems.append(.init("\(at).year", "must be 2000 to 2100")) }
            if !years.insert(calendar.year).inserted { problems.append(.init("\(at).year", "appears twice")) }
            for (j, day) in calendar.holidays.enumerated() where day.year != calendar.year {
                problems.append(.init("\(at).holidays[\(j)]", "\(day) is not in \(calendar.year)"))
            }
            for (j, day) in calendar.makeUpDays.enumerated() where day.year != calendar.year {
                problems.append(.init("\(at).makeUpDays[\(j)]", "\(day) is not in \(calendar.year)"))
            }
        }
        problems += Indicator766.problems(in: catalog.index766)
        problems += cycles(in: catalog.units)
        problems += DatedRules.problems(in: catalog, loaded: loaded)
        return problems
    }

    private static func cycles(in units: [Unit]) -> [FieldError] {
        let parents = Dictionary(units.map { ($0.code, $0.parent) }, uniquingKeysWith: { a, _ in a })
        for unit in units {
            var visited: Set<String> = [unit.code]
            var cursor = unit.parent
            while let code = cursor, let next = parents[code] {
                if !visited.insert(code).inserted {
                    return [.init("units", "parents form a cycle through \(code)")]
                }
                cursor = next
            }
        }
        return []
    }
}
