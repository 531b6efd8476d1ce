extension CatalogSnapshot {
    /// The units whose parent is `code`, by code.
    public func children(of code: String) -> [Unit] {
        units.values.filter { $0.parent == code && $0.code != code }.sorted { $0.code < $1.code }
    }

    /// `code` and every unit below it: what a unit's figures roll up.
    public func subtree(of code: String) -> [String] {
        var below: [String: [String]] = [:]
        for unit in units.values { if let parent = unit.parent { below[parent, default: []].append(unit.code) } }
        var found: [String] = []
        var seen: Set<String> = []
        var queue = [code]
        while let next = queue.popLast() {
            guard seen.insert(next).inserted else { continue }
            found.append(next)
            queue += below[next] ?? []
        }
        return found.sorted()
    }
}
