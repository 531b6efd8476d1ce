import AMQPDriver
import Domain
import Foundation
import Hummingbird
import Logging
import Store

/// `POST /v1/dossiers/{code}/actions` and `POST /v1/dossiers/{code}/digitizations`.
struct ActionRoutes: Sendable {
    let intake: DossierIntake
    let authorizer: Authorizer
    let catalog: CatalogCache
    let directory: DossierDirectory
    let actions: AcceptedActions

    func register(on group: RouterGroup<IntakeContext>) {
        group.post("dossiers/:code/actions") { request, context in try await act(request, context: context) }
        group.post("dossiers/:code/digitizations") { request, context in try await digitize(request, context: context) }
    }

    /// The code the route names (scope checked first), and the body.
    private func scoped(_ request: Request, _ context: IntakeContext) async throws -> (String, JSONValue) {
        let code = try await authorizer.scopedCode(
            context.parameters.get("code") ?? "", token: try context.requireToken(),
            catalog: catalog.current, handlingUnit: directory.handlingUnit)
        return (code.description, try await RequestBody.json(request, context: context))
    }

    private func act(_ request: Request, context: IntakeContext) async throws -> Response {
        let (code, body) = try await scoped(request, context)
        let snapshot = catalog.current
        let action: DossierAction
        switch ActionValidator(catalog: snapshot, now: Date()).validate(body) {
        case .success(let valid): action = valid
        case .failure(let failure): throw Problem.validation(failure.errors)
        }
        // What identifies a retry of this very request: a time left out is not part of it.
        var fingerprint = action
        if body["at"] == nil || body["at"] == .null { fingerprint.at = Date(timeIntervalSince1970: 0) }
        let request = try JSONCoding.encodeString(fingerprint, sortedKeys: true)
        let key = RoutingKey.action(action.type.rawValue)
        switch try await actions.admit(action, request: request, code: code, catalog: snapshot) {
        case .notFound:
            throw Problem.notFound("No dossier has code \(code).")
        case .beforeReceipt(let receivedAt):
            throw Problem.validation([
                FieldError(
                    "at",
                    "must not be before the dossier's receipt "
                        + "(\(VietnamTime.rfc3339(receivedAt)))")
            ])
        case .refused(let reason):
            throw Problem.conflict(reason)
        case .retry(let eventId, let accepted):
            // The same answer as the first time (CONTRACT.md: an action is 202), with the same eventId.
            try await publish(
                code: code, action: accepted, eventId: eventId, key: key, retry: true,
                logger: context.logger)
            return try accept(code: code, action: accepted, eventId: eventId, status: .accepted)
        case .admitted(let eventId):
            try await publish(
                code: code, action: action, eventId: eventId, key: key, retry: false,
                logger: context.logger)
            return try accept(code: code, action: action, eventId: eventId, status: .accepted)
        }
    }

    /// Publishes an accepted action. If it certainly did not reach the broker, intake forgets it; if it
    /// may have, intake keeps it, marked, so that the identical request again republishes this event id.
    private func publish(
        code: String, action: DossierAction, eventId: String, key: String, retry: Bool,
        logger: Logger
    ) async throws {
        let event = CloudEvent(
            id: eventId, source: EventSource.intake, routingKey: key, time: Date(), subject: code,
            data: DossierActionEvent(code: code, action: action))
        let body = try JSONCoding.encodeString(event)
        // A retry's action is stored and marked already: it stays as it is whatever this publish does.
        try await StoredPublish.publish(
            "action", metadata: ["code": "\(code)", "eventId": "\(eventId)"], logger: logger,
            send: { try await intake.publish(body, id: eventId, routingKey: key) },
            keepUncertain: { if !retry { try await actions.markUncertain(eventId: eventId) } },
            forget: { if !retry { try await actions.remove(eventId: eventId) } })
        // Confirmed: the answer is 2xx even if clearing the mark fails (a later retry only republishes).
        if retry { try? await actions.markConfirmed(eventId: eventId) }
        logger.info(
            "action accepted",
            metadata: [
                "code": "\(code)", "type": "\(action.type.rawValue)",
                "eventId": "\(eventId)",
            ])
    }

    private func accept(code: String, action: DossierAction, eventId: String, status: HTTPResponse.Status) throws
        -> Response
    {
        try JSONResponse.make(
            Accepted(code: code, type: action.type.rawValue, at: action.at, eventId: eventId),
            status: status, headers: [.location: "/v1/dossiers/\(code)"])
    }

    private func digitize(_ request: Request, context: IntakeContext) async throws -> Response {
        let (code, body) = try await scoped(request, context)
        guard try await directory.isKnown(code) else { throw Problem.notFound("No dossier has code \(code).") }
        let record: DigitizationRecord
        switch DigitizationValidator.validate(body, code: code) {
        case .success(let valid): record = valid
        case .failure(let failure): throw Problem.validation(failure.errors)
        }
        // A retry after an uncertain answer publishes a new event with the same file: the worker finds
        // the file already current and changes nothing.
        let event = CloudEvent(
            source: EventSource.intake, routingKey: RoutingKey.dossierDigitized,
            subject: record.dossierCode, data: record)
        try await intake.publish(
            try JSONCoding.encodeString(event), id: event.id,
            routingKey: RoutingKey.dossierDigitized)
        return try JSONResponse.make(
            Accepted(
                code: record.dossierCode, type: "digitization", at: event.time,
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
