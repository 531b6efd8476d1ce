import Domain
import Foundation
import Hummingbird
import Store

/// `POST /v1/dossiers` and `GET /v1/dossiers/{code}`.
struct DossierRoutes: Sendable {
    let intake: DossierIntake
    let authorizer: Authorizer
    let catalog: CatalogCache
    let issued: IssuedDossiers
    let readModel: DossierReadModel
    let directory: DossierDirectory

    func register(on group: RouterGroup<IntakeContext>) {
        group.post("dossiers") { request, context in try await submit(request, context: context) }
        group.get("dossiers/:code") { request, context in try await read(request, context: context) }
    }

    private func submit(_ request: Request, context: IntakeContext) async throws -> Response {
        let token = try context.requireToken()
        let body = try await RequestBody.json(request, context: context)
        let snapshot = catalog.current
        // An out-of-scope caller learns nothing about the rest of its body, nor whether the unit exists:
        // a well-formed code outside the token's subtree is 403, in the catalog or not. The token must cover
        // the receiving unit: `receivingUnitCode` when given (CONTRACT.md), else `unitCode`.
        let receiving: JSONValue? = body["receivingUnitCode"].flatMap { $0 == .null ? nil : $0 } ?? body["unitCode"]
        if case .string(let unit)? = receiving, UnitCode.isWellFormed(unit) {
            try authorizer.authorize(token, unit: unit, catalog: snapshot)
        }
        let now = Date()
        let submission: DossierSubmission
        switch DossierValidator(catalog: snapshot, now: now).validate(body) {
        case .success(let valid): submission = valid
        case .failure(let failure): throw Problem.validation(failure.errors)
        }
        // The versions in force on the receipt's local day, which the validator found.
        let day = VietnamTime.local(submission.receivedAt ?? now).date
        guard let procedure = snapshot.procedure(submission.procedureCode, on: day),
            let unit = snapshot.unit(submission.unitCode, on: day)
        else { throw Problem.validation([FieldError("procedureCode", "is not a procedure of the catalog")]) }
        let outcome = try await intake.submit(
            submission, procedure: procedure, unit: unit, now: now,
            logger: context.logger)
        // The answer names the units as the request did: with `receivingUnitCode`, `unitCode` is the handling unit.
        let asked = submission.handlingUnit != nil && receiving != body["unitCode"] ? body["unitCode"] : nil
        func answer(_ dossier: DossierReceived, status: HTTPResponse.Status) throws -> Response {
            guard case .string(let handling)? = asked else { return try self.answer(dossier, status: status) }
            return try self.answer(dossier, status: status, unitCode: handling, receivingUnitCode: dossier.unitCode)
        }
        switch outcome {
        case .accepted(let dossier): return try answer(dossier, status: .accepted)
        case .replayed(let dossier): return try answer(dossier, status: .ok)
        case .conflict:
            throw Problem.conflict(
                "idempotencyKey was already used at unit \(submission.unitCode) with a different "
                    + "request.")
        }
    }

    private func answer(
        _ dossier: DossierReceived, status: HTTPResponse.Status, unitCode: String? = nil,
        receivingUnitCode: String? = nil
    ) throws -> Response {
        let body = Receipt(
            code: dossier.code, status: "received", receivedAt: dossier.receivedAt, dueAt: dossier.dueAt,
            procedureCode: dossier.procedureCode, unitCode: unitCode ?? dossier.unitCode,
            provisional: dossier.provisional, receivingUnitCode: receivingUnitCode)
        return try JSONResponse.make(body, status: status, headers: [.location: "/v1/dossiers/\(dossier.code)"])
    }

    private func read(_ request: Request, context: IntakeContext) async throws -> Response {
        let snapshot = catalog.current
        let code = try await authorizer.scopedCode(
            context.parameters.get("code") ?? "", token: try context.requireToken(),
            catalog: snapshot, handlingUnit: directory.handlingUnit
        ).description
        if let recorded = try await readModel.find(code: code, catalog: snapshot) {
            return try JSONResponse.make(recorded)
        }
        guard let record = try await issued.find(code: code) else {
            throw Problem.notFound("No dossier has code \(code).")
        }
        return try JSONResponse.make(
            DossierView.accepted(
                try DossierIntake.dossier(in: record.event),
                issuedAt: record.issuedAt, catalog: snapshot))
    }

    /// The answer to an accepted submission (CONTRACT.md).
    struct Receipt: Encodable {
        var code: String
        var status: String
        var receivedAt: Date
        var dueAt: Date
        var procedureCode: String
        var unitCode: String
        /// Whether `dueAt` was counted over a year whose holiday decision is not loaded (DOMAIN.md §11): it
        /// may still move when that decision is loaded. Always present. An addition to the contract's fields.
        var provisional: Bool
        /// Only when the request named it (CONTRACT.md): the unit that received the dossier, whose code the
        /// dossier's code begins with; `unitCode` is then the handling unit, as in the request.
        var receivingUnitCode: String?
    }
}
