import Foundation

/// The catalog as intake and workers consult it: indexed, with the loaded yearly calendars on top of the
/// statutory holidays of every other year.
///
/// Units and procedures are dated (DOMAIN.md §11): `unitVersions` and `procedureVersions` hold every
/// version, and a dossier uses the one in force on its receipt's local day (`unit(_:on:)`,
/// `procedure(_:on:)`). `units` and `procedures` hold each code's latest version, for names and lists.
public struct CatalogSnapshot: Sendable {
    public let units: [String: Unit]
    public let procedures: [String: Procedure]
    /// Every version of every unit, oldest first.
    public let unitVersions: [String: [Unit]]
    /// Every version of every procedure, oldest first.
    public let procedureVersions: [String: [Procedure]]
    /// The legal regimes, oldest first.
    public let regimes: [Regime]
    public let calendar: WorkingCalendar
    /// Every version of every Decision 766 indicator (`Indicator766.inForce` picks a day's).
    public let indicators: [Indicator766]

    public init(_ catalog: Catalog) {
        let start = Int.min
        unitVersions = Dictionary(grouping: catalog.units, by: \.code).mapValues {
            $0.sorted { ($0.validFrom?.daysSinceEpoch ?? start) < ($1.validFrom?.daysSinceEpoch ?? start) }
        }
        procedureVersions = Dictionary(grouping: catalog.procedures, by: \.code).mapValues {
            $0.sorted { ($0.effectiveFrom?.daysSinceEpoch ?? start) < ($1.effectiveFrom?.daysSinceEpoch ?? start) }
        }
        units = unitVersions.compactMapValues(\.last)
        procedures = procedureVersions.compactMapValues(\.last)
        regimes = catalog.regimes.sorted { $0.effectiveFrom < $1.effectiveFrom }
        calendar = WorkingCalendar(decisions: catalog.calendars)
        indicators = catalog.index766
    }

    /// The version of unit `code` in force on `day`, if any.
    public func unit(_ code: String, on day: LocalDate) -> Unit? {
        unitVersions[code]?.last { $0.isInForce(on: day) }
    }

    /// The version of procedure `code` in force on `day`: the latest that took effect by then.
    public func procedure(_ code: String, on day: LocalDate) -> Procedure? {
        procedureVersions[code]?.last { ($0.effectiveFrom ?? day) <= day }
    }

    /// The version of procedure `code` a dossier received at `moment` uses, or its latest when none was in
    /// force then (for names and figures of a dossier the catalog no longer explains).
    public func procedure(_ code: String, receivedAt moment: Date) -> Procedure? {
        procedure(code, on: VietnamTime.local(moment).date) ?? procedures[code]
    }

    /// The version of procedure `code` the dossier `dossierCode` uses: the code carries its receipt's day.
    public func procedure(_ code: String, forDossier dossierCode: String) -> Procedure? {
        DossierCode(dossierCode).flatMap { procedure(code, on: $0.day) } ?? procedures[code]
    }

    /// The version of unit `code` in force at `moment`, or its latest.
    public func unit(_ code: String, at moment: Date) -> Unit? {
        unit(code, on: VietnamTime.local(moment).date) ?? units[code]
    }

    /// The regime in force on `day`: the latest that took effect by then, unless it had ended.
    public func regime(on day: LocalDate) -> Regime? {
        guard let regime = regimes.last(where: { $0.effectiveFrom <= day }) else { return nil }
        return regime.effectiveTo.map { day <= $0 } ?? true ? regime : nil
    }

    /// Where unit `code` stands on `day`: in force, ended (with the unit that now holds its dossiers), not
    /// yet in force, or unknown.
    public func standing(of code: String, on day: LocalDate) -> UnitStanding {
        guard let versions = unitVersions[code], !versions.isEmpty else { return .unknown }
        if let version = unit(code, on: day) { return .inForce(version) }
        if let end = versions.compactMap(\.validTo).filter({ $0 < day }).max() {
            return .ended(on: end, successor: successor(of: code, on: day))
        }
        return .notYet(from: versions.compactMap(\.validFrom).first { $0 > day })
    }

    /// The unit that holds an ended unit's dossiers on `day`: its successor, or the successor's, and so on.
    public func successor(of code: String, on day: LocalDate) -> String? {
        var cursor = code
        var hops = 0
        while unit(cursor, on: day) == nil, hops < 32,
            let next = unitVersions[cursor]?.last(where: { $0.validTo.map { $0 < day } ?? false })?.successor
        {
            cursor = next
            hops += 1
        }
        return cursor == code ? nil : cursor
    }

    /// The units that ended into `code` (directly), each with the last day of its own.
    public func predecessors(of code: String) -> [Unit] {
        unitVersions.values.compactMap { $0.last { $0.successor == code } }.sorted { $0.code < $1.code }
    }

    /// Whether `unit` is `scope` or below it on `day` (the tree in force then; today when nil), or passed
    /// its dossiers to a successor that is: a successor's token acts for its predecessors' dossiers, and an
    /// ended district's token keeps the dossiers its communes received while it stood, not their later ones.
    public func unit(_ unit: String, isWithin scope: String, on day: LocalDate? = nil) -> Bool {
        let day = day ?? VietnamTime.local(Date()).date
        var frontier = [unit]
        var seen: Set<String> = []
        while let code = frontier.popLast(), seen.count < 64 {
            if code == scope { return true }
            guard seen.insert(code).inserted else { continue }
            if let parent = (self.unit(code, on: day) ?? units[code])?.parent { frontier.append(parent) }
            for version in unitVersions[code] ?? [] {
                if let successor = version.successor { frontier.append(successor) }
            }
        }
        return false
    }
}

/// Where a unit stands on a day (`CatalogSnapshot.standing`).
public enum UnitStanding: Sendable, Equatable {
    case inForce(Unit)
    case ended(on: LocalDate, successor: String?)
    case notYet(from: LocalDate?)
    case unknown
}
