import ArgumentParser
import Domain
import Foundation
import Store

/// `motcua linked list [--stuck] [--json]` and `motcua linked retry CODE STEP`.
struct LinkedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linked", abstract: "Linked groups (liên thông) and their steps.",
        subcommands: [List.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Groups and their steps: dossier, group, step, agency, status, attempts, last error, waiting since.")

        @Flag(help: "Only groups with a stuck step (attempts used up, or missing fields), longest waiting first.")
        var stuck = false

        @Flag(help: "One JSON document.")
        var json = false

        @Option(help: "At most this many groups (newest first; with --stuck, longest stuck first).")
        var limit = 100

        func validate() throws {
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit: must be from 1 to 100000") }
        }

        func run() async throws {
            try await reporting {
                let database = CLIContext.database(try CLIContext.settings())
                defer { Task { await database.close() } }
                let (stuck, limit) = (self.stuck, self.limit)
                let catalog = CatalogSnapshot(try await CatalogStore(database: database).fetch())
                let listing = try await database.withConnection { connection in
                    try connection.snapshot {
                        try LinkedListing.read(stuckOnly: stuck, limit: limit, catalog: catalog, on: $0)
                    }
                }
                if json {
                    print(String(decoding: try JSONCoding.encode(listing, sortedKeys: true), as: UTF8.self))
                } else {
                    print(LinkedListing.table(listing, now: Date()), terminator: "")
                }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-arm a stuck step with a fresh attempt budget; its next attempt goes out at once.")

        @Argument(help: "The dossier code.")
        var code: String

        @Argument(help: "The step, e.g. permanent_residence.")
        var step: String

        func run() async throws {
            try await reporting {
                let settings = try CLIContext.settings()
                let database = CLIContext.database(settings)
                defer { Task { await database.close() } }
                let (code, step, policy) = (self.code, self.step, settings.partner)
                let actor = "operator " + (ProcessInfo.processInfo.environment["USER"] ?? "unknown")
                let attempts: Int
                do {
                    attempts = try await LinkedRearm.rearm(
                        code: code, step: step, policy: policy,
                        leadWorkingDays: settings.dueSoonLeadWorkingDays, actor: actor,
                        source: "/motcua/cli", database: database)
                } catch let refusal as LinkedRearm.Refusal {
                    throw CLIFailure(refusal.description)
                }
                print(
                    "\(code) \(step): re-armed with \(policy.maxAttempts) more attempts after \(attempts); "
                        + "the next goes out at once (a chains worker sends it)")
            }
        }
    }
}

/// What `motcua linked list` shows.
struct LinkedListing: Encodable {
    struct Group: Encodable {
        var dossierCode: String
        var unitCode: String
        var group: LinkedGroupKind
        @ExplicitNull var outcome: String?
        @ExplicitNull var stopped: String?
        var dossierStatus: String
        var steps: [LinkedStepView]
    }

    var groups: [Group]
    /// Groups that matched, beyond those listed.
    var more: Int

    static func read(stuckOnly: Bool, limit: Int, catalog: CatalogSnapshot, on connection: PostgresConnection) throws
        -> LinkedListing
    {
        let (codes, total) = try StuckSteps.groups(stuckOnly: stuckOnly, limit: limit, on: connection)
        let (groups, dossiers) = try LinkedStore.load(codes, catalog: catalog, on: connection)
        return LinkedListing(
            groups: codes.compactMap { code in
                guard let group = groups[code] else { return nil }
                return Group(
                    dossierCode: code, unitCode: group.unitCode, group: group.kind, outcome: group.outcome?.rawValue,
                    stopped: group.stopped, dossierStatus: dossiers[code]?.status.rawValue ?? "unknown",
                    steps: group.steps.map(LinkedStepView.init))
            }, more: max(0, total - codes.count))
    }

    static func table(_ listing: LinkedListing, now: Date) -> String {
        guard !listing.groups.isEmpty else { return "no linked groups\n" }
        var rows = [
            ["DOSSIER", "GROUP", "OUTCOME", "STEP", "AGENCY", "STATUS", "ATTEMPTS", "WAITING SINCE", "LAST ERROR"]
        ]
        for group in listing.groups {
            let outcome = group.outcome ?? (group.stopped != nil ? "stopped (\(group.dossierStatus))" : "-")
            for step in group.steps {
                let since =
                    step.waitingSince.map { "\(VietnamTime.rfc3339($0)) (\(age(now.timeIntervalSince($0))))" } ?? "-"
                var status = step.status
                if let next = step.nextAttemptAt, step.status == "pending" {
                    status += " (next \(next <= now ? "now" : "in " + age(next.timeIntervalSince(now))))"
                }
                var error = step.lastError ?? "-"
                if let missing = step.missingFields, !missing.isEmpty, step.lastError == nil {
                    error = "missing " + missing.joined(separator: ", ")
                }
                rows.append([
                    group.dossierCode, group.group.rawValue, outcome, step.step, step.agency, status,
                    String(step.attempts), since, error,
                ])
            }
        }
        let widths = (0..<rows[0].count - 1).map { column in rows.map { $0[column].count }.max() ?? 0 }
        var text =
            rows.map { row in
                zip(row.dropLast(), widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                    .joined(separator: "  ") + "  " + row.last!
            }.joined(separator: "\n") + "\n"
        if listing.more > 0 { text += "… \(listing.more) more groups (--limit)\n" }
        return text
    }

    static func age(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds))
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3600) h" }
        return "\(s / 86_400) d"
    }
}
