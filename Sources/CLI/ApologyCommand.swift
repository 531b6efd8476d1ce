import ArgumentParser
import Domain
import Foundation
import Store

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
                switch try await ApologyLetterLookup.find(code: code, database: database, catalog: catalog) {
                case .noDossier: throw CLIFailure("no dossier \(code) is recorded")
                case .noLetter: throw CLIFailure("dossier \(code) has no apology letter")
                case .letter(let fields): print(ApologyLetterText.render(fields), terminator: "")
                }
            }
        }
    }
}
