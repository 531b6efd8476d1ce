import AMQPDriver
import ArgumentParser
import Domain
import Foundation
import Logging
import Runtime

struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Dead letters of a work queue.", subcommands: [List.self, Replay.self])

    static func letters(_ name: String) throws -> DeadLetters {
        guard let queue = Topology.workQueue(named: name) else {
            throw CLIFailure(
                "unknown queue \(name); one of " + Topology.allWorkQueues.map(\.name).joined(separator: ", "))
        }
        return DeadLetters(endpoint: try CLIContext.settings().amqp, queue: queue)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the dead letters of QUEUE, leaving them in place.")

        @Argument(help: "A work queue, e.g. motcua.payments.")
        var queue: String

        @Flag(help: "Print one JSON document.")
        var json = false

        func run() async throws {
            try await reporting {
                let letters = try await DeadLetterCommand.letters(queue).list()
                if json {
                    let rows = letters.map { Row(messageId: $0.messageId, routingKey: $0.routingKey, error: $0.error) }
                    print(try JSONCoding.encodeString(Report(queue: queue, count: letters.count, letters: rows)))
                    return
                }
                print("\(letters.count) dead letter(s) in \(queue).dlq")
                for letter in letters {
                    print(
                        "  \(letter.messageId ?? "-")  \(letter.routingKey)  \(letter.error ?? "(delivery limit reached)")"
                    )
                }
            }
        }
    }

    struct Report: Encodable {
        var queue: String
        var count: Int
        var letters: [Row]
    }

    struct Row: Encodable {
        var messageId: String?
        var routingKey: String
        var error: String?
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put dead letters of QUEUE back on motcua.events, once whatever refused them is fixed.")

        @Argument(help: "A work queue, e.g. motcua.payments.")
        var queue: String

        @Option(help: "Replay at most N letters.")
        var limit: Int = 1000

        func run() async throws {
            try await reporting {
                var logger = Logger(label: "motcua.cli")
                logger.logLevel = .critical
                let letters = try DeadLetterCommand.letters(queue)
                let publisher = EventPublisher(endpoint: letters.endpoint, logger: logger)
                let count = try await letters.replay(limit: limit, publisher: publisher)
                await publisher.close()
                print("replayed \(count) dead letter(s) from \(letters.queue.deadLetterQueue)")
            }
        }
    }
}
