import Hummingbird
import NIOCore

/// The request context of intake: the framework's core plus the client's address (rate limits).
struct IntakeContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address, as a rate-limit key.
    var clientKey: String { remoteAddress?.ipAddress ?? "unknown" }
}
