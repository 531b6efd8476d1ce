import Domain
import Foundation
import Hummingbird
import Runtime
import Store

/// `GET /v1/lookup/{code}?personalIdLast4=NNNN`: for citizens, no token; status, due moment and
/// timing only. A wrong pair answers exactly like an unknown code, after the same work; each client
/// (an IPv4 address, an IPv6 /64, behind trusted proxies the forwarded address) is rate-limited.
struct LookupRoutes: Sendable {
    let directory: DossierDirectory
    let limiter: RateLimiter
    let trustedProxies: [IPNetwork]

    func register(on router: Router<IntakeContext>) {
        router.get("/v1/lookup/:code") { request, context in try await lookup(request, context: context) }
    }

    private func lookup(_ request: Request, context: IntakeContext) async throws -> Response {
        let client = ClientAddress.key(
            peer: context.remoteAddress?.ipAddress,
            forwardedFor: request.headers.first { $0.name.canonicalName == "x-forwarded-for" }?.value,
            trusted: trustedProxies)
        guard limiter.allow(client) else { throw Problem.tooManyRequests }
        let code = context.parameters.get("code") ?? ""
        let last4 = request.uri.queryParameters.get("personalIdLast4") ?? ""
        // One query, whether the code exists or not; a constant-time comparison.
        let stored = DossierCode(code) == nil ? nil : try await directory.personalIdLast4(code)
        guard Self.matches(stored ?? "????", last4), stored != nil, let record = try await directory.find(code) else {
            throw Problem.notFound("No dossier matches this code and these digits.")
        }
        let state = record.state
        return try JSONResponse.make(
            Status(
                status: state.status.rawValue, dueAt: state.dueAt,
                timing: state.timing?.rawValue))
    }

    /// Compares every byte whatever the first difference.
    static func matches(_ stored: String, _ given: String) -> Bool {
        let a = Array(stored.utf8)
        let b = Array(given.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Status, due moment and timing only: nothing personal, nothing more.
    struct Status: Encodable {
        var status: String
        var dueAt: Date
        @ExplicitNull var timing: String?
    }
}
