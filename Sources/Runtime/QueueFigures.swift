import AMQPDriver
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
    import Domain
#endif

/// One queue as `motcua queues --json` and the console show it; a figure the broker does not report is null.
public struct QueueRow: Encodable, Sendable {
    public var name: String
    @ExplicitNull public var ready: Int?
    @ExplicitNull public var unacked: Int?
    @ExplicitNull public var consumers: Int?
    @ExplicitNull public var publishRate: Double?
    @ExplicitNull public var deliverRate: Double?
    @ExplicitNull public var oldestReadyAgeSeconds: Double?
    @ExplicitNull public var deadLetters: Int?
    /// The quorum queue's replicas (broker node names): the leader, every member, and the members that
    /// answer now. Null without the management API.
    @ExplicitNull public var leader: String? = nil
    @ExplicitNull public var members: [String]? = nil
    @ExplicitNull public var online: [String]? = nil
    /// Whether more than half the members answer, so the queue takes and delivers messages (Raft); false
    /// also when its dead-letter queue has lost its majority. Null when the members are not known.
    @ExplicitNull public var majority: Bool? = nil
}

extension QueueRow {
    /// A Raft group works while more than half its members are online.
    public static func hasMajority(members: [String]?, online: [String]?) -> Bool? {
        guard let members, let online, !members.isEmpty else { return nil }
        return Set(online).intersection(members).count * 2 > members.count
    }
}

/// The work queues' figures: from the management API, or what AMQP alone tells when it is unreachable.
public enum QueueFigures {
    /// "online/members" of a quorum queue (e.g. "2/3"); nil when the members are not known.
    public static func replicas(_ row: QueueRow) -> String? {
        guard let members = row.members else { return nil }
        return "\(Set(row.online ?? []).intersection(members).count)/\(members.count)"
    }

    /// The note `collect` gives when only AMQP answered (fewer figures).
    public static let amqpOnlyNote =
        "management API unreachable; showing what AMQP tells (ready, consumers, dead letters)"

    public static func collect(settings: Settings) async throws -> ([QueueRow], String?) {
        // Each node's API in turn: on a cluster, any node that answers knows every queue.
        for api in settings.rabbitAPIURLs {
            if let rows = try? await fromManagementAPI(api, vhost: settings.amqp.virtualHost) { return (rows, nil) }
        }
        do {
            let names = Topology.workQueues.flatMap { [$0.name, $0.deadLetterQueue] }
            let depths: [String: (ready: Int, consumers: Int)?]
            do {
                let endpoint = settings.amqp
                depths = try await BrokerSession.offThePool {
                    try QueueInspection.depths(endpoint: endpoint, queues: names)
                }
            } catch {
                throw QueueFiguresError(
                    "neither the management API (MOTCUA_RABBITMQ_API_URL) nor AMQP (MOTCUA_AMQP_URL) answers")
            }
            let rows = Topology.workQueues.map { queue in
                let depth = depths[queue.name] ?? nil
                let dead = depths[queue.deadLetterQueue] ?? nil
                return QueueRow(
                    name: queue.name, ready: depth?.ready, unacked: nil, consumers: depth?.consumers,
                    publishRate: nil, deliverRate: nil, oldestReadyAgeSeconds: nil, deadLetters: dead?.ready)
            }
            return (rows, amqpOnlyNote)
        }
    }

    public static func fromManagementAPI(_ base: URL, vhost: String) async throws -> [QueueRow] {
        let encoded = vhost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else {
            throw QueueFiguresError("bad URL")
        }
        let user = components.user ?? "guest"
        let password = components.password ?? "guest"
        components.user = nil
        components.password = nil
        components.percentEncodedPath = "/api/queues/\(encoded)"
        components.query =
            "columns=name,messages_ready,messages_unacknowledged,consumers,message_stats,head_message_timestamp,"
            + "leader,members,online"
        var request = URLRequest(url: components.url!, timeoutInterval: 3)
        request.setValue(
            "Basic " + Data("\(user):\(password)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw QueueFiguresError("management API refused")
        }
        let queues = try JSONDecoder().decode([APIQueue].self, from: data)
        let byName = Dictionary(queues.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let now = Date().timeIntervalSince1970
        return Topology.workQueues.map { queue in
            let q = byName[queue.name]
            let dead = byName[queue.deadLetterQueue]
            let majorities = [q, dead].map { QueueRow.hasMajority(members: $0?.members, online: $0?.online) }
            return QueueRow(
                name: queue.name, ready: q?.messages_ready, unacked: q?.messages_unacknowledged,
                consumers: q?.consumers, publishRate: q?.message_stats?.publish_details?.rate,
                deliverRate: q?.message_stats?.deliver_get_details?.rate,
                oldestReadyAgeSeconds: q?.head_message_timestamp.map { max(0, now - $0) },
                deadLetters: dead?.messages_ready, leader: q?.leader, members: q?.members, online: q?.online,
                majority: majorities.contains(false) ? false : majorities[0])
        }
    }

    private struct APIQueue: Decodable {
        var name: String
        var messages_ready: Int?
        var messages_unacknowledged: Int?
        var consumers: Int?
        var message_stats: Stats?
        var head_message_timestamp: Double?
        var leader: String?
        var members: [String]?
        var online: [String]?

        struct Stats: Decodable {
            var publish_details: Rate?
            var deliver_get_details: Rate?
        }

        struct Rate: Decodable { var rate: Double? }
    }
}

public struct QueueFiguresError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
