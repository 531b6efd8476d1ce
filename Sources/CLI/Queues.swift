import ArgumentParser
import Foundation
import Shared
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `motcua queues`: the pipeline's queues, from the management API or, failing that, from AMQP.
struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Queue depth, consumers, rates and dead letters.")

    @Flag(help: "Print one JSON document.")
    var json = false

    @Option(help: "Print again every SECONDS seconds until interrupted.")
    var watch: Int?

    func validate() throws {
        if let watch, watch < 1 { throw ValidationError("--watch: must be 1 second or more") }
    }

    func run() async throws {
        try await reporting {
            let settings = try CLIContext.settings()
            while true {
                let (rows, note) = try await QueueFigures.collect(settings: settings)
                if json {
                    print(try JSONCoding.encodeString(QueueReport(queues: rows)))
                } else {
                    if watch != nil { print("\u{1B}[2J\u{1B}[H", terminator: "") }
                    print(QueueFigures.table(rows))
                }
                if let note { FileHandle.standardError.write(Data("motcua: \(note)\n".utf8)) }
                guard let watch else { return }
                try await Task.sleep(for: .seconds(watch))
            }
        }
    }
}

struct QueueReport: Encodable {
    var queues: [QueueRow]
}

/// One queue as `motcua queues --json` shows it; a figure the broker does not report is null.
struct QueueRow: Encodable {
    var name: String
    @ExplicitNull var ready: Int?
    @ExplicitNull var unacked: Int?
    @ExplicitNull var consumers: Int?
    @ExplicitNull var publishRate: Double?
    @ExplicitNull var deliverRate: Double?
    @ExplicitNull var oldestReadyAgeSeconds: Double?
    @ExplicitNull var deadLetters: Int?


}

enum QueueFigures {
    static func collect(settings: Settings) async throws -> ([QueueRow], String?) {
        do {
            return (try await fromManagementAPI(settings.rabbitAPIURL, vhost: settings.amqp.virtualHost), nil)
        } catch {
            let names = Topology.workQueues.flatMap { [$0.name, $0.deadLetterQueue] }
            let depths: [String: (ready: Int, consumers: Int)?]
            do {
                depths = try QueueInspection.depths(endpoint: settings.amqp, queues: names)
            } catch {
                throw CLIFailure("neither the management API (MOTCUA_RABBITMQ_API_URL) nor AMQP (MOTCUA_AMQP_URL) answers")
            }
            let rows = Topology.workQueues.map { queue in
                let depth = depths[queue.name] ?? nil
                let dead = depths[queue.deadLetterQueue] ?? nil
                return QueueRow(name: queue.name, ready: depth?.ready, unacked: nil, consumers: depth?.consumers,
                                publishRate: nil, deliverRate: nil, oldestReadyAgeSeconds: nil, deadLetters: dead?.ready)
            }
            return (rows, "management API unreachable; showing what AMQP tells (ready, consumers, dead letters)")
        }
    }

    static func fromManagementAPI(_ base: URL, vhost: String) async throws -> [QueueRow] {
        let encoded = vhost.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "%2F"
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else { throw CLIFailure("bad URL") }
        let user = components.user ?? "guest", password = components.password ?? "guest"
        components.user = nil
        components.password = nil
        components.percentEncodedPath = "/api/queues/\(encoded)"
        components.query = "columns=name,messages_ready,messages_unacknowledged,consumers,message_stats,head_message_timestamp"
        var request = URLRequest(url: components.url!, timeoutInterval: 3)
        request.setValue("Basic " + Data("\(user):\(password)".utf8).base64EncodedString(), forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw CLIFailure("management API refused") }
        let queues = try JSONDecoder().decode([APIQueue].self, from: data)
        let byName = Dictionary(queues.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let now = Date().timeIntervalSince1970
        return Topology.workQueues.map { queue in
            let q = byName[queue.name]
            return QueueRow(name: queue.name, ready: q?.messages_ready, unacked: q?.messages_unacknowledged,
                            consumers: q?.consumers, publishRate: q?.message_stats?.publish_details?.rate,
                            deliverRate: q?.message_stats?.deliver_get_details?.rate,
                            oldestReadyAgeSeconds: q?.head_message_timestamp.map { max(0, now - $0) },
                            deadLetters: byName[queue.deadLetterQueue]?.messages_ready)
        }
    }

    static func table(_ rows: [QueueRow]) -> String {
        func cell(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        func rate(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }
        var lines = [["QUEUE", "READY", "UNACKED", "CONSUMERS", "PUBLISH/s", "DELIVER/s", "OLDEST(s)", "DEAD"]]
        for row in rows {
            lines.append([row.name, cell(row.ready), cell(row.unacked), cell(row.consumers), rate(row.publishRate),
                          rate(row.deliverRate), row.oldestReadyAgeSeconds.map { String(Int($0)) } ?? "-",
                          cell(row.deadLetters)])
        }
        let widths = (0..<lines[0].count).map { i in lines.map { $0[i].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { i, text in text.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n")
    }

    private struct APIQueue: Decodable {
        var name: String
        var messages_ready: Int?
        var messages_unacknowledged: Int?
        var consumers: Int?
        var message_stats: Stats?
        var head_message_timestamp: Double?

        struct Stats: Decodable {
            var publish_details: Rate?
            var deliver_get_details: Rate?
        }

        struct Rate: Decodable { var rate: Double? }
    }
}
