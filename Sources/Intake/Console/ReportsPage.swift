import Domain
import Foundation
import Hummingbird
import Store

/// Báo cáo: the `motcua report` table of a unit of the token's subtree for a period, with a row per
/// child unit, and the same as a CSV download (UTF-8 with BOM, as `--format csv`).
struct ReportsPage: Sendable {
    let reports: UnitReports

    struct Choice {
        var unit: String
        var from: String
        var to: String
        var children: Bool
        var period: ReportPeriod?
        var problem: String?
    }

    func choice(_ session: ConsoleRoutes.Session, _ query: Parameters) -> Choice {
        let today = VietnamTime.local(Date()).date
        let first = String(format: "%04d-%02d-01", today.year, today.month)
        let last = String(format: "%04d-%02d-%02d", today.year, today.month, today.day)
        let defaultUnit =
            session.token.isGlobal ? (session.units.first { $0.parent == nil }?.code ?? "") : session.token.scope
        var choice = Choice(
            unit: query.get("unit").flatMap { $0.isEmpty ? nil : $0 } ?? defaultUnit,
            from: query.get("from") ?? first, to: query.get("to") ?? last,
            children: query.get("children") != nil && query.get("children") != "false")
        // One answer for a unit outside the subtree and a unit that does not exist: the page tells nothing
        // about units the token may not see.
        if !session.sees(unit: choice.unit) || session.catalog.units[choice.unit] == nil {
            choice.problem =
                "Đơn vị \(choice.unit.prefix(40)) không có trong danh mục hoặc không thuộc phạm vi của tài khoản này."
            return choice
        }
        switch ReportPeriod.parse(from: choice.from, to: choice.to) {
        case .success(let period): choice.period = period
        case .failure(let invalid): choice.problem = "Kỳ báo cáo không hợp lệ: \(invalid.problem.description)"
        }
        return choice
    }

    func show(session: ConsoleRoutes.Session, templates: ConsoleTemplates, query: Parameters) async throws -> Response {
        var context = session.context("Báo cáo", nav: "navReports")
        let choice = choice(session, query)
        let today = VietnamTime.local(Date()).date
        // Ended units stay pickable (their reports count what they received while they stood), marked.
        context["units"] = session.units.map { unit -> [String: Any] in
            let ended = unit.validTo.flatMap { $0 < today ? " – đến \($0)" : nil } ?? ""
            return ["code": unit.code, "name": unit.name + ended, "selected": unit.code == choice.unit]
        }
        context["from"] = choice.from
        context["to"] = choice.to
        context["children"] = choice.children
        if let problem = choice.problem {
            context["problem"] = problem
        } else if let period = choice.period {
            let report = try await reports.report(
                unit: choice.unit, period: period, children: choice.children,
                catalog: session.catalog)
            context["hasReport"] = true
            context["heading"] = ReportTable.heading(report)
            // The `--format table` text as HTML tables: its columns need no monospace font, whose
            // Vietnamese letters browsers on Linux often lack.
            context["sections"] = ReportTable.sections(report).map { section -> [String: Any] in
                func cells(_ row: [String]) -> [[String: Any]] {
                    row.enumerated().map { ["text": $1, "figure": $0 >= 2] }
                }
                return [
                    "title": section.title, "headers": cells(section.headers),
                    "rows": section.rows.map { ["cells": cells($0)] },
                ]
            }
            var csv = URLComponents()
            csv.queryItems = [
                .init(name: "unit", value: choice.unit), .init(name: "from", value: choice.from),
                .init(name: "to", value: choice.to), .init(name: "children", value: choice.children ? "true" : "false"),
            ]
            context["csvLink"] = "/console/reports.csv" + (csv.string ?? "")
        }
        return templates.page("reports", context)
    }

    func csv(session: ConsoleRoutes.Session, templates: ConsoleTemplates, query: Parameters) async throws -> Response {
        let choice = choice(session, query)
        guard choice.problem == nil, let period = choice.period else {
            return templates.message(
                session, heading: "Không lập được báo cáo", choice.problem ?? "", status: .badRequest)
        }
        let report = try await reports.report(
            unit: choice.unit, period: period, children: choice.children,
            catalog: session.catalog)
        let name = "bao-cao-\(choice.unit)-\(choice.from)-\(choice.to).csv"
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(name)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: ReportCSV.render(report))))
    }
}
