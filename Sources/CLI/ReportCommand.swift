import ArgumentParser
import Domain
import Foundation
import Store

/// `motcua report --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD [--children] [--format table|csv|json]`:
/// the report of DOMAIN.md §10 from the journal, for people (table), spreadsheets (csv) or programs (json).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A unit's report for a period (received, closed, open, rates, payments, linked groups, "
            + "apologies, Decision 766 indicators), rolled up over its descendants.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @Option(help: "The unit's code (its figures include its descendants').")
    var unit: String

    @Option(help: "The first day, YYYY-MM-DD (local time, UTC+7).")
    var from: String

    @Option(help: "The last day, YYYY-MM-DD, included.")
    var to: String

    @Flag(help: "Add a row per child unit (and the unit's own dossiers, if any); the unit's row is their total.")
    var children = false

    @Option(help: "table (for people), csv (one row per unit, UTF-8 with BOM) or json (one document).")
    var format: Format = .table

    func run() async throws {
        try await reporting {
            // Checked here rather than in validate(): a refusal is one line, as every command's is.
            let period: ReportPeriod
            switch ReportPeriod.parse(from: from, to: to) {
            case .success(let valid): period = valid
            case .failure(let invalid): throw CLIFailure("--\(invalid.problem.field) \(invalid.problem.message)")
            }
            let database = CLIContext.readDatabase(try CLIContext.settings())
            defer { Task { await database.close() } }
            let catalog = CatalogSnapshot(try await CatalogStore(database: database).fetch())
            guard catalog.units[unit] != nil else { throw CLIFailure("unit \(unit) is not in the catalog") }
            let report = try await UnitReports(database: database).report(
                unit: unit, period: period,
                children: children, catalog: catalog)
            let text: String
            switch format {
            case .table: text = ReportTable.render(report)
            case .csv: text = ReportCSV.render(report)
            case .json:
                text = try JSONCoding.encodeString(report, pretty: true) + "\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
