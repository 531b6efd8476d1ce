import Foundation
import Hummingbird
import Shared

/// Liên thông: the stuck steps of linked groups in the token's units, longest stuck first, with their
/// last error (or the fields a partner left out) and the button that re-arms one (`motcua linked retry`).
struct LinkedPage: Sendable {
    let database: PostgresClient
    let policy: LinkedPolicy

    func show(session: ConsoleRoutes.Session, templates: ConsoleTemplates, query: Parameters) async throws -> Response {
        var context = session.context("Liên thông", nav: "navLinked")
        let units: [String]? = session.token.isGlobal ? nil : session.units.map(\.code)
        let rows = try await database.withConnection { connection in
            try connection.execute("""
                SELECT s.dossier_code, g.kind, s.step, s.agency, s.attempts, s.last_error,
                       s.missing_fields::text AS missing, s.since
                FROM linked_steps s JOIN linked_groups g ON g.dossier_code = s.dossier_code AND g.stopped IS NULL
                WHERE s.status = 'stuck' AND ($1::text[] IS NULL OR g.unit_code = ANY($1::text[]))
                ORDER BY s.since, s.dossier_code, s.step LIMIT 200
                """, [units.map(PostgresArray.literal)]).rows
        }
        let now = Date()
        context["steps"] = try rows.map { row -> [String: Any] in
            let missing = try row["missing"].map { try JSONCoding.decode([String].self, from: $0) } ?? []
            let error = row["last_error"] ?? (missing.isEmpty ? nil : "missing fields: " + missing.joined(separator: ", "))
            let since = try row.date("since")
            var cells = ConsoleFormat.stepCells(step: try row.string("step"), agency: try row.string("agency"),
                                                lastError: error)
            cells.merge(["code": try row.string("dossier_code"),
                         "group": ConsoleFormat.group(try row.string("kind")),
                         "attempts": try row.string("attempts"), "since": ConsoleFormat.dateTime(since),
                         "waited": ConsoleFormat.duration(seconds: max(0, Int(now.timeIntervalSince(since)))),
                         "csrf": session.csrf]) { _, new in new }
            return cells
        }
        if let retried = query.get("retried") { context["flash"] = "Đã gửi lại bước \(retried)." }
        if let refused = query.get("refused") { context["problem"] = "Không gửi lại được bước này: \(refused)" }
        return templates.page("linked", context)
    }

    func retry(code: String, step: String, session: ConsoleRoutes.Session, templates: ConsoleTemplates) async throws
        -> Response
    {
        guard let parsed = DossierCode(code), session.sees(unit: parsed.unitCode) else {
            return templates.message(session, heading: "Không được phép",
                                     "Hồ sơ \(code.prefix(40)) không thuộc phạm vi của tài khoản này.", status: .forbidden)
        }
        let label = "\(code) / \(step)"
        do {
            _ = try await LinkedRetry.rearm(code: code, step: step, policy: policy, actor: "console",
                                            source: "/motcua/intake/console", database: database)
        } catch let refusal as LinkedRetry.Refusal {
            return redirect("/console/linked?refused=" + (refusal.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        return redirect("/console/linked?retried=" + (label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }
}
