import Domain
import Foundation
import Hummingbird
import Store

/// `GET /v1/reports?unit=&from=&to=&children=`: the document of `motcua report --format json`, for
/// dashboards and the provincial portal. A unit token sees its own subtree only: any other unit, known or
/// not, is 403 (only a `*` token learns that a unit does not exist, as 404).
struct ReportRoutes: Sendable {
    let authorizer: Authorizer
    let catalog: CatalogCache
    let reports: UnitReports

    func register(on group: RouterGroup<IntakeContext>) {
        group.get("reports") { request, context in try await report(request, context: context) }
    }

    private func report(_ request: Request, context: IntakeContext) async throws -> Response {
        let token = try context.requireToken()
        let query = request.uri.queryParameters
        var errors: [FieldError] = []
        let unit = query.get("unit")
        if unit == nil || unit?.isEmpty == true { errors.append(FieldError("unit", "is required: a unit's code")) }
        var period: ReportPeriod?
        switch ReportPeriod.parse(from: query.get("from"), to: query.get("to")) {
        case .success(let valid): period = valid
        case .failure(let invalid): errors.append(invalid.problem)
        }
        var children = false
        switch query.get("children") {
        case nil, "false": children = false
        case "true": children = true
        default: errors.append(FieldError("children", "must be true or false"))
        }
        guard errors.isEmpty, let unit, let period else {
            throw Problem(
                status: .badRequest, slug: "malformed", title: "Malformed request",
                detail: errors.map(\.description).joined(separator: "; "), errors: errors)
        }
        let snapshot = catalog.current
        // Scope first: to a unit token, a unit it does not know and one outside its subtree are the same 403.
        try authorizer.authorize(token, unit: unit, catalog: snapshot)
        guard snapshot.units[unit] != nil else { throw Problem.notFound("No unit has code \(unit.prefix(40)).") }
        return try JSONResponse.make(
            try await reports.report(
                unit: unit, period: period, children: children,
                catalog: snapshot))
    }
}
