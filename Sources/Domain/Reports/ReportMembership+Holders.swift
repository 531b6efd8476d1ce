extension ReportMembership {
    /// Who a dossier counts under in the report: the report's unit itself, or the row of a unit below it or
    /// of one of its predecessors.
    enum Holder: Equatable {
        case own
        case row(String)
    }

    /// For each unit whose dossiers count, epoch by epoch, the holder of its dossiers received then (nil:
    /// not counted). The first claim wins: the unit itself, then its predecessors' memberships, then the
    /// direct child above each descendant of the epoch, so no dossier counts in two rows.
    static func holders(of unit: String, epochs: [TreeEpoch], catalog: CatalogSnapshot) -> [String: [Holder?]] {
        var holders: [String: [Holder?]] = [:]
        func claim(_ code: String, _ epoch: Int, _ holder: Holder) {
            var list = holders[code] ?? Array(repeating: nil, count: epochs.count)
            if list[epoch] == nil { list[epoch] = holder }
            holders[code] = list
        }
        for epoch in epochs.indices { claim(unit, epoch, .own) }
        for predecessor in catalog.predecessors(of: unit) {
            var seen: Set<String> = [unit]
            for (code, epoch) in members(of: predecessor.code, epochs: epochs, catalog: catalog, seen: &seen) {
                claim(code, epoch, .row(predecessor.code))
            }
        }
        for (index, epoch) in epochs.enumerated() {
            for code in epoch.subtree(of: unit) where code != unit {
                if let child = epoch.child(of: unit, above: code) { claim(code, index, .row(child)) }
            }
        }
        return holders
    }

    /// The (unit, epoch) pairs a unit's report counts: the unit itself in every epoch, the units below it in
    /// each epoch's tree, and its predecessors' pairs, whenever.
    static func members(
        of code: String, epochs: [TreeEpoch], catalog: CatalogSnapshot, seen: inout Set<String>
    ) -> [(String, Int)] {
        guard seen.insert(code).inserted else { return [] }
        var found: [(String, Int)] = []
        for (index, epoch) in epochs.enumerated() { found += epoch.subtree(of: code).map { ($0, index) } }
        for predecessor in catalog.predecessors(of: code) {
            found += members(of: predecessor.code, epochs: epochs, catalog: catalog, seen: &seen)
        }
        return found
    }
}
