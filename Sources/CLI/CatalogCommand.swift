import ArgumentParser
import Domain
import Foundation
import Store

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "Units, procedures and holiday calendars.",
        subcommands: [Load.self, List.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upsert a catalog file by code and year; a file that breaks a rule is refused whole.")

        @Argument(help: "A JSON catalog document (see CONTRACT.md).")
        var file: String

        func run() async throws {
            try await reporting {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIFailure("cannot read \(file)")
                }
                let catalog = try Catalog.parse(data)
                let settings = try CLIContext.settings()
                let database = CLIContext.database(settings)
                try await CatalogStore(database: database).load(catalog)
                await database.close()
                print(
                    "loaded \(catalog.units.count) units, \(catalog.procedures.count) procedures, "
                        + "\(catalog.calendars.count) calendar years"
                        + (catalog.index766.isEmpty ? "" : ", \(catalog.index766.count) Decision 766 indicators")
                        + (catalog.regimes.isEmpty ? "" : ", \(catalog.regimes.count) legal regimes"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the catalog.")

        @Flag(help: "Print one JSON document, in the catalog file's shape.")
        var json = false

        func run() async throws {
            try await reporting {
                let settings = try CLIContext.settings()
                let database = CLIContext.database(settings)
                let catalog = try await CatalogStore(database: database).fetch()
                await database.close()
                if json {
                    print(try JSONCoding.encodeString(catalog, sortedKeys: true))
                    return
                }
                print("UNITS")
                for unit in catalog.units {
                    let dates = [
                        unit.validFrom.map { "from \($0)" }, unit.validTo.map { "until \($0)" },
                        unit.successor.map { "then \($0)" },
                    ].compactMap { $0 }
                    print(
                        "  \(unit.code)  \(unit.level.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  "
                            + "\(unit.name)\(unit.parent.map { "  (parent \($0))" } ?? "")"
                            + (dates.isEmpty ? "" : "  [\(dates.joined(separator: ", "))]"))
                }
                print("PROCEDURES")
                for p in catalog.procedures {
                    let time: String
                    switch p.processing {
                    case .workingDays(let n): time = "\(n) working days"
                    case .workingHours(let n): time = "\(n) working hours"
                    case .sameDay: time = "same day"
                    }
                    print(
                        "  \(p.code)  \(p.name) — \(time), fee \(p.feeVnd) VND, online \(p.onlineLevel?.rawValue ?? "none")"
                            + (p.linkedGroup.map { ", opens the \($0.rawValue) group" } ?? "")
                            + (p.effectiveFrom.map { ", from \($0)" } ?? ""))
                }
                print("REGIMES")
                for regime in catalog.regimes {
                    let forms = Regime.FormKind.allCases.compactMap { kind in
                        regime.form(kind).map { "Mẫu \($0.number) \($0.title)" }
                    }
                    print("  \(regime.label), Thông tư \(regime.circular): " + forms.joined(separator: "; "))
                }
                print("CALENDARS")
                for year in catalog.calendars {
                    print(
                        "  \(year.year): holidays \(year.holidays.map(\.description).joined(separator: ", ")); "
                            + "make-up days \(year.makeUpDays.map(\.description).joined(separator: ", "))")
                }
            }
        }
    }
}
