import ArgumentParser
import Foundation
import Shared

/// `motcua apology show CODE`: the dossier's apology letter (Mẫu 04) as text, ready to print.
struct ApologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apology", abstract: "Apology letters (Mẫu 04).", subcommands: [Show.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a dossier's apology letter, ready to print.")

        @Argument(help: "The dossier code.")
        var code: String

        func run() async throws {
            try await reporting {
                let database = CLIContext.database(try CLIContext.settings())
                defer { Task { await database.close() } }
                let catalog = CatalogSnapshot(try await CatalogStore(database: database).fetch())
                let code = self.code
                let row = try await database.withConnection { connection in
                    try connection.execute("""
                        SELECT d.apology::text AS apology, d.applicant::text AS applicant, d.procedure_code, d.received_at,
                               d.original_due_at, coalesce(l.unit_code, d.handling_unit, d.unit_code) AS issuing_unit
                        FROM dossiers d LEFT JOIN apology_letters l ON l.dossier_code = d.code WHERE d.code = $1
                        """, [code]).first
                }
                guard let row else { throw CLIFailure("no dossier \(code) is recorded") }
                guard let apology = row["apology"] else { throw CLIFailure("dossier \(code) has no apology letter") }
                let unit = try row.string("issuing_unit")
                let procedure = try row.string("procedure_code")
                let text = ApologyLetterText.render(.init(
                    letter: try JSONCoding.decode(ApologyView.self, from: apology),
                    issuingUnitName: catalog.units[unit]?.name ?? unit, dossierCode: code,
                    applicantName: try JSONCoding.decode(Applicant.self, from: try row.string("applicant")).fullName,
                    procedureName: catalog.procedures[procedure]?.name ?? procedure,
                    receivedAt: try row.date("received_at"), originalDueAt: try row.date("original_due_at")))
                print(text, terminator: "")
            }
        }
    }
}
