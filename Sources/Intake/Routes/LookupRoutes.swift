import Foundation
import Hummingbird
import Shared

/// `GET /v1/lookup/{code}?personalIdLast4=NNNN`: for citizens, no token; status, due moment and
/// timing only. A wrong pair answers exactly like an unknown code; each client is rate-limited.
struct LookupRoutes: Sendable {
    let directory: DossierDirectory
    let limiter: RateLimiter

    func register(on router: Router<IntakeContext>) {
        router.get("/v1/lookup/:code") { request, context in try await lookup(request, context: context) }
    }

    private func lookup(_ request: Request, context: IntakeContext) async throws -> Response {
        guard limiter.allow(context.clientKey) else { throw Problem.tooManyRequests }
        let code = context.parameters.get("code") ?? ""
        let last4 = request.uri.queryParameters.get("personalIdLast4") ?? ""
        let notFound = Problem.notFound("No dossier matches this code and these digits.")
        guard last4.count == 4, let entry = try await directory.find(code), entry.personalIdLast4 == last4 else {
            throw notFound
        }
        return try JSONResponse.make(Status(status: entry.state.status.rawValue, dueAt: entry.state.dueAt,
                                            timing: entry.state.timing?.rawValue))
    }

    /// Status, due moment and timing only: nothing personal, nothing more.
    struct Status: Encodable {
        var status: String
        var dueAt: Date
        @ExplicitNull var timing: String?
    }
}
