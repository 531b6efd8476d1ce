import Domain
import Foundation
import Hummingbird

/// `GET /v1/lookup/{code}?personalIdLast4=NNNN`: for citizens, no token; status, due moment and
/// timing only. A wrong pair answers exactly like an unknown code (`CitizenLookup`).
struct LookupRoutes: Sendable {
    let lookup: CitizenLookup

    func register(on router: Router<IntakeContext>) {
        router.get("/v1/lookup/:code") { request, context in try await answer(request, context: context) }
    }

    private func answer(_ request: Request, context: IntakeContext) async throws -> Response {
        guard lookup.allows(request, context: context) else { throw Problem.tooManyRequests }
        guard
            let state = try await lookup.find(
                code: context.parameters.get("code") ?? "",
                last4: request.uri.queryParameters.get("personalIdLast4") ?? "")
        else { throw Problem.notFound("No dossier matches this code and these digits.") }
        return try JSONResponse.make(
            Status(status: state.status.rawValue, dueAt: state.dueAt, timing: state.timing?.rawValue))
    }

    /// Status, due moment and timing only: nothing personal, nothing more.
    struct Status: Encodable {
        var status: String
        var dueAt: Date
        @ExplicitNull var timing: String?
    }
}
