import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
    import AMQPDriver
    import Runtime
    import Domain
#endif

/// `motcua queues`: the pipeline's queues, from the management API or, failing that, from AMQP.
struct Queues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue depth, consumers, rates, dead letters, and each quorum queue's leader and replicas.")

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

extension QueueFigures {
    static func table(_ rows: [QueueRow]) -> String {
        func cell(_ value: Int?) -> String { value.map(String.init) ?? "-" }
        func rate(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "-" }
        var lines = [
            [
                "QUEUE", "READY", "UNACKED", "CONSUMERS", "PUBLISH/s", "DELIVER/s", "OLDEST(s)", "DEAD", "LEADER",
                "ONLINE", "",
            ]
        ]
        for row in rows {
            lines.append([
                row.name, cell(row.ready), cell(row.unacked), cell(row.consumers), rate(row.publishRate),
                rate(row.deliverRate), row.oldestReadyAgeSeconds.map { String(Int($0)) } ?? "-",
                cell(row.deadLetters), row.leader ?? "-", replicas(row) ?? "-",
                row.majority == false ? "NO MAJORITY: the queue takes and delivers nothing" : "",
            ])
        }
        let widths = (0..<lines[0].count).map { i in lines.map { $0[i].count }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { i, text in text.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }.joined(separator: "\n")
    }
}
