import Domain
import Hummingbird
import Runtime
import Store

/// Citizen lookup, for `GET /v1/lookup/{code}` and the page `GET /tra-cuu` alike: one rate limit per client
/// (an IPv4 address, an IPv6 /64, behind trusted proxies the forwarded address) shared by both, and a wrong
/// pair answered exactly like an unknown code, after the same work.
struct CitizenLookup: Sendable {
    let directory: DossierDirectory
    let limiter: RateLimiter
    let trustedProxies: [IPNetwork]

    /// Whether this client may look one more dossier up now (it spends a lookup).
    func allows(_ request: Request, context: IntakeContext) -> Bool {
        limiter.allow(
            ClientAddress.key(
                peer: context.remoteAddress?.ipAddress,
                forwardedFor: request.headers.first { $0.name.canonicalName == "x-forwarded-for" }?.value,
                trusted: trustedProxies))
    }

    /// The dossier's state, or nil when no dossier has this code and these digits.
    func find(code: String, last4: String) async throws -> DossierState? {
        // One query, whether the code exists or not; a constant-time comparison.
        let stored = DossierCode(code) == nil ? nil : try await directory.personalIdLast4(code)
        guard Self.matches(stored ?? "????", last4), stored != nil else { return nil }
        return try await directory.find(code)?.state
    }

    /// Compares every byte whatever the first difference.
    static func matches(_ stored: String, _ given: String) -> Bool {
        let a = Array(stored.utf8)
        let b = Array(given.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
