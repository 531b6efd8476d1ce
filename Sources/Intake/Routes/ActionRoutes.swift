import Foundation
import Hummingbird
import Shared

/// `POST /v1/dossiers/{code}/actions` and `POST /v1/dossiers/{code}/digitizations`.
struct ActionRoutes: Sendable {
    let intake: DossierIntake
    let authorizer: Authorizer
    let catalog: CatalogCache
    let directory: DossierDirectory
    let actions: AcceptedActions

    func register(on router: Router<IntakeContext>) {
        router.post("/v1/dossiers/:code/actions") { request, context in try await act(request, context: context) }
        router.post("/v1/dossiers/:code/digitizations") { request, context in
            try await digitize(request, context: context)
        }
    }

    /// The dossier a request names, after checking the token may act for its unit.
    private func dossier(_ request: Request, _ context: IntakeContext) async throws -> (DossierDirectory.Entry, JSONValue) {
        let token = try authorizer.authenticate(request)
        let code = context.parameters.get("code") ?? ""
        guard let entry = try await directory.find(code) else { throw Problem.notFound("No dossier has code \(code).") }
        try authorizer.authorize(token, unit: entry.unitCode, catalog: catalog.current)
        return (entry, try await RequestBody.json(request))
    }

    private func act(_ request: Request, context: IntakeContext) async throws -> Response {
        let (entry, body) = try await dossier(request, context)
        let action: DossierAction
        switch ActionValidator(catalog: catalog.current, now: Date()).validate(body) {
        case .success(let valid): action = valid
        case .failure(let failure): throw Problem.validation(failure.errors)
        }
        // Checked here against what intake accepted, and again by the worker against the journal.
        if case .failure(let refusal) = DossierLifecycle.apply(action, to: entry.state, restart: { $0 }) {
            throw Problem.conflict(refusal.description)
        }
        let code = entry.state.code
        let key = RoutingKey.action(action.type.rawValue)
        let event = CloudEvent(source: EventSource.intake, routingKey: key, subject: code,
                               data: DossierActionEvent(code: code, action: action))
        try await actions.add(code: code, action: action, eventId: event.id)
        do {
            try await intake.publish(try JSONCoding.encodeString(event), id: event.id, routingKey: key)
        } catch {
            try? await actions.remove(eventId: event.id)
            throw error
        }
        return try JSONResponse.make(Accepted(code: code, type: action.type.rawValue, at: action.at, eventId: event.id),
                                     status: .accepted, headers: [.location: "/v1/dossiers/\(code)"])
    }

    private func digitize(_ request: Request, context: IntakeContext) async throws -> Response {
        let (entry, body) = try await dossier(request, context)
        let record: DigitizationRecord
        switch DigitizationValidator.validate(body, code: entry.state.code) {
        case .success(let valid): record = valid
        case .failure(let failure): throw Problem.validation(failure.errors)
        }
        let event = CloudEvent(source: EventSource.intake, routingKey: RoutingKey.dossierDigitized,
                               subject: record.dossierCode, data: record)
        try await intake.publish(try JSONCoding.encodeString(event), id: event.id,
                                 routingKey: RoutingKey.dossierDigitized)
        return try JSONResponse.make(Accepted(code: record.dossierCode, type: "digitization", at: event.time,
                                              eventId: event.id),
                                     status: .accepted, headers: [.location: "/v1/dossiers/\(record.dossierCode)"])
    }

    struct Accepted: Encodable {
        var code: String
        var type: String
        var at: Date
        var eventId: String
        var status = "accepted"
    }
}
