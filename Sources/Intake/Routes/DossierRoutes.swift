import Foundation
import Hummingbird
import Shared

/// `POST /v1/dossiers` and `GET /v1/dossiers/{code}`.
struct DossierRoutes: Sendable {
    let intake: DossierIntake
    let authorizer: Authorizer
    let catalog: CatalogCache
    let issued: IssuedDossiers
    let readModel: DossierReadModel

    func register(on router: Router<IntakeContext>) {
        router.post("/v1/dossiers") { request, context in try await submit(request, context: context) }
        router.get("/v1/dossiers/:code") { request, context in try await read(request, context: context) }
    }

    private func submit(_ request: Request, context: IntakeContext) async throws -> Response {
        let token = try authorizer.authenticate(request)
        let body = try await RequestBody.json(request)
        let snapshot = catalog.current
        // An out-of-scope caller learns nothing about the rest of its body.
        if case .string(let unit)? = body["unitCode"], snapshot.units[unit] != nil {
            try authorizer.authorize(token, unit: unit, catalog: snapshot)
        }
        let submission: DossierSubmission
        switch DossierValidator(catalog: snapshot, now: Date()).validate(body) {
        case .success(let valid): submission = valid
        case .failure(let failure): throw Problem.validation(failure.errors)
        }
        switch try await intake.submit(submission, now: Date()) {
        case .accepted(let dossier): return try answer(dossier, status: .accepted)
        case .replayed(let dossier): return try answer(dossier, status: .ok)
        }
    }

    private func answer(_ dossier: DossierReceived, status: HTTPResponse.Status) throws -> Response {
        let body = Receipt(code: dossier.code, status: "received", receivedAt: dossier.receivedAt, dueAt: dossier.dueAt,
                           procedureCode: dossier.procedureCode, unitCode: dossier.unitCode)
        return try JSONResponse.make(body, status: status, headers: [.location: "/v1/dossiers/\(dossier.code)"])
    }

    private func read(_ request: Request, context: IntakeContext) async throws -> Response {
        let token = try authorizer.authenticate(request)
        let code = context.parameters.get("code") ?? ""
        guard DossierCode(code) != nil else { throw Problem.notFound("No dossier has code \(code).") }
        let view: DossierView
        if let recorded = try await readModel.find(code: code, catalog: catalog.current) {
            view = recorded
        } else if let record = try await issued.find(code: code) {
            view = DossierReadModel.accepted(try DossierIntake.dossier(in: record.event))
        } else {
            throw Problem.notFound("No dossier has code \(code).")
        }
        try authorizer.authorize(token, unit: view.unitCode, catalog: catalog.current)
        return try JSONResponse.make(view)
    }

    /// The answer to an accepted submission (CONTRACT.md).
    struct Receipt: Encodable {
        var code: String
        var status: String
        var receivedAt: Date
        var dueAt: Date
        var procedureCode: String
        var unitCode: String
    }
}
