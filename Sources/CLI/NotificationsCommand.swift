import ArgumentParser
import Domain
import Foundation
import Store

/// `motcua notifications list [--failed] [--dossier CODE] [--json]`: what the notifier sent to citizens.
struct NotificationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications", abstract: "What the notifier told citizens, by SMS and e-mail.",
        subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Newest first: when, dossier, channel, what, status, attempts, SMS parts, last error.")

        @Flag(help: "Only those refused or out of attempts (their alerts are in motcua.notifier.dlq).")
        var failed = false

        @Option(help: "Only this dossier's.")
        var dossier: String?

        @Flag(help: "One JSON document.")
        var json = false

        @Option(help: "At most this many.")
        var limit = 200

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit: must be from 1 to 100000") }
        }

        struct Listing: Encodable {
            let notifications: [Listed]
        }

        struct Listed: Encodable {
            let alertId: String
            let dossierCode: String
            let channel: String
            let kind: String
            let status: String
            let attempts: Int
            let parts: Int?
            let lastError: String?
            let createdAt: Date
            let sentAt: Date?
        }

        func run() async throws {
            try await reporting {
                let database = CLIContext.database(try CLIContext.settings())
                defer { Task { await database.close() } }
                let (failed, dossier, limit) = (self.failed, self.dossier, self.limit)
                let rows = try await database.withConnection { connection in
                    try Notifications.list(failedOnly: failed, dossier: dossier, limit: limit, on: connection)
                }
                if json {
                    let listed = rows.map {
                        Listed(
                            alertId: $0.key.alertId, dossierCode: $0.dossierCode, channel: $0.key.channel.rawValue,
                            kind: $0.kind, status: $0.status.rawValue, attempts: $0.attempts, parts: $0.parts,
                            lastError: $0.lastError, createdAt: $0.createdAt, sentAt: $0.sentAt)
                    }
                    print(String(decoding: try JSONCoding.encode(Listing(notifications: listed)), as: UTF8.self))
                    return
                }
                if rows.isEmpty {
                    print(failed ? "no failed notifications" : "no notifications")
                    return
                }
                print(
                    "recorded             dossier                     channel  what                 status   tries  parts  sent / last error"
                )
                for row in rows {
                    let when = VietnamTime.rfc3339(row.createdAt).prefix(19).replacingOccurrences(of: "T", with: " ")
                    let tail = row.sentAt.map { VietnamTime.rfc3339($0) } ?? row.lastError ?? "-"
                    print(
                        [
                            when.padding(20), row.dossierCode.padding(27), row.key.channel.rawValue.padding(8),
                            row.kind.padding(20), row.status.rawValue.padding(8), String(row.attempts).padding(6),
                            (row.parts.map(String.init) ?? "-").padding(6), tail,
                        ].joined(separator: " "))
                }
            }
        }
    }
}

extension StringProtocol {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? String(self) : String(self) + String(repeating: " ", count: width - count)
    }
}
