/// The rules of dated catalog entries (DOMAIN.md §11): unit versions and successors, and the legal regimes.
/// They hold over the catalog as it will be once the file is loaded (the file's entries upserted over the
/// loaded ones), so a file cannot add a version that overlaps one already loaded, nor open a gap between
/// regimes.
public enum DatedRules {
    public static func problems(in file: Catalog, loaded: Catalog = Catalog()) -> [FieldError] {
        let units = merged(file.units, over: loaded.units) { "\($0.code)@\($0.validFrom?.description ?? "")" }
        let regimes = merged(file.regimes, over: loaded.regimes) { $0.effectiveFrom.description }
        return unitProblems(file.units, all: units) + versionOverlaps(file.units, all: units)
            + successorCycles(units) + regimeProblems(file.regimes, all: regimes)
    }

    /// The loaded entries the file does not replace, then the file's.
    static func merged<T>(_ file: [T], over loaded: [T], key: (T) -> String) -> [T] {
        let replaced = Set(file.map(key))
        return loaded.filter { !replaced.contains(key($0)) } + file
    }

    private static func unitProblems(_ file: [Unit], all: [Unit]) -> [FieldError] {
        var problems: [FieldError] = []
        let codes = Set(all.map(\.code))
        for (i, unit) in file.enumerated() {
            let at = "units[\(i)]"
            if let from = unit.validFrom, let to = unit.validTo, to < from {
                problems.append(.init("\(at).validTo", "\(to) is before validFrom \(from)"))
            }
            guard let successor = unit.successor else { continue }
            if successor == unit.code {
                problems.append(.init("\(at).successor", "a unit cannot succeed itself"))
            } else if !codes.contains(successor) {
                problems.append(
                    .init("\(at).successor", "names unit \(successor), which is neither in the file nor loaded"))
            } else if let end = unit.validTo {
                let next = end.adding(days: 1)
                if !all.contains(where: { $0.code == successor && $0.isInForce(on: next) }) {
                    problems.append(
                        .init(
                            "\(at).successor",
                            "unit \(successor) is not in force on \(next), the day after this unit ends"))
                }
            }
            if unit.validTo == nil {
                problems.append(
                    .init("\(at).validTo", "is required with a successor: the successor takes over at the end"))
            }
        }
        return problems
    }

    /// Two versions of one code in force on the same day.
    private static func versionOverlaps(_ file: [Unit], all: [Unit]) -> [FieldError] {
        var problems: [FieldError] = []
        for (code, versions) in Dictionary(grouping: all, by: \.code) {
            let sorted = versions.sorted {
                ($0.validFrom?.daysSinceEpoch ?? .min) < ($1.validFrom?.daysSinceEpoch ?? .min)
            }
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                guard let start = b.validFrom, a.validTo.map({ $0 >= start }) ?? true else { continue }
                let index = file.firstIndex(of: b) ?? file.firstIndex(of: a)
                problems.append(
                    .init(
                        index.map { "units[\($0)].validFrom" } ?? "units",
                        "versions of unit \(code) overlap: one from \(a.validFrom?.description ?? "the start") "
                            + "to \(a.validTo?.description ?? "no end"), another from \(start)"))
            }
        }
        return problems.sorted { $0.field < $1.field }
    }

    private static func successorCycles(_ units: [Unit]) -> [FieldError] {
        var next: [String: Set<String>] = [:]
        for unit in units { if let s = unit.successor, s != unit.code { next[unit.code, default: []].insert(s) } }
        for start in next.keys.sorted() {
            var stack = Array(next[start] ?? [])
            var seen: Set<String> = []
            while let code = stack.popLast() {
                if code == start { return [.init("units", "successors form a cycle through \(start)")] }
                if seen.insert(code).inserted { stack += next[code] ?? [] }
            }
        }
        return []
    }

    private static func regimeProblems(_ file: [Regime], all: [Regime]) -> [FieldError] {
        var problems: [FieldError] = []
        var starts: Set<LocalDate> = []
        for (i, regime) in file.enumerated() {
            let at = "regimes[\(i)]"
            if !starts.insert(regime.effectiveFrom).inserted {
                problems.append(.init("\(at).effectiveFrom", "appears twice in the file"))
            }
            if let end = regime.effectiveTo, end < regime.effectiveFrom {
                problems.append(.init("\(at).effectiveTo", "\(end) is before effectiveFrom \(regime.effectiveFrom)"))
            }
            if regime.decree.isEmpty { problems.append(.init("\(at).decree", "must not be empty")) }
            for kind in Regime.FormKind.required where regime.form(kind) == nil {
                problems.append(
                    .init("\(at).forms.\(kind.rawValue)", "is required: every regime names its \(kind.rawValue) form"))
            }
            for (name, form) in regime.forms.sorted(by: { $0.key < $1.key }) {
                if Regime.FormKind(rawValue: name) == nil {
                    let known = Regime.FormKind.allCases.map(\.rawValue).joined(separator: ", ")
                    problems.append(.init("\(at).forms.\(name)", "is not a form kind: one of \(known)"))
                } else if form.number.isEmpty || form.title.isEmpty {
                    problems.append(.init("\(at).forms.\(name)", "needs a number and a title"))
                }
            }
        }
        let sorted = all.sorted { $0.effectiveFrom < $1.effectiveFrom }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            guard let end = a.effectiveTo else { continue }
            if end.adding(days: 1) < b.effectiveFrom {
                problems.append(
                    .init(
                        "regimes",
                        "leave a gap: none is in force from \(end.adding(days: 1)) to \(b.effectiveFrom.adding(days: -1))"
                    ))
            } else if end >= b.effectiveFrom {
                problems.append(
                    .init(
                        "regimes", "overlap: the one from \(a.effectiveFrom) ends on \(end), after \(b.effectiveFrom)"))
            }
        }
        if let last = sorted.last, let end = last.effectiveTo {
            problems.append(
                .init(
                    "regimes",
                    "leave a gap after \(end), where the last one (from \(last.effectiveFrom)) ends: "
                        + "leave its effectiveTo out"))
        }
        return problems
    }
}
