import Domain
import Foundation
import Hummingbird
import Store

/// Liên thông: the stuck steps of linked groups in the token's units, longest stuck first, with their
/// last error (or the fields a partner left out) and the button that re-arms one (`motcua linked retry`).
struct LinkedPage: Sendable {
    /// The primary, where a re-arm is written.
    let database: PostgresClient
    /// Where the list is read.
    let reads: PostgresClient
    let policy: LinkedPolicy
    let leadWorkingDays: Int

    func show(session: ConsoleRoutes.Session, templates: ConsoleTemplates, query: Parameters) async throws -> Response {
        var context = session.context("Liên thông", nav: "navLinked")
        let units: [String]? = session.token.isGlobal ? nil : session.units.map(\.code)
        let steps = try await reads.withConnection { connection in
            try StuckSteps.list(units: units, on: connection)
        }
        let now = Date()
        context["steps"] = steps.map { stuck -> [String: Any] in
            let error =
                stuck.lastError
                ?? (stuck.missingFields.isEmpty
                    ? nil : "missing fields: " + stuck.missingFields.joined(separator: ", "))
            var cells = ConsoleFormat.stepCells(step: stuck.step, agency: stuck.agency, lastError: error)
            cells.merge([
                "code": stuck.dossierCode, "group": ConsoleFormat.group(stuck.group),
                "attempts": String(stuck.attempts), "since": ConsoleFormat.dateTime(stuck.since),
                "waited": ConsoleFormat.duration(seconds: max(0, Int(now.timeIntervalSince(stuck.since)))),
                "csrf": session.csrf,
            ]) { _, new in new }
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
            return templates.message(
                session, heading: "Không được phép",
                "Hồ sơ \(code.prefix(40)) không thuộc phạm vi của tài khoản này.", status: .forbidden)
        }
        let label = "\(code) / \(step)"
        do {
            _ = try await LinkedRearm.rearm(
                code: code, step: step, policy: policy, leadWorkingDays: leadWorkingDays,
                actor: "console",
                source: "/motcua/intake/console", database: database)
        } catch let refusal as LinkedRearm.Refusal {
            return redirect(
                "/console/linked?refused="
                    + (refusal.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
        }
        return redirect(
            "/console/linked?retried=" + (label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
    }
}
