import Foundation

/// Where the broker is, read from an `amqp://user:pass@host:port/vhost` URL.
public struct AMQPEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String
    /// What every connection declares when it opens.
    public var topology: BrokerTopology

    public init?(url text: String, topology: BrokerTopology = BrokerTopology()) {
        guard let components = URLComponents(string: text), components.scheme == "amqp",
            let host = components.host, !host.isEmpty
        else { return nil }
        self.host = host
        self.port = components.port ?? 5672
        self.user = components.percentEncodedUser?.removingPercentEncoding ?? "guest"
        self.password = components.percentEncodedPassword?.removingPercentEncoding ?? "guest"
        let path = components.percentEncodedPath
        let vhost = path.isEmpty || path == "/" ? "/" : String(path.dropFirst()).removingPercentEncoding ?? "/"
        self.virtualHost = vhost
        self.topology = topology
    }
}
