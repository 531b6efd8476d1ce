/// A stretch of local days over which the unit tree does not change: it starts at a unit version's
/// `validFrom` or the day after a `validTo` and runs to the next such day (DOMAIN.md §11). Reports count a
/// dossier under the tree of the epoch its receipt falls in.
public struct TreeEpoch: Sendable, Equatable {
    /// The first day, nil for the start of time.
    public let from: LocalDate?
    /// The first day after the epoch, nil for the end of time.
    public let until: LocalDate?
    /// The parent of every unit in force during the epoch (nil for a root), by code.
    public let parents: [String: String?]
    private let below: [String: [String]]

    public init(from: LocalDate?, until: LocalDate?, parents: [String: String?]) {
        self.from = from
        self.until = until
        self.parents = parents
        var below: [String: [String]] = [:]
        for (code, parent) in parents {
            if let parent, parent != code { below[parent, default: []].append(code) }
        }
        self.below = below.mapValues { $0.sorted() }
    }

    /// Whether `day` falls in the epoch.
    public func contains(_ day: LocalDate) -> Bool {
        (from.map { $0 <= day } ?? true) && (until.map { day < $0 } ?? true)
    }

    /// Whether the epoch shares a day with `first...last`.
    public func overlaps(_ first: LocalDate, _ last: LocalDate) -> Bool {
        (from.map { $0 <= last } ?? true) && (until.map { first < $0 } ?? true)
    }

    /// The units whose parent is `code` during the epoch, by code.
    public func children(of code: String) -> [String] { below[code] ?? [] }

    /// `code` and every unit below it during the epoch, by code: what its figures roll up.
    public func subtree(of code: String) -> [String] {
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

    /// The unit directly below `ancestor` on the path from `code` up to it, or nil when `code` is not
    /// strictly below `ancestor` during the epoch.
    public func child(of ancestor: String, above code: String) -> String? {
        var cursor = code
        for _ in 0..<32 {
            guard let parent = parents[cursor] ?? nil else { return nil }
            if parent == ancestor { return cursor }
            cursor = parent
        }
        return nil
    }
}

extension CatalogSnapshot {
    /// The epochs of the catalog, oldest first, covering all of time: one when no unit is dated.
    public var treeEpochs: [TreeEpoch] {
        var bounds: Set<LocalDate> = []
        for version in unitVersions.values.joined() {
            if let from = version.validFrom { bounds.insert(from) }
            if let to = version.validTo { bounds.insert(to.adding(days: 1)) }
        }
        let sorted = bounds.sorted()
        let starts: [LocalDate?] = [nil] + sorted
        let ends: [LocalDate?] = sorted + [nil]
        return zip(starts, ends).map { from, until in
            // Any day of the epoch shows its tree; the first one, or the last before a first bound.
            let day = from ?? until?.adding(days: -1) ?? LocalDate(year: 2000, month: 1, day: 1)
            var parents: [String: String?] = [:]
            for code in unitVersions.keys {
                if let unit = unit(code, on: day) { parents[code] = .some(unit.parent) }
            }
            return TreeEpoch(from: from, until: until, parents: parents)
        }
    }
}
