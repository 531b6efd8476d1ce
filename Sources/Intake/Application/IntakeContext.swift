import Hummingbird
import NIOCore
import Runtime

/// The request context of intake: the framework's core, the client's address (rate limits) and,
/// on `/v1` routes, the caller's token (set by `BearerAuthentication`).
struct IntakeContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    var token: APIToken?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are read up to 1 MiB (CONTRACT.md); past it, 413.
    var maxUploadSize: Int { RequestBody.limit }

    /// The token `BearerAuthentication` found; a 401 problem on a route without it.
    func requireToken() throws -> APIToken {
        guard let token else { throw Problem.unauthorized() }
        return token
    }
}
