import ArgumentParser
import Domain
import Foundation
import Store

/// `motcua units [--on YYYY-MM-DD] [--json]`: the unit tree in force on a day, with predecessors and
/// successors (CONTRACT.md).
struct UnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units", abstract: "The unit tree in force on a day, with predecessors and successors.")

    @Option(help: "The local day (YYYY-MM-DD); today when left out.")
    var on: String?

    @Flag(
        help:
            "Print one JSON document: { on, units: [ { code, name, level, parent, validFrom, validTo, successor, predecessors, children } ] }."
    )
    var json = false

    func run() async throws {
        try await reporting {
            let day: LocalDate
            if let on {
                guard let parsed = LocalDate(iso: on) else {
                    throw CLIFailure("--on must be a date YYYY-MM-DD, not \(on)")
                }
                day = parsed
            } else {
                day = VietnamTime.local(Date()).date
            }
            let database = CLIContext.database(try CLIContext.settings())
            let catalog = CatalogSnapshot(try await CatalogStore(database: database).fetch())
            await database.close()
            let tree = UnitTree(catalog, on: day)
            print(json ? try JSONCoding.encodeString(tree, sortedKeys: true) : tree.text, terminator: json ? "\n" : "")
        }
    }
}
