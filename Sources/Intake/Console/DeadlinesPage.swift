import Domain
import Foundation
import Hummingbird
import Store

/// Hạn xử lý: the open dossiers of the token's units, overdue ones first (as the report counts them), then
/// soonest due, with the time left or over, filtered by unit (and its subtree), procedure and channel.
struct DeadlinesPage: Sendable {
    let openDossiers: OpenDossiers
    let leadWorkingDays: Int

    func show(session: ConsoleRoutes.Session, templates: ConsoleTemplates, query: Parameters) async throws -> Response {
        var context = session.context("Hạn xử lý", nav: "navDeadlines")
        let catalog = session.catalog
        let units = session.units
        func picked(_ name: String) -> String? {
            query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        }
        // A unit outside the token's subtree is not a filter it may use: it falls back to the subtree.
        let unit = picked("unit").flatMap { session.sees(unit: $0) ? $0 : nil }
        let procedure = picked("procedure").flatMap { catalog.procedures[$0] == nil ? nil : $0 }
        let channel = picked("channel").flatMap { Channel(rawValue: $0)?.rawValue }
        var subtree: [String]? = session.token.isGlobal ? nil : units.map(\.code)
        if let unit { subtree = catalog.units.keys.filter { catalog.unit($0, isWithin: unit) } }
        let page = try await openDossiers.list(.init(units: subtree, procedure: procedure, channel: channel))
        let now = Date()
        context["rows"] = page.rows.map { row -> [String: Any] in
            let status = DossierStatus(rawValue: row.status)
            let dueSoon = status.map {
                DeadlineSchedule.isDueSoon(
                    status: $0, originalDueAt: row.originalDueAt, now: now, leadWorkingDays: leadWorkingDays,
                    calendar: catalog.calendar)
            }
            var cells: [String: Any] = [
                "code": row.code, "unit": catalog.units[row.unitCode]?.name ?? row.unitCode,
                "procedure": catalog.procedures[row.procedureCode]?.name ?? row.procedureCode,
                "channel": ConsoleFormat.channel(row.channel), "status": ConsoleFormat.status(row.status),
                "receivedAt": ConsoleFormat.dateTime(row.receivedAt), "dueAt": ConsoleFormat.dateTime(row.dueAt),
                "timeLeft": ConsoleFormat.timeLeft(
                    dueAt: row.dueAt, receiptDueAt: row.originalDueAt,
                    overdue: row.overdue, paused: status?.isPaused == true,
                    now: now),
                "hasLetter": row.hasLetter,
                "urgency": row.overdue ? "overdue" : (dueSoon == true ? "due-soon" : ""),
            ]
            // A letter moved the due moment in force: the one on the receipt is shown beneath it.
            if row.originalDueAt != row.dueAt { cells["receiptDueAt"] = ConsoleFormat.dateTime(row.originalDueAt) }
            return cells
        }
        context["open"] = ConsoleFormat.number(page.open)
        context["overdue"] = ConsoleFormat.number(page.overdue)
        if page.rows.count < page.open {
            context["truncated"] = true
            context["shown"] = ConsoleFormat.number(page.rows.count)
        }
        context["units"] = units.map {
            ["code": $0.code, "name": $0.name, "selected": $0.code == unit] as [String: Any]
        }
        context["procedures"] = catalog.procedures.values.sorted { $0.code < $1.code }.map {
            ["code": $0.code, "name": $0.name, "selected": $0.code == procedure] as [String: Any]
        }
        context["channels"] = Channel.allCases.map {
            ["code": $0.rawValue, "name": ConsoleFormat.channel($0.rawValue), "selected": $0.rawValue == channel]
                as [String: Any]
        }
        return templates.page("deadlines", context)
    }
}
