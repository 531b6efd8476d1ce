/// The units in force on a day, as a tree (`motcua units`, DOMAIN.md §11): each with its parent of that day,
/// the units that ended into it and, for one that will end by a merger, its successor.
public struct UnitTree: Encodable, Sendable, Equatable {
    public var on: LocalDate
    public var units: [Node]

    public struct Node: Encodable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var level: Unit.Level
        public var parent: String?
        public var validFrom: LocalDate?
        public var validTo: LocalDate?
        public var successor: String?
        public var predecessors: [Predecessor]
        public var children: [Node]
    }

    public struct Predecessor: Encodable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var validTo: LocalDate?
    }

    public init(_ catalog: CatalogSnapshot, on day: LocalDate) {
        self.on = day
        let inForce = catalog.unitVersions.keys.compactMap { catalog.unit($0, on: day) }
        let codes = Set(inForce.map(\.code))
        var below: [String: [Unit]] = [:]
        for unit in inForce {
            below[unit.parent.flatMap { codes.contains($0) ? $0 : nil } ?? "", default: []].append(unit)
        }
        func node(_ unit: Unit, depth: Int) -> Node {
            Node(
                code: unit.code, name: unit.name, level: unit.level, parent: unit.parent, validFrom: unit.validFrom,
                validTo: unit.validTo, successor: unit.successor,
                predecessors: catalog.predecessors(of: unit.code).map {
                    Predecessor(code: $0.code, name: $0.name, validTo: $0.validTo)
                },
                children: depth > 16
                    ? [] : (below[unit.code] ?? []).sorted { $0.code < $1.code }.map { node($0, depth: depth + 1) })
        }
        units = (below[""] ?? []).sorted { $0.code < $1.code }.map { node($0, depth: 0) }
    }

    /// One line per unit, indented under its parent.
    public var text: String {
        var lines = ["Units in force on \(on)"]
        func add(_ node: Node, _ indent: String) {
            var notes: [String] = []
            if let from = node.validFrom { notes.append("from \(from)") }
            if let to = node.validTo { notes.append("until \(to)" + (node.successor.map { ", then \($0)" } ?? "")) }
            if !node.predecessors.isEmpty {
                notes.append(
                    "takes over " + node.predecessors.map { "\($0.code) \($0.name)" }.joined(separator: ", "))
            }
            lines.append(
                "\(indent)\(node.code)  \(node.level.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  "
                    + node.name + (notes.isEmpty ? "" : "  (\(notes.joined(separator: "; ")))"))
            for child in node.children { add(child, indent + "  ") }
        }
        for root in units { add(root, "") }
        return lines.joined(separator: "\n") + "\n"
    }
}
