import Foundation

/// Where the broker is: an `amqp://user:pass@host:port/vhost` URL, or several comma-separated, the nodes
/// of one cluster (CONTRACT.md, "Past one machine"). A connection goes to a node that answers
/// (`AMQPConnection`).
public struct AMQPEndpoint: Sendable, Equatable {
    /// One node of the cluster.
    public struct Node: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String
        public var virtualHost: String

        init?(url text: String) {
            guard let components = URLComponents(string: text), components.scheme == "amqp",
                let host = components.host, !host.isEmpty
            else { return nil }
            self.host = host
            self.port = components.port ?? 5672
            self.user = components.percentEncodedUser?.removingPercentEncoding ?? "guest"
            self.password = components.percentEncodedPassword?.removingPercentEncoding ?? "guest"
            let path = components.percentEncodedPath
            virtualHost = path.isEmpty || path == "/" ? "/" : String(path.dropFirst()).removingPercentEncoding ?? "/"
        }
    }

    /// The nodes, in the order given; never empty.
    public var nodes: [Node]
    /// What every connection declares when it opens.
    public var topology: BrokerTopology

    /// The virtual host, the same on every node.
    public var virtualHost: String { nodes[0].virtualHost }

    /// Nil when an entry is not an amqp URL, or when the entries name different virtual hosts (they are
    /// the nodes of one cluster, so one vhost).
    public init?(url text: String, topology: BrokerTopology = BrokerTopology()) {
        var nodes: [Node] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let node = Node(url: entry.trimmingCharacters(in: .whitespaces)) else { return nil }
            nodes.append(node)
        }
        guard !nodes.isEmpty, Set(nodes.map(\.virtualHost)).count == 1 else { return nil }
        self.nodes = nodes
        self.topology = topology
    }
}
