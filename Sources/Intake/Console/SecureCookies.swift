import Hummingbird
import Runtime

/// Marks the console's cookies `Secure` when the browser reached intake over HTTPS. Intake speaks plain
/// HTTP, so that means a TLS-terminating reverse proxy listed in `MOTCUA_TRUSTED_PROXIES` saying
/// `X-Forwarded-Proto: https`; a client that is not such a proxy cannot claim it. Over plain HTTP (the
/// loopback of `ops/up`) a `Secure` cookie would never come back, so it is left off there.
struct SecureCookies: RouterMiddleware {
    typealias Context = IntakeContext
    let trustedProxies: [IPNetwork]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var response = try await next(request, context)
        guard Self.overHTTPS(request, peer: context.remoteAddress?.ipAddress, trusted: trustedProxies) else {
            return response
        }
        let cookies = response.headers[values: .setCookie]
        if !cookies.isEmpty { response.headers[values: .setCookie] = cookies.map { $0 + "; Secure" } }
        return response
    }

    static func overHTTPS(_ request: Request, peer: String?, trusted: [IPNetwork]) -> Bool {
        guard let peer, let address = IPAddress(peer), trusted.contains(where: { $0.contains(address) }),
            let proto = request.headers.last(where: { $0.name.canonicalName == "x-forwarded-proto" })?.value
        else { return false }
        // The last value is the one the trusted proxy itself added (one that appends rather than replaces
        // leaves the client's own before it, as with X-Forwarded-For in `ClientAddress`).
        return proto.split(separator: ",").last?.trimmingCharacters(in: .whitespaces).lowercased() == "https"
    }
}
